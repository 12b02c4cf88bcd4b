//! Diagnostics as data: one [`Diagnostic`] type, the code table ([`Code`]), and renderers.
//!
//! Checking code builds diagnostics; only the renderers (`render_*`) turn them into text,
//! and only `cli`/`lsp` decide where that text goes.

mod codes;
pub mod escape;
mod excerpt;
pub mod render;
mod report;
pub use codes::{Code, CodeInfo, ALL_CODES};

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span plus what is wrong (primary) or involved (secondary) there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A machine-applicable edit: replace `span` with `replacement`. Editors offer it as a code action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Short and lowercase: "memory 20GB is out of range".
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    /// A concrete fix, e.g. "use a value between 128MB and 10240MB".
    pub help: Option<String>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity (E… = error, W… = warning).
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    /// The text of the primary label ("this is 20480MB").
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Another place involved ("reserved concurrency set here").
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(
        mut self,
        title: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.fixes.push(Fix {
            title: title.into(),
            span,
            replacement: replacement.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sort diagnostics by file and position so every run reports them in the same order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (
            a.primary.span.file,
            a.primary.span.start,
            a.primary.span.end,
            a.code,
        )
            .cmp(&(
                b.primary.span.file,
                b.primary.span.start,
                b.primary.span.end,
                b.code,
            ))
    });
}

/// At most this many diagnostics of one input file are reported (in the terminal, as
/// JSON, to an editor): a file that produces thousands repeats one mistake thousands of
/// times, and printing them all can flood a terminal or a log.
pub const MAX_REPORTED: usize = 200;

/// The diagnostics to report when at most `limit` may be: errors before warnings (the
/// first `limit` errors, then warnings while there is room), in their given order; and
/// how many were left out.
pub fn reported(diags: &[Diagnostic], limit: usize) -> (Vec<&Diagnostic>, usize) {
    if diags.len() <= limit {
        return (diags.iter().collect(), 0);
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut warnings_room = limit.saturating_sub(errors);
    let mut errors_room = limit;
    let kept: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| {
            let room = if d.is_error() {
                &mut errors_room
            } else {
                &mut warnings_room
            };
            let keep = *room > 0;
            *room = room.saturating_sub(1);
            keep
        })
        .collect();
    let left_out = diags.len() - kept.len();
    (kept, left_out)
}

/// Nearest candidate for a misspelt name ("did you mean …"), if one is close enough.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}
