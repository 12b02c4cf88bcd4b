//! Every diagnostic code is documented and exercised: `docs/codes/CODE.md` exists with
//! What / Why / Example / Fix sections, and some `tests/ui/fail/*.lam` expects the code
//! (or, for the few whose input cannot be committed, a named test makes it).

use std::collections::BTreeSet;
use std::path::PathBuf;

use lamc::diag::ALL_CODES;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Codes named in `# expect: CODE @ …` headers of the fail corpus.
fn expected_codes() -> BTreeSet<String> {
    let dir = root().join("tests/ui/fail");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("tests/ui/fail exists") {
        let path = entry.expect("readable dir").path();
        if path.extension().is_none_or(|x| x != "lam") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable file");
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("# expect:") {
                if let Some((code, _)) = rest.split_once('@') {
                    out.insert(code.trim().to_string());
                }
            }
        }
    }
    out
}

/// Section headings (`## What`, `### Fix`, …) of a markdown document, lower-cased.
fn headings(doc: &str) -> Vec<String> {
    doc.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim().to_lowercase())
        .collect()
}

#[test]
fn every_code_has_documentation_with_all_sections() {
    let mut missing = Vec::new();
    for code in ALL_CODES {
        let path = root().join(format!("docs/codes/{code}.md"));
        let Ok(doc) = std::fs::read_to_string(&path) else {
            missing.push(format!("{code}: no docs/codes/{code}.md"));
            continue;
        };
        assert_eq!(
            doc,
            code.doc(),
            "{code}: embedded doc differs from the file"
        );
        let heads = headings(&doc);
        for section in ["what", "why", "example", "fix"] {
            if !heads.iter().any(|h| h.starts_with(section)) {
                missing.push(format!("{code}: no `## {section}` section"));
            }
        }
        if !doc.contains("```") {
            missing.push(format!("{code}: the example has no code block"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} documentation problems:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// Codes whose failing input cannot be a file in the repository (a source over 16 MiB, a
/// code folder over 250 MB): the test that makes it at run time instead, as (code, test
/// file, test function).
const MADE_AT_RUN_TIME: &[(&str, &str, &str)] = &[
    (
        "E0429",
        "tests/files_safety.rs",
        "a_source_over_the_cap_is_e0429_without_reading_it",
    ),
    (
        "E0432",
        "tests/files_safety.rs",
        "a_code_folder_over_250_mb_is_e0432",
    ),
    (
        "E0477",
        "tests/files_safety.rs",
        "a_function_and_its_layers_over_250_mb_are_e0477",
    ),
    // cfn-lint's findings: only `check --lint` reports them, with a cfn-lint to run.
    (
        "E0461",
        "tests/insight_lint.rs",
        "an_error_finding_is_e0461_at_the_attribute_behind_the_property",
    ),
    (
        "W0539",
        "tests/insight_lint.rs",
        "a_real_cfn_lint_finding_is_shown_at_the_function",
    ),
];

#[test]
fn every_code_has_a_fail_case() {
    let expected = expected_codes();
    for (code, file, test) in MADE_AT_RUN_TIME {
        let text = std::fs::read_to_string(root().join(file)).expect("test file");
        assert!(
            text.contains(&format!("fn {test}()")) && text.contains(code),
            "{code}: {file} has no test `{test}` that mentions it"
        );
    }
    let missing: Vec<String> = ALL_CODES
        .iter()
        .map(|c| c.to_string())
        .filter(|c| !expected.contains(c))
        .filter(|c| !MADE_AT_RUN_TIME.iter().any(|(m, _, _)| m == c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a tests/ui/fail case: {}",
        missing.join(", ")
    );
}

#[test]
fn every_doc_and_expectation_names_a_real_code() {
    let known: BTreeSet<String> = ALL_CODES.iter().map(|c| c.to_string()).collect();
    let stale: Vec<String> = expected_codes()
        .into_iter()
        .filter(|c| !known.contains(c))
        .collect();
    assert!(
        stale.is_empty(),
        "fail cases expect unknown codes: {stale:?}"
    );
    let mut orphan = Vec::new();
    for entry in std::fs::read_dir(root().join("docs/codes")).expect("docs/codes exists") {
        let path = entry.expect("readable dir").path();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.extension().is_some_and(|x| x == "md") && !known.contains(&stem) {
            orphan.push(stem);
        }
    }
    assert!(
        orphan.is_empty(),
        "docs for codes that do not exist: {orphan:?}"
    );
}
