//! Diagnostics → text. Two shapes: a human report (miette's graphical handler) and JSON
//! lines for tools. Both are pure functions of the diagnostics and the [`SourceMap`]; the
//! caller decides where the text goes.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;

use super::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, SourceMap, Span};

/// How the human report looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colours. Off for pipes, files and `NO_COLOR`.
    pub color: bool,
    /// Column at which long messages wrap.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
        }
    }
}

impl HumanOptions {
    /// Colour only when `NO_COLOR` is absent and the output is a terminal.
    /// `NO_COLOR` switches colour off whatever its value (even empty).
    pub fn for_terminal(is_terminal: bool) -> Self {
        HumanOptions {
            color: is_terminal && std::env::var_os("NO_COLOR").is_none(),
            ..HumanOptions::default()
        }
    }
}

// ───────────────────────────── human ─────────────────────────────

/// Every diagnostic as a miette report, in the given order, separated by blank lines.
/// No summary line: see [`summary_line`].
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, opts: &HumanOptions) -> String {
    let named = named_sources(sources);
    let handler = handler(opts);
    let mut out = String::new();
    for diag in diags {
        let view = MietteView::new(diag, sources, &named);
        let mut one = String::new();
        let mut ok = handler.render_report(&mut one, &view).is_ok();
        // Labels in other files: one note each, drawn on that file's source.
        for note in &view.notes {
            ok &= handler.render_report(&mut one, note).is_ok();
        }
        if !ok {
            // miette only fails on a formatter error; fall back to one plain line.
            one = plain_line(diag, sources);
        }
        out.push_str(one.trim_matches('\n'));
        out.push_str("\n\n");
    }
    out
}

/// The closing line of a run for one input file, or `None` when there is nothing to say.
///
/// `failed` is whether the run fails (errors, or warnings under `--deny-warnings`):
/// `error: could not compile app.lam: 2 errors, 1 warning` versus
/// `warning: app.lam: 1 warning`.
pub fn summary_line(
    file_name: &str,
    diags: &[Diagnostic],
    failed: bool,
    opts: &HumanOptions,
) -> Option<String> {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let counts = counts_text(errors, warnings);
    if failed {
        let what = if counts.is_empty() {
            String::new()
        } else {
            format!(": {counts}")
        };
        Some(format!(
            "{}: could not compile {file_name}{what}",
            paint("error", Severity::Error, opts)
        ))
    } else if warnings > 0 {
        Some(format!(
            "{}: {file_name}: {counts}",
            paint("warning", Severity::Warning, opts)
        ))
    } else {
        None
    }
}

/// "2 errors, 1 warning", "1 error", "" for none.
pub fn counts_text(errors: usize, warnings: usize) -> String {
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    parts.join(", ")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A severity word, in bold red/yellow when colour is on.
pub fn paint(word: &str, severity: Severity, opts: &HumanOptions) -> String {
    if !opts.color {
        return word.to_string();
    }
    let colour = match severity {
        Severity::Error => "31",
        Severity::Warning => "33",
    };
    format!("\u{1b}[1;{colour}m{word}\u{1b}[0m")
}

fn handler(opts: &HumanOptions) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_urls(false)
        .with_width(opts.width)
        .without_syntax_highlighting()
}

/// One named source per file, indexed by `FileId`, so every report shows its file name.
fn named_sources(sources: &SourceMap) -> Vec<FileSource<'_>> {
    sources
        .files()
        .iter()
        .map(|f| FileSource {
            name: f.name.clone(),
            text: &f.text,
            line_starts: std::iter::once(0)
                .chain(f.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        })
        .collect()
}

/// A file's text under its name, like miette's `NamedSource`, except that:
/// - the column it reports (shown in the `[app.lam:3:12]` header) counts characters, as
///   `line_col` and the JSON output do; miette's own count is in bytes;
/// - miette reads only the lines around a span. Reading from the start of the text, as
///   miette does for a plain string, made rendering N diagnostics cost N × file size.
struct FileSource<'a> {
    name: String,
    text: &'a str,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
}

