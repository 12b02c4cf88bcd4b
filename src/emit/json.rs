//! The template as a JSON document tree, and its pretty JSON text.

use serde_json::{Map, Number, Value};

use super::direct::Template;
use crate::model::ParamType;
use crate::plan::{Node, Stack};

/// CFN-17: the only template format version.
pub(super) const FORMAT_VERSION: &str = "2010-09-09";

pub fn text(stack: &Stack) -> String {
    // About what a synthetic resource takes (~470 bytes).
    written(stack, 512, |out| {
        serde_json::to_writer_pretty(out, &Template(stack))
    })
}

/// The same document without whitespace, for templates that only machines read (the
/// nested stacks' templates, uploaded to S3): about half the bytes of [`text`], so half
/// the time to write, hash, store and upload, and more room under CFN-06.
pub fn compact(stack: &Stack) -> String {
    written(stack, 320, |out| {
        serde_json::to_writer(out, &Template(stack))
    })
}

/// The text `write` puts in a buffer sized for `per_resource` bytes per resource (growing
/// from empty re-copied and faulted in every nested stack's text several times), with a
/// final newline.
fn written(
    stack: &Stack,
    per_resource: usize,
    write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
) -> String {
    let mut out = Vec::with_capacity(1024 + stack.resources.len() * per_resource);
    if write(&mut out).is_err() {
        out.clear();
    }
    out.push(b'\n');
    // The buffer grew by doubling; nested stacks keep their text, so give back the rest.
    out.shrink_to_fit();
    // serde_json writes only UTF-8; the fallback is never taken.
    String::from_utf8(out).unwrap_or_default()
}

/// `text(stack).len()`, without keeping the text.
pub fn len(stack: &Stack) -> usize {
    let mut counter = Counter(0);
    match serde_json::to_writer_pretty(&mut counter, &Template(stack)) {
        Ok(()) => counter.0 + 1,
        Err(_) => 1,
    }
}

/// A writer that only counts bytes.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The whole template as a document tree, sections in a fixed order. [`text`] writes the
/// same document without building the tree (`direct`).
pub fn document(stack: &Stack) -> Value {
    let mut doc = Map::new();
    doc.insert("AWSTemplateFormatVersion".into(), FORMAT_VERSION.into());
    if let Some(d) = &stack.description {
        doc.insert("Description".into(), d.as_str().into());
    }
    if !stack.parameters.is_empty() {
        let mut params = Map::new();
        for (id, p) in &stack.parameters {
            let mut m = Map::new();
            let ty = match p.ty {
                ParamType::String => "String",
                ParamType::Number => "Number",
            };
            m.insert("Type".into(), ty.into());
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
            params.insert(id.clone(), Value::Object(m));
        }
        doc.insert("Parameters".into(), Value::Object(params));
    }
    let mut resources = Map::new();
    for (id, r) in &stack.resources {
        let mut m = Map::new();
        m.insert("Type".into(), r.ty.into());
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
        resources.insert(id.clone(), Value::Object(m));
    }
    doc.insert("Resources".into(), Value::Object(resources));
    if !stack.outputs.is_empty() {
        let mut outputs = Map::new();
        for (id, o) in &stack.outputs {
            let mut m = Map::new();
            if let Some(d) = &o.description {
                m.insert("Description".into(), d.as_str().into());
            }
            m.insert("Value".into(), node_value(&o.value));
            outputs.insert(id.clone(), Value::Object(m));
        }
        doc.insert("Outputs".into(), Value::Object(outputs));
    }
    Value::Object(doc)
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

/// Exact decimal text → a JSON number (integers stay integers); anything unparsable stays
/// text rather than being lost.
pub(super) fn number(text: &str) -> Value {
    if let Ok(u) = text.parse::<u64>() {
        return Value::Number(u.into());
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or_else(|| Value::String(text.to_string()), Value::Number)
}
