//! checkov over every template of the ui corpus (the pass cases and the examples, as their
//! snapshots hold them): one checkov run over a folder of templates. Every failed check
//! must be in `tests/checkov-skips.txt` with its reason, and every check listed there must
//! still be failed by some template (a stale skip is an error too).

use crate::tools;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The kinds of reason a skip may give.
const REASONS: &[&str] = &["not-applicable", "opt-in", "user-choice"];

/// `ID → reason` from the skip list; malformed lines are errors.
fn skips(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(id), Some(kind)) = (words.next(), words.next()) else {
            return Err(format!("line {}: expected `ID KIND REASON`", i + 1));
        };
        let reason: Vec<&str> = words.collect();
        if !id.starts_with("CKV_") || !REASONS.contains(&kind) || reason.len() < 3 {
            return Err(format!(
                "line {}: `{line}` needs a check ID, one of {REASONS:?} and a reason",
                i + 1
            ));
        }
        if out.insert(id.to_string(), reason.join(" ")).is_some() {
            return Err(format!("line {}: {id} listed twice", i + 1));
        }
    }
    Ok(out)
}

/// The template a snapshot holds (the text after insta's header).
fn snapshot_body(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + 5..])
}

/// Write every snapshot's template into `dir`; returns how many.
fn write_templates(dir: &Path) -> usize {
    let mut n = 0;
    let snaps = root().join("tests/ui/snapshots");
    for entry in std::fs::read_dir(&snaps).expect("snapshots folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable snapshot");
        let body = snapshot_body(&text)
            .unwrap_or_else(|| panic!("{}: not an insta snapshot", path.display()));
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        std::fs::write(dir.join(format!("{name}.json")), body).expect("write");
        n += 1;
    }
    n
}

struct Report {
    passed: u64,
    /// `(check ID, template file, resource)` of every failed check.
    failed: Vec<(String, String, String)>,
}

fn run_checkov(dir: &Path) -> Result<Report, String> {
    let exe = tools::try_checkov()?;
    let out = Command::new(&exe)
        .args([
            "--skip-download",
            "--quiet",
            "--compact",
            "--framework",
            "cloudformation",
        ])
        .args(["--output", "json", "--directory"])
        .arg(dir)
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc: serde_json::Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "checkov printed no JSON report ({e}; status {:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let summary = &doc["summary"];
    if summary["parsing_errors"].as_u64() != Some(0) {
        return Err(format!("checkov could not parse some templates: {summary}"));
    }
    let failed = doc["results"]["failed_checks"]
        .as_array()
        .map(|checks| {
            checks
                .iter()
                .map(|c| {
                    let text = |k: &str| c[k].as_str().unwrap_or("?").to_string();
                    (text("check_id"), text("file_path"), text("resource"))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Report {
        passed: summary["passed"].as_u64().unwrap_or(0),
        failed,
    })
}

#[test]
fn every_template_passes_checkov_but_for_the_listed_skips() {
    let list = std::fs::read_to_string(root().join("tests/checkov-skips.txt"))
        .expect("tests/checkov-skips.txt");
    let skips = skips(&list).unwrap_or_else(|e| panic!("tests/checkov-skips.txt: {e}"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let templates = write_templates(tmp.path());
    assert!(templates >= 20, "the snapshot corpus looks incomplete");
    let report = run_checkov(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
    let (skipped, failed): (Vec<_>, Vec<_>) = report
        .failed
        .iter()
        .partition(|(id, _, _)| skips.contains_key(id));
    let used: BTreeSet<&String> = skipped.iter().map(|(id, _, _)| id).collect();
    let stale: Vec<&String> = skips.keys().filter(|id| !used.contains(id)).collect();
    eprintln!(
        "checkov over {templates} templates: {} passed, {} skipped ({} checks listed), {} failed",
        report.passed,
        skipped.len(),
        skips.len(),
        failed.len()
    );
    assert!(
        report.passed > 0,
        "checkov passed no check: did it run any?"
    );
    let problems: Vec<String> = failed
        .iter()
        .map(|(id, file, res)| format!("{id} fails on {res} in {file}"))
        .chain(
            stale
                .iter()
                .map(|id| format!("{id} is listed but no template fails it: remove it")),
        )
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_skip_list_reader_refuses_entries_without_a_reason() {
    assert!(skips("CKV_AWS_1 opt-in the language offers it\n").is_ok());
    assert!(skips("CKV_AWS_1 opt-in\n").is_err());
    assert!(skips("CKV_AWS_1 because I said so\n").is_err());
    assert!(skips("CKV_AWS_1 opt-in a b c\nCKV_AWS_1 opt-in a b c\n").is_err());
    assert_eq!(snapshot_body("---\nsource: x\n---\n{}\n"), Some("{}\n"));
}
