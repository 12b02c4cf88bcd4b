//! `allow ACTIONS on TARGET`: the actions on exactly the ARNs they apply to. Actions that
//! support no resource-level permission (IAM-SAR-02, W0564) get a statement of their own
//! on `"*"`, as IAM requires; the others stay scoped to the target.

use super::ctx::Ctx;
use super::iam::{self, Statement};
use super::tree::{Node, Text};
use crate::iam::Verdict;
use crate::model::{AllowRule, AllowTarget, Kind, ResRef};

/// The statements of one `allow` line: the scoped one, then the one on `"*"`.
pub fn statements(cx: &Ctx, rule: &AllowRule) -> Vec<Statement> {
    let (star, scoped): (Vec<Text>, Vec<Text>) = rule
        .actions
        .iter()
        .map(|a| Text::Owned(a.value.clone()))
        .partition(|a| only_star(a));
    let mut out = Vec::new();
    if !scoped.is_empty() {
        let resources = match &rule.target.value {
            AllowTarget::Arn(arn) => vec![cx.text(arn)],
            AllowTarget::Ref(r) => declared(cx, r, &scoped),
        };
        out.push(Statement {
            actions: scoped,
            resources,
        });
    }
    if !star.is_empty() {
        out.push(Statement {
            actions: star,
            resources: vec![Node::str("*")],
        });
    }
    out
}

/// An action the reference lists without any resource type: only `"*"` grants it.
fn only_star(action: &str) -> bool {
    crate::iam::judge(action, &[]) == Verdict::OnlyStar
}

/// The ARNs of a declaration that `actions` need.
fn declared(cx: &Ctx, target: &ResRef, actions: &[Text]) -> Vec<Node> {
    let arn = cx.arn(target);
    match target.kind {
        Kind::Bucket => {
            let (mut bucket, mut objects) = (false, false);
            for a in actions {
                match s3_action_level(a) {
                    S3Level::Bucket => bucket = true,
                    S3Level::Object => objects = true,
                    S3Level::Both => (bucket, objects) = (true, true),
                }
            }
            let mut r = Vec::new();
            if bucket {
                r.push(arn.clone());
            }
            if objects {
                r.push(iam::objects(&arn));
            }
            r
        }
        Kind::Table => {
            let mut r = Vec::new();
            let stream = |a: &Text| is_ddb_stream_action(a);
            if actions.iter().any(|a| !stream(a)) {
                r.push(arn.clone());
            }
            if actions.iter().any(|a| stream(a) || a.contains('*')) {
                r.push(super::values::join(vec![
                    arn.clone(),
                    Node::str("/stream/*"),
                ]));
            }
            r
        }
        Kind::Function => vec![arn.clone(), super::values::join(vec![arn, Node::str(":*")])],
        Kind::Api => {
            let id = cx.attr(target, crate::model::Attr::Id);
            vec![super::values::execute_api_arn(id, "/*")]
        }
        Kind::Queue
        | Kind::Topic
        | Kind::Stream
        | Kind::Secret
        | Kind::Parameter
        | Kind::Key
        | Kind::Resource => vec![arn],
    }
}

enum S3Level {
    Bucket,
    Object,
    Both,
}

/// Which ARN an S3 action applies to: object actions need `bucket/*`, bucket actions the
/// bucket itself; wildcards may match either.
fn s3_action_level(action: &str) -> S3Level {
    let a = action.strip_prefix("s3:").unwrap_or(action);
    if a.contains('*') {
        S3Level::Both
    } else if a.contains("Object") || a == "AbortMultipartUpload" || a == "ListMultipartUploadParts"
    {
        S3Level::Object
    } else {
        S3Level::Bucket
    }
}

fn is_ddb_stream_action(action: &str) -> bool {
    matches!(
        action,
        "dynamodb:DescribeStream" | "dynamodb:GetRecords" | "dynamodb:GetShardIterator"
    )
}
