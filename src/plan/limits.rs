//! E0413: a stack over CloudFormation's template limits (CFN-01, CFN-02, CFN-03, CFN-06).

use super::Stack;
use crate::diag::{Code, Diagnostic};
use crate::model::Model;
use crate::source::Span;

/// CFN-01
pub const MAX_RESOURCES: usize = 500;
/// CFN-02
pub const MAX_OUTPUTS: usize = 200;
/// CFN-03
pub const MAX_PARAMETERS: usize = 200;
/// CFN-06 (cfn-lint E1002 counts 1,000,000 bytes).
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;

pub fn check(model: &Model, stack: &Stack) -> Vec<Diagnostic> {
    let span = model
        .app
        .as_ref()
        .map(|a| a.name.span)
        .or_else(|| model.functions.first().map(|f| f.span))
        .unwrap_or_default();
    let mut out = Vec::new();
    let counts = [
        ("resources", stack.resources.len(), MAX_RESOURCES, "CFN-01"),
        ("outputs", stack.outputs.len(), MAX_OUTPUTS, "CFN-02"),
        (
            "parameters",
            stack.parameters.len(),
            MAX_PARAMETERS,
            "CFN-03",
        ),
    ];
    for (what, n, max, _id) in counts {
        if n > max {
            out.push(over(
                span,
                format!("the stack has {n} {what}; cloudformation allows {max}"),
            ));
        }
    }
    if out.is_empty() {
        let size = crate::emit::json(stack).len();
        if size > MAX_TEMPLATE_BYTES {
            out.push(over(
                span,
                format!("the template is {size} bytes; cloudformation allows {MAX_TEMPLATE_BYTES}"),
            ));
        }
    }
    out
}

fn over(span: Span, message: String) -> Diagnostic {
    Diagnostic::new(Code::E0413, span, message)
        .label("this app is too large for one stack")
        .help("split the app into several .lam apps (nested stacks are not supported yet)")
}
