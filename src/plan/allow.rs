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
            condition: None,
        });
    }
    if !star.is_empty() {
        out.push(Statement {
            actions: star,
            resources: vec![Node::str("*")],
            condition: None,
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
        Kind::Secret => vec![secret_arn(cx, target).unwrap_or(arn)],
        // Never an `allow` target (E0202).
        Kind::Auth => Vec::new(),
        Kind::Queue
        | Kind::Topic
        | Kind::Stream
        | Kind::Bus
        | Kind::Layer
        | Kind::Capacity
        | Kind::Parameter
        | Kind::Key
        | Kind::Resource
        | Kind::Cluster => {
            vec![arn]
        }
    }
}

/// ARN-SM-01: a secret declared by its ARN without the `-` and six random characters
/// Secrets Manager appends names no secret in a policy; `NAME-??????` matches exactly
/// those six characters (the pattern the Secrets Manager guide recommends), where
/// `NAME-*` would also match other secrets whose names start with `NAME-`.
pub(super) fn secret_arn(cx: &Ctx, target: &ResRef) -> Option<Node> {
    let declared = cx.model.resource(target)?;
    let crate::model::Origin::Existing { arn } = &declared.origin else {
        return None;
    };
    let text = arn.value.as_literal()?;
    let name = text.rsplit_once(":secret:")?.1;
    (!has_random_suffix(name)).then(|| Node::str(format!("{text}-??????")))
}

/// Whether a secret's name part ends with `-` and six letters or digits.
fn has_random_suffix(name: &str) -> bool {
    name.rsplit_once('-').is_some_and(|(base, tail)| {
        !base.is_empty() && tail.len() == 6 && tail.chars().all(|c| c.is_ascii_alphanumeric())
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_name_without_its_random_characters_is_partial() {
        assert!(has_random_suffix("db-AbCdEf"));
        assert!(has_random_suffix("prod/db-a1b2c3"));
        assert!(!has_random_suffix("db"));
        assert!(!has_random_suffix("prod/db"));
        assert!(!has_random_suffix("db-long-name"));
    }
}
