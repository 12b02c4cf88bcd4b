//! The formatter on every `.lam` file in the repository:
//!
//! - `examples/` and `stdlib/` are already formatted;
//! - every input under `tests/` formats to a fixed point (twice = once), reads back as the
//!   same tree with the same comments, and compiles to the same template (the same
//!   diagnostic codes for programs that do not compile);
//! - inputs with syntax errors are refused with exactly the parser's errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lamc::driver::{self, CheckOptions};
use lamc::fmt::{equiv, format_source};
use lamc::plan::{self, PlanOptions};
use lamc::source::FileId;
use lamc::syntax::parse;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lam_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "lam"))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn examples_and_stdlib_are_formatted() {
    let mut files = lam_files(&root().join("examples"));
    files.extend(lam_files(&root().join("stdlib")));
    assert!(
        files.len() >= 8,
        "expected the examples and stdlib, found {files:?}"
    );
    let mut unformatted = Vec::new();
    for f in &files {
        let text = read(f);
        let out = format_source(&text)
            .unwrap_or_else(|d| panic!("{} does not parse: {d:?}", f.display()));
        if out != text {
            unformatted.push(f.display().to_string());
        }
    }
    assert!(
        unformatted.is_empty(),
        "not formatted (run `lamc fmt examples stdlib`): {unformatted:?}"
    );
}

/// Every test input either has syntax errors (and is refused with exactly those) or
/// formats to a fixed point that reads back as the same program with the same comments.
#[test]
fn every_test_input_formats_stably_and_keeps_its_tree() {
    let files = lam_files(&root().join("tests"));
    assert!(files.len() > 50, "test corpus not found");
    let mut formatted = 0;
    for f in &files {
        let text = read(f);
        let (before, diags) = parse(FileId(0), &text);
        let parse_errors: Vec<_> = diags.into_iter().filter(|d| d.is_error()).collect();
        match format_source(&text) {
            Err(refused) => {
                assert!(
                    !parse_errors.is_empty(),
                    "{} refused: {refused:?}",
                    f.display()
                );
                assert_eq!(refused, parse_errors, "{}", f.display());
            }
            Ok(once) => {
                assert!(parse_errors.is_empty(), "{} has syntax errors", f.display());
                formatted += 1;
                let twice = format_source(&once)
                    .unwrap_or_else(|d| panic!("{}: output refused: {d:?}", f.display()));
                assert_eq!(twice, once, "{}: not a fixed point", f.display());
                let (after, diags) = parse(FileId(0), &once);
                assert!(diags.iter().all(|d| !d.is_error()), "{}", f.display());
                assert!(
                    equiv::same_tree(&before, &after),
                    "{}: tree changed",
                    f.display()
                );
                assert_eq!(
                    equiv::comment_texts(&text, &before.comments),
                    equiv::comment_texts(&once, &after.comments),
                    "{}: comments changed",
                    f.display()
                );
                assert!(once.is_empty() || once.ends_with('\n'));
                assert!(!once.contains("\n\n\n"), "{}: two blank lines", f.display());
                assert!(
                    once.lines()
                        .all(|l| !l.ends_with(' ') || l.trim().is_empty()),
                    "{}: trailing spaces",
                    f.display()
                );
            }
        }
    }
    assert!(formatted > 50, "only {formatted} files formatted");
}

fn opts() -> CheckOptions {
    CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date"))
}

/// The template, or the set of diagnostic codes when the program does not compile.
fn compile(path: &Path, text: String) -> Result<String, BTreeSet<String>> {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let c = driver::check_source(path.display().to_string(), Some(real), text, &opts());
    let mut codes: BTreeSet<String> = c.diagnostics.iter().map(|d| d.code.to_string()).collect();
    if c.has_errors() {
        return Err(codes);
    }
    let Some(model) = &c.model else {
        return Err(codes);
    };
    // No artifacts directory: code folders are hashed in memory, nothing is written.
    let po = PlanOptions::default();
    match plan::plan(model, &po) {
        Ok(stack) if codes.is_empty() => Ok(lamc::emit::json(&stack)),
        Ok(stack) => {
            // Warnings: the template and the codes must both match.
            codes.insert(lamc::emit::json(&stack));
            Err(codes)
        }
        Err(more) => {
            codes.extend(more.iter().map(|d| d.code.to_string()));
            Err(codes)
        }
    }
}

#[test]
fn formatted_programs_compile_to_the_same_template() {
    let mut files = lam_files(&root().join("tests"));
    files.extend(lam_files(&root().join("examples")));
    let mut templates = 0;
    for f in &files {
        let text = read(f);
        let Ok(formatted) = format_source(&text) else {
            continue;
        };
        let before = compile(f, text);
        let after = compile(f, formatted);
        assert_eq!(
            before,
            after,
            "{}: formatting changed the result",
            f.display()
        );
        templates += usize::from(before.is_ok());
    }
    assert!(templates >= 25, "only {templates} programs compiled");
}
