//! What a property tree refers to: `Ref`, `Fn::GetAtt` and the `${…}` variables of
//! `Fn::Sub`, which splitting must see to know what crosses a stack boundary.

use std::collections::BTreeSet;

use crate::plan::tree::Node;
use crate::plan::values::join;

/// One piece of an `Fn::Sub` string.
#[derive(Debug, Clone, PartialEq)]
pub enum SubPart {
    Text(String),
    /// `${X}` (attribute `None`) or `${X.Attr}`.
    Var(String, Option<String>),
}

/// Split `Fn::Sub` text into literal text and variables. `${!x}` is the literal `${x}`.
pub fn parse_sub(text: &str) -> Vec<SubPart> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        lit.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            lit.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let var = &after[..end];
        if let Some(escaped) = var.strip_prefix('!') {
            lit.push_str("${");
            lit.push_str(escaped);
            lit.push('}');
        } else {
            if !lit.is_empty() {
                parts.push(SubPart::Text(std::mem::take(&mut lit)));
            }
            parts.push(match var.split_once('.') {
                // Pseudo parameters (`AWS::Region`) contain no dot.
                Some((id, attr)) if !id.contains("::") => {
                    SubPart::Var(id.to_string(), Some(attr.to_string()))
                }
                _ => SubPart::Var(var.to_string(), None),
            });
        }
        rest = &after[end + 1..];
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        parts.push(SubPart::Text(lit));
    }
    parts
}

/// The same value as `Fn::Sub` text, written as `Fn::Join` of text, `Ref` and `Fn::GetAtt`,
/// so that each reference can be rewritten on its own.
pub fn sub_to_join(text: &str) -> Node {
    join(
        parse_sub(text)
            .into_iter()
            .map(|p| match p {
                SubPart::Text(t) => Node::str(t),
                SubPart::Var(id, None) => Node::ref_(id),
                SubPart::Var(id, Some(attr)) => Node::get_att(id, attr),
            })
            .collect(),
    )
}

/// Every logical ID a node refers to (pseudo parameters included; callers filter).
pub fn collect(node: &Node, out: &mut BTreeSet<String>) {
    visit(node, &mut |id: &str| {
        out.insert(id.to_string());
    });
}

/// Call `f` with every logical ID a node refers to, in order, repeats included.
pub fn visit(node: &Node, f: &mut impl FnMut(&str)) {
    match node {
        Node::Ref(id) => f(id),
        Node::GetAtt(g) => f(&g.0),
        Node::Sub(text) => sub_vars(text, f),
        Node::List(items) => {
            for i in items {
                visit(i, f);
            }
        }
        Node::Join(j) => {
            for i in &j.1 {
                visit(i, f);
            }
        }
        Node::Map(entries) => {
            for (_, v) in entries {
                visit(v, f);
            }
        }
        Node::Select(_, inner) => visit(inner, f),
        Node::Split(sp) => visit(&sp.1, f),
        Node::Str(_) | Node::Num(_) | Node::Bool(_) => {}
    }
}

/// The IDs of the variables [`parse_sub`] finds, without building its parts.
pub fn sub_vars(text: &str, f: &mut impl FnMut(&str)) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return;
        };
        let var = &after[..end];
        if !var.starts_with('!') {
            match var.split_once('.') {
                Some((id, _)) if !id.contains("::") => f(id),
                _ => f(var),
            }
        }
        rest = &after[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_text_splits_into_text_and_variables() {
        assert_eq!(
            parse_sub("arn:${AWS::Partition}:x:${Api}/${Fn.Arn}${!Lit}"),
            vec![
                SubPart::Text("arn:".into()),
                SubPart::Var("AWS::Partition".into(), None),
                SubPart::Text(":x:".into()),
                SubPart::Var("Api".into(), None),
                SubPart::Text("/".into()),
                SubPart::Var("Fn".into(), Some("Arn".into())),
                SubPart::Text("${Lit}".into()),
            ]
        );
        assert_eq!(
            sub_to_join("function:${F}:live"),
            Node::join(
                "",
                vec![Node::str("function:"), Node::ref_("F"), Node::str(":live")]
            )
        );
        assert_eq!(sub_to_join("plain"), Node::str("plain"));
    }

    #[test]
    fn sub_vars_are_the_variables_of_parse_sub() {
        for text in [
            "arn:${AWS::Partition}:x:${Api}/${Fn.Arn}${!Lit}",
            "${A}${B.C.D}${AWS::Region.x}${!}${}open ${unclosed",
            "no variables",
            "${x${Y}}",
        ] {
            let mut seen = Vec::new();
            sub_vars(text, &mut |id| seen.push(id.to_string()));
            let expected: Vec<String> = parse_sub(text)
                .into_iter()
                .filter_map(|p| match p {
                    SubPart::Var(id, _) => Some(id),
                    SubPart::Text(_) => None,
                })
                .collect();
            assert_eq!(seen, expected, "{text}");
        }
    }
}
