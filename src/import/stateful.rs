//! What lamc's stateful resources (queue, topic, bucket, table, stream) share: a fixed
//! `name`, `retain` (the resource's `DeletionPolicy`), `kms` and `tags`, and a table's
//! `pitr`.

use serde_json::{Map, Value};

use super::convert;
use super::resources::{is_true, kind_of, shown, Writer};
use crate::model::Kind;

/// Whether declarations of `kind` take `name`, `retain` and `tags`.
pub fn takes_options(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Queue | Kind::Topic | Kind::Bucket | Kind::Table | Kind::Stream
    )
}

/// `DeletionPolicy: Retain` (with `UpdateReplacePolicy` `Retain` or absent) on a resource
/// that becomes a declaration taking `retain = true`, which writes both.
pub fn retained(res: &Value) -> bool {
    let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
    let policy = |k: &str| res.get(k).and_then(Value::as_str);
    kind_of(ty).is_some_and(takes_options)
        && policy("DeletionPolicy") == Some("Retain")
        && matches!(policy("UpdateReplacePolicy"), None | Some("Retain"))
}

/// `name`, `kms`, `pitr` and `tags` from the properties of a resource of type `ty`.
pub fn options(w: &mut Writer, ty: &str, props: &Map<String, Value>) {
    kms(w, ty, props);
    w.took("PointInTimeRecoverySpecification");
    if let Some(p) = props.get("PointInTimeRecoverySpecification") {
        if p.get("PointInTimeRecoveryEnabled").is_some_and(is_true) {
            w.line("pitr = true".into());
        }
        if p.as_object().is_some_and(|m| m.len() > 1) {
            w.skip(format!("PointInTimeRecoverySpecification ({})", shown(p)));
        }
    }
    w.took("Tags");
    if let Some(t) = props.get("Tags") {
        convert::tag_pairs(w, t, "Tags");
    }
}

/// The KMS key a queue, topic, table or stream is encrypted with: `KmsMasterKeyId` (SQS,
/// SNS), `SSESpecification.KMSMasterKeyId` (DynamoDB), `StreamEncryption.KeyId` (Kinesis).
fn kms(w: &mut Writer, ty: &str, props: &Map<String, Value>) {
    let (key, at): (&'static str, &[&str]) = match ty {
        "AWS::SQS::Queue" | "AWS::SNS::Topic" => ("KmsMasterKeyId", &[]),
        "AWS::DynamoDB::Table" => ("SSESpecification", &["KMSMasterKeyId"]),
        "AWS::Kinesis::Stream" => ("StreamEncryption", &["KeyId"]),
        _ => return,
    };
    w.took(key);
    let Some(spec) = props.get(key) else { return };
    let id = at.iter().try_fold(spec, |v, k| v.get(*k));
    match id.map(|v| w.scope.expr(v)) {
        Some(Ok(e)) => w.line(format!("kms = {e}")),
        Some(Err(why)) => w.skip(format!("{key} ({why})")),
        // DynamoDB's `SSEEnabled` without a key: the AWS managed key.
        None if spec.get("SSEEnabled").is_some_and(is_true) => {
            w.line("kms = \"alias/aws/dynamodb\"".into())
        }
        None if ty == "AWS::DynamoDB::Table" => {}
        None => w.skip(format!("{key} ({})", shown(spec))),
    }
}
