//! Every ```lam example of the language reference compiles as written.
//!
//! - `docs/language.md`: each block has a verbatim copy in `tests/ui/pass/spec_*.lam` (so it
//!   is also snapshotted and linted by the ui harness) and compiles with no diagnostic.
//! - `../shared/design/language.md`, when present beside the repository: each block compiles
//!   with no diagnostic, so the reference and the design cannot drift apart unnoticed.

use std::path::PathBuf;

use chrono::NaiveDate;
use lamc::driver::{self, CheckOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn opts() -> CheckOptions {
    CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date"))
}

/// `(1-based line of the fence, body)` of every ```lam block.
fn lam_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_start();
        match current.as_mut() {
            None if fence.starts_with("```lam") => current = Some((i + 1, String::new())),
            None => {}
            Some(_) if fence.starts_with("```") => {
                if let Some(block) = current.take() {
                    out.push(block);
                }
            }
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    out
}

/// Compile `text` as if it were a file in `tests/ui/pass/` (where the code folders the
/// examples name live); every diagnostic is a failure.
fn compile_block(label: &str, text: &str) -> Result<(), String> {
    let virtual_path = root().join("tests/ui/pass/__spec_block.lam");
    let c = driver::check_source(
        label.to_string(),
        Some(virtual_path),
        text.to_string(),
        &opts(),
    );
    if c.diagnostics.is_empty() && c.model.is_some() {
        return Ok(());
    }
    let file = c.sources.get(c.root);
    let all: Vec<String> = c
        .diagnostics
        .iter()
        .map(|d| {
            let lc = c
                .sources
                .get(d.primary.span.file)
                .line_col(d.primary.span.start);
            format!("{} @ {}:{}: {}", d.code, lc.line, lc.column, d.message)
        })
        .collect();
    Err(format!(
        "{label} ({} lines): {}",
        file.text.lines().count(),
        if all.is_empty() {
            "no model".to_string()
        } else {
            all.join("; ")
        }
    ))
}

fn spec_copies() -> Vec<(PathBuf, String)> {
    let dir = root().join("tests/ui/pass");
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .expect("tests/ui/pass exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("spec_"))
                && p.extension().is_some_and(|x| x == "lam")
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (p, text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn reference_examples_have_copies_in_the_pass_corpus_and_compile() {
    let path = root().join("docs/language.md");
    let md = std::fs::read_to_string(&path).expect("docs/language.md exists");
    let blocks = lam_blocks(&md);
    assert!(
        blocks.len() >= 5,
        "docs/language.md should show the language by example"
    );
    let copies = spec_copies();
    let mut failures = Vec::new();
    for (line, body) in &blocks {
        let label = format!("docs/language.md:{line}");
        if !copies.iter().any(|(_, t)| t.trim() == body.trim()) {
            failures.push(format!(
                "{label}: no verbatim copy in tests/ui/pass/spec_*.lam"
            ));
        }
        if let Err(e) = compile_block(&label, body) {
            failures.push(e);
        }
    }
    // And no stale copy: each spec_*.lam is still a block of the reference.
    for (p, text) in &copies {
        if !blocks.iter().any(|(_, b)| b.trim() == text.trim()) {
            failures.push(format!(
                "{}: not an example of docs/language.md any more",
                p.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn design_examples_compile_when_the_design_is_beside_the_repository() {
    let design = root().join("../shared/design/language.md");
    let Ok(md) = std::fs::read_to_string(&design) else {
        eprintln!(
            "{} not found; the design drift check runs where it exists (CI)",
            design.display()
        );
        return;
    };
    let blocks = lam_blocks(&md);
    assert!(!blocks.is_empty(), "the design has ```lam examples");
    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|(line, body)| compile_block(&format!("design language.md:{line}"), body).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fenced_blocks_are_extracted() {
    let md = "text\n```lam\nbucket b {}\n```\n```ebnf\nx = y ;\n```\n  ```lam\nqueue q {}\n  ```\n";
    let blocks = lam_blocks(md);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0], (2, "bucket b {}\n".to_string()));
    assert_eq!(blocks[1].1, "queue q {}\n");
}
