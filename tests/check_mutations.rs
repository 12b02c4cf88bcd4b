//! One mistake, one diagnostic, checked systematically: every clean example program is
//! mutated one token at a time (the token deleted, or a name misspelt) and checked again.
//! A mutation may break the declaration it is in; outside it, at most one diagnostic may
//! follow from it (a declaration renamed away is one unresolved name, reported once with
//! all its uses), never one per place that uses it.

use std::path::{Path, PathBuf};

use lamc::diag::Diagnostic;
use lamc::driver::{check_source, Compilation};

use crate::check_support::opts;

/// A token of a `.lam` file: its byte range.
type Token = (usize, usize);

/// The tokens of `text`, roughly as the grammar sees them: names and numbers (with what is
/// glued to them), strings, and single punctuation characters. Comments are skipped.
fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if b == b'#' {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            continue;
        }
        if b == b'"' {
            let raw = text[i..].starts_with("\"\"\"");
            let close = if raw {
                text[i + 3..].find("\"\"\"").map(|n| i + 3 + n + 3)
            } else {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' && bytes[j] != b'\n' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                Some((j + 1).min(bytes.len()))
            };
            i = close.unwrap_or(bytes.len());
        } else if b.is_ascii_alphanumeric() || b == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        out.push((start, i));
    }
    out
}

/// The clean programs: the examples, with the folder their code paths resolve against.
fn programs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path().join("app.lam")))
        .filter(|p| p.is_file())
        .collect();
    let pass = root.join("../tests/ui/pass");
    out.extend(
        std::fs::read_dir(&pass)
            .expect("tests/ui/pass")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "lam")),
    );
    out.sort();
    out
}

fn check_text(path: &Path, text: String) -> Compilation {
    check_source(
        path.display().to_string(),
        Some(path.to_path_buf()),
        text,
        &opts(),
    )
}

/// Top-level declarations of `text`: `(start, end)` of each, from one declaration keyword
/// in the first column to the next.
fn declarations(text: &str) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let first = line
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next();
        if first.is_some_and(|w| lamc::syntax::DECLARATION_KEYWORDS.contains(&w)) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut out = Vec::new();
    for (i, s) in starts.iter().enumerate() {
        out.push((*s, starts.get(i + 1).copied().unwrap_or(text.len())));
    }
    out
}

/// A diagnostic of the mutated program, described for a failure message.
fn describe(c: &Compilation, d: &Diagnostic) -> String {
    let f = c.sources.get(d.primary.span.file);
    format!(
        "{} line {}: {}",
        d.code,
        f.line_col(d.primary.span.start).line,
        d.message
    )
}

/// What a mutation of `text` at `at..end` (replaced by `with`) reports outside the
/// declaration it is in.
fn far_diagnostics(path: &Path, text: &str, at: usize, end: usize, with: &str) -> Vec<String> {
    let mutated = format!("{}{with}{}", &text[..at], &text[end..]);
    let c = check_text(path, mutated);
    let shift = |pos: usize| -> usize {
        // Where `pos` of the mutated text was in the original.
        if pos <= at {
            pos
        } else {
            (pos + (end - at)).saturating_sub(with.len())
        }
    };
    let decls = declarations(text);
    let home = decls
        .iter()
        .find(|(s, e)| (*s..*e).contains(&at))
        .copied()
        .unwrap_or((0, text.len()));
    c.diagnostics
        .iter()
        .filter(|d| d.primary.span.file == c.root)
        .filter(|d| {
            let pos = shift(d.primary.span.start);
            !(home.0..home.1).contains(&pos)
        })
        .map(|d| describe(&c, d))
        .collect()
}

/// `jobs` → `jbos`: the second and third letters swapped.
fn misspelt(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| c.is_ascii_alphabetic() || *c == '_') {
        return None;
    }
    let mut out = chars.clone();
    out.swap(1, 2);
    (out != chars).then(|| out.into_iter().collect())
}

/// Every mutation of the program at `path` that reports more than once outside the
/// declaration it is in, described; and how many mutations were tried.
fn cascades(path: &Path) -> (Vec<String>, usize) {
    let text = std::fs::read_to_string(path).expect("readable program");
    let clean = check_text(path, text.clone());
    assert!(
        clean.diagnostics.is_empty(),
        "{} is not clean",
        path.display()
    );
    let mut failures = Vec::new();
    let mut mutations = 0;
    for (start, end) in tokens(&text) {
        let word = &text[start..end];
        let mut edits = vec![String::new()];
        edits.extend(misspelt(word));
        for with in edits {
            mutations += 1;
            let far = far_diagnostics(path, &text, start, end, &with);
            if far.len() > 1 {
                let line = text[..start].matches('\n').count() + 1;
                let what = if with.is_empty() {
                    format!("deleting `{word}`")
                } else {
                    format!("`{word}` → `{with}`")
                };
                failures.push(format!(
                    "{}:{line}: {what} also reports\n      {}",
                    path.display(),
                    far.join("\n      ")
                ));
            }
        }
    }
    (failures, mutations)
}

#[test]
fn a_one_token_mistake_reports_at_most_once_elsewhere() {
    let programs = programs();
    // Two threads: the programs are independent and the checks many.
    let (left, right) = programs.split_at(programs.len() / 2);
    let run = |part: &[PathBuf]| -> (Vec<String>, usize) {
        part.iter()
            .map(|p| cascades(p))
            .fold((Vec::new(), 0), |(mut f, n), (more, m)| {
                f.extend(more);
                (f, n + m)
            })
    };
    let ((mut failures, a), (more, b)) = std::thread::scope(|s| {
        let other = s.spawn(|| run(right));
        let mine = run(left);
        (mine, other.join().expect("mutation thread"))
    });
    failures.extend(more);
    let mutations = a + b;
    assert!(mutations > 5000, "only {mutations} mutations");
    assert!(
        failures.is_empty(),
        "{} of {mutations} mutations cascade:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
