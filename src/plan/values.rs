//! `.lam` values and references → template nodes.

use super::ctx::Ctx;
use super::existing;
use super::known;
use super::tree::Node;
use crate::model::{Attr, DeployStr, Kind, ResRef, Value};

impl Ctx<'_> {
    /// `KIND.NAME.ATTR` → Ref / GetAtt for what the stack creates, a string for what exists,
    /// and the name lamc chose for a declaration it names (no reference, no dependency).
    pub fn attr(&self, target: &ResRef, attr: Attr) -> Node {
        if self.is_known(target) {
            if let Some(node) = self.known_attr(target, attr) {
                return node;
            }
        }
        if target.kind == Kind::Function {
            let Some(ids) = self.fn_ids(&target.name) else {
                return Node::str(target.name.clone());
            };
            return match (attr, &ids.url) {
                (Attr::Name, _) => Node::ref_(&ids.function),
                (Attr::Url, Some(url)) => Node::get_att(url, "FunctionUrl"),
                (Attr::Role, _) => Node::get_att(&ids.role, "Arn"),
                _ => Node::get_att(&ids.function, "Arn"),
            };
        }
        if let Some(id) = self.res_id(target) {
            // A name the program wrote as text is that text: no reference needed.
            if let (Attr::Name, Some(name)) = (attr, self.given_literal_name(target)) {
                return Node::str(name.to_string());
            }
            return created_attr(target.kind, id, attr);
        }
        if let Some(arn) = self.existing_arn(target) {
            return existing::attr(self, target.kind, arn, attr).unwrap_or_else(|| self.text(arn));
        }
        Node::str(target.to_string())
    }

    /// The name or ARN of a bucket or function that lamc names; `None` for attributes only
    /// the resource itself can give (a function URL).
    fn known_attr(&self, target: &ResRef, attr: Attr) -> Option<Node> {
        match (target.kind, attr) {
            // A bucket the program named keeps its name (see `resources::bucket`).
            (Kind::Bucket, Attr::Name) => Some(
                self.given_name(target)
                    .unwrap_or_else(|| known::bucket_name(&target.name)),
            ),
            (Kind::Bucket, _) => Some(match self.given_name(target) {
                // S3-NAME: a valid name holds no `${`, so it is plain text in the Sub.
                Some(Node::Str(name)) => Node::sub(format!("arn:${{AWS::Partition}}:s3:::{name}")),
                Some(name) => join(vec![Node::sub("arn:${AWS::Partition}:s3:::"), name]),
                None => known::bucket_arn(&target.name),
            }),
            (Kind::Function, Attr::Name | Attr::Arn) => {
                let given = self.given_function_name(&target.name);
                Some(if attr == Attr::Name {
                    known::function_name(&target.name, given)
                } else {
                    known::function_arn(&target.name, given)
                })
            }
            _ => None,
        }
    }

    /// The `name` a created resource declares, as text or deploy-time values.
    fn given_name(&self, target: &ResRef) -> Option<Node> {
        let name = self.resource(target)?.options.name.as_ref()?;
        Some(self.text(&name.value))
    }

    /// The `name` a created resource declares, when it is text alone.
    fn given_literal_name(&self, target: &ResRef) -> Option<&str> {
        self.resource(target)?
            .options
            .name
            .as_ref()?
            .value
            .as_literal()
    }

    /// The `name` a function declares, as text or deploy-time values.
    pub fn given_function_name(&self, function: &str) -> Option<Node> {
        self.model
            .functions
            .iter()
            .find(|f| f.name.value == function)
            .and_then(|f| f.function_name.as_ref())
            .map(|n| self.text(&n.value))
    }

    /// The ARN of a declaration (what IAM statements and destinations name).
    pub fn arn(&self, target: &ResRef) -> Node {
        self.attr(target, Attr::Arn)
    }

    /// A value where CloudFormation expects a string (environment, tags, outputs).
    pub fn string_value(&self, v: &Value) -> Node {
        match v {
            Value::Str(s) | Value::Number(s) => Node::str(s.clone()),
            Value::Bool(b) => Node::str(if *b { "true" } else { "false" }),
            Value::List(_) | Value::Map(_) => self.json_text(v),
            Value::Attr { target, attr } => self.attr(target, *attr),
            Value::Param(p) if self.is_list_param(p) => joined_list(self.param_ref(p)),
            Value::Param(p) => self.param_ref(p),
            Value::Pseudo(p) => Node::ref_(p.cfn_name()),
            Value::Concat(parts) => join(parts.iter().map(|p| self.string_value(p)).collect()),
        }
    }

    /// A string that may hold deploy-time values: text, a `Ref` or a `Fn::Join`.
    pub fn text(&self, t: &DeployStr) -> Node {
        self.string_value(t.value())
    }

    /// A value where CloudFormation expects JSON (SNS filter policies).
    pub fn json_value(&self, v: &Value) -> Node {
        match v {
            Value::Str(s) => Node::str(s.clone()),
            Value::Number(n) => Node::Num(n.clone().into()),
            Value::Bool(b) => Node::Bool(*b),
            Value::List(items) => Node::List(items.iter().map(|i| self.json_value(i)).collect()),
            Value::Map(entries) => Node::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone().into(), self.json_value(v)))
                    .collect(),
            ),
            Value::Attr { .. } | Value::Param(_) | Value::Pseudo(_) | Value::Concat(_) => {
                self.string_value(v)
            }
        }
    }

    /// A value as JSON *text* (a schedule's `Input`): a plain string when everything is
    /// known at compile time, else a `Fn::Join` of text and intrinsics.
    pub fn json_text(&self, v: &Value) -> Node {
        let mut parts = Vec::new();
        self.write_json(v, &mut parts);
        join(parts)
    }

    fn write_json(&self, v: &Value, out: &mut Vec<Node>) {
        match v {
            Value::Str(s) => out.push(Node::str(quote_json(s))),
            Value::Number(n) => out.push(Node::str(n.clone())),
            Value::Bool(b) => out.push(Node::str(if *b { "true" } else { "false" })),
            Value::List(items) => {
                out.push(Node::str("["));
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(Node::str(","));
                    }
                    self.write_json(item, out);
                }
                out.push(Node::str("]"));
            }
            Value::Map(entries) => {
                out.push(Node::str("{"));
                for (i, (k, item)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(Node::str(","));
                    }
                    out.push(Node::str(format!("{}:", quote_json(k))));
                    self.write_json(item, out);
                }
                out.push(Node::str("}"));
            }
            // Names, ARNs and parameter values carry no quotes or backslashes.
            Value::Attr { .. } | Value::Param(_) | Value::Pseudo(_) | Value::Concat(_) => {
                out.push(Node::str("\""));
                out.push(self.string_value(v));
                out.push(Node::str("\""));
            }
        }
    }

    pub fn param_ref(&self, name: &str) -> Node {
        Node::ref_(self.params.get(name).map_or(name, String::as_str))
    }

    /// Whether `name` is a `list`, `subnets` or `security_groups` parameter.
    fn is_list_param(&self, name: &str) -> bool {
        self.model
            .params
            .iter()
            .any(|p| p.name.value == name && p.ty.is_list())
    }

    /// A list of strings that may hold deploy-time values, where CloudFormation takes a
    /// list: a list parameter (the checker allows one only as the whole list) is its `Ref`,
    /// which is a list already (CFN-P1).
    pub fn text_list<'v>(&self, items: impl IntoIterator<Item = &'v DeployStr>) -> Node {
        let items: Vec<&DeployStr> = items.into_iter().collect();
        if let [only] = items[..] {
            if let Value::Param(p) = only.value() {
                if self.is_list_param(p) {
                    return self.param_ref(p);
                }
            }
        }
        Node::List(items.into_iter().map(|t| self.text(t)).collect())
    }
}

