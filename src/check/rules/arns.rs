//! ARN shapes: existing resources (`queue q from "arn:…"`) and layer ARNs (FN-12, FN-13).

use crate::model::{DeployStr, Kind};

use crate::arn::parse;

fn partition_ok(p: &str) -> bool {
    // aws, aws-cn, aws-us-gov, aws-iso-b, …
    p == "aws"
        || p.strip_prefix("aws-").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
        })
}

fn region_ok(r: &str) -> bool {
    // us-east-1, eu-central-2, us-gov-west-1
    let words: Vec<&str> = r.split('-').collect();
    words.len() >= 3
        && words.iter().all(|w| !w.is_empty())
        && words[..words.len() - 1]
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        && words[words.len() - 1].chars().all(|c| c.is_ascii_digit())
}

fn account_ok(a: &str) -> bool {
    a.len() == 12 && a.chars().all(|c| c.is_ascii_digit())
}

fn chars_ok(s: &str, min: usize, max: usize, extra: &[char]) -> bool {
    (min..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// Why an ARN's region or account field is malformed, or `None` (every regional ARN
/// the rules read carries both).
fn region_account_problem(a: &crate::arn::Arn<'_>) -> Option<String> {
    if !region_ok(a.region) {
        return Some(format!("`{}` is not a region", a.region));
    }
    if !account_ok(a.account) {
        return Some(format!("`{}` is not a 12-digit account id", a.account));
    }
    None
}

/// The service an existing resource of this kind lives in.
pub(crate) fn service_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Queue => "sqs",
        Kind::Topic => "sns",
        Kind::Bucket => "s3",
        Kind::Table => "dynamodb",
        Kind::Stream => "kinesis",
        Kind::Api | Kind::Auth => "execute-api",
        Kind::Bus => "events",
        Kind::Layer | Kind::Capacity | Kind::Function => "lambda",
        Kind::Secret => "secretsmanager",
        Kind::Parameter => "ssm",
        Kind::Key => "kms",
        Kind::Cluster => "kafka",
        // Any service.
        Kind::Resource => "",
    }
}

/// An example of the expected shape, for help lines.
pub(crate) fn example_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Queue => "arn:aws:sqs:us-east-1:123456789012:orders",
        Kind::Topic => "arn:aws:sns:us-east-1:123456789012:events",
        Kind::Bucket => "arn:aws:s3:::my-bucket",
        Kind::Table => "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
        Kind::Stream => "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
        Kind::Api | Kind::Auth => "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5",
        Kind::Bus => "arn:aws:events:us-east-1:123456789012:event-bus/orders",
        Kind::Function => "arn:aws:lambda:us-east-1:123456789012:function:resize",
        Kind::Layer => "arn:aws:lambda:us-east-1:123456789012:layer:deps:3",
        Kind::Capacity => "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet",
        Kind::Secret => "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        Kind::Parameter => "arn:aws:ssm:us-east-1:123456789012:parameter/app/db_host",
        Kind::Key => "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-0123-0123-0123456789ab",
        Kind::Resource => "arn:aws:states:us-east-1:123456789012:stateMachine:orders",
        Kind::Cluster => "arn:aws:kafka:us-east-1:123456789012:cluster/orders/0123abcd-0123-0123-0123-0123456789ab-1",
    }
}

