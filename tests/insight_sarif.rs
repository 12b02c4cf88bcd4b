//! `--message-format sarif` on `check` and `build`: one SARIF 2.1.0 log, valid against the
//! OASIS schema (tests/sarif), with rules, levels, regions and fixes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn lamc(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").current_dir(dir);
    cmd
}

/// Line 4: E0401 after multi-byte characters; line 6: E0417 with a fix; two reservations
/// over a 300 account (E0423, with a related location).
const BROKEN: &str = r#"function resize {
  runtime = python3.12
  handler = "resize.handler"
  description = "Größe ☕", memory = 20GB
  code    = "src"
  concurrency { reserved = 150, provisioned = 0 }
}

function thumbnail {
  runtime = python3.9
  handler = "resize.handler"
  code    = "src"
  concurrency { reserved = 150 }
}
"#;

const CLEAN: &str = r#"function resize {
  runtime = python3.12
  handler = "resize.handler"
  code    = "src"
}
"#;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let p = dir.path().join(name);
        let src = p.parent().unwrap_or(dir.path()).join("src");
        std::fs::create_dir_all(&src).expect("mkdir src");
        std::fs::write(
            src.join("resize.py"),
            "def handler(event, context):\n    return event\n",
        )
        .expect("write handler");
        std::fs::write(p, text).expect("write source");
    }
    dir
}

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json")
}