/// A list (a list parameter's `Ref`) as one string, its items joined with commas: what
/// CloudFormation splits it from (CFN-P1). `Fn::Join` takes the list itself, not a list
/// of parts, so this is written as the raw function.
pub fn joined_list(list: Node) -> Node {
    Node::Map(vec![(
        "Fn::Join".into(),
        Node::List(vec![Node::str(","), list]),
    )])
}

/// The attribute of a resource this stack creates.
pub fn created_attr(kind: Kind, id: &str, attr: Attr) -> Node {
    match (kind, attr) {
        (Kind::Queue, Attr::Name) => Node::get_att(id, "QueueName"),
        (Kind::Queue, Attr::Url) => Node::ref_(id),
        (Kind::Topic, Attr::Name) => Node::get_att(id, "TopicName"),
        (Kind::Topic, _) => Node::ref_(id),
        (Kind::Table, Attr::StreamArn) => Node::get_att(id, "StreamArn"),
        (Kind::Api, Attr::Url) => Node::get_att(id, "ApiEndpoint"),
        (Kind::Api, _) => Node::ref_(id),
        // A layer version's Ref is its ARN; it has no `Arn` attribute.
        (Kind::Layer, _) => Node::ref_(id),
        (_, Attr::Name) => Node::ref_(id),
        _ => Node::get_att(id, "Arn"),
    }
}

/// `arn:…:execute-api:REGION:ACCOUNT:API` + `suffix`, as one `Fn::Sub` when the API is
/// created by this stack.
pub fn execute_api_arn(api_id: Node, suffix: &str) -> Node {
    const PREFIX: &str = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:";
    match api_id {
        Node::Ref(id) => Node::sub(format!("{PREFIX}${{{id}}}{suffix}")),
        Node::Str(id) => Node::sub(format!("{PREFIX}{id}{suffix}")),
        other => join(vec![
            Node::sub(PREFIX),
            other,
            Node::str(suffix.to_string()),
        ]),
    }
}

/// Concatenate string nodes: adjacent literals merge; one literal stays a plain string.
pub fn join(parts: Vec<Node>) -> Node {
    fn push(merged: &mut Vec<Node>, p: Node) {
        match (merged.last_mut(), p) {
            (Some(Node::Str(acc)), Node::Str(s)) => acc.to_mut().push_str(&s),
            (_, p) => merged.push(p),
        }
    }
    let mut merged: Vec<Node> = Vec::new();
    for p in parts {
        match p {
            // A join of joins is one join, its literals merged across the seams.
            Node::Join(j) if j.0.is_empty() => j.1.into_iter().for_each(|q| push(&mut merged, q)),
            p => push(&mut merged, p),
        }
    }
    match merged.len() {
        0 => Node::str(""),
        1 => merged.pop().unwrap_or_else(|| Node::str("")),
        _ => Node::join("", merged),
    }
}

/// A string as a JSON string literal.
pub fn quote_json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_merges_literals() {
        assert_eq!(join(vec![Node::str("a"), Node::str("b")]), Node::str("ab"));
        assert_eq!(
            join(vec![
                Node::str("a"),
                Node::ref_("X"),
                Node::str("b"),
                Node::str("c")
            ]),
            Node::join("", vec![Node::str("a"), Node::ref_("X"), Node::str("bc")])
        );
        assert_eq!(join(vec![]), Node::str(""));
    }
}
