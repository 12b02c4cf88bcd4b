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
                SubPart::Text(t) => Node::Str(t),
                SubPart::Var(id, None) => Node::Ref(id),
                SubPart::Var(id, Some(attr)) => Node::GetAtt(id, attr),
            })
            .collect(),
    )
}

/// Every logical ID a node refers to (pseudo parameters included; callers filter).
pub fn collect(node: &Node, out: &mut BTreeSet<String>) {
    match node {
        Node::Ref(id) | Node::GetAtt(id, _) => {
            out.insert(id.clone());
        }
        Node::Sub(text) => {
            for p in parse_sub(text) {
                if let SubPart::Var(id, _) = p {
                    out.insert(id);
                }
            }
        }
        Node::List(items) | Node::Join(_, items) => {
            for i in items {
                collect(i, out);
            }
        }
        Node::Map(entries) => {
            for (_, v) in entries {
                collect(v, out);
            }
        }
        Node::Select(_, inner) | Node::Split(_, inner) => collect(inner, out),
        Node::Str(_) | Node::Num(_) | Node::Bool(_) => {}
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
            Node::Join(
                String::new(),
                vec![Node::str("function:"), Node::ref_("F"), Node::str(":live")]
            )
        );
        assert_eq!(sub_to_join("plain"), Node::str("plain"));
    }
}
