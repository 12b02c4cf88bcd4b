//! What one template uses of CloudFormation's template limits (CFN-01, CFN-02, CFN-03,
//! CFN-06).

use super::Stack;

pub use crate::schema::limits::{MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES};

/// What one template uses of each limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub resources: usize,
    pub outputs: usize,
    pub parameters: usize,
    /// Bytes of the JSON template.
    pub bytes: usize,
}

impl Usage {
    pub fn of(stack: &Stack) -> Usage {
        Usage {
            bytes: super::len(stack),
            ..Usage::counts(stack)
        }
    }

    /// The counts alone (`bytes` 0), for when the size is measured separately or not
    /// needed.
    pub fn counts(stack: &Stack) -> Usage {
        Usage {
            resources: stack.resources.len(),
            outputs: stack.outputs.len(),
            parameters: stack.parameters.len(),
            bytes: 0,
        }
    }

    /// Like [`Usage::of`], but when a count is already over its limit the stack cannot fit
    /// whatever its size, and the template is not serialized to measure it (`bytes` 0):
    /// that costs as much as emitting the whole app.
    pub fn of_unless_over(stack: &Stack) -> Usage {
        let counts = Usage::counts(stack);
        if counts.fits() {
            Usage::of(stack)
        } else {
            counts
        }
    }

    /// Each limit this usage breaks: (what, count, limit).
    pub fn over(&self) -> Vec<(&'static str, usize, usize)> {
        [
            ("resources", self.resources, MAX_RESOURCES),
            ("outputs", self.outputs, MAX_OUTPUTS),
            ("parameters", self.parameters, MAX_PARAMETERS),
            ("bytes", self.bytes, MAX_TEMPLATE_BYTES),
        ]
        .into_iter()
        .filter(|(_, n, max)| n > max)
        .collect()
    }

    pub fn fits(&self) -> bool {
        self.over().is_empty()
    }
}
