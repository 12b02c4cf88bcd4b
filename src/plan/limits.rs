//! E0413: a stack over CloudFormation's template limits (CFN-01, CFN-02, CFN-03, CFN-06),
//! and the counts `lamc build --stats` prints.

use crate::diag::{Code, Diagnostic};
use crate::source::Span;

pub use crate::template::{Usage, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES};

/// `the root stack has 202 parameters; cloudformation allows 200`.
pub fn message(stack: &str, what: &str, n: usize, max: usize) -> String {
    if what == "bytes" {
        format!("the {stack} template is {n} bytes; cloudformation allows {max}")
    } else {
        format!("the {stack} has {n} {what}; cloudformation allows {max}")
    }
}

pub fn over(span: Span, message: String, label: &str, help: &str) -> Diagnostic {
    Diagnostic::new(Code::E0413, span, message)
        .label(label.to_string())
        .help(help.to_string())
}
