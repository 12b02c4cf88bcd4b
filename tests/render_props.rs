//! No input makes the diagnostic renderers panic, and what they print is safe for a
//! terminal and bounded in width.
//!
//! Inputs: random texts built from pieces that stress the renderer (long runs, control and
//! bidirectional characters, multi-byte and wide characters, every mix of CR and LF),
//! with random diagnostics on random spans (past the end, inside a character, in other
//! files, empty, huge); and the same texts checked for real, then rendered the way
//! `lamc check` renders them (human report, summary line, JSON lines).

use chrono::NaiveDate;
use lamc::diag::render::{render_human, render_json_lines, summary_line, HumanOptions};
use lamc::diag::{Code, Diagnostic, MAX_REPORTED};
use lamc::driver::{check_source, CheckOptions};
use lamc::source::{FileId, SourceMap, Span};
use proptest::prelude::*;

/// Pieces of text: each is repeated a random number of times.
const PIECES: &[&str] = &[
    "a",
    " ",
    "function f { memory = 20GB }",
    "queue q {}",
    "# comment",
    "\"str\"",
    "\n",
    "\r",
    "\r\n",
    "\n\r",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{1b}]0;title\u{7}",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{2028}",
    "\u{e0041}",
    "é",
    "☕",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "漢字",
    "\u{301}",
    "…",
];

fn pieces(parts: usize, times: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((0..PIECES.len(), 1..times), 0..parts).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(piece, times)| PIECES[piece].repeat(times))
            .collect()
    })
}

/// Source text: up to tens of thousands of characters, long lines included.
fn text() -> impl Strategy<Value = String> {
    pieces(24, 400)
}

/// Message, label and help texts (they quote the source).
fn words() -> impl Strategy<Value = String> {
    pieces(6, 20)
}

/// A span anywhere near the text, or past it, possibly reversed or in another file.
fn span(len: usize) -> impl Strategy<Value = (u32, usize, usize)> {
    let near = len + 10;
    (0u32..3, 0..near, 0..near)
}

/// Random diagnostics over two files: some on the same place, some with many labels.
fn diagnostics(len: usize) -> impl Strategy<Value = Vec<Diagnostic>> {
    let one = (
        prop::bool::ANY,
        span(len),
        prop::collection::vec(span(len), 0..20),
        words(),
    )
        .prop_map(|(error, (file, start, end), labels, words)| {
            let code = if error { Code::E0001 } else { Code::W0506 };
            let mut d = Diagnostic::new(code, Span::new(FileId(file), start, end), words.clone())
                .label(words.clone())
                .help(words.clone());
            for (file, start, end) in labels {
                d = d.secondary(Span::new(FileId(file), start, end), words.clone());
            }
            d
        });
    prop::collection::vec(one, 0..12)
}

/// Characters a terminal would act on, or that would reorder or hide text.
fn unsafe_char(c: char) -> bool {
    c != '\n' && lamc::diag::escape::needs_escape(c)
}

/// What every rendering must satisfy.
fn assert_safe(out: &str, what: &str) {
    if let Some(c) = out.chars().find(|&c| unsafe_char(c)) {
        panic!("{what}: raw {c:?} in\n{out}");
    }
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    // Far below the 65,535 columns that broke the renderer; a clipped line is at most a
    // few windows of escaped characters.
    assert!(widest < 16_000, "{what}: a {widest}-character line");
}

fn render_all(diags: &[Diagnostic], sources: &SourceMap) {
    let human = render_human(diags, sources, &HumanOptions::default());
    assert_safe(&human, "human");
    assert!(
        human.matches("\n\n").count() <= MAX_REPORTED,
        "more reports than the cap"
    );
    let json = render_json_lines(diags, sources);
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
        for key in ["message", "label", "help"] {
            assert_safe(v[key].as_str().unwrap_or_default(), key);
        }
    }
    let summary = summary_line("app\u{1b}.lam", diags, true, &HumanOptions::default());
    assert_safe(&summary.unwrap_or_default(), "summary");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_spans_on_random_text_render_safely(
        (a, b, diags) in (text(), text()).prop_flat_map(|(a, b)| {
            let len = a.len().max(b.len());
            (Just(a), Just(b), diagnostics(len))
        })
    ) {
        let mut sources = SourceMap::new();
        sources.add("app.lam", None, a);
        sources.add("lib\u{202e}.lam", None, b);
        render_all(&diags, &sources);
    }

    #[test]
    fn checked_random_text_renders_safely(body in text(), prefix in 0usize..3) {
        // Half-real programs: a declaration before the noise gives the checker more to say.
        let text = match prefix {
            0 => body,
            1 => format!("function f {{\n  memory = 20GB, {body}\n}}\n"),
            _ => format!("queue q {{ visibility = {body} }}\r{body}"),
        };
        let opts = CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default());
        let c = check_source("app.lam".into(), None, text, &opts);
        render_all(&c.diagnostics, &c.sources);
    }
}

/// The original failure: a label past column 65,535.
#[test]
fn a_label_past_column_65535_renders() {
    let text = format!("x = {}20GB\n", " ".repeat(70_000));
    let mut sources = SourceMap::new();
    let file = sources.add("app.lam", None, text.clone());
    let at = text.find("20GB").unwrap_or(0);
    let d = Diagnostic::new(Code::E0401, Span::new(file, at, at + 4), "too big")
        .label("here")
        .secondary(Span::new(file, 0, 1), "and here");
    let out = render_human(&[d], &sources, &HumanOptions::default());
    assert!(out.contains("[app.lam:1:70005]"), "{out}");
    assert_safe(&out, "human");
    assert!(out.len() < 2_000, "{out}");
}