/// Why `arn` is not a well-formed ARN for `kind`, or `None` when it is.
pub(crate) fn resource_arn_problem(kind: Kind, arn: &str) -> Option<String> {
    let Some(a) = parse(arn) else {
        return Some("not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)".into());
    };
    if kind == Kind::Resource {
        return any_service_problem(&a);
    }
    let want = service_for(kind);
    if a.service != want {
        return Some(format!(
            "this is an ARN for `{}`, a {} needs one for `{want}`",
            a.service,
            kind.as_str()
        ));
    }
    if !partition_ok(a.partition) {
        return Some(format!("`{}` is not an AWS partition", a.partition));
    }
    if kind == Kind::Bucket {
        // S3 bucket ARNs carry neither region nor account (PM-07).
        if !a.region.is_empty() || !a.account.is_empty() {
            return Some("bucket ARNs have no region or account: arn:aws:s3:::NAME".into());
        }
        // Bucket names: 3–63 lowercase letters, digits, dots and hyphens (FN-16 S3Bucket).
        let ok = chars_ok(a.resource, 3, 63, &['.', '-'])
            && !a.resource.chars().any(|c| c.is_ascii_uppercase());
        return (!ok).then(|| format!("`{}` is not a valid bucket name", a.resource));
    }
    if let Some(problem) = region_account_problem(&a) {
        return Some(problem);
    }
    let r = a.resource;
    let ok = match kind {
        // SQS-07: ≤80 chars of [A-Za-z0-9_-], FIFO names end in `.fifo` (counted).
        Kind::Queue => {
            let base = r.strip_suffix(".fifo").unwrap_or(r);
            r.len() <= 80 && chars_ok(base, 1, 80, &['_', '-'])
        }
        // SNS-01: ≤256 chars.
        Kind::Topic => {
            let base = r.strip_suffix(".fifo").unwrap_or(r);
            r.len() <= 256 && chars_ok(base, 1, 256, &['_', '-'])
        }
        // table/NAME or its stream table/NAME/stream/LABEL (DDB-02).
        Kind::Table => match r.strip_prefix("table/") {
            Some(rest) => {
                let name = rest.split('/').next().unwrap_or("");
                let tail: Vec<&str> = rest.split('/').skip(1).collect();
                chars_ok(name, 3, 255, &['_', '.', '-'])
                    && (tail.is_empty()
                        || (tail.len() == 2 && tail[0] == "stream" && !tail[1].is_empty()))
            }
            None => false,
        },
        // KIN-01: stream/NAME, 1–128 of [A-Za-z0-9_.-].
        Kind::Stream => r
            .strip_prefix("stream/")
            .is_some_and(|n| chars_ok(n, 1, 128, &['_', '.', '-'])),
        // API id, optionally followed by /stage/method/path (PM-08).
        Kind::Api | Kind::Auth => {
            let id = r.split('/').next().unwrap_or("");
            chars_ok(id, 1, 64, &[])
        }
        // EVB-01: event-bus/NAME, 1–256 of [A-Za-z0-9/._-] (a partner bus has `/`).
        Kind::Bus => r
            .strip_prefix("event-bus/")
            .is_some_and(|n| chars_ok(n, 1, 256, &['/', '_', '.', '-'])),
        Kind::Bucket | Kind::Resource => true,
        // ARN-SM-01: `secret:NAME` (the name may carry Secrets Manager's `-` and six characters).
        Kind::Secret => r.strip_prefix("secret:").is_some_and(|n| !n.is_empty()),
        // ARN-SSM-01: `parameter/NAME`, the name's own leading `/` not repeated.
        Kind::Parameter => r
            .strip_prefix("parameter/")
            .is_some_and(|n| !n.is_empty() && !n.starts_with('/')),
        // ARN-KMS-01: `key/ID` or `alias/NAME`.
        Kind::Key => ["key/", "alias/"]
            .iter()
            .any(|p| r.strip_prefix(p).is_some_and(|n| !n.is_empty())),
        // MSK-ARN: `cluster/NAME/UUID`, the name of letters, digits and `-`.
        Kind::Cluster => cluster_arn_ok(r),
        // FN-01
        Kind::Function => r
            .strip_prefix("function:")
            .map(|n| n.split(':').next().unwrap_or(""))
            .is_some_and(|n| chars_ok(n, 1, 64, &['_', '-'])),
        // FN-12: a layer version, layer:NAME:VERSION.
        Kind::Layer => layer_arn_problem(arn).is_none(),
        // LMI-01: capacity-provider:NAME of `[A-Za-z0-9_-]`, the whole ARN ≤ 140.
        Kind::Capacity => {
            arn.len() <= 140
                && r.strip_prefix("capacity-provider:")
                    .is_some_and(|n| chars_ok(n, 1, 140, &['_', '-']))
        }
    };
    (!ok).then(|| match kind {
        Kind::Parameter if r.starts_with("parameter//") => {
            "the ARN of parameter `/a/b` is `…:parameter/a/b`, with one `/`".to_string()
        }
        _ => format!("`{r}` is not a valid {} resource part", kind.as_str()),
    })
}

