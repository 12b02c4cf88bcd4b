//! SAM `Policies` and IAM statements as `allow` lines.
//!
//! A SAM policy template (`DynamoDBCrudPolicy: { TableName: !Ref Orders }`) becomes one
//! `allow` line with the actions the template grants, on the resource its parameter
//! names; an inline statement whose resources are declarations of the program becomes
//! one `allow` line per declaration. The actions are those of aws-sam-translator 1.115.0's
//! `policy_templates.json` (docs/aws-facts.md, SAM-POL-01). Anything else (managed policies,
//! `"*"` resources, resources outside the program, `Deny`, conditions) is kept as a
//! comment: lamc scopes each permission to a declaration.

use serde_json::Value;

use super::intrinsics::{Scope, Target};
use super::write::{self, Member, Notes};
use crate::model::Kind;

/// A SAM policy template: its name, the parameter that names the resource, the kind of
/// that resource and the actions it grants.
pub struct Template {
    pub name: &'static str,
    pub param: &'static str,
    pub kind: Kind,
    pub actions: &'static [&'static str],
}

const fn tpl(
    name: &'static str,
    param: &'static str,
    kind: Kind,
    actions: &'static [&'static str],
) -> Template {
    Template {
        name,
        param,
        kind,
        actions,
    }
}

/// SAM-POL-01: the policy templates on the resource kinds lamc declares. SQSPollerPolicy also
/// lists `sqs:ChangeMessageVisibilityBatch` and `sqs:DeleteMessageBatch`, which are not IAM
/// actions (IAM authorizes SQS's batch calls through the single ones; cfn-lint W3037): they
/// are left out.
pub const TEMPLATES: &[Template] = &[
    tpl(
        "SQSPollerPolicy",
        "QueueName",
        Kind::Queue,
        &[
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ],
    ),
    tpl(
        "SQSSendMessagePolicy",
        "QueueName",
        Kind::Queue,
        &["sqs:SendMessage*"],
    ),
    tpl(
        "DynamoDBCrudPolicy",
        "TableName",
        Kind::Table,
        &[
            "dynamodb:GetItem",
            "dynamodb:DeleteItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem",
            "dynamodb:DescribeTable",
            "dynamodb:ConditionCheckItem",
        ],
    ),
    tpl(
        "DynamoDBReadPolicy",
        "TableName",
        Kind::Table,
        &[
            "dynamodb:GetItem",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:BatchGetItem",
            "dynamodb:DescribeTable",
        ],
    ),
    tpl(
        "DynamoDBWritePolicy",
        "TableName",
        Kind::Table,
        &[
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
        ],
    ),
    tpl(
        "DynamoDBReconfigurePolicy",
        "TableName",
        Kind::Table,
        &["dynamodb:UpdateTable"],
    ),
    tpl(
        "DynamoDBStreamReadPolicy",
        "TableName",
        Kind::Table,
        &[
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        ],
    ),
    tpl(
        "S3ReadPolicy",
        "BucketName",
        Kind::Bucket,
        &[
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:GetLifecycleConfiguration",
        ],
    ),
    tpl(
        "S3CrudPolicy",
        "BucketName",
        Kind::Bucket,
        &[
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:DeleteObject",
        ],
    ),
    tpl(
        "S3WritePolicy",
        "BucketName",
        Kind::Bucket,
        &[
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:PutLifecycleConfiguration",
        ],
    ),
    tpl(
        "S3FullAccessPolicy",
        "BucketName",
        Kind::Bucket,
        &[
            "s3:GetObject",
            "s3:GetObjectAcl",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:DeleteObject",
            "s3:DeleteObjectTagging",
            "s3:DeleteObjectVersionTagging",
            "s3:GetObjectTagging",
            "s3:GetObjectVersionTagging",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
        ],
    ),
    tpl(
        "SNSPublishMessagePolicy",
        "TopicName",
        Kind::Topic,
        &["sns:Publish"],
    ),
    tpl(
        "SNSCrudPolicy",
        "TopicName",
        Kind::Topic,
        &[
            "sns:ListSubscriptionsByTopic",
            "sns:CreateTopic",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:Publish",
        ],
    ),
    tpl(
        "KinesisStreamReadPolicy",
        "StreamName",
        Kind::Stream,
        &[
            "kinesis:ListStreams",
            "kinesis:DescribeLimits",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
        ],
    ),
    tpl(
        "KinesisCrudPolicy",
        "StreamName",
        Kind::Stream,
        &[
            "kinesis:AddTagsToStream",
            "kinesis:CreateStream",
            "kinesis:DecreaseStreamRetentionPeriod",
            "kinesis:DeleteStream",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetShardIterator",
            "kinesis:IncreaseStreamRetentionPeriod",
            "kinesis:ListTagsForStream",
            "kinesis:MergeShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords",
            "kinesis:SplitShard",
            "kinesis:RemoveTagsFromStream",
        ],
    ),
    tpl(
        "LambdaInvokePolicy",
        "FunctionName",
        Kind::Function,
        &["lambda:InvokeFunction"],
    ),
];

