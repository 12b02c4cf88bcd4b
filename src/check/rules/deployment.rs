//! Settings fixed when a function is deployed: its code signing configuration's ARN
//! (CSC-01) and its tenancy, which only a replacement changes (TEN-01, CFN-18).

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Model};

use super::arns::code_signing_arn_text_problem;
use super::RuleContext;

pub(crate) fn check(model: &Model, _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        code_signing(f, out);
        tenancy_with_name(f, out);
    }
}

/// E0473: CloudFormation refuses a `CodeSigningConfigArn` of another shape.
fn code_signing(f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(arn) = f.text("code_signing") else {
        return;
    };
    let Some(problem) = code_signing_arn_text_problem(arn.value) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::E0473,
            arn.span,
            "this is not the ARN of a code signing configuration",
        )
        .label(problem)
        .help("write code_signing = \"arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0\" (the configuration's ARN)"),
    );
}

/// W0546: the tenancy is set when the function is created (TEN-01): changing it replaces
/// the function, and CloudFormation cannot replace a function with a fixed name (CFN-18).
fn tenancy_with_name(f: &Function, out: &mut Vec<Diagnostic>) {
    let (Some(tenancy), Some(name)) = (f.setting("tenancy"), &f.function_name) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::W0546,
            tenancy.span,
            "changing `tenancy` later cannot be deployed: the function has a fixed name",
        )
        .label("only a new function changes this")
        .secondary(name.span, "CloudFormation cannot replace a function named here")
        .help(format!(
            "remove `name` from function `{}` (lamc then names it), or keep `tenancy` as it is for the function's life",
            f.name.value
        )),
    );
}
