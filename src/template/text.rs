//! The template serialized straight from the [`Stack`], without building a
//! `serde_json::Value` tree first; its JSON text and the length of that text.
//!
//! A 10,000-function app plans to millions of nodes; copying them into a `Value` tree
//! (every string cloned, every object an index map) and dropping that tree again cost
//! more than writing the text, and held the whole copy in memory. These `Serialize`
//! impls make exactly the serializer calls that serializing `emit::document` makes, so
//! the text is byte for byte the same (a test in `emit` compares both).

use std::collections::HashSet;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use serde_json::{Number, Value};

use super::tree::Text;
use super::{Node, Parameter, Resource, Stack, StackOutput};

/// CFN-17: the only template format version.
pub(crate) const FORMAT_VERSION: &str = "2010-09-09";

/// Pretty JSON (2-space indent, trailing newline): what `lamc build` prints.
pub fn pretty(stack: &Stack) -> String {
    // About what a synthetic resource takes (~470 bytes).
    written(stack, 512, |out| {
        serde_json::to_writer_pretty(out, &Template(stack))
    })
}

/// The same document without whitespace, for templates that only machines read (the
/// nested stacks' templates, uploaded to S3): about half the bytes of [`pretty`], so half
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

/// `compact(stack).len()`, without keeping the text.
pub fn compact_len(stack: &Stack) -> usize {
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, &Template(stack)) {
        Ok(()) => counter.0 + 1,
        Err(_) => 1,
    }
}

/// `pretty(stack).len()`, without keeping the text: what CFN-06 is measured on.
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

/// Exact decimal text → a JSON number (integers stay integers); anything unparsable stays
/// text rather than being lost.
pub(crate) fn number(text: &str) -> Value {
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

/// The whole template, sections in the same fixed order as `emit::document`.
pub struct Template<'a>(pub &'a Stack);

impl Serialize for Template<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let stack = self.0;
        let params = distinct(&stack.parameters);
        let outputs = distinct(&stack.outputs);
        let len = 2
            + usize::from(stack.description.is_some())
            + usize::from(!params.is_empty())
            + usize::from(!outputs.is_empty());
        let mut doc = s.serialize_map(Some(len))?;
        doc.serialize_entry("AWSTemplateFormatVersion", FORMAT_VERSION)?;
        if let Some(d) = &stack.description {
            doc.serialize_entry("Description", d)?;
        }
        if !params.is_empty() {
            doc.serialize_entry("Parameters", &Entries(&params, ParamBody))?;
        }
        doc.serialize_entry("Resources", &Resources(stack))?;
        if !outputs.is_empty() {
            doc.serialize_entry("Outputs", &Entries(&outputs, OutputBody))?;
        }
        doc.end()
    }
}

/// A map of `(key, value)` pairs whose values are serialized through `F`.
struct Entries<'e, 'a, V, F>(&'e [(&'a str, &'a V)], F);

trait Body<V> {
    fn write<S: Serializer>(&self, v: &V, s: S) -> Result<S::Ok, S::Error>;
}

impl<V, F: Body<V>> Serialize for Entries<'_, '_, V, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, &With(*v, &self.1))?;
        }
        m.end()
    }
}

/// One value serialized through a [`Body`].
struct With<'a, V, F>(&'a V, &'a F);

impl<V, F: Body<V>> Serialize for With<'_, V, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.1.write(self.0, s)
    }
}

struct ParamBody;

impl Body<Parameter> for ParamBody {
    fn write<S: Serializer>(&self, p: &Parameter, s: S) -> Result<S::Ok, S::Error> {
        let len = 1
            + usize::from(p.default.is_some())
            + usize::from(!p.allowed.is_empty())
            + usize::from(p.description.is_some())
            + usize::from(p.no_echo);
        let mut m = s.serialize_map(Some(len))?;
        m.serialize_entry("Type", p.ty.cfn())?;
        if let Some(d) = &p.default {
            m.serialize_entry("Default", d)?;
        }
        if !p.allowed.is_empty() {
            m.serialize_entry("AllowedValues", &p.allowed)?;
        }
        if let Some(d) = &p.description {
            m.serialize_entry("Description", d)?;
        }
        if p.no_echo {
            m.serialize_entry("NoEcho", &true)?;
        }
        m.end()
    }
}