/// MSK-ARN: an MSK cluster's resource part, `cluster/NAME/UUID`: a name of 1–64 letters,
/// digits and `-` that starts with a letter or digit, then the cluster's generated id.
fn cluster_arn_ok(r: &str) -> bool {
    let mut parts = r.split('/');
    let (Some("cluster"), Some(name), Some(id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    chars_ok(name, 1, 64, &['-']) && !name.starts_with('-') && chars_ok(id, 1, 128, &['-'])
}

/// A `resource NAME from "arn…"` of any service: the ARN's fields, as far as every
/// service's ARNs share them (IAM and S3 have no region, AWS-managed ARNs no account).
fn any_service_problem(a: &crate::arn::Arn<'_>) -> Option<String> {
    if !partition_ok(a.partition) {
        return Some(format!("`{}` is not an AWS partition", a.partition));
    }
    let service_ok = !a.service.is_empty()
        && a.service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !service_ok {
        return Some(format!("`{}` is not a service", a.service));
    }
    if !a.region.is_empty() && !region_ok(a.region) {
        return Some(format!("`{}` is not a region", a.region));
    }
    a.resource
        .is_empty()
        .then(|| "the resource part after the account is empty".to_string())
}

/// Why the text of `allow … on "…"` is not an ARN, or `None`. `known` is its text up to
/// the first parameter or attribute (pseudo-parameters as values of their shape);
/// `whole` says it is all of it.
pub(crate) fn allow_arn_problem(known: &str, whole: bool) -> Option<String> {
    if whole {
        let a = parse(known);
        return match a {
            Some(a) => any_service_problem(&a),
            None => Some("an ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE".into()),
        };
    }
    if !"arn:".starts_with(known) && !known.starts_with("arn:") {
        return Some("an ARN starts with `arn:`".into());
    }
    known_fields_problem(known, "", false)
}

/// [`resource_arn_problem`] for an ARN that may hold deploy-time values: pseudo-parameters
/// are checked as values of their shape; with a parameter or an attribute in it, only the
/// fields before that part are checked (that part may be anything, colons included).
pub(crate) fn resource_arn_text_problem(kind: Kind, arn: &DeployStr) -> Option<String> {
    match arn.known_prefix() {
        (text, true) => resource_arn_problem(kind, &text),
        (prefix, false) => known_fields_problem(&prefix, service_for(kind), kind == Kind::Bucket),
    }
}

/// [`layer_arn_problem`] for a layer ARN that may hold deploy-time values.
pub(crate) fn layer_arn_text_problem(arn: &DeployStr) -> Option<String> {
    match arn.known_prefix() {
        (text, true) => layer_arn_problem(&text),
        (prefix, false) => known_fields_problem(&prefix, "lambda", false),
    }
}

/// Problems in the fields of `arn:PARTITION:SERVICE:REGION:ACCOUNT:` that `prefix` holds
/// entirely (the text after its last `:` is only the start of a field). `global` services
/// (S3) have neither region nor account.
fn known_fields_problem(prefix: &str, service: &str, global: bool) -> Option<String> {
    let mut fields: Vec<&str> = prefix.split(':').collect();
    fields.pop();
    let field = |i: usize| fields.get(i).copied();
    if field(0).is_some_and(|f| f != "arn") {
        return Some("not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)".into());
    }
    if let Some(p) = field(1).filter(|p| !partition_ok(p)) {
        return Some(format!("`{p}` is not an AWS partition"));
    }
    if let Some(s) = field(2).filter(|s| !service.is_empty() && *s != service) {
        return Some(format!("this is an ARN for `{s}`, not `{service}`"));
    }
    let (region, account) = (field(3), field(4));
    if global {
        return (region.is_some_and(|r| !r.is_empty()) || account.is_some_and(|a| !a.is_empty()))
            .then(|| "bucket ARNs have no region or account: arn:aws:s3:::NAME".into());
    }
    if let Some(r) = region.filter(|r| !r.is_empty() && !region_ok(r)) {
        return Some(format!("`{r}` is not a region"));
    }
    if let Some(a) = account.filter(|a| !service.is_empty() && !a.is_empty() && !account_ok(a)) {
        return Some(format!("`{a}` is not a 12-digit account id"));
    }
    None
}

/// CSC-01: why a code signing configuration ARN is malformed, or `None`:
/// `arn:PARTITION:lambda:REGION:ACCOUNT:code-signing-config:csc-` and 17 of `a-z 0-9`.
pub(crate) fn code_signing_arn_problem(arn: &str) -> Option<String> {
    let Some(a) = parse(arn) else {
        return Some("not an ARN".into());
    };
    if a.service != "lambda" {
        return Some(format!(
            "a code signing configuration ARN is a `lambda` ARN, not `{}`",
            a.service
        ));
    }
    if !partition_ok(a.partition) {
        return Some(format!("`{}` is not an AWS partition", a.partition));
    }
    if let Some(problem) = region_account_problem(&a) {
        return Some(problem);
    }
    let id = a.resource.strip_prefix("code-signing-config:csc-");
    let ok = id.is_some_and(|id| {
        id.len() == 17
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    });
    (!ok).then(|| "expected `code-signing-config:csc-` and 17 lowercase letters or digits".into())
}

/// RTV-01: why a runtime version ARN is malformed, or `None`:
/// `arn:PARTITION:lambda:REGION::runtime:…` (no account), 26–2048 characters.
pub(crate) fn runtime_version_arn_problem(arn: &str) -> Option<String> {
    let Some(a) = parse(arn) else {
        return Some("not an ARN".into());
    };
    if a.service != "lambda" {
        return Some(format!(
            "a runtime version ARN is a `lambda` ARN, not `{}`",
            a.service
        ));
    }
    if !partition_ok(a.partition) {
        return Some(format!("`{}` is not an AWS partition", a.partition));
    }
    if !region_ok(a.region) {
        return Some(format!("`{}` is not a region", a.region));
    }
    if !a.account.is_empty() {
        return Some("a runtime version ARN has no account: `REGION::runtime:…`".into());
    }
    let ok = a
        .resource
        .strip_prefix("runtime:")
        .is_some_and(|v| !v.is_empty());
    if !ok {
        return Some("expected `runtime:` and the version's id".into());
    }
    (!(26..=2048).contains(&arn.len()))
        .then(|| "a runtime version ARN is 26–2048 characters".into())
}

/// [`runtime_version_arn_problem`] for an ARN that may hold deploy-time values.
pub(crate) fn runtime_version_arn_text_problem(arn: &DeployStr) -> Option<String> {
    match arn.known_prefix() {
        (text, true) => runtime_version_arn_problem(&text),
        (prefix, false) => {
            known_fields_problem(&prefix, "lambda", false).filter(|p| !p.contains("account id"))
        }
    }
}

/// [`code_signing_arn_problem`] for an ARN that may hold deploy-time values.
pub(crate) fn code_signing_arn_text_problem(arn: &DeployStr) -> Option<String> {
    match arn.known_prefix() {
        (text, true) => code_signing_arn_problem(&text),
        (prefix, false) => known_fields_problem(&prefix, "lambda", false),
    }
}

/// HAPI-06: why an ACM certificate ARN is malformed, or `None`:
/// `arn:PARTITION:acm:REGION:ACCOUNT:certificate/ID`.
pub(crate) fn certificate_arn_problem(arn: &str) -> Option<String> {
    let Some(a) = parse(arn) else {
        return Some("not an ARN (arn:PARTITION:acm:REGION:ACCOUNT:certificate/ID)".into());
    };
    if a.service != "acm" {
        return Some(format!(
            "this is an ARN for `{}`, a certificate's is for `acm`",
            a.service
        ));
    }
    if !partition_ok(a.partition) {
        return Some(format!("`{}` is not an AWS partition", a.partition));
    }
    if let Some(problem) = region_account_problem(&a) {
        return Some(problem);
    }
    let ok = a
        .resource
        .strip_prefix("certificate/")
        .is_some_and(|id| chars_ok(id, 1, 128, &['-']));
    (!ok).then(|| "expected `certificate/` and the certificate's id".into())
}

/// [`certificate_arn_problem`] for an ARN that may hold deploy-time values.
pub(crate) fn certificate_arn_text_problem(arn: &DeployStr) -> Option<String> {
    match arn.known_prefix() {
        (text, true) => certificate_arn_problem(&text),
        (prefix, false) => known_fields_problem(&prefix, "acm", false),
    }
}

/// FN-12 / FN-13: why a layer ARN is malformed, or `None`.
pub(crate) fn layer_arn_problem(arn: &str) -> Option<String> {
    let Some(a) = parse(arn) else {
        return Some("not an ARN".into());
    };
    if a.service != "lambda" {
        return Some(format!(
            "a layer ARN is a `lambda` ARN, not `{}`",
            a.service
        ));
    }
    if !partition_ok(a.partition) {
        return Some(format!("`{}` is not an AWS partition", a.partition));
    }
    // FN-13: ≤ 176 + len(partition) + len(region).
    if arn.len() > 176 + a.partition.len() + a.region.len() {
        return Some("layer ARN is too long".into());
    }
    // `arn:aws:lambda:::awslayer:NAME` (AWS-provided layers).
    if a.region.is_empty() && a.account.is_empty() {
        return match a.resource.strip_prefix("awslayer:") {
            Some(n) if chars_ok(n, 1, 140, &['_', '-']) => None,
            _ => Some("expected `layer:NAME:VERSION`".into()),
        };
    }
    if let Some(problem) = region_account_problem(&a) {
        return Some(problem);
    }
    let mut parts = a.resource.split(':');
    let ok = parts.next() == Some("layer")
        && parts
            .next()
            .is_some_and(|n| chars_ok(n, 1, 140, &['_', '-']))
        && parts
            .next()
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none();
    (!ok).then(|| "expected `layer:NAME:VERSION` with a numeric version".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_arns() {
        assert_eq!(
            resource_arn_problem(Kind::Queue, "arn:aws:sqs:us-east-1:123456789012:orders"),
            None
        );
        assert_eq!(
            resource_arn_problem(
                Kind::Queue,
                "arn:aws:sqs:us-east-1:123456789012:orders.fifo"
            ),
            None
        );
        assert!(
            resource_arn_problem(Kind::Queue, "arn:aws:sns:us-east-1:123456789012:orders")
                .is_some()
        );
        assert!(resource_arn_problem(Kind::Queue, "arn:aws:sqs:us-east-1:1234:orders").is_some());
        assert!(resource_arn_problem(Kind::Queue, "orders").is_some());
        assert_eq!(
            resource_arn_problem(Kind::Bucket, "arn:aws:s3:::my-bucket"),
            None
        );
        assert!(resource_arn_problem(Kind::Bucket, "arn:aws:s3:us-east-1::my-bucket").is_some());
        assert_eq!(
            resource_arn_problem(
                Kind::Table,
                "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"
            ),
            None
        );
        assert_eq!(
            resource_arn_problem(Kind::Table, "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"),
            None
        );
        assert!(resource_arn_problem(
            Kind::Table,
            "arn:aws:dynamodb:eu-west-1:123456789012:orders"
        )
        .is_some());
        assert_eq!(
            resource_arn_problem(
                Kind::Stream,
                "arn:aws-cn:kinesis:cn-north-1:123456789012:stream/clicks"
            ),
            None
        );
        assert_eq!(
            resource_arn_problem(
                Kind::Api,
                "arn:aws:execute-api:us-east-1:123456789012:a1b2c3"
            ),
            None
        );
        assert_eq!(
            resource_arn_problem(
                Kind::Topic,
                "arn:aws-us-gov:sns:us-gov-west-1:123456789012:t"
            ),
            None
        );
    }

    #[test]
    fn deploy_time_arns_are_checked_as_far_as_they_are_known() {
        use crate::model::{Pseudo, Value};
        let text =
            |parts: Vec<Value>| DeployStr::from_value(Value::Concat(parts)).expect("a string");
        let lit = |s: &str| Value::Str(s.into());
        let queue = text(vec![
            lit("arn:aws:sqs:"),
            Value::Pseudo(Pseudo::Region),
            lit(":"),
            Value::Pseudo(Pseudo::AccountId),
            lit(":jobs"),
        ]);
        assert_eq!(resource_arn_text_problem(Kind::Queue, &queue), None);
        // The account where the region belongs: a pseudo-parameter has its shape.
        let swapped = text(vec![
            lit("arn:aws:sqs:"),
            Value::Pseudo(Pseudo::AccountId),
            lit(":"),
            Value::Pseudo(Pseudo::Region),
            lit(":jobs"),
        ]);
        assert!(resource_arn_text_problem(Kind::Queue, &swapped).is_some());
        // A parameter may be anything: only what comes before it is checked.
        let by_param = text(vec![
            lit("arn:aws:sqs:us-east-1:123456789012:"),
            Value::Param("queue".into()),
        ]);
        assert_eq!(resource_arn_text_problem(Kind::Queue, &by_param), None);
        let wrong_service = text(vec![lit("arn:aws:sns:"), Value::Param("rest".into())]);
        assert_eq!(
            resource_arn_text_problem(Kind::Queue, &wrong_service).as_deref(),
            Some("this is an ARN for `sns`, not `sqs`")
        );
        let whole = DeployStr::from_value(Value::Param("arn".into())).expect("a string");
        assert_eq!(resource_arn_text_problem(Kind::Queue, &whole), None);
        let layer = text(vec![
            lit("arn:aws:lambda:"),
            Value::Pseudo(Pseudo::Region),
            lit(":580247275435:layer:LambdaInsightsExtension-Arm64:20"),
        ]);
        assert_eq!(layer_arn_text_problem(&layer), None);
        let bad_layer = text(vec![
            lit("arn:aws:lambda:"),
            Value::Pseudo(Pseudo::Region),
            lit(":5802:layer:x:20"),
        ]);
        assert!(layer_arn_text_problem(&bad_layer).is_some());
    }

    #[test]
    fn arns_of_other_services() {
        let ok = [
            (
                Kind::Secret,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            ),
            (
                Kind::Parameter,
                "arn:aws:ssm:us-east-1:123456789012:parameter/app/db",
            ),
            (
                Kind::Parameter,
                "arn:aws:ssm:us-east-1:123456789012:parameter/db",
            ),
            (Kind::Key, "arn:aws:kms:us-east-1:123456789012:key/1234abcd"),
            (Kind::Key, "arn:aws:kms:us-east-1:123456789012:alias/data"),
            (
                Kind::Resource,
                "arn:aws:states:us-east-1:123456789012:stateMachine:x",
            ),
            (Kind::Resource, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            (Kind::Resource, "arn:aws:s3:::bucket/key"),
            (
                Kind::Cluster,
                "arn:aws:kafka:us-east-1:123456789012:cluster/events/0123abcd-01ab-4c5d-9e8f-0123456789ab-1",
            ),
        ];
        for (kind, arn) in ok {
            assert_eq!(resource_arn_problem(kind, arn), None, "{arn}");
        }
        let bad = [
            (Kind::Secret, "arn:aws:ssm:us-east-1:123456789012:secret:db"),
            (
                Kind::Secret,
                "arn:aws:secretsmanager:us-east-1:123456789012:db",
            ),
            (
                Kind::Parameter,
                "arn:aws:ssm:us-east-1:123456789012:parameter//app/db",
            ),
            (Kind::Key, "arn:aws:kms:us-east-1:123456789012:keys/1234"),
            (Kind::Resource, "arn:aws:states:us-east-1:123456789012:"),
            (
                Kind::Resource,
                "arn:aws:Bad Service:us-east-1:123456789012:x",
            ),
            (Kind::Resource, "states:us-east-1"),
            // MSK-ARN: the UUID is part of it; a topic is not a cluster.
            (
                Kind::Cluster,
                "arn:aws:kafka:us-east-1:123456789012:cluster/events",
            ),
            (
                Kind::Cluster,
                "arn:aws:kafka:us-east-1:123456789012:topic/events/abc-1/orders",
            ),
            (
                Kind::Cluster,
                "arn:aws:kafka:us-east-1:123456789012:cluster/-x/abc-1",
            ),
            (
                Kind::Cluster,
                "arn:aws:msk:us-east-1:123456789012:cluster/events/abc-1",
            ),
        ];
        for (kind, arn) in bad {
            assert!(resource_arn_problem(kind, arn).is_some(), "{arn}");
        }
        assert!(resource_arn_problem(Kind::Parameter, bad[2].1)
            .is_some_and(|p| p.contains("with one `/`")));
        assert_eq!(
            allow_arn_problem("arn:aws:ssm:us-east-1:123456789012:parameter/x", true),
            None
        );
        assert!(allow_arn_problem("/app/x", true).is_some());
        assert!(allow_arn_problem("ssm/", false).is_some());
        assert_eq!(allow_arn_problem("arn:aws:ssm:", false), None);
        assert_eq!(allow_arn_problem("", false), None);
    }

    #[test]
    fn layer_arns() {
        assert_eq!(
            layer_arn_problem("arn:aws:lambda:us-east-1:123456789012:layer:deps:3"),
            None
        );
        assert!(layer_arn_problem("arn:aws:lambda:us-east-1:123456789012:layer:deps").is_some());
        assert!(
            layer_arn_problem("arn:aws:lambda:us-east-1:123456789012:layer:deps:latest").is_some()
        );
        assert!(layer_arn_problem("arn:aws:s3:::deps").is_some());
    }
}
