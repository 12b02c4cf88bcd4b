//! `lamc check`: diagnostics only, human or JSON lines, several files, colour rules.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn lamc() -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").env_remove("NO_COLOR");
    cmd
}

/// Line 5 has multi-byte characters before the error: `memory = 20GB` (E0401, FN-05).
const MULTIBYTE: &str = r#"# Größe ändern
function resize {
  runtime = python3.12
  handler = "resize.handler"
  description = "Größe ☕ ändern", memory = 20GB
  code = "src"
}
"#;

const VALID: &str = r#"function resize {
  runtime = python3.12
  handler = "resize.handler"
  code    = "src"
}
"#;

const WARNS: &str = r#"function resize {
  runtime = python3.9
  handler = "resize.handler"
  code    = "src"
}
"#;

fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("src")).expect("mkdir src");
    std::fs::write(
        dir.path().join("src").join("resize.py"),
        "def handler(event, context):\n    return event\n",
    )
    .expect("write handler");
    let paths = files
        .iter()
        .map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("write source");
            p
        })
        .collect();
    (dir, paths)
}

/// 1-based line and character column of the first occurrence of `needle`.
fn char_position(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    (line as u64, column as u64)
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is one JSON object"))
        .collect()
}

#[test]
fn valid_file_exits_0_quietly() {
    let (dir, paths) = project(&[("app.lam", VALID)]);
    lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn errors_exit_1_with_a_human_report() {
    let (dir, paths) = project(&[("app.lam", MULTIBYTE)]);
    let assert = lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("error[E0401]"))
        .stderr(predicate::str::contains("error: could not compile"));
    // The snippet header gives line and character column, like the JSON output.
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let header = |(line, column): (u64, u64)| format!("app.lam:{line}:{column}]");
    assert!(
        stderr.contains(&header(char_position(MULTIBYTE, "20GB")))
            || stderr.contains(&header(char_position(MULTIBYTE, "memory = 20GB"))),
        "{stderr}"
    );
}