/// Managed policies whose permissions every lamc function's role has already: its own
/// log group (and X-Ray when `tracing = active`).
const IMPLIED: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess",
];

/// What the function's triggers give its role in lamc, which the original grants through
/// managed policies: an `on kafka` trigger the MSK access (`AWSLambdaMSKExecutionRole`,
/// MSK-AUTH), and one with `auth = secret.X` the reading and decrypting of that secret.
#[derive(Debug, Default)]
pub struct Given {
    kafka: bool,
    kafka_secret: bool,
}

impl Given {
    /// What the trigger lines `lines` (`on kafka cluster.x { … }`) give.
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a Member>) -> Given {
        let mut g = Given::default();
        for m in lines {
            let Member::Line(l) = m else { continue };
            if l.starts_with("on kafka ") {
                g.kafka = true;
                g.kafka_secret |= l.contains("auth = secret.");
            }
        }
        g
    }

    /// Why the managed policy `name` needs no line, if a trigger gives what it is for.
    pub fn says(&self, name: &str) -> Option<&'static str> {
        match name {
            "AWSLambdaMSKExecutionRole" if self.kafka => {
                Some("lamc gives it to the role of every `on kafka` function (MSK-AUTH)")
            }
            "SecretsManagerReadWrite" if self.kafka_secret => Some(
                "`on kafka … { auth = secret.NAME }` lets the role read that secret, and no other",
            ),
            "AWSKeyManagementServicePowerUser" if self.kafka_secret => Some(
                "`on kafka … { auth = secret.NAME }` lets the role decrypt that secret through Secrets Manager, and nothing else (MSK-AUTH)",
            ),
            _ => None,
        }
    }
}

/// `allow ACTIONS on TARGET`.
pub fn allow_line(actions: &[String], target: &Target) -> String {
    let list: Vec<String> = actions.iter().map(|a| write::string(a)).collect();
    format!("allow [{}] on {}", list.join(", "), target.path())
}

/// SAM's `Policies` (a name, a document, or a list of names, templates and documents).
pub fn sam_policies(
    v: &Value,
    scope: &Scope,
    given: &Given,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) {
    let items = match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    for (i, item) in items.iter().enumerate() {
        let at = format!("Policies[{i}]");
        match item {
            Value::String(name) if IMPLIED.contains(&name.as_str()) => {}
            Value::String(name) => match given.says(name) {
                Some(why) => out.push(Member::Comment(format!("{at}: {name}: {why}"))),
                None => notes.skip(out, format!("{at}: managed policy {name}")),
            },
            Value::Object(m) if m.contains_key("Statement") => {
                statements(
                    &m["Statement"],
                    &format!("{at}.Statement"),
                    scope,
                    notes,
                    out,
                );
            }
            Value::Object(m) if m.len() == 1 => {
                let (name, args) = m.iter().next().expect("one entry");
                policy_template(name, args, &at, scope, notes, out);
            }
            _ => notes.skip(out, format!("{at}: a policy lamc does not read")),
        }
    }
}

fn policy_template(
    name: &str,
    args: &Value,
    at: &str,
    scope: &Scope,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) {
    if let Some(t) = super::grants::EXISTING.iter().find(|t| t.name == name) {
        return existing_template(t, args, at, scope, notes, out);
    }
    let Some(t) = TEMPLATES.iter().find(|t| t.name == name) else {
        notes.skip(out, format!("{at}: policy template {name}"));
        return;
    };
    let target = args
        .get(t.param)
        .and_then(|v| scope.named(v))
        .filter(|target| target.kind == t.kind);
    match target {
        Some(target) => {
            let actions: Vec<String> = t.actions.iter().map(|a| a.to_string()).collect();
            out.push(Member::Line(allow_line(&actions, &target)));
        }
        None => notes.skip(
            out,
            format!(
                "{at}: {name} on a {} that is not in the program",
                t.kind.as_str()
            ),
        ),
    }
}

/// A policy template on a secret, parameter or key, declared beforehand (see
/// [`super::grants`]): its `allow` line, and a comment for what it grants on `"*"`.
fn existing_template(
    t: &super::grants::Existing,
    args: &Value,
    at: &str,
    scope: &Scope,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) {
    let target = t
        .arn(args)
        .and_then(|arn| scope.source(&arn))
        .filter(|target| target.kind == t.kind);
    let Some(target) = target else {
        let what = args.get(t.param).map(describe).unwrap_or_default();
        return notes.skip(
            out,
            format!(
                "{at}: {} on {what} (a {} lamc cannot name)",
                t.name,
                t.kind.as_str()
            ),
        );
    };
    let actions: Vec<String> = t.actions.iter().map(|a| a.to_string()).collect();
    out.push(Member::Line(allow_line(&actions, &target)));
    for a in t.on_star {
        notes.skip(
            out,
            format!(
                "{at}: {} also grants {a} on \"*\" (lamc scopes each permission to a resource)",
                t.name
            ),
        );
    }
}

