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

/// A program with an unused parameter (W0528): the parameter is left out of the template,
/// which therefore keeps cfn-lint quiet (W2001 would flag a parameter nothing refers to).
#[test]
fn unused_parameter_is_left_out_and_the_template_stays_clean() {
    let src = "param stage: string = \"dev\"\nparam spare: string = \"x\"\n\
               function f {\n  runtime = python3.13\n  handler = \"index.handler\"\n  \
               code = inline(\"\"\"def handler(e, c): return e\"\"\")\n  \
               env { STAGE = param.stage }\n}\n";
    let c = lamc::driver::check_source("main.lam".into(), None, src.into(), &Default::default());
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0528"]);
    let model = c.model.as_ref().expect("model");
    let stack = lamc::plan::plan(model, &lamc::plan::PlanOptions::default()).expect("plan");
    let names: Vec<&str> = stack.parameters.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Stage"]);
    let report = lint("template.json", &lamc::emit::json(&stack));
    assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
}