struct OutputBody;

impl Body<StackOutput> for OutputBody {
    fn write<S: Serializer>(&self, o: &StackOutput, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1 + usize::from(o.description.is_some())))?;
        if let Some(d) = &o.description {
            m.serialize_entry("Description", d)?;
        }
        m.serialize_entry("Value", &NodeText(&o.value))?;
        m.end()
    }
}

struct Resources<'a>(&'a Stack);

impl Serialize for Resources<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.resources.len()))?;
        for (id, r) in &self.0.resources {
            m.serialize_entry(id, &ResourceText(r))?;
        }
        m.end()
    }
}

struct ResourceText<'a>(&'a Resource);

impl Serialize for ResourceText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let props = &r.properties.0;
        let len = 1
            + 2 * usize::from(r.retain)
            + usize::from(!r.depends_on.is_empty())
            + usize::from(!props.is_empty());
        let mut m = s.serialize_map(Some(len))?;
        m.serialize_entry("Type", &r.ty)?;
        if r.retain {
            m.serialize_entry("DeletionPolicy", "Retain")?;
            m.serialize_entry("UpdateReplacePolicy", "Retain")?;
        }
        if !r.depends_on.is_empty() {
            let mut deps: Vec<&str> = r.depends_on.iter().map(String::as_str).collect();
            deps.sort_unstable();
            deps.dedup();
            m.serialize_entry("DependsOn", &deps)?;
        }
        if !props.is_empty() {
            m.serialize_entry("Properties", &Props(props))?;
        }
        m.end()
    }
}

/// A `Node::Map`'s entries (already made distinct).
struct MapText<'e, 'a>(&'e [(&'a str, &'a Node)]);

impl Serialize for MapText<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, &NodeText(v))?;
        }
        m.end()
    }
}

/// One property node; intrinsics in their long (JSON) form, as in `emit::node_value`.
struct NodeText<'a>(&'a Node);

impl Serialize for NodeText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Node::Str(text) => s.serialize_str(text),
            Node::Num(text) => number(text).serialize(s),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::List(items) => Seq(items).serialize(s),
            Node::Map(entries) => map(s, entries),
            Node::Ref(id) => one(s, "Ref", id),
            Node::GetAtt(g) => one(s, "Fn::GetAtt", &Pair(&g.0, &g.1)),
            Node::Sub(text) => one(s, "Fn::Sub", text),
            Node::Join(j) => one(s, "Fn::Join", &Pair(&j.0, Seq(&j.1))),
            Node::Select(i, list) => one(s, "Fn::Select", &Pair(*i, NodeText(list))),
            Node::Split(sp) => one(s, "Fn::Split", &Pair(&sp.0, NodeText(&sp.1))),
        }
    }
}

/// One property map as compact JSON, exactly as it appears in a template.
pub fn props_json(props: &[(Text, Node)]) -> String {
    serde_json::to_string(&Props(props)).unwrap_or_default()
}

struct Props<'a>(&'a [(Text, Node)]);

impl Serialize for Props<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        map(s, self.0)
    }
}

/// A property map, serialized in place unless a key repeats (see [`distinct`]).
fn map<S: Serializer>(s: S, entries: &[(Text, Node)]) -> Result<S::Ok, S::Error> {
    if has_repeats(entries) {
        return MapText(&distinct(entries)).serialize(s);
    }
    let mut m = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        m.serialize_entry(k, &NodeText(v))?;
    }
    m.end()
}

/// A two-element array (as a sequence, like `Value::Array`; a tuple would serialize
/// differently in YAML).
struct Pair<A, B>(A, B);

