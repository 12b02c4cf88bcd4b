//! Diagnostics → text. Two shapes: a human report (miette's graphical handler) and JSON
//! lines for tools. Both are pure functions of the diagnostics and the [`SourceMap`]; the
//! caller decides where the text goes.

use miette::{GraphicalReportHandler, GraphicalTheme};
use serde::Serialize;

use super::escape::terminal_safe;
use super::excerpt::CONTEXT_LINES;
use super::report::{file_of, Report};
use super::{reported, Diagnostic, Note, Severity, MAX_REPORTED};
use crate::source::{SourceMap, Span};

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

/// Every diagnostic as a miette report, in the given order, separated by blank lines; at
/// most [`MAX_REPORTED`] of them, errors first (see [`reported`]). No summary line: see
/// [`summary_line`], which says how many were left out.
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, opts: &HumanOptions) -> String {
    let handler = handler(opts);
    let mut out = String::new();
    for diag in reported(diags, MAX_REPORTED).0 {
        let report = Report::new(diag, sources);
        let mut one = String::new();
        let mut ok = handler.render_report(&mut one, &report).is_ok();
        // Labels in other files: one note each, drawn on that file's source.
        for note in &report.notes {
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
/// `warning: app.lam: 1 warning`. When more than [`MAX_REPORTED`] diagnostics were found,
/// it ends with `(… and N more not shown)`.
pub fn summary_line(
    file_name: &str,
    diags: &[Diagnostic],
    failed: bool,
    opts: &HumanOptions,
) -> Option<String> {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let counts = counts_text(errors, warnings);
    let file_name = terminal_safe(file_name);
    let more = omitted_note(diags.len());
    if failed {
        let what = if counts.is_empty() {
            String::new()
        } else {
            format!(": {counts}")
        };
        Some(format!(
            "{}: could not compile {file_name}{what}{more}",
            paint("error", Severity::Error, opts)
        ))
    } else if warnings > 0 {
        Some(format!(
            "{}: {file_name}: {counts}{more}",
            paint("warning", Severity::Warning, opts)
        ))
    } else {
        None
    }
}

/// ` (… and N more not shown)` when `total` diagnostics are more than are reported, else "".
pub fn omitted_note(total: usize) -> String {
    match total.saturating_sub(MAX_REPORTED) {
        0 => String::new(),
        n => format!(" (… and {n} more not shown)"),
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
        .with_context_lines(CONTEXT_LINES)
        .without_syntax_highlighting()
}

/// `app.lam:3:5: error[E0401]: memory 20GB is out of range` — used only if miette fails.
fn plain_line(diag: &Diagnostic, sources: &SourceMap) -> String {
    let place = position(sources, diag.primary.span)
        .map(|p| format!("{}:{}:{}: ", terminal_safe(&p.file), p.line, p.column))
        .unwrap_or_default();
    format!(
        "{place}{}[{}]: {}\n",
        diag.severity.as_str(),
        diag.code,
        terminal_safe(&diag.message)
    )
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

/// The serialisable form of one diagnostic. Its texts are terminal-safe (a tool may
/// print them); a fix's replacement is exactly the text to insert.
pub fn to_json(diag: &Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
    let safe = |s: &str| terminal_safe(s).into_owned();
    JsonDiagnostic {
        code: diag.code.as_str().to_string(),
        severity: diag.severity.as_str(),
        message: safe(&diag.message),
        position: position_or_unknown(sources, diag.primary.span),
        label: safe(&diag.primary.message),
        help: diag.help.as_deref().map(safe),
        labels: diag
            .secondary
            .iter()
            .map(|l| JsonLabel {
                message: safe(&l.message),
                position: position_or_unknown(sources, l.span),
            })
            .collect(),
        fixes: diag
            .fixes
            .iter()
            .map(|f| JsonFix {
                title: safe(&f.title),
                replacement: f.replacement.clone(),
                position: position_or_unknown(sources, f.span),
            })
            .collect(),
    }
}

/// One JSON object per diagnostic, one per line, each line ending in `\n`; at most
/// [`MAX_REPORTED`], errors first, as in the human report.
pub fn render_json_lines(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for diag in reported(diags, MAX_REPORTED).0 {
        // Serialising plain strings and numbers cannot fail; skip the line if it ever does.
        if let Ok(line) = serde_json::to_string(&to_json(diag, sources)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// One JSON object per note (`"severity": "note"`), in the diagnostics' shape: a note has
/// a code and a position but no label, help or fix.
pub fn render_notes_json_lines(notes: &[Note], sources: &SourceMap) -> String {
    let mut out = String::new();
    for note in notes {
        let json = JsonDiagnostic {
            code: note.code.as_str().to_string(),
            severity: "note",
            message: terminal_safe(&note.message).into_owned(),
            position: position_or_unknown(sources, note.span),
            label: String::new(),
            help: None,
            labels: Vec::new(),
            fixes: Vec::new(),
        };
        if let Ok(line) = serde_json::to_string(&json) {
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
        let (_, a, _) = map();
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
