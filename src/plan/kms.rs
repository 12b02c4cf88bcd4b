//! The KMS permissions a function needs for a resource encrypted with a key the program
//! chose (`kms = "…"`), added to its role next to the statement that uses the resource.
//!
//! - Reading a queue, a stream or a table's stream through an event source mapping:
//!   `kms:Decrypt` (SQS-KMS, SEC-02, DDB-SSE).
//! - Writing to it (`allow … on`, a destination, a dead-letter target): `kms:Decrypt`
//!   and `kms:GenerateDataKey`, what SQS, SNS and Kinesis producers need (SQS-KMS,
//!   SNS-KMS, SEC-02); `kms:Decrypt` also covers an `allow` that reads.
//! - An AWS managed key (`alias/aws/…`) needs nothing: its key policy lets every principal
//!   of the account use it through its service.
//!
//! IAM scopes key operations by the key's ARN, never by an alias's (IAM-SAR-01). A key
//! named by its ID or ARN is granted by that ARN; one named by an alias is granted on the
//! keys of the alias's account and region that carry the alias (`kms:ResourceAliases`).
//! A key given as a parameter is taken to be a key ARN.

use super::ctx::Ctx;
use super::iam::Statement;
use super::tree::{Node, Props};
use crate::kms::{self, KeyRef};
use crate::model::{DeployStr, Kind, Origin, ResRef, Value};

/// The key's permissions for `function` reading `source` through an event source mapping.
pub fn reader(cx: &mut Ctx, function: &str, source: &ResRef) {
    grant(cx, function, source, &["kms:Decrypt"]);
}

/// MSK-SCRAM: Amazon MSK signs in only with secrets encrypted under a customer managed
/// key, which lamc does not know of an existing secret; Secrets Manager decrypts it with
/// the reader's own `kms:Decrypt`. Granted on the keys of the stack's account and region
/// (where a secret's key must be, SM-KMS), only through Secrets Manager and only for this
/// secret (its encryption context), so that no other use of any key is allowed.
pub fn secret_reader(cx: &mut Ctx, function: &str, secret_arn: Node) {
    const KEYS: &str = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*";
    let via = Props::new()
        .set(
            "kms:ViaService",
            Node::sub("secretsmanager.${AWS::Region}.amazonaws.com".to_string()),
        )
        .node();
    // StringLike: a secret named without its random suffix is granted as `NAME-??????`.
    let secret = Props::new()
        .set("kms:EncryptionContext:SecretARN", secret_arn)
        .node();
    let condition = Props::new()
        .set("StringEquals", via)
        .set("StringLike", secret)
        .node();
    let st = Statement::new(&["kms:Decrypt"], vec![Node::sub(KEYS.to_string())]).when(condition);
    cx.statement(function, st);
}

/// The key's permissions for `function` writing to (or reading) `target`.
pub fn writer(cx: &mut Ctx, function: &str, target: &ResRef) {
    if matches!(
        target.kind,
        Kind::Queue | Kind::Topic | Kind::Stream | Kind::Table
    ) {
        grant(
            cx,
            function,
            target,
            &["kms:Decrypt", "kms:GenerateDataKey"],
        );
    }
}

fn grant(cx: &mut Ctx, function: &str, r: &ResRef, actions: &[&'static str]) {
    let Some(key) = customer_key(cx, r) else {
        return;
    };
    let st = statement(cx, &key, actions);
    cx.statement(function, st);
}

/// The key `r` was given, unless it is an AWS managed one (or `r` exists already, whose
/// key lamc does not know).
fn customer_key(cx: &Ctx, r: &ResRef) -> Option<DeployStr> {
    let declared = cx.resource(r)?;
    if !matches!(declared.origin, Origin::Created(_)) {
        return None;
    }
    let key = &declared.options.kms.as_ref()?.value;
    let (known, _) = key.known_prefix();
    if kms::is_aws_managed(&known) {
        return None;
    }
    Some(key.clone())
}

/// `actions` on the key `key` names.
fn statement(cx: &Ctx, key: &DeployStr, actions: &[&'static str]) -> Statement {
    const KEYS: &str = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/";
    let shape = key.as_literal().and_then(|text| kms::parse(text).ok());
    match shape {
        // A key ID holds no `${`: it is plain text in the Sub.
        Some(KeyRef::Id) => {
            let id = key.as_literal().unwrap_or_default();
            Statement::new(actions, vec![Node::sub(format!("{KEYS}{id}"))])
        }
        Some(KeyRef::Alias(alias)) => {
            Statement::new(actions, vec![Node::sub(format!("{KEYS}*"))]).when(aliased(alias))
        }
        Some(KeyRef::AliasArn(alias)) => {
            let arn = key.as_literal().unwrap_or_default();
            let keys = format!("{}key/*", &arn[..arn.len() - alias.len()]);
            Statement::new(actions, vec![Node::str(keys)]).when(aliased(alias))
        }
        Some(KeyRef::Arn) => Statement::new(actions, vec![cx.text(key)]),
        None => deploy_time(cx, key, actions),
    }
}

/// A key with deploy-time parts: an alias ARN whose alias is literal
/// (`arn:aws:kms:${aws.region}:${aws.account_id}:alias/app`) becomes the keys of that
/// account and region with the alias; anything else is taken as the key's ARN.
fn deploy_time(cx: &Ctx, key: &DeployStr, actions: &[&'static str]) -> Statement {
    let parts = key.parts();
    if let Some((Value::Str(last), before)) = parts.split_last() {
        if let Some(at) = last.find(":alias/") {
            let alias = &last[at + 1..];
            if kms::parse(alias).is_ok() {
                let mut keys = before.to_vec();
                keys.push(Value::Str(format!("{}:key/*", &last[..at])));
                if let Some(keys) = DeployStr::from_value(Value::Concat(keys)) {
                    return Statement::new(actions, vec![cx.text(&keys)]).when(aliased(alias));
                }
            }
        }
    }
    Statement::new(actions, vec![cx.text(key)])
}

/// `{"ForAnyValue:StringEquals": {"kms:ResourceAliases": ALIAS}}`: only keys that carry
/// the alias.
fn aliased(alias: &str) -> Node {
    Props::new()
        .set(
            "ForAnyValue:StringEquals",
            Props::new()
                .set("kms:ResourceAliases", Node::str(alias.to_string()))
                .node(),
        )
        .node()
}
