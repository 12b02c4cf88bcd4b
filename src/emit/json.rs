//! The template as a JSON document tree: the reference that the text written straight
//! from the plan (`template::Template`) is tested against, and a value for tools.

use serde_json::{Map, Value};

use crate::template::{number, Node, Parameter, Resource, Stack, StackOutput, FORMAT_VERSION};

/// The whole template as a document tree, sections in a fixed order.
/// [`crate::template::pretty`] writes the same document without building the tree
/// (`template::Template`).
pub fn document(stack: &Stack) -> Value {
    let mut doc = Map::new();
    doc.insert("AWSTemplateFormatVersion".into(), FORMAT_VERSION.into());
    if let Some(d) = &stack.description {
        doc.insert("Description".into(), d.as_str().into());
    }
    if !stack.parameters.is_empty() {
        let params = stack
            .parameters
            .iter()
            .map(|(id, p)| (id.clone(), parameter(p)))
            .collect();
        doc.insert("Parameters".into(), Value::Object(params));
    }
    let resources = stack
        .resources
        .iter()
        .map(|(id, r)| (id.clone(), resource(r)))
        .collect();
    doc.insert("Resources".into(), Value::Object(resources));
    if !stack.outputs.is_empty() {
        let outputs = stack
            .outputs
            .iter()
            .map(|(id, o)| (id.clone(), output(o)))
            .collect();
        doc.insert("Outputs".into(), Value::Object(outputs));
    }
    Value::Object(doc)
}

fn parameter(p: &Parameter) -> Value {
    let mut m = Map::new();
    m.insert("Type".into(), p.ty.cfn().into());
    if let Some(d) = &p.default {
        m.insert("Default".into(), d.as_str().into());
    }
    if !p.allowed.is_empty() {
        m.insert(
            "AllowedValues".into(),
            p.allowed.iter().map(|a| Value::from(a.as_str())).collect(),
        );
    }
    if let Some(d) = &p.description {
        m.insert("Description".into(), d.as_str().into());
    }
    if p.no_echo {
        m.insert("NoEcho".into(), true.into());
    }
    Value::Object(m)
}

fn resource(r: &Resource) -> Value {
    let mut m = Map::new();
    m.insert("Type".into(), r.ty.into());
    if r.retain {
        m.insert("DeletionPolicy".into(), "Retain".into());
        m.insert("UpdateReplacePolicy".into(), "Retain".into());
    }
    if !r.depends_on.is_empty() {
        let mut deps = r.depends_on.clone();
        deps.sort();
        deps.dedup();
        m.insert(
            "DependsOn".into(),
            deps.into_iter().map(Value::String).collect(),
        );
    }
    if !r.properties.is_empty() {
        m.insert(
            "Properties".into(),
            node_value(&Node::Map(r.properties.0.clone())),
        );
    }
    Value::Object(m)
}

fn output(o: &StackOutput) -> Value {
    let mut m = Map::new();
    if let Some(d) = &o.description {
        m.insert("Description".into(), d.as_str().into());
    }
    m.insert("Value".into(), node_value(&o.value));
    Value::Object(m)
}

/// One property node; intrinsics in their long (JSON) form.
pub fn node_value(n: &Node) -> Value {
    let one = |k: &str, v: Value| {
        let mut m = Map::new();
        m.insert(k.to_string(), v);
        Value::Object(m)
    };
    let text = |t: &str| Value::String(t.to_string());
    match n {
        Node::Str(s) => text(s),
        Node::Num(t) => number(t),
        Node::Bool(b) => Value::Bool(*b),
        Node::List(items) => Value::Array(items.iter().map(node_value).collect()),
        Node::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), node_value(v)))
                .collect(),
        ),
        Node::Ref(id) => one("Ref", text(id)),
        Node::GetAtt(g) => one("Fn::GetAtt", Value::Array(vec![text(&g.0), text(&g.1)])),
        Node::Sub(s) => one("Fn::Sub", text(s)),
        Node::Join(j) => one(
            "Fn::Join",
            Value::Array(vec![
                text(&j.0),
                Value::Array(j.1.iter().map(node_value).collect()),
            ]),
        ),
        Node::Select(i, list) => one(
            "Fn::Select",
            Value::Array(vec![Value::from(*i), node_value(list)]),
        ),
        Node::Split(sp) => one(
            "Fn::Split",
            Value::Array(vec![text(&sp.0), node_value(&sp.1)]),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParamType;
    use crate::template::{Parameter, Props, Resource, StackOutput, Template, Text};

    /// Every node kind, a repeated key and every section: the direct text must equal the
    /// text of the document tree.
    #[test]
    fn same_text_as_the_document_tree() {
        let props = Props(vec![
            ("S".into(), Node::str("text \"quoted\" é")),
            ("N".into(), Node::Num("0.7".into())),
            ("I".into(), Node::int(5)),
            ("Neg".into(), Node::Num("-3".into())),
            ("Odd".into(), Node::Num("1e400".into())),
            ("B".into(), Node::Bool(true)),
            (
                "L".into(),
                Node::List(vec![Node::ref_("A"), Node::List(Vec::new())]),
            ),
            (
                "M".into(),
                Node::Map(vec![("K".into(), Node::Map(Vec::new()))]),
            ),
            ("G".into(), Node::get_att("A", "Arn")),
            ("Sub".into(), Node::sub("${A}/x")),
            ("J".into(), Node::join(",", vec![Node::str("a")])),
            ("Sel".into(), Node::Select(1, Box::new(Node::ref_("L")))),
            ("Sp".into(), Node::split(",", Node::str("a,b"))),
            ("S".into(), Node::str("replaced, first position")),
        ]);
        let many: Vec<(Text, Node)> = (0..40)
            .map(|i| (format!("K{}", i % 30).into(), Node::int(i)))
            .collect();
        let mut stack = Stack {
            description: Some("d".into()),
            parameters: vec![(
                "P".into(),
                Parameter {
                    ty: ParamType::Number,
                    default: Some("1".into()),
                    allowed: vec!["1".into(), "2".into()],
                    description: Some("p".into()),
                    no_echo: true,
                },
            )],
            outputs: vec![(
                "O".into(),
                StackOutput {
                    value: Node::Map(many),
                    description: None,
                },
            )],
            ..Stack::default()
        };
        let mut r = Resource::new("AWS::X::Y", props);
        r.depends_on = vec!["Z".into(), "A".into(), "Z".into()];
        stack.resources.insert("A".into(), r);
        stack
            .resources
            .insert("E".into(), Resource::new("AWS::X::Y", Props::new()));
        let tree = serde_json::to_string_pretty(&document(&stack)).unwrap_or_default();
        assert!(tree.len() > 100);
        assert_eq!(super::super::json(&stack), format!("{tree}\n"));
        assert_eq!(crate::template::len(&stack), tree.len() + 1);
        // The nested stacks' form: the same document without whitespace.
        let compact = serde_json::to_string(&document(&stack)).unwrap_or_default();
        assert_eq!(crate::template::compact(&stack), format!("{compact}\n"));
        assert_eq!(crate::template::compact_len(&stack), compact.len() + 1);
        assert!(compact.len() < tree.len() && !compact.contains('\n'));
        assert_eq!(
            super::super::yaml(&stack),
            serde_saphyr::to_string(&document(&stack)).unwrap_or_default()
        );
        assert_eq!(
            serde_json::to_string(&Template(&Stack::default())).ok(),
            serde_json::to_string(&document(&Stack::default())).ok()
        );
    }
}
