//! The command line's own behaviour: usage errors, help, version, `explain`.
//! These need no checker: they hold whatever the pipeline does.

use assert_cmd::Command;
use predicates::prelude::*;

fn lamc() -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").env_remove("NO_COLOR");
    cmd
}

#[test]
fn no_arguments_is_a_usage_error() {
    lamc()
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("Usage: lamc"));
}

#[test]
fn unknown_flag_exits_2() {
    lamc()
        .args(["build", "--no-such-flag", "app.lam"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--no-such-flag"));
}

#[test]
fn bad_enum_value_exits_2() {
    lamc()
        .args(["build", "app.lam", "--format", "xml"])
        .assert()
        .code(2)
        .stdout("");
    lamc()
        .args(["check", "app.lam", "--message-format", "junit"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn bad_today_exits_2() {
    lamc()
        .args(["--today", "2026-02-30", "check", "app.lam"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.lam");
    lamc()
        .arg("build")
        .arg(&missing)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("cannot read").and(predicate::str::contains("missing.lam")),
        );
    lamc()
        .arg("check")
        .arg(&missing)
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn a_directory_is_not_a_source_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    lamc()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn version_prints_the_crate_version() {
    lamc()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn help_teaches_by_example() {
    lamc()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "lamc build app.lam > template.json",
        ))
        .stdout(predicate::str::contains("LAMC_TODAY"));
    for (cmd, example) in [
        ("build", "lamc build app.lam --format yaml -o template.yaml"),
        ("check", "lamc check app.lam --message-format json"),
        ("explain", "lamc explain --list"),
    ] {
        lamc()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains(example));
    }
    lamc()
        .args(["build", "--help"])
        .assert()
        .stdout(predicate::str::contains(".lamc/artifacts"));
}

#[test]
fn explain_prints_the_documentation_of_a_code() {
    let out = lamc()
        .args(["explain", "E0401"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.starts_with("# E0401"), "{text}");
    for section in ["## What", "## Why", "## Example", "## Fix"] {
        assert!(text.contains(section), "missing {section} in\n{text}");
    }
    assert!(text.contains("FN-05"), "the doc cites the AWS fact");
}

#[test]
fn explain_is_case_insensitive() {
    lamc()
        .args(["explain", "w0502"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# W0502"));
}

#[test]
fn explain_unknown_code_suggests_a_near_one() {
    lamc()
        .args(["explain", "E0O01"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown diagnostic code `E0O01`"))
        .stderr(predicate::str::contains("did you mean `E0"));
    // W0505 is not in the table.
    lamc()
        .args(["explain", "W0505"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn explain_list_names_every_code() {
    let out = lamc()
        .args(["explain", "--list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text
        .lines()
        .any(|l| l.starts_with("E0001") && l.contains("syntax error")));
    assert!(text
        .lines()
        .any(|l| l.starts_with("W0509") && l.contains("warning")));
    assert!(!text.contains("W0505"));
    assert_eq!(text.lines().count(), lamc::diag::ALL_CODES.len());
}

#[test]
fn explain_needs_a_code_or_list() {
    lamc().arg("explain").assert().code(2).stdout("");
    lamc()
        .args(["explain", "E0401", "--list"])
        .assert()
        .code(2)
        .stdout("");
}
