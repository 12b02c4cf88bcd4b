//! The templates lamc emits pass cfn-lint with no errors and no warnings.

use crate::plan_builder;

use crate::tools;

fn lint(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(name);
    std::fs::write(&file, text).expect("write template");
    tools::lint_file(&file)
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
    let report = lint("template.json", &lamc::emit::json(&stack));
    assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
}

#[test]
fn rich_template_yaml_passes_cfn_lint() {
    let stack = rich_stack();
    let report = lint("template.yaml", &lamc::emit::yaml(&stack));
    assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
}
