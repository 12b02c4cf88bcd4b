//! `lamc check --lint`: cfn-lint's findings on the emitted templates, reported at the `.lam`
//! span behind the resource (and the property, where the model keeps its span). A real
//! cfn-lint finding (an informational rule a project's `.cfnlintrc` turns on) and a stand-in
//! cfn-lint (tests/insight/fake-cfn-lint) that reports a known finding.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fake() -> PathBuf {
    root().join("tests/insight/fake-cfn-lint")
}

const APP: &str = "\
function resize {
  runtime = python3.13
  handler = \"index.handler\"
  code    = inline(\"\"\"def handler(event, context):\\n    return None\\n\"\"\")
  memory  = 1GB
}
";

fn project(app: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("app.lam"), app).expect("written");
    dir
}

/// `lamc check app.lam --lint ARGS` in `dir` with `cfn_lint` as LAMC_CFN_LINT.
fn check(dir: &Path, cfn_lint: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("lamc")
        .expect("the lamc binary is built")
        .env("LAMC_TODAY", "2026-11-26")
        .env("NO_COLOR", "1")
        .env("LAMC_CFN_LINT", cfn_lint)
        .current_dir(dir)
        .args(["check", "app.lam", "--lint"])
        .args(args)
        .output()
        .expect("lamc runs")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_error_finding_is_e0461_at_the_attribute_behind_the_property() {
    let dir = project(APP);
    let out = check(dir.path(), &fake(), &["--message-format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let line = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.contains("E0461"))
        .map(str::to_string)
        .expect("an E0461 line");
    let d: serde_json::Value = serde_json::from_str(&line).expect("JSON");
    assert_eq!(d["code"], "E0461");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "cfn-lint E9999 (error): a known finding");
    // `memory  = 1GB`: line 5, the value.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(13))
    );
    assert_eq!(
        d["label"],
        "`Resources.ResizeFunction.Properties.MemorySize` in the template"
    );
    assert!(d["help"]
        .as_str()
        .is_some_and(|h| h.contains("E9999") && h.contains("https://example.com/rules/E9999")));
}

#[test]
fn a_property_the_schema_lowers_points_at_its_attribute() {
    let dir = project(&APP.replace("  memory  = 1GB\n", "  memory  = 1GB\n  storage = 2GB\n"));
    let out = Command::cargo_bin("lamc")
        .expect("built")
        .env("LAMC_TODAY", "2026-11-26")
        .env("LAMC_CFN_LINT", fake())
        .env("FAKE_PROPERTY", "EphemeralStorage")
        .current_dir(dir.path())
        .args(["check", "app.lam", "--lint", "--message-format", "json"])
        .output()
        .expect("lamc runs");
    let d: serde_json::Value = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| serde_json::from_str(l).ok())
        .expect("a diagnostic");
    // `storage = 2GB`: line 6, the value.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(13)),
        "{d}"
    );
}

#[test]
fn a_warning_on_another_resource_of_the_function_points_at_the_function() {
    let dir = project(APP);
    let out = Command::cargo_bin("lamc")
        .expect("built")
        .env("LAMC_TODAY", "2026-11-26")
        .env("NO_COLOR", "1")
        .env("LAMC_CFN_LINT", fake())
        .env("FAKE_LEVEL", "Warning")
        .env("FAKE_ID", "ResizeLogGroup")
        .env("FAKE_PROPERTY", "RetentionInDays")
        .current_dir(dir.path())
        .args(["check", "app.lam", "--lint"])
        .output()
        .expect("lamc runs");
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("warning[W0539]: cfn-lint E9999 (warning): a known finding"),
        "{text}"
    );
    assert!(text.contains("[app.lam:1:10]"), "{text}");
    assert!(text.contains("`Resources.ResizeLogGroup.Properties.RetentionInDays` in the template"));
}

