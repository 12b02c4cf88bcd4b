//! A [`Diagnostic`] seen through miette's traits, ready for its graphical handler.
//!
//! miette draws one source per report, so labels in the primary label's file are drawn on
//! that file's [`Excerpt`] and labels in other files become notes, each drawn after the
//! report on an excerpt of its own file. Every text that may quote the source (message,
//! labels, help, file names) is made terminal-safe here.

use std::fmt;

use miette::{LabeledSpan, SourceSpan};

use super::escape::terminal_safe;
use super::excerpt::Excerpt;
use super::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, SourceMap, Span};

/// At most this many secondary labels of one diagnostic are drawn; a note counts the rest.
pub const MAX_LABELS: usize = 16;

pub struct Report {
    severity: Severity,
    headline: String,
    help: Option<String>,
    excerpt: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    pub notes: Vec<Note>,
}

impl Report {
    pub fn new(diag: &Diagnostic, sources: &SourceMap) -> Self {
        let primary_file = file_of(sources, diag.primary.span);
        let shown = diag.secondary.len().min(MAX_LABELS);
        // Labels drawn on the primary file (primary first), and the others as notes.
        let mut here: Vec<(&Label, bool)> = Vec::new();
        let mut notes = Vec::new();
        if primary_file.is_some() {
            here.push((&diag.primary, true));
        }
        for label in &diag.secondary[..shown] {
            match (primary_file, file_of(sources, label.span)) {
                (Some(p), Some(f)) if p.id == f.id => here.push((label, false)),
                (_, file) => notes.push(Note::new(label, file)),
            }
        }
        if diag.secondary.len() > shown {
            notes.push(Note::text(format!(
                "note: … and {} more places not shown",
                diag.secondary.len() - shown
            )));
        }
        let (excerpt, labels) = match primary_file {
            Some(file) => {
                let spans: Vec<Span> = here.iter().map(|(l, _)| l.span).collect();
                let (excerpt, moved) = Excerpt::new(file, &spans);
                let labels = here
                    .iter()
                    .zip(moved)
                    .map(|(&(label, primary), span)| labeled(label, span, primary))
                    .collect();
                (Some(excerpt), labels)
            }
            None => (None, Vec::new()),
        };
        Report {
            severity: diag.severity,
            headline: format!(
                "{}[{}]: {}",
                diag.severity.as_str(),
                diag.code,
                terminal_safe(&diag.message)
            ),
            help: diag.help.as_deref().map(|h| terminal_safe(h).into_owned()),
            excerpt,
            labels,
            notes,
        }
    }
}

fn labeled(label: &Label, span: SourceSpan, primary: bool) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| terminal_safe(&label.message).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// The file a span points into, if its id is valid (a bad id must not panic a renderer).
pub fn file_of(sources: &SourceMap, span: Span) -> Option<&SourceFile> {
    sources.files().get(span.file.0 as usize)
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

/// The headline: `error[E0401]: memory 20GB is out of range`. The code sits in the
/// message rather than in miette's separate code line so that one line says it all.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.excerpt.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// A secondary label that lives in another file, drawn as a note on that file's excerpt
/// (or a note with no source at all).
pub struct Note {
    message: String,
    excerpt: Option<Excerpt>,
    label: Option<LabeledSpan>,
}

impl Note {
    fn new(label: &Label, file: Option<&SourceFile>) -> Self {
        let message = if label.message.is_empty() {
            "note: also involved here".to_string()
        } else {
            format!("note: {}", terminal_safe(&label.message))
        };
        let Some(file) = file else {
            return Note::text(message);
        };
        let (excerpt, moved) = Excerpt::new(file, &[label.span]);
        Note {
            message,
            excerpt: Some(excerpt),
            label: moved
                .first()
                .map(|&span| LabeledSpan::new_primary_with_span(None, span)),
        }
    }

    fn text(message: String) -> Self {
        Note {
            message,
            excerpt: None,
            label: None,
        }
    }
}

impl fmt::Debug for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Note {}

impl miette::Diagnostic for Note {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.excerpt.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .as_ref()
            .map(|l| Box::new(std::iter::once(l.clone())) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}