#[test]
fn json_lines_carry_every_field_with_character_columns() {
    let (dir, paths) = project(&[("app.lam", MULTIBYTE)]);
    let out = lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .args(["--message-format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let diags = json_lines(&out);
    let d = diags
        .iter()
        .find(|d| d["code"] == "E0401")
        .unwrap_or_else(|| panic!("an E0401 line in {diags:?}"));
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(d["file"].as_str().is_some_and(|f| f.ends_with("app.lam")));
    for key in ["help", "labels", "fixes", "end_line", "end_column"] {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert!(d["labels"].is_array() && d["fixes"].is_array());
    // The span starts at `memory` or at `20GB`; either way the column counts characters
    // (the line has 6 multi-byte characters before it).
    let at_name = char_position(MULTIBYTE, "memory = 20GB");
    let at_value = char_position(MULTIBYTE, "20GB");
    let start = (
        d["line"].as_u64().unwrap_or(0),
        d["column"].as_u64().unwrap_or(0),
    );
    assert!(
        start == at_name || start == at_value,
        "start {start:?} in {d}"
    );
    assert_eq!(at_value, (5, 44)); // byte column would be 49
    let end = (
        d["end_line"].as_u64().unwrap_or(0),
        d["end_column"].as_u64().unwrap_or(0),
    );
    assert_eq!(
        end,
        (5, 48),
        "the span ends after `20GB` (exclusive end): {d}"
    );
}

#[test]
fn every_file_is_checked() {
    let (dir, paths) = project(&[
        ("bad.lam", MULTIBYTE),
        ("warn.lam", WARNS),
        ("ok.lam", VALID),
    ]);
    let out = lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .args(["--message-format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let diags = json_lines(&out);
    assert!(diags.iter().any(
        |d| d["code"] == "E0401" && d["file"].as_str().is_some_and(|f| f.ends_with("bad.lam"))
    ));
    assert!(diags.iter().any(|d| d["code"] == "W0501"
        && d["severity"] == "warning"
        && d["file"].as_str().is_some_and(|f| f.ends_with("warn.lam"))));
}

#[test]
fn a_missing_file_among_others_exits_2_after_checking_the_rest() {
    let (dir, mut paths) = project(&[("warn.lam", WARNS)]);
    paths.insert(0, dir.path().join("missing.lam"));
    lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.lam"))
        .stderr(predicate::str::contains("W0501"));
}

#[test]
fn warnings_pass_unless_denied() {
    let (dir, paths) = project(&[("app.lam", WARNS)]);
    lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning[W0501]"))
        .stderr(predicate::str::contains("1 warning"));
    lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .arg("--deny-warnings")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("could not compile"));
}

#[test]
fn today_flag_changes_the_runtime_verdict() {
    // python3.9 is creatable until 2027-02-01 (RT-02): a warning before, an error after.
    let (dir, paths) = project(&[("app.lam", WARNS)]);
    lamc()
        .current_dir(dir.path())
        .args(["--today", "2027-03-01", "check"])
        .args(&paths)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E0412"));
    lamc()
        .current_dir(dir.path())
        .env("LAMC_TODAY", "2027-03-01")
        .arg("check")
        .args(&paths)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E0412"));
}

#[test]
fn no_color_means_no_escape_bytes() {
    let (dir, paths) = project(&[("app.lam", MULTIBYTE)]);
    for value in ["1", ""] {
        let assert = lamc()
            .current_dir(dir.path())
            .env("NO_COLOR", value)
            .arg("check")
            .args(&paths)
            .assert()
            .code(1);
        let out = assert.get_output();
        assert!(!out.stderr.is_empty());
        assert!(
            !out.stderr.contains(&0x1b),
            "ESC in stderr with NO_COLOR={value:?}"
        );
        assert!(!out.stdout.contains(&0x1b));
    }
}

#[test]
fn piped_output_has_no_escape_bytes_either() {
    // assert_cmd captures stderr through a pipe, which is not a terminal.
    let (dir, paths) = project(&[("app.lam", MULTIBYTE)]);
    let assert = lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .assert()
        .code(1);
    assert!(!assert.get_output().stderr.contains(&0x1b));
}

#[test]
fn check_needs_at_least_one_file() {
    lamc().arg("check").assert().code(2).stdout("");
}

const RESERVES_300: &str = r#"defaults {
  runtime = python3.12
  handler = "resize.handler"
  code    = "src"
}

function resize {
  concurrency { reserved = 150 }
}

function thumbnail {
  concurrency { reserved = 150 }
}
"#;

#[test]
fn account_concurrency_sets_the_reservable_total() {
    // 300 reserved: within the standard quota's 900, over the 200 of a 300 account (CC-03).
    let (dir, paths) = project(&[("app.lam", RESERVES_300)]);
    lamc()
        .current_dir(dir.path())
        .arg("check")
        .args(&paths)
        .assert()
        .code(0);
    let out = lamc()
        .current_dir(dir.path())
        .args([
            "check",
            "--account-concurrency",
            "300",
            "--message-format",
            "json",
        ])
        .args(&paths)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let diags = json_lines(&out);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0423");
    assert_eq!(
        diags[0]["message"],
        "functions reserve 300 concurrency in total, over 200"
    );
    assert_eq!(diags[0]["line"], 12);
    let help = diags[0]["help"].as_str().unwrap_or_default();
    assert!(help.contains("account of 300"), "{help}");
    // The same figure stops a build, which then writes no template.
    lamc()
        .current_dir(dir.path())
        .args(["--account-concurrency", "300", "build"])
        .args(&paths)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("over 200"));
    // 400 leaves exactly the 300 reserved: the limit itself is allowed.
    lamc()
        .current_dir(dir.path())
        .args(["build", "--account-concurrency", "400"])
        .args(&paths)
        .assert()
        .code(0);
}

#[test]
fn account_concurrency_must_be_a_positive_count() {
    for bad in ["0", "-5", "many"] {
        lamc()
            .args(["check", "app.lam", &format!("--account-concurrency={bad}")])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--account-concurrency"));
    }
}

/// An API guarded by an authorizer, one route of it public by exception (line 9), and a
/// warning elsewhere (python3.9, W0501) so that notes and diagnostics are seen together.
const PUBLIC_ROUTE: &str = r#"auth users { jwt { issuer = "https://example.auth0.com/", audience = ["a"] } }
api shop { auth = auth.users }

function resize {
  runtime = python3.9
  handler = "resize.handler"
  code    = "src"
  on http "GET /orders" via api.shop
  on http "GET /health" via api.shop { auth = none }
}
"#;

#[test]
fn a_public_route_is_a_note_in_every_format() {
    let (dir, paths) = project(&[("app.lam", PUBLIC_ROUTE)]);
    let run = |format: &str| {
        lamc()
            .current_dir(dir.path())
            .args(["check", "app.lam", "--message-format", format])
            .output()
            .expect("lamc runs")
    };
    let human = run("human");
    assert_eq!(human.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(
        stderr.contains(
            "note: app.lam:9: route `GET /health` of api.shop is public (`auth = none` instead of auth.users)"
        ),
        "{stderr}"
    );

    // JSON lines: the diagnostics, then one object per note, in the diagnostics' shape.
    let json = run("json");
    assert_eq!(json.status.code(), Some(0));
    let lines = json_lines(&json.stdout);
    let severities: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["severity"].as_str())
        .collect();
    assert_eq!(severities, ["warning", "note"], "{lines:?}");
    let note = &lines[1];
    assert_eq!(note["code"], "W0522");
    let text = std::fs::read_to_string(&paths[0]).expect("source");
    let (line, column) = char_position(&text, "\"GET /health\"");
    assert_eq!(
        (note["line"].as_u64(), note["column"].as_u64()),
        (Some(line), Some(column))
    );
    assert!(
        note["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("route `GET /health` of api.shop is public")),
        "{note}"
    );
    assert_eq!(note["help"], serde_json::Value::Null);
    assert!(!String::from_utf8_lossy(&json.stderr).contains("note:"));

    // SARIF: a `note`-level result of W0522, whose rule stays a warning by default.
    let sarif = run("sarif");
    assert_eq!(sarif.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("one JSON log");
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let notes: Vec<&serde_json::Value> = results.iter().filter(|r| r["level"] == "note").collect();
    assert_eq!(notes.len(), 1, "{results:?}");
    assert_eq!(notes[0]["ruleId"], "W0522");
    let region = &notes[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"].as_u64(), Some(line));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let rule = rules
        .iter()
        .position(|r| r["id"] == "W0522")
        .expect("W0522's rule");
    assert_eq!(notes[0]["ruleIndex"].as_u64(), Some(rule as u64));
    assert_eq!(rules[rule]["defaultConfiguration"]["level"], "warning");
}
