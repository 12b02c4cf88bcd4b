//! The typed property tree of a planned stack: plain values plus CloudFormation intrinsics.
//!
//! Maps keep the order their keys were inserted in; every builder in `plan` inserts keys in
//! a fixed order, so the emitted text never depends on hashing.

/// One node of a property tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Str(String),
    /// A number as its exact decimal text (`"5"`, `"0.7"`), emitted as a JSON number.
    Num(String),
    Bool(bool),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
    /// `{ "Ref": "LogicalId" }` (also pseudo parameters such as `AWS::AccountId`).
    Ref(String),
    /// `{ "Fn::GetAtt": ["LogicalId", "Attribute"] }`
    GetAtt(String, String),
    /// `{ "Fn::Sub": "text with ${Refs}" }`
    Sub(String),
    /// `{ "Fn::Join": [separator, parts] }`
    Join(String, Vec<Node>),
    /// `{ "Fn::Select": [index, list] }`
    Select(u32, Box<Node>),
    /// `{ "Fn::Split": [separator, text] }`
    Split(String, Box<Node>),
}

impl Node {
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    pub fn int(n: u64) -> Node {
        Node::Num(n.to_string())
    }

    /// A float as the shortest decimal text that reads back as the same value; whole values
    /// are written without a fraction (`5`, not `5.0`).
    pub fn float(x: f64) -> Node {
        if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
            Node::Num(format!("{}", x as i64))
        } else if x.is_finite() {
            Node::Num(format!("{x}"))
        } else {
            Node::Num("0".to_string())
        }
    }

    pub fn ref_(id: impl Into<String>) -> Node {
        Node::Ref(id.into())
    }

    pub fn get_att(id: impl Into<String>, attr: impl Into<String>) -> Node {
        Node::GetAtt(id.into(), attr.into())
    }

    pub fn sub(s: impl Into<String>) -> Node {
        Node::Sub(s.into())
    }

    pub fn list_of_str<I, S>(items: I) -> Node
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
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
pub struct Props(pub Vec<(String, Node)>);

impl Props {
    pub fn new() -> Self {
        Props(Vec::new())
    }

    pub fn set(mut self, key: &str, value: Node) -> Self {
        self.put(key, value);
        self
    }

    pub fn opt(mut self, key: &str, value: Option<Node>) -> Self {
        if let Some(v) = value {
            self.put(key, v);
        }
        self
    }

    /// Insert or replace `key` (a replaced key keeps its position).
    pub fn put(&mut self, key: &str, value: Node) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
        } else {
            self.0.push((key.to_string(), value));
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