impl<A: Serialize, B: Serialize> Serialize for Pair<A, B> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(2))?;
        seq.serialize_element(&self.0)?;
        seq.serialize_element(&self.1)?;
        seq.end()
    }
}

struct Seq<'a>(&'a [Node]);

impl Serialize for Seq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for n in self.0 {
            seq.serialize_element(&NodeText(n))?;
        }
        seq.end()
    }
}

/// `{ key: value }`
fn one<S: Serializer, V: Serialize + ?Sized>(
    s: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(key, value)?;
    m.end()
}

/// The entries as a JSON object keeps them: a repeated key keeps the position of its first
/// occurrence and takes the value of its last (what inserting into `serde_json::Map` does).
/// The plan's maps have distinct keys, so this is nearly always a plain copy of references.
fn distinct<K: AsRef<str>, V>(entries: &[(K, V)]) -> Vec<(&str, &V)> {
    if !has_repeats(entries) {
        return entries.iter().map(|(k, v)| (k.as_ref(), v)).collect();
    }
    let mut firsts: Vec<(&str, &V)> = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        let k = k.as_ref();
        match firsts.iter_mut().find(|(f, _)| *f == k) {
            Some(slot) => slot.1 = v,
            None => firsts.push((k, v)),
        }
    }
    firsts
}

/// The length and up to the first six bytes of a key: equal keys have equal prints.
fn fingerprint(key: &str) -> u64 {
    let mut print = (key.len() as u64) << 48;
    for (i, b) in key.bytes().take(6).enumerate() {
        print |= u64::from(b) << (8 * i);
    }
    print
}

fn has_repeats<K: AsRef<str>, V>(entries: &[(K, V)]) -> bool {
    // Small maps (most property maps) compare pairwise; hashing costs more there. Keys
    // are compared by a fingerprint (length and first bytes) first: every map of every
    // template goes through here.
    const SMALL: usize = 16;
    if entries.len() <= SMALL {
        let mut prints = [0u64; SMALL];
        for (p, (k, _)) in prints.iter_mut().zip(entries) {
            *p = fingerprint(k.as_ref());
        }
        let prints = &prints[..entries.len()];
        return prints.iter().enumerate().any(|(i, p)| {
            prints[i + 1..]
                .iter()
                .enumerate()
                .any(|(j, q)| p == q && entries[i].0.as_ref() == entries[i + 1 + j].0.as_ref())
        });
    }
    let mut seen = HashSet::with_capacity(entries.len());
    !entries.iter().all(|(k, _)| seen.insert(k.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_in_small_and_large_maps() {
        let keys = |ks: &[&str]| ks.iter().map(|k| (k.to_string(), ())).collect::<Vec<_>>();
        assert!(!has_repeats(&keys(&[])));
        assert!(!has_repeats(&keys(&[
            "FunctionName",
            "FunctionUrl",
            "Functio"
        ])));
        assert!(has_repeats(&keys(&[
            "A",
            "FunctionName",
            "B",
            "FunctionName"
        ])));
        // Same length and first six bytes, different keys.
        assert!(!has_repeats(&keys(&["Worker1Arn", "Worker2Arn"])));
        assert!(!has_repeats(&keys(&["WorkerArn1", "WorkerArn2"])));
        let many: Vec<String> = (0..40).map(|i| format!("Key{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(!has_repeats(&keys(&many)));
        let mut again = many.clone();
        again.push("Key7");
        assert!(has_repeats(&keys(&again)));
        for n in 2..=16 {
            let mut ks: Vec<String> = (0..n).map(|i| format!("Same{i:02}")).collect();
            let refs = |ks: &[String]| ks.iter().map(|k| (k.clone(), ())).collect::<Vec<_>>();
            assert!(!has_repeats(&refs(&ks)), "{n}");
            ks[n - 1] = ks[0].clone();
            assert!(has_repeats(&refs(&ks)), "{n}");
        }
    }
}