/// IAM statements (a statement or a list): `allow` lines for the resources the program
/// declares, comments for the rest.
pub fn statements(v: &Value, at: &str, scope: &Scope, notes: &mut Notes, out: &mut Vec<Member>) {
    let list = match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    for (i, s) in list.iter().enumerate() {
        statement(s, &format!("{at}[{i}]"), scope, notes, out);
    }
}

/// The log actions every role lamc writes has, on its function's log group.
const LOG_WRITES: &[&str] = &[
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
];

fn statement(s: &Value, at: &str, scope: &Scope, notes: &mut Notes, out: &mut Vec<Member>) {
    let effect = s.get("Effect").and_then(Value::as_str).unwrap_or("Allow");
    if effect != "Allow" || s.get("Condition").is_some() || s.get("NotAction").is_some() {
        notes.skip(
            out,
            format!("{at}: a {effect} statement with conditions lamc does not write"),
        );
        return;
    }
    let actions = actions(s);
    if actions.is_empty() {
        notes.skip(
            out,
            format!("{at}: a statement without actions lamc can read"),
        );
        return;
    }
    if actions.iter().all(|a| LOG_WRITES.contains(&a.as_str())) {
        // Not a permission to carry: lamc's role writes the function's own log group.
        out.push(Member::Comment(format!(
            "{at}: {}: every lamc role writes its function's logs",
            actions.join(", ")
        )));
        return;
    }
    let resources = match s.get("Resource") {
        Some(Value::Array(items)) => items.clone(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    };
    let mut targets: Vec<Target> = Vec::new();
    let mut arns: Vec<String> = Vec::new();
    let mut outside = Vec::new();
    for r in &resources {
        match scope.source(r).filter(|t| grantable(t, &actions, r, scope)) {
            Some(t) if !targets.contains(&t) => targets.push(t),
            Some(_) => {}
            None => match arn_string(&actions, r, scope) {
                Some(arn) if !arns.contains(&arn) => arns.push(arn),
                Some(_) => {}
                None => outside.push(describe(r)),
            },
        }
    }
    for t in &targets {
        out.push(Member::Line(allow_line(&actions, t)));
    }
    for arn in &arns {
        let list: Vec<String> = actions.iter().map(|a| write::string(a)).collect();
        out.push(Member::Line(format!(
            "allow [{}] on {arn}",
            list.join(", ")
        )));
    }
    if !outside.is_empty() {
        notes.skip(
            out,
            format!("{at}: {} on {}", actions.join(", "), outside.join(", ")),
        );
    }
}

/// A statement's actions, each with its service prefix in lower case.
pub fn actions(s: &Value) -> Vec<String> {
    strings(s.get("Action")).iter().map(|a| action(a)).collect()
}

/// Whether `actions` may be allowed on `t`: always on lamc's own kinds (the plan scopes them
/// to the declaration's ARNs); on an existing secret, parameter or key, as on its ARN.
fn grantable(t: &Target, actions: &[String], r: &Value, scope: &Scope) -> bool {
    if !matches!(t.kind, Kind::Secret | Kind::Parameter | Kind::Key) {
        return true;
    }
    scope
        .parts(r)
        .is_ok_and(|parts| super::grants::arn_allowed(actions, &parts))
}

/// `"arn:…"` for a resource that no declaration stands for, when lamc accepts the actions
/// on it (see [`super::grants::arn_allowed`]).
fn arn_string(actions: &[String], r: &Value, scope: &Scope) -> Option<String> {
    let parts = scope.parts(r).ok()?;
    super::grants::arn_allowed(actions, &parts)
        .then(|| super::convert::quoted(&super::intrinsics::render(&parts)))
}

/// An action with its service prefix in lower case: IAM compares prefixes case-insensitively
/// (`DynamoDB:PutItem` is `dynamodb:PutItem`), lamc as written.
fn action(a: &str) -> String {
    match a.split_once(':') {
        Some((prefix, name)) => format!("{}:{name}", prefix.to_ascii_lowercase()),
        None => a.to_string(),
    }
}

/// An IAM resource as it is shown in a comment.
fn describe(r: &Value) -> String {
    match r {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A string or a list of strings.
pub fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testkit::declared;
    use serde_json::json;

    fn scope() -> Scope {
        declared(&[
            ("Jobs", Kind::Queue, "jobs"),
            ("Orders", Kind::Table, "orders"),
            ("Files", Kind::Bucket, "files"),
        ])
    }

    fn lines(policies: Value) -> (Vec<Member>, Vec<String>) {
        let mut notes = Notes::default();
        let mut out = Vec::new();
        sam_policies(&policies, &scope(), &Given::default(), &mut notes, &mut out);
        (out, notes.skipped)
    }

    #[test]
    fn policy_templates_grant_their_actions_on_the_resource() {
        let (out, skipped) = lines(json!([
            {"SQSPollerPolicy": {"QueueName": {"Fn::GetAtt": ["Jobs", "QueueName"]}}},
            {"DynamoDBReadPolicy": {"TableName": {"Ref": "Orders"}}},
            {"S3ReadPolicy": {"BucketName": {"Ref": "Files"}}},
            "AWSLambdaBasicExecutionRole",
        ]));
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[1],
            Member::Line("allow [\"dynamodb:GetItem\", \"dynamodb:Scan\", \"dynamodb:Query\", \"dynamodb:BatchGetItem\", \"dynamodb:DescribeTable\"] on table.orders".into())
        );
        assert!(
            matches!(&out[0], Member::Line(l) if l.contains("\"sqs:ReceiveMessage\"") && l.ends_with("on queue.jobs"))
        );
        assert!(
            matches!(&out[2], Member::Line(l) if l.starts_with("allow [\"s3:GetObject\"") && l.ends_with("on bucket.files"))
        );
    }

    #[test]
    fn templates_on_other_resources_and_unknown_ones_are_kept_as_comments() {
        let (out, skipped) = lines(json!([
            {"SQSPollerPolicy": {"QueueName": "someone-elses-queue"}},
            {"DynamoDBCrudPolicy": {"TableName": {"Ref": "Jobs"}}},
            {"SSMParameterReadPolicy": {"ParameterName": "x"}},
            "AmazonS3FullAccess",
        ]));
        assert_eq!(skipped.len(), 4);
        assert!(out.iter().all(|m| matches!(m, Member::Comment(_))));
    }

    #[test]
    fn statements_become_allow_lines_per_declaration() {
        let (out, skipped) = lines(json!({"Statement": [{
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": [{"Fn::Sub": "${Files.Arn}/*"}, {"Fn::GetAtt": ["Files", "Arn"]}, "arn:aws:s3:::other/*"],
        }, {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}));
        assert_eq!(
            out[0],
            Member::Line("allow [\"s3:GetObject\", \"s3:PutObject\"] on bucket.files".into())
        );
        // An ARN outside the program, where the actions apply: the ARN itself.
        assert_eq!(
            out[1],
            Member::Line(
                "allow [\"s3:GetObject\", \"s3:PutObject\"] on \"arn:aws:s3:::other/*\"".into()
            )
        );
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].contains("Deny"));
    }

    #[test]
    fn log_writes_are_the_role_lamc_writes() {
        let (out, skipped) = lines(json!({"Statement": [{
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "arn:aws:logs:*:*:*",
        }, {
            "Effect": "Allow",
            "Action": ["logs:PutLogEvents", "s3:GetObject"],
            "Resource": "arn:aws:logs:*:*:*",
        }]}));
        assert!(
            matches!(&out[0], Member::Comment(c) if c.contains("every lamc role writes its function's logs")),
            "{out:?}"
        );
        // A statement that grants more than log writes is still reported.
        assert_eq!(skipped.len(), 1, "{skipped:?}");
    }

    #[test]
    fn templates_on_existing_secrets_parameters_and_keys_name_their_declaration() {
        let mut scope = scope();
        let mut decls = Vec::new();
        let policies = json!([
            {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}},
            {"SSMParameterReadPolicy": {"ParameterName": "app/config"}},
            {"KMSDecryptPolicy": {"KeyId": {"Ref": "Unknown"}}},
        ]);
        super::super::grants::declare_in_policies(&policies, &mut scope, &mut decls);
        assert_eq!(decls.len(), 2, "{decls:?}");
        let mut notes = Notes::default();
        let mut out = Vec::new();
        sam_policies(&policies, &scope, &Given::default(), &mut notes, &mut out);
        assert_eq!(
            out[0],
            Member::Line("allow [\"secretsmanager:GetSecretValue\"] on secret.db".into())
        );
        assert_eq!(
            out[1],
            Member::Line("allow [\"ssm:GetParameters\", \"ssm:GetParameter\", \"ssm:GetParametersByPath\"] on parameter.config".into())
        );
        assert_eq!(
            notes.skipped,
            [
                "Policies[1]: SSMParameterReadPolicy also grants ssm:DescribeParameters on \"*\" (lamc scopes each permission to a resource)",
                "Policies[2]: KMSDecryptPolicy on {\"Ref\":\"Unknown\"} (a key lamc cannot name)",
            ]
        );
    }
}
