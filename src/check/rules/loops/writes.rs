//! Which IAM actions write to a source that can trigger a function, and which S3 events a
//! write to a bucket can cause.
//!
//! The actions are those the Service Authorization Reference classes as `Write` for each
//! service and that put data where a trigger reads it (IAM-WR-01); S3's event families
//! are its notification event names (S3-02).

use crate::iam::glob_matches;
use crate::model::Kind;

/// S3 event families, as bits: what a write can cause and what a trigger listens to.
pub(crate) type Events = u8;
pub(crate) const CREATED: Events = 1;
pub(crate) const REMOVED: Events = 1 << 1;
pub(crate) const RESTORED: Events = 1 << 2;
pub(crate) const TAGGING: Events = 1 << 3;
pub(crate) const ACL: Events = 1 << 4;
/// A write to something that is not a bucket: it feeds every trigger of its source.
pub(crate) const ANY: Events = u8::MAX;

/// S3-02: the event names by family (`s3:ObjectCreated:Put` is in `s3:ObjectCreated:`).
/// Families no function write causes (replication, lifecycle, …) are not listed: a
/// trigger on them is never fed by a function.
const S3_FAMILIES: &[(&str, Events)] = &[
    ("s3:ObjectCreated:", CREATED),
    ("s3:ObjectRemoved:", REMOVED),
    ("s3:ObjectRestore:", RESTORED),
    ("s3:ObjectTagging:", TAGGING),
    ("s3:ObjectAcl:", ACL),
];

/// The family of an S3 event name, as a trigger lists it.
pub(crate) fn s3_family(event: &str) -> Events {
    S3_FAMILIES
        .iter()
        .find(|(prefix, _)| event.starts_with(prefix))
        .map_or(0, |(_, bits)| *bits)
}

/// An action that writes to a source, the kind of resource it writes to, and for
/// buckets the events the write causes.
struct WriteAction {
    action: &'static str,
    kind: Kind,
    events: Events,
}

const fn w(action: &'static str, kind: Kind, events: Events) -> WriteAction {
    WriteAction {
        action,
        kind,
        events,
    }
}

/// IAM-WR-01. `sqs:SendMessage` also covers `SendMessageBatch`, `sns:Publish` covers
/// `PublishBatch`, and `s3:PutObject` covers copies and multipart uploads: those have
/// no action of their own.
const WRITE_ACTIONS: &[WriteAction] = &[
    w("sqs:SendMessage", Kind::Queue, ANY),
    w("sns:Publish", Kind::Topic, ANY),
    w("s3:PutObject", Kind::Bucket, CREATED),
    w("s3:DeleteObject", Kind::Bucket, REMOVED),
    w("s3:DeleteObjectVersion", Kind::Bucket, REMOVED),
    w("s3:RestoreObject", Kind::Bucket, RESTORED),
    w("s3:PutObjectTagging", Kind::Bucket, TAGGING),
    w("s3:PutObjectVersionTagging", Kind::Bucket, TAGGING),
    w("s3:DeleteObjectTagging", Kind::Bucket, TAGGING),
    w("s3:DeleteObjectVersionTagging", Kind::Bucket, TAGGING),
    w("s3:PutObjectAcl", Kind::Bucket, ACL),
    w("s3:PutObjectVersionAcl", Kind::Bucket, ACL),
    w("dynamodb:PutItem", Kind::Table, ANY),
    w("dynamodb:UpdateItem", Kind::Table, ANY),
    w("dynamodb:DeleteItem", Kind::Table, ANY),
    w("dynamodb:BatchWriteItem", Kind::Table, ANY),
    w("dynamodb:PartiQLInsert", Kind::Table, ANY),
    w("dynamodb:PartiQLUpdate", Kind::Table, ANY),
    w("dynamodb:PartiQLDelete", Kind::Table, ANY),
    w("kinesis:PutRecord", Kind::Stream, ANY),
    w("kinesis:PutRecords", Kind::Stream, ANY),
    w("lambda:InvokeFunction", Kind::Function, ANY),
    w("lambda:InvokeAsync", Kind::Function, ANY),
];

/// What `action` (maybe a wildcard such as `s3:Put*`) can write to a resource of `kind`:
/// the events it can cause and the first write action it covers, or `None` when it
/// writes nothing there. An action without a service prefix or with a wildcard in it is
/// an error of its own (E0443, E0444), not read here.
pub(crate) fn written_by(action: &str, kind: Kind) -> Option<(Events, &'static str)> {
    let (prefix, _) = action.split_once(':')?;
    if prefix.contains(['*', '?']) {
        return None;
    }
    let mut found: Option<(Events, &'static str)> = None;
    for write in WRITE_ACTIONS.iter().filter(|w| w.kind == kind) {
        if glob_matches(action, write.action) {
            let (events, first) = found.unwrap_or((0, write.action));
            found = Some((events | write.events, first));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_actions_match_whatever_their_case() {
        assert_eq!(
            written_by("sqs:SendMessage", Kind::Queue),
            Some((ANY, "sqs:SendMessage"))
        );
        assert!(written_by("SQS:sendmessage", Kind::Queue).is_some());
        assert_eq!(written_by("sqs:ReceiveMessage", Kind::Queue), None);
        assert_eq!(written_by("sqs:SendMessage", Kind::Topic), None);
    }

    #[test]
    fn wildcards_cover_the_writes_they_match() {
        assert_eq!(
            written_by("sqs:Send*", Kind::Queue),
            Some((ANY, "sqs:SendMessage"))
        );
        let (events, first) = written_by("s3:*", Kind::Bucket).unwrap_or_default();
        assert_eq!(first, "s3:PutObject");
        assert_eq!(events, CREATED | REMOVED | RESTORED | TAGGING | ACL);
        let (events, _) = written_by("s3:Put*", Kind::Bucket).unwrap_or_default();
        assert_eq!(events, CREATED | TAGGING | ACL);
        assert_eq!(written_by("s3:Get*", Kind::Bucket), None);
        assert!(written_by("kinesis:PutRecord?", Kind::Stream).is_some());
        assert!(written_by("dynamodb:*Item", Kind::Table).is_some());
        assert_eq!(written_by("dynamodb:Get*", Kind::Table), None);
    }

    #[test]
    fn errors_of_their_own_are_not_read() {
        assert_eq!(written_by("*", Kind::Queue), None);
        assert_eq!(written_by("*:*", Kind::Queue), None);
        assert_eq!(written_by("SendMessage", Kind::Queue), None);
    }

    #[test]
    fn deletes_cause_removals_only() {
        assert_eq!(
            written_by("s3:DeleteObject", Kind::Bucket),
            Some((REMOVED, "s3:DeleteObject"))
        );
        assert_eq!(s3_family("s3:ObjectCreated:*"), CREATED);
        assert_eq!(s3_family("s3:ObjectRemoved:DeleteMarkerCreated"), REMOVED);
        assert_eq!(s3_family("s3:LifecycleExpiration:*"), 0);
    }

    #[test]
    fn the_matcher_backtracks() {
        assert!(glob_matches("s3:*Object*", "s3:PutObjectAcl"));
        assert!(glob_matches("s3:P*t*", "s3:PutObject"));
        assert!(!glob_matches("s3:P*x", "s3:PutObject"));
        assert!(glob_matches("*", ""));
    }
}
