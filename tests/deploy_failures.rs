//! `lamc deploy` when it must not or cannot deploy: errors in the program, no `--yes`
//! without a terminal, unknown parameters, no bucket for local code, and a deployment that
//! fails on the AWS side (a clear non-zero exit within its timeout).

// The binary has these commands only with the `deploy` feature (deploy_without_feature.rs
// covers the other build).
#![cfg(feature = "deploy")]

use crate::deploy_support;

use std::time::{Duration, Instant};

use deploy_support::{app, moto, offline, path_str, text, unique};

const LOCAL_CODE: &str = r#"app failing {}
param stage: string = "dev"
function worker {
  runtime = python3.12
  handler = "handler.handler"
  code    = "src"
  env { STAGE = param.stage }
}
"#;

#[test]
fn refuses_a_program_with_errors() {
    let (_dir, file) = app("app broken {}\nfunction f {\n  runtime = python3.12\n  handler = \"h.h\"\n  code = \"src\"\n  memory = 20GB\n}\n");
    let out = offline()
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            "s",
            "--yes",
            "--artifacts-bucket",
            "b",
        ])
        .output()
        .expect("run lamc");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("E0401"), "{stderr}");
    assert!(stderr.contains("not deploying"), "{stderr}");
}

#[test]
fn needs_yes_without_a_terminal() {
    let (_dir, file) = app(LOCAL_CODE);
    let out = offline()
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            "s",
            "--artifacts-bucket",
            "b",
        ])
        .write_stdin("y\n")
        .output()
        .expect("run lamc");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pass --yes"), "{stderr}");
    let out = offline()
        .lamc(&["destroy", "--stack", "s"])
        .output()
        .expect("run lamc");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("pass --yes"));
}

#[test]
fn unknown_parameter_is_refused_with_a_suggestion() {
    let (_dir, file) = app(LOCAL_CODE);
    let out = offline()
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            "s",
            "--yes",
            "--artifacts-bucket",
            "b",
            "--param",
            "stgae=prod",
        ])
        .output()
        .expect("run lamc");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean `Stage`"), "{stderr}");
}

#[test]
fn local_code_needs_a_bucket() {
    let (_dir, file) = app(LOCAL_CODE);
    let out = offline()
        .lamc(&["deploy", path_str(&file), "--stack", "s", "--yes"])
        .output()
        .expect("run lamc");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--artifacts-bucket"), "{stderr}");
}

#[test]
fn bad_timeout_is_a_usage_error() {
    let (_dir, file) = app(LOCAL_CODE);
    let out = offline()
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            "s",
            "--yes",
            "--timeout",
            "5min",
        ])
        .output()
        .expect("run lamc");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a duration"));
}

/// Code in a bucket that does not exist: the service refuses to create the function.
/// Whatever form the failure takes (moto answers the execute call with an error; AWS rolls
/// the stack back), lamc exits 3 with the stack's state, well within its timeout.
#[test]
fn failed_deployment_exits_non_zero_within_its_timeout() {
    let moto = moto();
    let stack = unique("broken");
    let (_dir, file) = app(r#"app broken {}
function ghost {
  runtime = python3.12
  handler = "index.handler"
  code    = s3("lamc-test-no-such-bucket", "nothing.zip")
}
"#);
    let started = Instant::now();
    let out = moto
        .lamc(&[
            "deploy",
            path_str(&file),
            "--stack",
            &stack,
            "--yes",
            "--timeout",
            "20s",
        ])
        .output()
        .expect("run lamc deploy");
    let elapsed = started.elapsed();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("error:"), "{stderr}");
    assert!(
        stderr.contains(&format!("stack {stack} ")),
        "no stack state:\n{stderr}"
    );
    assert!(elapsed < Duration::from_secs(40), "took {elapsed:?}");
}

/// `validate --remote` sends the template to ValidateTemplate.
#[test]
fn validate_remote_accepts_a_compiled_template() {
    let moto = moto();
    let without_param = LOCAL_CODE
        .replace("param stage: string = \"dev\"\n", "")
        .replace("  env { STAGE = param.stage }\n", "");
    let (_dir, file) = app(&without_param);
    let out = moto
        .lamc(&["validate", path_str(&file), "--remote"])
        .output()
        .expect("run lamc validate");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("CloudFormation accepted the template"),
        "{stderr}"
    );
}
