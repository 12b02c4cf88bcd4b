//! Deploying a compiled stack with CloudFormation: `lamc deploy`, `diff`, `destroy` and
//! `validate --remote`.
//!
//! Compiled only with the `deploy` feature. Nothing here runs unless one of those commands
//! does: the SDK clients and the (single-threaded) tokio runtime are built inside the entry
//! points, so `lamc build` and `lamc check` never pay for them. This module does not print;
//! it reports through [`Ui`], which the command line implements.

pub mod changes;
mod client;
mod flow;
pub mod placement;
pub mod state;
mod upload;
mod watch;

use std::time::Duration;

use crate::artifacts::Artifact;
use crate::plan::ChildTemplate;

pub use flow::{deploy, destroy, usage_problem, validate_remote};

/// Which AWS account and endpoint to talk to; everything unset comes from the standard
/// chain (environment, shared config and credentials files, SSO, instance roles).
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub region: Option<String>,
    pub profile: Option<String>,
    /// A CloudFormation/S3-compatible endpoint (tests run against one on loopback).
    pub endpoint_url: Option<String>,
}

/// Everything `lamc deploy` and `lamc diff` need, already compiled.
#[derive(Debug, Clone)]
pub struct DeployRequest {
    pub target: Target,
    pub stack: String,
    /// The template as JSON text.
    pub template: String,
    /// Zipped local code, uploaded under its content-hashed key.
    pub artifacts: Vec<Artifact>,
    /// The child templates of an app split into nested stacks, uploaded under their
    /// content-hashed keys (the root's `TemplateURL`s name them).
    pub child_templates: Vec<ChildTemplate>,
    /// What the app creates, nested stacks included (`plan::resources_in_all`): a first
    /// deploy over CFN-13 is warned about.
    pub resources_in_all: usize,
    /// The template's parameter names (to fill `ArtifactsBucket` and keep previous values).
    pub template_parameters: Vec<String>,
    /// `--param K=V`, in the order given.
    pub parameters: Vec<(String, String)>,
    pub artifacts_bucket: Option<String>,
    /// Functions that change stack (`plan::placement::render_moves`; "" when none), and
    /// how many.
    pub moves: String,
    pub move_count: usize,
    /// `--allow-moves`: execute a change set that moves functions without asking.
    pub allow_moves: bool,
    pub mode: Mode,
    /// Bounds every wait (change set creation, a busy stack, the deployment).
    pub timeout: Duration,
    /// How often to poll.
    pub poll: Duration,
}

/// What to do with the change set once it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Show it, then delete it (`lamc diff`).
    DiffOnly,
    /// Show it and leave it for review (`--no-execute`).
    Keep,
    /// Show it, ask (unless `assume_yes`), execute and watch.
    Execute { assume_yes: bool },
}

/// `lamc destroy`.
#[derive(Debug, Clone)]
pub struct DestroyRequest {
    pub target: Target,
    pub stack: String,
    pub assume_yes: bool,
    pub timeout: Duration,
    pub poll: Duration,
}

/// How a command ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Deployed,
    NoChanges,
    /// The change set was shown and deleted (`diff`).
    Shown,
    /// The change set was left for review (`--no-execute`).
    Kept {
        change_set: String,
    },
    /// The user answered no; the change set was deleted.
    Declined,
    Deleted,
    /// `destroy` of a stack that does not exist.
    NothingToDelete,
    /// `validate --remote` passed.
    Valid,
}

/// How a command ended badly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad usage: a missing bucket, no terminal to confirm on, no region.
    Usage(String),
    /// The AWS side failed: an API error, a rollback, a wait that ran out.
    Failed(String),
    /// Ctrl-C while watching: the stack keeps going.
    Interrupted(String),
}

/// What the deploy code tells the person running it. Implemented by the command line.
pub trait Ui {
    /// The change set diff (stdout).
    fn show(&mut self, text: &str);
    /// A progress line (stderr).
    fn say(&mut self, line: &str);
    /// Whether [`Ui::confirm`] can ask (checked before anything is changed).
    fn can_confirm(&self) -> bool;
    /// Ask a yes/no question; `None` when there is no terminal to ask on.
    fn confirm(&mut self, question: &str) -> Option<bool>;
    /// Replace the transient status (a spinner on a terminal; nothing otherwise).
    fn status(&mut self, text: &str);
    /// The transient status is no longer needed.
    fn clear_status(&mut self);
}

/// A runtime for one command: one thread is plenty for a handful of sequential calls.
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Failed(format!("cannot start the async runtime: {e}")))
}

/// `30m` → "30m", `90s` → "1m30s": how long a wait was, for messages.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        if out.is_empty() && d.subsec_millis() > 0 && secs == 0 {
            return format!("{}ms", d.subsec_millis());
        }
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_back() {
        assert_eq!(human_duration(Duration::from_secs(1800)), "30m");
        assert_eq!(human_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(human_duration(Duration::from_secs(3600)), "1h");
        assert_eq!(human_duration(Duration::from_millis(500)), "500ms");
        assert_eq!(human_duration(Duration::ZERO), "0s");
    }
}
