//! Planning errors: unreadable code (E0420) and stacks over CloudFormation's limits (E0413).
//! Triggers that cannot be wired are refused by the checker (E0421, tests/ui/fail).

use crate::plan_builder;

use lamc::diag::Code;
use lamc::model::*;
use lamc::plan::{plan, PlanOptions};
use lamc::source::{FileId, Span};
use plan_builder::*;

#[test]
fn unreadable_code_folder_is_e0420_at_the_code_span() {
    let mut m = Model::default();
    let mut f = function("resize");
    let span = Span::new(FileId(0), 10, 22);
    f.code = Some(S::new(
        CodeSource::Local {
            path: "/nonexistent/lamc/code".into(),
            written: "src/resize".to_string(),
        },
        span,
    ));
    m.functions.push(f);
    let errs = plan(&m, &PlanOptions::default()).expect_err("must fail");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code, Code::E0420);
    assert_eq!(errs[0].primary.span, span);
    assert!(errs[0].message.contains("/nonexistent/lamc/code"));
}

#[test]
fn more_than_500_resources_split_into_nested_stacks() {
    let mut m = Model {
        app: Some(app("big")),
        ..Model::default()
    };
    // 3 resources per function: 166 functions (498 resources) fit in one template.
    for i in 0..166 {
        m.functions.push(function(&format!("f{i}")));
    }
    let one = plan(&m, &PlanOptions::default()).expect("fits");
    assert!(one.children.is_empty());
    // 167 functions (501 resources) do not: the planner splits instead of failing.
    m.functions.push(function("f166"));
    let split = plan(&m, &PlanOptions::default()).expect("splits");
    assert!(!split.children.is_empty());
    let in_children: usize = split.children.iter().map(|c| c.usage.resources).sum();
    assert_eq!(in_children, 501);
    assert_eq!(split.resources.len(), split.children.len());
}

#[test]
fn too_many_outputs_and_parameters_are_e0413() {
    let mut m = Model::default();
    m.functions.push(function("f"));
    for i in 0..201 {
        m.outputs.push(Output {
            name: s(format!("o{i}")),
            value: s(Value::Str("x".to_string())),
            description: None,
            span: Span::default(),
        });
        m.params.push(Param {
            name: s(format!("p{i}")),
            ty: ParamType::String,
            default: None,
            allowed: Vec::new(),
            description: None,
            secret: None,
            span: Span::default(),
        });
    }
    let errs = plan(&m, &PlanOptions::default()).expect_err("must fail");
    let msgs: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
    assert!(errs.iter().all(|d| d.code == Code::E0413));
    assert!(msgs.iter().any(|m| m.contains("201 outputs")), "{msgs:?}");
    assert!(
        msgs.iter().any(|m| m.contains("201 parameters")),
        "{msgs:?}"
    );
}

#[test]
fn a_function_over_a_megabyte_is_e0413_even_when_split() {
    let mut m = Model::default();
    let span = Span::new(FileId(0), 3, 9);
    let mut f = function("huge");
    f.name = S::new("huge".to_string(), span);
    f.code = Some(s(CodeSource::Inline("#".repeat(1_100_000))));
    m.functions.push(f);
    let errs = plan(&m, &PlanOptions::default()).expect_err("must fail");
    assert_eq!(errs[0].code, Code::E0413);
    assert!(errs[0].message.contains("bytes"), "{}", errs[0].message);
    assert!(
        errs[0].message.contains("function huge"),
        "{}",
        errs[0].message
    );
    assert_eq!(errs[0].primary.span, span);
}

#[test]
fn parameters_over_200_point_at_the_first_one_too_many() {
    let mut m = Model::default();
    m.functions.push(function("f"));
    for i in 0..201usize {
        m.params.push(Param {
            name: s(format!("p{i}")),
            ty: ParamType::String,
            default: None,
            allowed: Vec::new(),
            description: None,
            secret: None,
            span: Span::new(FileId(0), i * 10, i * 10 + 5),
        });
    }
    let errs = plan(&m, &PlanOptions::default()).expect_err("must fail");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code, Code::E0413);
    assert_eq!(errs[0].primary.span, Span::new(FileId(0), 2000, 2005));
    assert!(
        errs[0].message.contains("201 parameters"),
        "{}",
        errs[0].message
    );
}
