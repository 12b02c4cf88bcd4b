//! Names, URLs and IDs of existing resources (`queue jobs from "arn:…"`), derived from their
//! ARN at compile time: the template then carries plain strings instead of `Fn::Split`.

use super::tree::Node;
use crate::model::{Attr, Kind};

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
        Kind::Api => r
            .strip_prefix("/apis/")
            .map(|t| t.split('/').next().unwrap_or(t)),
        Kind::Function => r
            .strip_prefix("function:")
            .map(|t| t.split(':').next().unwrap_or(t)),
        Kind::Queue | Kind::Topic | Kind::Bucket => Some(r),
    };
    name.unwrap_or_else(|| last_part(r)).to_string()
}

/// The ARN of the table itself (an existing table may be given by its stream ARN).
pub fn table_arn(arn: &str) -> String {
    match arn.find("/stream/") {
        Some(i) => arn[..i].to_string(),
        None => arn.to_string(),
    }
}

/// The stream ARN of an existing table, when it was declared by its stream ARN.
pub fn table_stream_arn(arn: &str) -> Option<String> {
    crate::arn::is_table_stream(arn).then(|| arn.to_string())
}

/// An attribute of an existing resource. `None` when the ARN cannot provide it (the
/// stream of a table declared by its table ARN).
pub fn attr(kind: Kind, arn: &str, attr: Attr) -> Option<Node> {
    let parsed = parse_arn(arn);
    let region = parsed.as_ref().map_or("", |a| a.region);
    let account = parsed.as_ref().map_or("", |a| a.account);
    Some(match (kind, attr) {
        (Kind::Table, Attr::Arn) => Node::str(table_arn(arn)),
        (Kind::Table, Attr::StreamArn) => Node::str(table_stream_arn(arn)?),
        (_, Attr::Arn) => Node::str(arn.to_string()),
        (Kind::Api, Attr::Id) | (_, Attr::Name) => Node::str(name(kind, arn)),
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
    }

    #[test]
    fn queue_url_is_built_at_compile_time() {
        let url = attr(
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
            attr(
                Kind::Table,
                "arn:aws:dynamodb:us-east-1:123456789012:table/t",
                Attr::StreamArn
            ),
            None
        );
    }
}