impl FileSource<'_> {
    /// The 0-based line that holds `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // The window: whole lines, one more than miette asks for on each side, so that
        // miette picks the same lines from it as it would from the whole text.
        let start = span.offset().min(self.text.len());
        let end = span
            .offset()
            .saturating_add(span.len())
            .min(self.text.len());
        let first_line = self
            .line_of(start)
            .saturating_sub(context_lines_before.saturating_add(1));
        let last_line = self
            .line_of(end)
            .saturating_add(context_lines_after)
            .saturating_add(2);
        let lo = self.line_starts.get(first_line).copied().unwrap_or(0);
        let hi = self
            .line_starts
            .get(last_line)
            .copied()
            .unwrap_or(self.text.len());
        let window = self.text.get(lo..hi).unwrap_or(self.text);
        let lo = if window.len() == self.text.len() {
            0
        } else {
            lo
        };
        let first_line = if lo == 0 { 0 } else { first_line };
        let local = SourceSpan::from((span.offset().saturating_sub(lo), span.len()));
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data_span = SourceSpan::from((inner.span().offset() + lo, inner.span().len()));
        // A non-zero column is the byte distance from the line start to the span start.
        let column = span
            .offset()
            .checked_sub(inner.column())
            .and_then(|line_start| self.text.get(line_start..span.offset()))
            .map_or(inner.column(), |before| before.chars().count());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            data_span,
            inner.line() + first_line,
            column,
            // miette counts lines from the start of the text it reads, and merges the
            // snippets of one report on that count: count as if it had read it all.
            inner.line_count() + first_line,
        )))
    }
}

/// `app.lam:3:5: error[E0401]: memory 20GB is out of range` — used only if miette fails.
fn plain_line(diag: &Diagnostic, sources: &SourceMap) -> String {
    let place = position(sources, diag.primary.span)
        .map(|p| format!("{}:{}:{}: ", p.file, p.line, p.column))
        .unwrap_or_default();
    format!(
        "{place}{}[{}]: {}\n",
        diag.severity.as_str(),
        diag.code,
        diag.message
    )
}

/// A [`Diagnostic`] seen through miette's trait. miette draws one source per report, so
/// labels in the primary label's file are drawn on it and labels in other files become
/// notes, each rendered after the report with its own source.
struct MietteView<'a> {
    diag: &'a Diagnostic,
    source: Option<&'a FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    notes: Vec<NoteView<'a>>,
}

impl<'a> MietteView<'a> {
    fn new(diag: &'a Diagnostic, sources: &'a SourceMap, named: &'a [FileSource<'a>]) -> Self {
        let primary_file = file_of(sources, diag.primary.span);
        let mut labels = Vec::new();
        let mut notes = Vec::new();
        if let Some(file) = primary_file {
            labels.push(LabeledSpan::new_primary_with_span(
                non_empty(&diag.primary.message),
                miette_span(file, diag.primary.span),
            ));
        }
        for label in &diag.secondary {
            match (primary_file, file_of(sources, label.span)) {
                (Some(p), Some(f)) if p.id == f.id => labels.push(LabeledSpan::new_with_span(
                    non_empty(&label.message),
                    miette_span(f, label.span),
                )),
                (_, file) => notes.push(NoteView::new(label, file, named)),
            }
        }
        MietteView {
            diag,
            source: primary_file.and_then(|f| named.get(f.id.0 as usize)),
            labels,
            notes,
        }
    }
}

impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diag, f)
    }
}

/// The headline: `error[E0401]: memory 20GB is out of range`. The code sits in the
/// message rather than in miette's separate code line so that one line says it all.
impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diag;
        write!(f, "{}[{}]: {}", d.severity.as_str(), d.code, d.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// A secondary label that lives in another file, drawn as a note with that file's source.
struct NoteView<'a> {
    message: String,
    source: Option<&'a FileSource<'a>>,
    label: Option<LabeledSpan>,
}

impl<'a> NoteView<'a> {
    fn new(label: &Label, file: Option<&SourceFile>, named: &'a [FileSource<'a>]) -> Self {
        let message = if label.message.is_empty() {
            "note: also involved here".to_string()
        } else {
            format!("note: {}", label.message)
        };
        NoteView {
            message,
            source: file.and_then(|f| named.get(f.id.0 as usize)),
            label: file
                .map(|f| LabeledSpan::new_primary_with_span(None, miette_span(f, label.span))),
        }
    }
}

impl fmt::Debug for NoteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for NoteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NoteView<'_> {}

