//! `lamc build`: template on stdout or in OUT, nothing on stdout on error, OUT written
//! atomically, warnings on stderr, `--deny-warnings`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn lamc() -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").env_remove("NO_COLOR");
    cmd
}

const VALID: &str = r#"function resize {
  runtime = python3.12
  handler = "resize.handler"
  code    = "src"
  memory  = 512MB
}
"#;

/// E0401: memory above 10240MB (FN-05).
const INVALID: &str = r#"function resize {
  runtime = python3.12
  handler = "resize.handler"
  code    = "src"
  memory  = 20GB
}
"#;

/// W0501: python3.9 is deprecated on 2026-11-26 but can still be created (RT-03).
const WARNS: &str = r#"function resize {
  runtime = python3.9
  handler = "resize.handler"
  code    = "src"
}
"#;

/// A project folder with `app.lam` and the code folder it points at.
fn project(source: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("src")).expect("mkdir src");
    std::fs::write(
        dir.path().join("src").join("resize.py"),
        "def handler(event, context):\n    return event\n",
    )
    .expect("write handler");
    let app = dir.path().join("app.lam");
    std::fs::write(&app, source).expect("write app.lam");
    (dir, app)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn valid_program_prints_a_json_template() {
    let (dir, app) = project(VALID);
    let out = lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let template: serde_json::Value =
        serde_json::from_slice(&out).expect("stdout is one JSON document");
    assert!(template["Resources"].is_object(), "{template}");
}

#[test]
fn yaml_format_prints_yaml() {
    let (dir, app) = project(VALID);
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .args(["--format", "yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Resources:"));
}

#[test]
fn errors_exit_1_with_nothing_on_stdout() {
    let (dir, app) = project(INVALID);
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("E0401"))
        .stderr(predicate::str::contains("error: could not compile"));
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let (dir, app) = project(VALID);
    let out = dir.path().join("template.json");
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0)
        .stdout("");
    let text = std::fs::read_to_string(&out).expect("template written");
    let _: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert!(
        !names_in(dir.path()).iter().any(|n| n.ends_with(".tmp")),
        "no temp file left: {:?}",
        names_in(dir.path())
    );
}

#[test]
fn failing_build_leaves_existing_output_untouched() {
    let (dir, app) = project(INVALID);
    let out = dir.path().join("template.json");
    std::fs::write(&out, "previous template\n").expect("seed OUT");
    let before = names_in(dir.path());
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(
        std::fs::read_to_string(&out).expect("OUT still there"),
        "previous template\n"
    );
    assert_eq!(names_in(dir.path()), before, "no stray files");
}

#[test]
fn unwritable_output_exits_2_and_leaves_no_temp_file() {
    let (dir, app) = project(VALID);
    // OUT names a non-empty directory: the final rename must fail.
    let out = dir.path().join("taken");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("keep"), "x").expect("write");
    let artifacts = tempfile::tempdir().expect("artifacts dir");
    let before = names_in(dir.path());
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .arg("--artifacts-dir")
        .arg(artifacts.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("cannot write"));
    assert_eq!(names_in(dir.path()), before);
    assert_eq!(names_in(&out), vec!["keep".to_string()]);
}

#[test]
fn output_into_a_missing_directory_exits_2() {
    let (dir, app) = project(VALID);
    let out = dir.path().join("no").join("such").join("t.json");
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("");
    assert!(!out.exists());
}

#[test]
fn warnings_go_to_stderr_and_still_build() {
    let (dir, app) = project(WARNS);
    let assert = lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("W0501"))
        .stderr(predicate::str::contains("1 warning"));
    let stdout = &assert.get_output().stdout;
    let _: serde_json::Value = serde_json::from_slice(stdout).expect("template on stdout");
    assert!(!String::from_utf8_lossy(stdout).contains("W0501"));
}

#[test]
fn deny_warnings_fails_the_build() {
    let (dir, app) = project(WARNS);
    let out = dir.path().join("template.json");
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .arg("--deny-warnings")
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("W0501"))
        .stderr(predicate::str::contains("--deny-warnings"));
    assert!(!out.exists(), "no template when warnings are denied");
}

#[test]
fn build_without_a_file_argument_exits_2() {
    lamc().arg("build").assert().code(2).stdout("");
}

#[test]
fn code_is_zipped_next_to_the_input_by_default() {
    let (dir, app) = project(VALID);
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .assert()
        .code(0);
    let artifacts = dir.path().join(".lamc").join("artifacts");
    let zips: Vec<String> = names_in(&artifacts)
        .into_iter()
        .filter(|n| n.ends_with(".zip"))
        .collect();
    assert_eq!(zips.len(), 1, "one zip for the one code folder: {zips:?}");
}

#[test]
fn artifacts_dir_flag_moves_the_zips() {
    let (dir, app) = project(VALID);
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let target = elsewhere.path().join("artifacts");
    lamc()
        .current_dir(dir.path())
        .arg("build")
        .arg(&app)
        .arg("--artifacts-dir")
        .arg(&target)
        .assert()
        .code(0);
    assert!(names_in(&target).iter().any(|n| n.ends_with(".zip")));
    assert!(!dir.path().join(".lamc").exists());
}

#[test]
fn check_writes_no_artifacts() {
    let (dir, app) = project(VALID);
    lamc()
        .current_dir(dir.path())
        .arg("check")
        .arg(&app)
        .assert()
        .code(0);
    assert!(!dir.path().join(".lamc").exists());
}
