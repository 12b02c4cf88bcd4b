//! Names, URLs and IDs of existing resources (`queue jobs from "arn:…"`), derived from their
//! ARN at compile time: the template then carries plain strings instead of `Fn::Split`.

use super::ctx::Ctx;
use super::tree::Node;
use super::values::join;
use crate::model::{Attr, DeployStr, Kind, Pseudo, Value};

use crate::arn::parse as parse_arn;

/// The last `/`- or `:`-separated part: the fallback name when an ARN has an unknown shape.
fn last_part(s: &str) -> &str {
    s.rsplit(['/', ':']).next().unwrap_or(s)
}

/// The resource name inside an ARN of the given kind.
pub fn name(kind: Kind, arn: &str) -> String {
    let Some(a) = parse_arn(arn) else {
        return last_part(arn).to_string();
    };
    let r = a.resource;
    let name = match kind {
        // table/NAME or table/NAME/stream/LABEL
        Kind::Table => r
            .strip_prefix("table/")
            .map(|t| t.split('/').next().unwrap_or(t)),
        Kind::Stream => r.strip_prefix("stream/"),
        Kind::Bus => r.strip_prefix("event-bus/"),
        Kind::Api | Kind::Auth => r
            .strip_prefix("/apis/")
            .map(|t| t.split('/').next().unwrap_or(t)),
        Kind::Function => r
            .strip_prefix("function:")
            .map(|t| t.split(':').next().unwrap_or(t)),
        Kind::Capacity => r.strip_prefix("capacity-provider:"),
        Kind::Layer => r
            .strip_prefix("layer:")
            .map(|t| t.split(':').next().unwrap_or(t)),
        Kind::Queue | Kind::Topic | Kind::Bucket => Some(r),
        Kind::Secret => r.strip_prefix("secret:"),
        Kind::Parameter => {
            return r
                .strip_prefix("parameter")
                .map_or_else(|| last_part(r).to_string(), parameter_name)
        }
        // key/ID, or alias/NAME as a whole (KMS takes either as a key id).
        Kind::Key => r.strip_prefix("key/").or(Some(r)),
        // cluster/NAME/UUID
        Kind::Cluster => r
            .strip_prefix("cluster/")
            .map(|t| t.split('/').next().unwrap_or(t)),
        Kind::Resource => None,
    };
    name.unwrap_or_else(|| last_part(r)).to_string()
}

/// ARN-SSM-01: a parameter's name from what follows `parameter` in its ARN: `/app/db` is
/// the path `/app/db`; `/db`, the plain name `db`.
fn parameter_name(rest: &str) -> String {
    let bare = rest.strip_prefix('/').unwrap_or(rest);
    if bare.contains('/') {
        format!("/{bare}")
    } else {
        bare.to_string()
    }
}

/// The ARN of the table itself (an existing table may be given by its stream ARN).
pub fn table_arn(arn: &str) -> String {
    match arn.find("/stream/") {
        Some(i) => arn[..i].to_string(),
        None => arn.to_string(),
    }
}

/// An attribute of an existing resource. `None` when the ARN cannot provide it (the
/// stream of a table declared by its table ARN).
///
/// An ARN with deploy-time values in it (`arn:aws:sqs:${aws.region}:…`) is taken apart as
/// text like a literal one, each such value standing in it as one character of its own,
/// and the pieces come back as text, `Ref`s and `Fn::Join`s. That needs the fields before
/// the resource to be known apart: pseudo-parameters never contain `:`, and parameters
/// and attributes are taken to be part of the resource when they come after the fifth `:`.
/// Otherwise (`"${param.queue_arn}"`) the ARN is taken apart when the stack is deployed
/// (`Fn::Split` / `Fn::Select`).
pub fn attr(cx: &Ctx, kind: Kind, arn: &DeployStr, attr: Attr) -> Option<Node> {
    let marked = Marked::new(cx, arn);
    if !marked.fields_known() {
        return Some(deploy_time_attr(kind, cx.text(arn), attr));
    }
    Some(marked.unmark(literal_attr(kind, &marked.text, attr)?))
}

/// The stream ARN of an existing table: the ARN itself when it is a stream ARN, or may be
/// one (a parameter in it).
pub fn table_stream_arn(cx: &Ctx, arn: &DeployStr) -> Option<Node> {
    (arn.contains("/stream/") || arn.has_unknown_text()).then(|| cx.text(arn))
}

