//! Helpers shared by the `check_*` tests.
#![allow(dead_code)]

use chrono::NaiveDate;
use lamc::diag::{Code, Diagnostic};
use lamc::driver::{check_path, check_source, CheckOptions, Compilation};

pub fn opts() -> CheckOptions {
    CheckOptions::on(NaiveDate::from_ymd_opt(2026, 6, 1).expect("valid date"))
}

pub fn check(src: &str) -> Compilation {
    check_source("main.lam".into(), None, src.into(), &opts())
}

pub fn check_file(path: &std::path::Path) -> Compilation {
    check_path(path, &opts()).expect("readable root file")
}

/// 1-based line of a diagnostic's primary span.
pub fn line_of(c: &Compilation, d: &Diagnostic) -> usize {
    c.sources
        .get(d.primary.span.file)
        .line_col(d.primary.span.start)
        .line
}

pub fn render(c: &Compilation) -> String {
    c.diagnostics
        .iter()
        .map(|d| format!("{} line {}: {}", d.code, line_of(c, d), d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The diagnostics with `code`, as (line, diagnostic).
pub fn with_code(c: &Compilation, code: Code) -> Vec<(usize, &Diagnostic)> {
    c.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| (line_of(c, d), d))
        .collect()
}

/// Assert that `code` is reported at `line` (1-based) and return that diagnostic.
pub fn expect_at(c: &Compilation, code: Code, line: usize) -> &Diagnostic {
    match with_code(c, code).into_iter().find(|(l, _)| *l == line) {
        Some((_, d)) => d,
        None => panic!("expected {code} at line {line}; got:\n{}", render(c)),
    }
}

/// A complete function body, so that tests only see the problem they are about.
pub const OK_FN: &str = "runtime = python3.12\n  handler = \"app.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")";

/// What a user sees of `diags`: the report `lamc check` prints (colours off), then each
/// diagnostic's fixes, which the terminal does not print but an editor offers as code
/// actions: their title, where they apply, the text they replace and its replacement.
pub fn user_view(diags: &[Diagnostic], sources: &lamc::source::SourceMap) -> String {
    use lamc::diag::render::{render_human, HumanOptions};
    let mut out = render_human(diags, sources, &HumanOptions::default());
    let with_fixes: Vec<&Diagnostic> = diags.iter().filter(|d| !d.fixes.is_empty()).collect();
    if with_fixes.is_empty() {
        return out;
    }
    out.push_str("── fixes ──\n");
    for d in with_fixes {
        for fix in &d.fixes {
            let file = sources.get(fix.span.file);
            let (from, to) = (file.line_col(fix.span.start), file.line_col(fix.span.end));
            let old = &file.text[fix.span.start..fix.span.end];
            out.push_str(&format!(
                "{} `{}` at {}:{}..{}:{}\n  replace: {}\n  with:    {}\n",
                d.code,
                fix.title,
                from.line,
                from.column,
                to.line,
                to.column,
                shown(old),
                shown(&fix.replacement)
            ));
        }
    }
    out
}

/// A fix's text on one line, quoted so that an empty or space-only text is visible.
fn shown(text: &str) -> String {
    format!("{text:?}")
}
