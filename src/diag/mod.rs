//! Diagnostics as data: one [`Diagnostic`] type, the code table ([`Code`]), and renderers.
//!
//! Checking code builds diagnostics; only the renderers (`render_*`) turn them into text,
//! and only `cli`/`lsp` decide where that text goes.

mod codes;
pub mod escape;
mod excerpt;
pub mod ignore;
pub mod render;
mod report;
pub mod sarif;
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

/// Something worth seeing that is not a problem: a route public by exception to its API's
/// authorizer. Not a diagnostic (it neither fails nor counts as a warning, and nothing
/// silences it); `lamc check` lists it after its summary, as a `note`-level result of
/// `code` in JSON and SARIF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The rule it is an exception to (W0522 for a public route), whose page explains it.
    pub code: Code,
    pub span: Span,
    pub message: String,
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
pub fn reported<'a, I>(diags: I, limit: usize) -> (Vec<&'a Diagnostic>, usize)
where
    I: IntoIterator<Item = &'a Diagnostic>,
    I::IntoIter: Clone,
{
    let diags = diags.into_iter();
    let errors = diags.clone().filter(|d| d.is_error()).count();
    let mut warnings_room = limit.saturating_sub(errors);
    let mut errors_room = limit;
    let mut left_out = 0;
    let mut kept = Vec::new();
    for d in diags {
        let room = if d.is_error() {
            &mut errors_room
        } else {
            &mut warnings_room
        };
        if *room > 0 {
            *room -= 1;
            kept.push(d);
        } else {
            left_out += 1;
        }
    }
    (kept, left_out)
}

/// Nearest candidate for a misspelt name ("did you mean …"), if one is close enough.
/// Case does not count (`Runtime` is `runtime`), and two letters swapped in a short word
/// (`kye`) count as close, which the similarity measure alone misses.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let name = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (closeness(&name, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// How alike two lower-case names are, from 0 to 1.
fn closeness(a: &str, b: &str) -> f64 {
    let similar = strsim::jaro_winkler(a, b);
    let one_edit = a.len().min(b.len()) >= 3 && strsim::osa_distance(a, b) == 1;
    if one_edit {
        similar.max(0.8)
    } else {
        similar
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn at(code: Code, offset: usize) -> Diagnostic {
        Diagnostic::new(code, Span::new(FileId(0), offset, offset + 1), "x")
    }

    #[test]
    fn reported_keeps_errors_first_in_source_order() {
        let diags: Vec<Diagnostic> = (0..10)
            .map(|i| at(if i % 3 == 0 { Code::E0001 } else { Code::W0506 }, i))
            .collect();
        let (kept, left_out) = reported(&diags, 5);
        let offsets: Vec<usize> = kept.iter().map(|d| d.primary.span.start).collect();
        // Errors at 0, 3, 6, 9; one warning fits, the first one.
        assert_eq!(offsets, [0, 1, 3, 6, 9]);
        assert_eq!(left_out, 5);
        let (kept, left_out) = reported(&diags[..3], 5);
        assert_eq!((kept.len(), left_out), (3, 0));
        let errors: Vec<Diagnostic> = (0..8).map(|i| at(Code::E0001, i)).collect();
        let (kept, left_out) = reported(&errors, 5);
        assert_eq!((kept.len(), left_out), (5, 3));
    }

    #[test]
    fn suggestions_ignore_case_and_catch_swapped_letters() {
        let keys = ["key", "sort", "stream", "ttl"];
        assert_eq!(did_you_mean("kye", keys), Some("key"));
        assert_eq!(did_you_mean("Sort", keys), Some("sort"));
        assert_eq!(did_you_mean("strem", keys), Some("stream"));
        assert_eq!(did_you_mean("region", keys), None);
        // Two-letter words are too short for one edit to mean a misspelling.
        assert_eq!(did_you_mean("ab", ["ac"]), None);
    }
}