/// [`attr`] of an ARN known as text.
fn literal_attr(kind: Kind, arn: &str, attr: Attr) -> Option<Node> {
    let parsed = parse_arn(arn);
    let region = parsed.as_ref().map_or("", |a| a.region);
    let account = parsed.as_ref().map_or("", |a| a.account);
    Some(match (kind, attr) {
        (Kind::Table, Attr::Arn) => Node::str(table_arn(arn)),
        (Kind::Table, Attr::StreamArn) => {
            Node::str(crate::arn::is_table_stream(arn).then(|| arn.to_string())?)
        }
        (_, Attr::Arn) => Node::str(arn.to_string()),
        (Kind::Api | Kind::Key, Attr::Id) | (_, Attr::Name) => Node::str(name(kind, arn)),
        // The domain suffix differs per partition (amazonaws.com.cn), hence the Sub.
        (Kind::Queue, Attr::Url) => Node::sub(format!(
            "https://sqs.{region}.${{AWS::URLSuffix}}/{account}/{}",
            name(kind, arn)
        )),
        (Kind::Api, Attr::Url) => Node::sub(format!(
            "https://{}.execute-api.{region}.${{AWS::URLSuffix}}",
            name(kind, arn)
        )),
        _ => return None,
    })
}

/// [`attr`] of an ARN known only at deploy time: its fields picked out by `Fn::Select`.
fn deploy_time_attr(kind: Kind, arn: Node, attr: Attr) -> Node {
    let field = |i: u32| Node::Select(i, Box::new(Node::split(":", arn.clone())));
    // table/NAME[/stream/LABEL] and stream/NAME: the name follows the first `/`.
    let after_slash = |i: u32| Node::Select(i, Box::new(Node::split("/", arn.clone())));
    let name = || match kind {
        Kind::Table | Kind::Stream | Kind::Bus | Kind::Cluster => after_slash(1),
        Kind::Function | Kind::Layer | Kind::Capacity => field(6),
        // An API's id ends at the first `/` of the resource (…:ID/stage/…).
        Kind::Api | Kind::Auth => Node::Select(0, Box::new(Node::split("/", field(5)))),
        Kind::Queue | Kind::Topic | Kind::Bucket => field(5),
        // …:parameter/app/db → /app/db (a path: the common case when it is deploy-time).
        Kind::Parameter => Node::Select(1, Box::new(Node::split(":parameter", arn.clone()))),
        // …:key/ID → ID
        Kind::Key => Node::Select(1, Box::new(Node::split("/", field(5)))),
        Kind::Secret | Kind::Resource => field(5),
    };
    let suffix = Node::ref_(Pseudo::UrlSuffix.cfn_name());
    match (kind, attr) {
        // arn:…:table/NAME, without a /stream/LABEL after it.
        (Kind::Table, Attr::Arn) => Node::join("/", vec![after_slash(0), after_slash(1)]),
        (_, Attr::Arn) | (Kind::Table, Attr::StreamArn) => arn,
        (Kind::Queue, Attr::Url) => join(vec![
            Node::str("https://sqs."),
            field(3),
            Node::str("."),
            suffix,
            Node::str("/"),
            field(4),
            Node::str("/"),
            name(),
        ]),
        (Kind::Api, Attr::Url) => join(vec![
            Node::str("https://"),
            name(),
            Node::str(".execute-api."),
            field(3),
            Node::str("."),
            suffix,
        ]),
        _ => name(),
    }
}

/// The first private-use character: the `k`-th deploy-time part of an ARN stands in its
/// text as the character `MARK + k` while the ARN is taken apart.
const MARK: u32 = 0xE000;

/// An ARN as text, its deploy-time parts as marks.
struct Marked {
    text: String,
    /// What each mark stands for.
    nodes: Vec<Node>,
    /// Marks of parameters and attributes (text that can be anything).
    unknown: Vec<char>,
}

impl Marked {
    fn new(cx: &Ctx, arn: &DeployStr) -> Self {
        let mut m = Marked {
            text: String::new(),
            nodes: Vec::new(),
            unknown: Vec::new(),
        };
        for part in arn.parts() {
            if let Value::Str(t) = part {
                m.text.push_str(t);
                continue;
            }
            let mark = char::from_u32(MARK + m.nodes.len() as u32).unwrap_or('\u{E000}');
            if !matches!(part, Value::Pseudo(_)) {
                m.unknown.push(mark);
            }
            m.text.push(mark);
            m.nodes.push(cx.string_value(part));
        }
        m
    }

