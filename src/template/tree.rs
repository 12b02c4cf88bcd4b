//! The typed property tree of a planned stack: plain values plus CloudFormation intrinsics.
//!
//! Maps keep the order their keys were inserted in; every builder in `plan` inserts keys in
//! a fixed order, so the emitted text never depends on hashing.

use std::borrow::Cow;

/// Text in a property tree. Most keys and many values are literals in lamc's own source
/// (`"FunctionName"`, `"Allow"`, `"Arn"`): those are borrowed, not copied. A 10,000-function
/// app has about a million map entries; a `String` key each was a million allocations.
pub type Text = Cow<'static, str>;

/// One node of a property tree. Kept to 32 bytes (the rare two-part intrinsics are boxed):
/// every map entry holds one.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Str(Text),
    /// A number as its exact decimal text (`"5"`, `"0.7"`), emitted as a JSON number.
    Num(Text),
    Bool(bool),
    List(Vec<Node>),
    Map(Vec<(Text, Node)>),
    /// `{ "Ref": "LogicalId" }` (also pseudo parameters such as `AWS::AccountId`).
    Ref(Text),
    /// `{ "Fn::GetAtt": ["LogicalId", "Attribute"] }`
    GetAtt(Box<(Text, Text)>),
    /// `{ "Fn::Sub": "text with ${Refs}" }`
    Sub(Text),
    /// `{ "Fn::Join": [separator, parts] }`
    Join(Box<(Text, Vec<Node>)>),
    /// `{ "Fn::Select": [index, list] }`
    Select(u32, Box<Node>),
    /// `{ "Fn::Split": [separator, text] }`
    Split(Box<(Text, Node)>),
}

impl Node {
    pub fn str(s: impl Into<Text>) -> Node {
        Node::Str(s.into())
    }

    pub fn int(n: u64) -> Node {
        Node::Num(n.to_string().into())
    }

    /// A float as the shortest decimal text that reads back as the same value; whole values
    /// are written without a fraction (`5`, not `5.0`).
    pub fn float(x: f64) -> Node {
        if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
            Node::Num(format!("{}", x as i64).into())
        } else if x.is_finite() {
            Node::Num(format!("{x}").into())
        } else {
            Node::Num("0".into())
        }
    }

    /// A reference to a logical ID (computed text, so always owned).
    pub fn ref_(id: impl Into<String>) -> Node {
        Node::Ref(Cow::Owned(id.into()))
    }

    /// An attribute of a logical ID; the attribute is usually a literal (`"Arn"`).
    pub fn get_att(id: impl Into<String>, attr: impl Into<Text>) -> Node {
        Node::GetAtt(Box::new((Cow::Owned(id.into()), attr.into())))
    }

    pub fn sub(s: impl Into<Text>) -> Node {
        Node::Sub(s.into())
    }

    pub fn join(separator: impl Into<Text>, parts: Vec<Node>) -> Node {
        Node::Join(Box::new((separator.into(), parts)))
    }

    pub fn split(separator: impl Into<Text>, text: Node) -> Node {
        Node::Split(Box::new((separator.into(), text)))
    }

    pub fn list_of_str<I, S>(items: I) -> Node
    where
        I: IntoIterator<Item = S>,
        S: Into<Text>,
    {
        Node::List(items.into_iter().map(|s| Node::Str(s.into())).collect())
    }

    /// Whether this node is a literal all the way down (no intrinsic inside).
    pub fn is_literal(&self) -> bool {
        match self {
            Node::Str(_) | Node::Num(_) | Node::Bool(_) => true,
            Node::List(items) => items.iter().all(Node::is_literal),
            Node::Map(entries) => entries.iter().all(|(_, v)| v.is_literal()),
            _ => false,
        }
    }
}

/// A map under construction: `Props::new().set("A", x).opt("B", maybe)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Props(pub Vec<(Text, Node)>);

impl Props {
    pub fn new() -> Self {
        Props(Vec::new())
    }

    pub fn set(mut self, key: impl Into<Text>, value: Node) -> Self {
        self.put(key, value);
        self
    }

    pub fn opt(mut self, key: impl Into<Text>, value: Option<Node>) -> Self {
        if let Some(v) = value {
            self.put(key, v);
        }
        self
    }

    /// Insert or replace `key` (a replaced key keeps its position).
    pub fn put(&mut self, key: impl Into<Text>, value: Node) {
        let key = key.into();
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            self.0.push((key, value));
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn node(self) -> Node {
        Node::Map(self.0)
    }
}

impl From<Props> for Node {
    fn from(p: Props) -> Node {
        p.node()
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// Every map entry holds a key and a node: at a million entries each byte here is a
    /// megabyte of peak memory.
    #[test]
    fn a_map_entry_stays_small() {
        assert_eq!(std::mem::size_of::<Node>(), 32);
        assert_eq!(std::mem::size_of::<(Text, Node)>(), 56);
    }
}
