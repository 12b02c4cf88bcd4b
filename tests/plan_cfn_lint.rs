//! The templates lamc emits pass cfn-lint with no errors and no warnings.

mod plan_builder;

use std::path::Path;
use std::process::Command;

const CFN_LINT: &str = "/tmp/v/bin/cfn-lint";

fn lint(name: &str, text: &str) -> Option<String> {
    if !Path::new(CFN_LINT).exists() {
        eprintln!("skipping: {CFN_LINT} is not installed");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(name);
    std::fs::write(&file, text).expect("write template");
    let out = Command::new(CFN_LINT)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .args(["--format", "json"])
        .arg(&file)
        .output()
        .expect("run cfn-lint");
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn rich_stack() -> lamc::plan::Stack {
    let code = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        code.path().join("resize.py"),
        "def handler(e, c):\n    return e\n",
    )
    .expect("write code");
    let model = plan_builder::rich_model(Some(code.path()));
    match lamc::plan::plan(&model, &lamc::plan::PlanOptions::default()) {
        Ok(s) => s,
        Err(d) => panic!("plan failed: {d:#?}"),
    }
}

#[test]
fn rich_template_json_passes_cfn_lint() {
    let stack = rich_stack();
    if let Some(report) = lint("template.json", &lamc::emit::json(&stack)) {
        assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
    }
}

#[test]
fn rich_template_yaml_passes_cfn_lint() {
    let stack = rich_stack();
    if let Some(report) = lint("template.yaml", &lamc::emit::yaml(&stack)) {
        assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
    }
}