    /// Whether the fields before the resource are known apart: no parameter or attribute
    /// comes before the fifth `:`.
    fn fields_known(&self) -> bool {
        let mut colons = 0;
        for c in self.text.chars() {
            if colons >= 5 {
                return true;
            }
            if c == ':' {
                colons += 1;
            } else if self.unknown.contains(&c) {
                return false;
            }
        }
        true
    }

    fn node_of(&self, c: char) -> Option<&Node> {
        let k = (c as u32).checked_sub(MARK)?;
        self.nodes.get(k as usize)
    }

    /// A node computed from the marked text back to text and intrinsics.
    fn unmark(&self, node: Node) -> Node {
        match node {
            Node::Str(text) => self.pieces(&text),
            Node::Sub(text) => self.unmark_sub(&text),
            other => other,
        }
    }

    /// Marked text as text, `Ref`s and `Fn::Join`s.
    fn pieces(&self, text: &str) -> Node {
        let mut parts = Vec::new();
        let mut lit = String::new();
        for c in text.chars() {
            match self.node_of(c) {
                Some(node) => {
                    if !lit.is_empty() {
                        parts.push(Node::str(std::mem::take(&mut lit)));
                    }
                    parts.push(node.clone());
                }
                None => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Node::str(lit));
        }
        join(parts)
    }

    /// Marked `Fn::Sub` text (whose only variable is `${AWS::URLSuffix}`): still a `Fn::Sub`
    /// when every mark is a pseudo-parameter, else a `Fn::Join`.
    fn unmark_sub(&self, text: &str) -> Node {
        const SUFFIX: &str = "${AWS::URLSuffix}";
        if self.unknown.is_empty() {
            let sub = text
                .chars()
                .map(|c| match self.node_of(c) {
                    Some(Node::Ref(id)) => format!("${{{id}}}"),
                    _ => c.to_string(),
                })
                .collect::<String>();
            return Node::sub(sub);
        }
        let mut parts = Vec::new();
        for (i, piece) in text.split(SUFFIX).enumerate() {
            if i > 0 {
                parts.push(Node::ref_(Pseudo::UrlSuffix.cfn_name()));
            }
            parts.push(self.pieces(piece));
        }
        join(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_arn() {
        assert_eq!(
            name(Kind::Queue, "arn:aws:sqs:us-east-1:123456789012:jobs"),
            "jobs"
        );
        assert_eq!(name(Kind::Bucket, "arn:aws:s3:::my-bucket"), "my-bucket");
        assert_eq!(
            name(Kind::Table, "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"),
            "orders"
        );
        assert_eq!(
            name(
                Kind::Stream,
                "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"
            ),
            "clicks"
        );
        assert_eq!(
            name(Kind::Api, "arn:aws:apigateway:us-east-1::/apis/a1b2c3"),
            "a1b2c3"
        );
        assert_eq!(name(Kind::Queue, "garbage/x"), "x");
        let ssm = "arn:aws:ssm:us-east-1:123456789012:parameter";
        assert_eq!(name(Kind::Parameter, &format!("{ssm}/app/db")), "/app/db");
        assert_eq!(name(Kind::Parameter, &format!("{ssm}/db")), "db");
        let kms = "arn:aws:kms:us-east-1:123456789012";
        assert_eq!(name(Kind::Key, &format!("{kms}:key/1234abcd")), "1234abcd");
        assert_eq!(name(Kind::Key, &format!("{kms}:alias/data")), "alias/data");
    }

    #[test]
    fn queue_url_is_built_at_compile_time() {
        let url = literal_attr(
            Kind::Queue,
            "arn:aws:sqs:us-east-1:123456789012:jobs",
            Attr::Url,
        );
        assert_eq!(
            url,
            Some(Node::Sub(
                "https://sqs.us-east-1.${AWS::URLSuffix}/123456789012/jobs".into()
            ))
        );
        assert_eq!(
            literal_attr(
                Kind::Table,
                "arn:aws:dynamodb:us-east-1:123456789012:table/t",
                Attr::StreamArn
            ),
            None
        );
    }
}