impl miette::Diagnostic for NoteView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .as_ref()
            .map(|l| Box::new(std::iter::once(l.clone())) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

fn non_empty(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

/// The file a span points into, if its id is valid (a bad id must not panic a renderer).
fn file_of(sources: &SourceMap, span: Span) -> Option<&SourceFile> {
    sources.files().get(span.file.0 as usize)
}

/// A byte range clamped to the text and to character boundaries, so miette can read it.
fn miette_span(file: &SourceFile, span: Span) -> SourceSpan {
    let start = char_floor(&file.text, span.start);
    let end = char_floor(&file.text, span.end.max(span.start));
    SourceSpan::from((start, end - start))
}

fn char_floor(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

// ───────────────────────────── JSON lines ─────────────────────────────

/// Where a span is: file name plus 1-based line and column of its start and (exclusive)
/// end. Columns count characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One diagnostic as tools see it (`--message-format json`). Field order is the order of
/// the keys in the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub position: Position,
    /// The primary label's text ("this is 20480MB"); empty when there is none.
    pub label: String,
    pub help: Option<String>,
    pub labels: Vec<JsonLabel>,
    pub fixes: Vec<JsonFix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonLabel {
    pub message: String,
    #[serde(flatten)]
    pub position: Position,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonFix {
    pub title: String,
    pub replacement: String,
    #[serde(flatten)]
    pub position: Position,
}

/// The position of a span, or a placeholder (`<unknown>`, 1:1) when its file id is not in
/// the map.
pub fn position(sources: &SourceMap, span: Span) -> Option<Position> {
    let file = file_of(sources, span)?;
    let start = file.line_col(span.start);
    let end = file.line_col(span.end.max(span.start));
    Some(Position {
        file: file.name.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    })
}

fn position_or_unknown(sources: &SourceMap, span: Span) -> Position {
    position(sources, span).unwrap_or_else(|| Position {
        file: "<unknown>".to_string(),
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    })
}

/// The serialisable form of one diagnostic.
pub fn to_json(diag: &Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
    JsonDiagnostic {
        code: diag.code.as_str().to_string(),
        severity: diag.severity.as_str(),
        message: diag.message.clone(),
        position: position_or_unknown(sources, diag.primary.span),
        label: diag.primary.message.clone(),
        help: diag.help.clone(),
        labels: diag
            .secondary
            .iter()
            .map(|l| JsonLabel {
                message: l.message.clone(),
                position: position_or_unknown(sources, l.span),
            })
            .collect(),
        fixes: diag
            .fixes
            .iter()
            .map(|f| JsonFix {
                title: f.title.clone(),
                replacement: f.replacement.clone(),
                position: position_or_unknown(sources, f.span),
            })
            .collect(),
    }
}

/// One JSON object per diagnostic, one per line, each line ending in `\n`.
pub fn render_json_lines(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for diag in diags {
        // Serialising plain strings and numbers cannot fail; skip the line if it ever does.
        if let Ok(line) = serde_json::to_string(&to_json(diag, sources)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::FileId;

    /// Line 3 has multi-byte characters before `20GB`: character column 32, byte column 35.
    const APP: &str = "# café ☕\nfunction f {\n  description = \"é☕\", memory = 20GB\n}\n";

    /// Reading a window of lines gives miette what reading the whole text gives it (the
    /// column aside, which counts characters on purpose).
    #[test]
    fn windowed_reads_match_whole_text_reads() {
        let texts = [
            APP.to_string(),
            "a\n\nbb\nccc\n\n\ndddd\ne".to_string(),
            "no newline at the end".to_string(),
            "x\n".repeat(40),
        ];
        for text in &texts {
            let named = FileSource {
                name: "t".into(),
                text,
                line_starts: std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect(),
            };
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &bounds {
                for &end in bounds.iter().filter(|&&e| e >= start).take(12) {
                    for context in 0..3 {
                        let span = SourceSpan::from((start, end - start));
                        let whole = text.read_span(&span, context, context);
                        let window = named.read_span(&span, context, context);
                        let (Ok(whole), Ok(window)) = (whole, window) else {
                            continue;
                        };
                        let what = format!("{text:?} {start}..{end} ±{context}");
                        assert_eq!(whole.data(), window.data(), "{what}");
                        assert_eq!(whole.span(), window.span(), "{what}");
                        assert_eq!(whole.line(), window.line(), "{what}");
                        assert_eq!(whole.line_count(), window.line_count(), "{what}");
                    }
                }
            }
        }
    }

    fn map() -> (SourceMap, FileId, FileId) {
        let mut m = SourceMap::new();
        let a = m.add("app.lam", None, APP.to_string());
        let b = m.add(
            "lib.lam",
            None,
            "template t {\n  memory = 1GB\n}\n".to_string(),
        );
        (m, a, b)
    }

    fn memory_diag(a: FileId) -> Diagnostic {
        let start = APP.find("20GB").unwrap_or(0);
        Diagnostic::new(
            Code::E0401,
            Span::new(a, start, start + 4),
            "memory 20GB is out of range",
        )
        .label("this is 20480MB")
        .help("use a value between 128MB and 10240MB")
        .fix("use 10GB", Span::new(a, start, start + 4), "10GB")
    }

    #[test]
    fn json_positions_are_one_based_and_count_characters() {
        let (m, a, _) = map();
        let j = to_json(&memory_diag(a), &m);
        assert_eq!(j.position.file, "app.lam");
        assert_eq!((j.position.line, j.position.column), (3, 32));
        assert_eq!((j.position.end_line, j.position.end_column), (3, 36));
        assert_eq!(j.fixes[0].position.column, 32);
        assert_eq!(j.fixes[0].replacement, "10GB");
    }

    #[test]
    fn json_lines_have_every_field_in_order() {
        let (m, a, b) = map();
        let d = memory_diag(a).secondary(Span::new(b, 15, 27), "template sets memory here");
        let out = render_json_lines(&[d.clone(), d], &m);
        assert_eq!(out.lines().count(), 2);
        let first = out.lines().next().unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(first).unwrap_or_default();
        assert_eq!(v["code"], "E0401");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["labels"][0]["file"], "lib.lam");
        assert_eq!(v["labels"][0]["line"], 2);
        assert_eq!(v["labels"][0]["column"], 3);
        assert_eq!(v["help"], "use a value between 128MB and 10240MB");
        let keys: Vec<&str> = first
            .split("\":")
            .filter_map(|s| s.rsplit('"').next())
            .take(10)
            .collect();
        assert_eq!(
            &keys[..10],
            &[
                "code",
                "severity",
                "message",
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "label",
                "help"
            ]
        );
    }

    #[test]
    fn human_report_has_code_message_labels_help_and_no_escapes() {
        let (m, a, b) = map();
        let d = memory_diag(a)
            .secondary(Span::new(a, 21, 22), "declared here")
            .secondary(Span::new(b, 15, 27), "template sets memory here");
        let out = render_human(&[d], &m, &HumanOptions::default());
        for needle in [
            "error[E0401]",
            "memory 20GB is out of range",
            "this is 20480MB",
            "declared here",
            "help: use a value between 128MB and 10240MB",
            // Character columns, as in JSON (the byte column would be 35).
            "[app.lam:3:32]",
            "note: template sets memory here",
            "lib.lam:2:3",
        ] {
            assert!(out.contains(needle), "missing {needle:?} in\n{out}");
        }
        assert!(!out.contains('\u{1b}'), "{out}");
    }

    #[test]
    fn colour_adds_escapes() {
        let (m, a, _) = map();
        let opts = HumanOptions {
            color: true,
            width: 100,
        };
        let out = render_human(&[memory_diag(a)], &m, &opts);
        assert!(out.contains('\u{1b}'));
    }

    #[test]
    fn bad_spans_do_not_panic() {
        let (m, a, _) = map();
        let wild = Diagnostic::new(Code::E0001, Span::new(a, 9999, 5), "x")
            .secondary(Span::new(FileId(42), 0, 1), "nowhere");
        let unknown_file = Diagnostic::new(Code::E0001, Span::new(FileId(7), 0, 3), "y");
        let mid_char = Diagnostic::new(Code::E0001, Span::new(a, 4, 5), "z");
        let diags = [wild, unknown_file, mid_char];
        let human = render_human(&diags, &m, &HumanOptions::default());
        assert!(human.contains("error[E0001]"));
        let json = render_json_lines(&diags, &m);
        assert_eq!(json.lines().count(), 3);
        assert!(json.contains("<unknown>"));
    }

    #[test]
    fn summary_counts_and_wording() {
        let (m, a, _) = map();
        let _ = m;
        let err = memory_diag(a);
        let warn = Diagnostic::new(Code::W0506, Span::new(a, 0, 1), "queue q is never used");
        let opts = HumanOptions::default();
        let all = [err.clone(), err, warn.clone()];
        assert_eq!(
            summary_line("app.lam", &all, true, &opts).as_deref(),
            Some("error: could not compile app.lam: 2 errors, 1 warning")
        );
        assert_eq!(
            summary_line("app.lam", std::slice::from_ref(&warn), false, &opts).as_deref(),
            Some("warning: app.lam: 1 warning")
        );
        assert_eq!(summary_line("app.lam", &[], false, &opts), None);
    }
}