/// Validates the log given as argv[2] against the schema in argv[1]: exit 0 when valid,
/// 3 with the errors on stdout when not. (The schema itself is not checked against its
/// metaschema: its `language` pattern uses `(?i)`, which is not an ECMA-262 regex.)
const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
log = json.load(open(sys.argv[2], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
errors = sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(log), key=str)
for e in errors:
    print("/".join(map(str, e.absolute_path)), e.message)
sys.exit(3 if errors else 0)
"#;

/// The schema's complaints about `log` (empty when it is valid SARIF 2.1.0).
fn schema_errors(log: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("log.sarif");
    std::fs::write(&file, log).expect("write log");
    let out = std::process::Command::new(crate::tools::venv_python())
        .arg("-c")
        .arg(VALIDATE)
        .arg(schema())
        .arg(&file)
        .output()
        .expect("python runs");
    // 0: valid, 3: invalid; anything else is the validator failing.
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "the validator failed (is jsonschema installed? run .ci/run): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_valid(log: &str) {
    let errors = schema_errors(log);
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n{errors}");
}

fn results(log: &Value) -> Vec<Value> {
    log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn the(results: &[Value], code: &str) -> Value {
    let found: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == code).collect();
    let codes: Vec<&Value> = results.iter().map(|r| &r["ruleId"]).collect();
    assert_eq!(found.len(), 1, "one {code} among {codes:?}");
    found[0].clone()
}

fn region(r: &Value) -> (u64, u64, u64, u64) {
    let g = &r["locations"][0]["physicalLocation"]["region"];
    let n = |k: &str| g[k].as_u64().unwrap_or(0);
    (
        n("startLine"),
        n("startColumn"),
        n("endLine"),
        n("endColumn"),
    )
}

#[test]
fn check_writes_a_valid_log_with_rules_regions_and_fixes() {
    let dir = project(&[("app dir/app.lam", BROKEN)]);
    let out = lamc(dir.path())
        .args(["check", "app dir/app.lam", "--message-format", "sarif"])
        .args(["--account-concurrency", "300"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_valid(&text);
    let log: Value = serde_json::from_str(&text).expect("one JSON document");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "lamc");
    assert_eq!(run["columnKind"], "unicodeCodePoints");

    let rs = results(&log);
    let memory = the(&rs, "E0401");
    assert_eq!(memory["level"], "error");
    // Columns count characters (`20GB` is at byte column 41, after `Größe ☕`).
    assert_eq!(region(&memory), (4, 37, 4, 41));
    assert_eq!(
        memory["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app%20dir/app.lam"
    );
    let message = memory["message"]["text"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("memory 20GB is out of range\nhelp: "),
        "{message}"
    );

    let zero = the(&rs, "E0417");
    let change = &zero["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(change["insertedContent"]["text"], "1");
    assert_eq!(change["deletedRegion"]["startLine"], 6);

    let quota = the(&rs, "E0423");
    assert_eq!(region(&quota).0, 13);
    assert_eq!(
        quota["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        6
    );
    assert_eq!(
        quota["relatedLocations"][0]["message"]["text"],
        "reserves 150"
    );

    assert_eq!(the(&rs, "W0501")["level"], "warning");

    // One rule per code reported, in code order, each with its page as help.
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut codes: Vec<&str> = rs.iter().filter_map(|r| r["ruleId"].as_str()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(ids, codes);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (i, rule) in rules.iter().enumerate() {
        let id = rule["id"].as_str().unwrap_or_default();
        let page = std::fs::read_to_string(root.join(format!("docs/codes/{id}.md")))
            .expect("the code's page");
        assert_eq!(rule["help"]["markdown"], page.as_str());
        assert!(rule["shortDescription"]["text"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
        if let Some(uri) = rule["helpUri"].as_str() {
            assert!(uri.starts_with("https://") && uri.ends_with(&format!("docs/codes/{id}.md")));
        }
        for r in rs.iter().filter(|r| r["ruleId"] == id) {
            assert_eq!(r["ruleIndex"], i);
        }
    }
}

#[test]
fn check_writes_one_log_for_all_files_even_when_clean() {
    let dir = project(&[("a.lam", BROKEN), ("b.lam", CLEAN)]);
    let run = |files: &[&str]| {
        lamc(dir.path())
            .arg("check")
            .args(files)
            .args(["--message-format", "sarif"])
            .output()
            .expect("lamc runs")
    };
    let clean = run(&["b.lam"]);
    assert_eq!(clean.status.code(), Some(0));
    let text = String::from_utf8(clean.stdout).expect("utf-8");
    assert_valid(&text);
    let log: Value = serde_json::from_str(&text).expect("JSON");
    assert!(results(&log).is_empty());

    let both = run(&["a.lam", "b.lam", "missing.lam"]);
    assert_eq!(
        both.status.code(),
        Some(2),
        "a file that cannot be read: exit 2"
    );
    let text = String::from_utf8(both.stdout).expect("utf-8");
    assert_valid(&text);
    let log: Value = serde_json::from_str(&text).expect("one JSON document");
    assert_eq!(log["runs"].as_array().map(Vec::len), Some(1));
    assert!(results(&log)
        .iter()
        .all(|r| { r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.lam" }));
    // Same input, same bytes.
    assert_eq!(
        run(&["a.lam", "b.lam", "missing.lam"]).stdout,
        text.as_bytes()
    );
}

#[test]
fn build_writes_the_log_alone_on_stderr() {
    let dir = project(&[("app.lam", BROKEN), ("ok.lam", CLEAN)]);
    let failed = lamc(dir.path())
        .args(["build", "app.lam", "--message-format", "sarif"])
        .output()
        .expect("lamc runs");
    assert_eq!(failed.status.code(), Some(1));
    assert!(failed.stdout.is_empty(), "no template");
    let text = String::from_utf8(failed.stderr).expect("utf-8");
    assert_valid(&text);
    let log: Value = serde_json::from_str(&text).expect("stderr is one JSON document");
    the(&results(&log), "E0401");

    let built = lamc(dir.path())
        .args(["build", "ok.lam", "--message-format", "sarif"])
        .output()
        .expect("lamc runs");
    assert_eq!(built.status.code(), Some(0));
    let template: Value = serde_json::from_slice(&built.stdout).expect("the template");
    assert!(template["Resources"].is_object());
    let text = String::from_utf8(built.stderr).expect("utf-8");
    assert_valid(&text);
}

#[test]
fn the_schema_rejects_what_is_not_sarif() {
    // The validator is not a formality: a region that starts on line 0 is refused.
    let dir = project(&[("app.lam", BROKEN)]);
    let out = lamc(dir.path())
        .args(["check", "app.lam", "--message-format", "sarif"])
        .output()
        .expect("lamc runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let broken = text.replacen("\"startLine\": 4", "\"startLine\": 0", 1);
    assert!(broken != text, "the log has a region on line 4");
    let errors = schema_errors(&broken);
    assert!(errors.contains("startLine"), "{errors}");
    let no_version = text.replacen("\"version\": \"2.1.0\"", "\"version\": \"2.0.0\"", 1);
    assert!(!schema_errors(&no_version).is_empty());
}

/// A route public by exception to its API's authorizer is a `note` result, still valid.
#[test]
fn a_public_route_note_is_a_valid_note_result() {
    const APP: &str = r#"auth users { jwt { issuer = "https://example.auth0.com/", audience = ["a"] } }
api shop { auth = auth.users }

function resize {
  runtime = python3.12
  handler = "resize.handler"
  code    = "src"
  on http "GET /health" via api.shop { auth = none }
}
"#;
    let dir = project(&[("app.lam", APP)]);
    let out = lamc(dir.path())
        .args(["check", "app.lam", "--message-format", "sarif"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_valid(&text);
    let log: Value = serde_json::from_str(&text).expect("one JSON document");
    let note = the(&results(&log), "W0522");
    assert_eq!(note["level"], "note");
    assert_eq!(region(&note).0, 8);
}