#[test]
fn cfn_lint_runs_in_the_project_folder_on_a_temporary_copy_that_is_removed() {
    let dir = project(APP);
    let log = dir.path().join("cfn-lint.log");
    let out = Command::cargo_bin("lamc")
        .expect("built")
        .env("LAMC_TODAY", "2026-11-26")
        .env("LAMC_CFN_LINT", fake())
        .env("FAKE_CFN_LINT_LOG", &log)
        .current_dir(dir.path())
        .args(["check", "app.lam", "--lint"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(1));
    let logged = std::fs::read_to_string(&log).expect("the stand-in ran");
    let mut lines = logged.lines();
    let cwd = lines.next().expect("its folder");
    assert_eq!(
        std::fs::canonicalize(cwd).ok(),
        std::fs::canonicalize(dir.path()).ok()
    );
    let args: Vec<&str> = lines.collect();
    assert_eq!(&args[..3], ["--format", "json", "--"]);
    let template = Path::new(args[3]);
    assert!(template.ends_with("template.json"), "{args:?}");
    assert!(!template.exists(), "the temporary copy is removed");
    assert!(!template.parent().is_some_and(Path::exists));
}

#[test]
fn nested_stacks_are_linted_and_named() {
    let dir = project(&crate::synth::generate(150, false));
    let log = dir.path().join("cfn-lint.log");
    let out = Command::cargo_bin("lamc")
        .expect("built")
        .env("LAMC_TODAY", "2026-11-26")
        .env("NO_COLOR", "1")
        .env("LAMC_CFN_LINT", fake())
        .env("FAKE_CFN_LINT_LOG", &log)
        .env("FAKE_FILE_PREFIX", "NestedStack1-")
        .env("FAKE_ID", "first-function")
        .env("FAKE_PROPERTY", "Handler")
        .current_dir(dir.path())
        .args(["check", "app.lam", "--lint"])
        .output()
        .expect("lamc runs");
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let logged = std::fs::read_to_string(&log).expect("the stand-in ran");
    let files: Vec<&str> = logged.lines().skip(4).collect();
    assert!(
        files.len() >= 3,
        "the root and its nested stacks: {files:?}"
    );
    assert!(files[0].ends_with("template.json"));
    assert!(
        files[1..].iter().all(|f| f.contains("NestedStack")),
        "{files:?}"
    );
    assert!(
        text.contains(".Properties.Handler` in nested stack NestedStack1"),
        "{text}"
    );
    // The function's own `handler = "index.handler"` line.
    let at = text.split("[app.lam:").nth(1).expect("a location");
    let line: usize = at
        .split(':')
        .next()
        .and_then(|l| l.parse().ok())
        .expect("a line");
    assert!(at.starts_with(&format!("{line}:13]")), "{at}");
    let app = crate::synth::generate(150, false);
    assert_eq!(
        app.lines().nth(line - 1).map(str::trim),
        Some("handler = \"index.handler\""),
        "line {line}"
    );
}

#[test]
fn an_app_with_errors_is_not_linted() {
    let dir = project(&APP.replace("memory  = 1GB", "memory  = 1"));
    let log = dir.path().join("cfn-lint.log");
    let out = Command::cargo_bin("lamc")
        .expect("built")
        .env("LAMC_CFN_LINT", fake())
        .env("FAKE_CFN_LINT_LOG", &log)
        .current_dir(dir.path())
        .args(["check", "app.lam", "--lint"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0301"));
    assert!(!stderr(&out).contains("cfn-lint"));
    assert!(!log.exists());
}

#[test]
fn without_cfn_lint_the_exit_status_is_2_with_how_to_get_it() {
    let dir = project(APP);
    let out = Command::cargo_bin("lamc")
        .expect("built")
        .env_remove("LAMC_CFN_LINT")
        .env("PATH", dir.path())
        .current_dir(dir.path())
        .args(["check", "app.lam", "--lint"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains("--lint needs cfn-lint") && text.contains("LAMC_CFN_LINT"),
        "{text}"
    );
    let out = check(dir.path(), &dir.path().join("missing"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a file"));
}

#[test]
fn findings_are_in_the_sarif_log_too() {
    let dir = project(APP);
    let out = check(dir.path(), &fake(), &["--message-format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "E0461");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 5);
}

/// A real cfn-lint and a real finding: the project's `.cfnlintrc` turns on cfn-lint's
/// informational rules, and I3011 asks for a `DeletionPolicy` on the function's log group.
#[test]
fn a_real_cfn_lint_finding_is_shown_at_the_function() {
    let dir = project(APP);
    std::fs::write(dir.path().join(".cfnlintrc"), "include_checks:\n  - I\n").expect("written");
    let out = check(dir.path(), &crate::tools::cfn_lint(), &[]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("warning[W0539]: cfn-lint I3011 (informational): 'DeletionPolicy' is a required property"),
        "{text}"
    );
    assert!(text.contains("[app.lam:1:10]"), "{text}");
    assert!(
        text.contains("`Resources.ResizeLogGroup` in the template"),
        "{text}"
    );

    // Without the configuration, lamc's template is clean.
    std::fs::remove_file(dir.path().join(".cfnlintrc")).expect("removed");
    let out = check(dir.path(), &crate::tools::cfn_lint(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("cfn-lint"), "{}", stderr(&out));
}
