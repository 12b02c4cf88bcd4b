//! What a stack's status means for the next operation. Pure: statuses are CloudFormation's
//! strings, so this works for statuses newer than the SDK too.

/// Where a stack stands before a deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// No such stack (or only a deleted one): the change set creates it.
    Missing,
    /// Created by a change set that was never executed: still a CREATE.
    Review,
    /// An operation is running: wait for it first.
    Busy(String),
    /// A failed create that only deletion clears.
    MustDelete(String),
    /// Ready for an UPDATE change set.
    Updatable,
}

pub fn readiness(status: Option<&str>) -> Readiness {
    match status {
        None | Some("DELETE_COMPLETE") => Readiness::Missing,
        Some("REVIEW_IN_PROGRESS") => Readiness::Review,
        Some(s @ ("ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED" | "DELETE_FAILED")) => {
            Readiness::MustDelete(s.to_string())
        }
        Some(s) if s.ends_with("_IN_PROGRESS") => Readiness::Busy(s.to_string()),
        Some(_) => Readiness::Updatable,
    }
}

/// How an operation ended, judged from the stack's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Running,
    Succeeded,
    Failed,
}

/// `*_IN_PROGRESS` (and REVIEW) keeps running; `*_ROLLBACK_COMPLETE`, `ROLLBACK_*` and
/// `*_FAILED` are failures; any other `*_COMPLETE` is a success.
pub fn ending(status: &str) -> Ending {
    if status.ends_with("_IN_PROGRESS") {
        Ending::Running
    } else if status.ends_with("_FAILED") || status.contains("ROLLBACK") {
        Ending::Failed
    } else if status.ends_with("_COMPLETE") {
        Ending::Succeeded
    } else {
        Ending::Failed
    }
}

/// A change set that failed only because it had nothing to do.
///
/// The reason is CloudFormation's free text (`StatusReason` of DescribeChangeSet, or the
/// message of UpdateStack's `ValidationError`): the API has no status or error code for "no
/// changes" (the change set is simply `FAILED`), so its wording is all there is to read.
pub fn is_no_change_reason(reason: &str) -> bool {
    let r = reason.to_ascii_lowercase();
    r.contains("didn't contain changes")
        || r.contains("did not contain changes")
        || r.contains("no updates are to be performed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_by_status() {
        assert_eq!(readiness(None), Readiness::Missing);
        assert_eq!(readiness(Some("REVIEW_IN_PROGRESS")), Readiness::Review);
        assert_eq!(
            readiness(Some("UPDATE_IN_PROGRESS")),
            Readiness::Busy("UPDATE_IN_PROGRESS".into())
        );
        assert_eq!(
            readiness(Some("ROLLBACK_COMPLETE")),
            Readiness::MustDelete("ROLLBACK_COMPLETE".into())
        );
        assert_eq!(
            readiness(Some("UPDATE_ROLLBACK_COMPLETE")),
            Readiness::Updatable
        );
        assert_eq!(readiness(Some("CREATE_COMPLETE")), Readiness::Updatable);
    }

    #[test]
    fn endings() {
        assert_eq!(ending("CREATE_COMPLETE"), Ending::Succeeded);
        assert_eq!(ending("UPDATE_COMPLETE"), Ending::Succeeded);
        assert_eq!(ending("DELETE_COMPLETE"), Ending::Succeeded);
        assert_eq!(
            ending("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
            Ending::Running
        );
        assert_eq!(ending("ROLLBACK_COMPLETE"), Ending::Failed);
        assert_eq!(ending("UPDATE_ROLLBACK_COMPLETE"), Ending::Failed);
        assert_eq!(ending("DELETE_FAILED"), Ending::Failed);
        assert_eq!(ending("CREATE_IN_PROGRESS"), Ending::Running);
    }

    #[test]
    fn no_change_reasons() {
        assert!(is_no_change_reason(
            "The submitted information didn't contain changes. Submit different information to create a change set."
        ));
        assert!(is_no_change_reason("No updates are to be performed."));
        assert!(!is_no_change_reason("Template format error"));
    }
}
