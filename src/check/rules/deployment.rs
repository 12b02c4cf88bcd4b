//! Settings fixed when a function is deployed: its code signing configuration's ARN
//! (CSC-01), the runtime version it is pinned to (FN-27, RTV-01) and its tenancy, which
//! only a replacement changes (TEN-01, CFN-18).

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, UpdateMode};

use super::arns::{arn_text_problem, CODE_SIGNING_ARN, RUNTIME_VERSION_ARN};
use super::RuleContext;

pub(crate) fn check(functions: &[Function], _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        code_signing(f, out);
        runtime_version(f, out);
        tenancy_with_name(f, out);
    }
}

/// E0473: CloudFormation refuses a `CodeSigningConfigArn` of another shape.
fn code_signing(f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(arn) = f.text("code_signing") else {
        return;
    };
    let Some(problem) = arn_text_problem(&CODE_SIGNING_ARN, arn.value) else {
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

/// E0474: `Manual` needs `RuntimeVersionArn` (FN-27), of its shape (RTV-01).
fn runtime_version(f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(updates) = &f.runtime_updates else {
        return;
    };
    if updates.value.mode != UpdateMode::Manual {
        return;
    }
    let help = "pin the version the function runs: runtime_updates = manual(\"arn:aws:lambda:us-east-1::runtime:…\") (the ARN `aws lambda get-function-configuration` shows as RuntimeVersionConfig)";
    let (span, problem) = match &updates.value.version {
        None => (
            updates.span,
            "`manual` pins a runtime version: which one?".to_string(),
        ),
        Some(v) => match arn_text_problem(&RUNTIME_VERSION_ARN, &v.value) {
            Some(problem) => (v.span, problem),
            None => return,
        },
    };
    out.push(
        Diagnostic::new(
            Code::E0474,
            span,
            "manual runtime updates need a runtime version ARN",
        )
        .label(problem)
        .help(help),
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
