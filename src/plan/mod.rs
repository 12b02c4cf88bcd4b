//! [`Model`] → a CloudFormation stack (resources with logical IDs, typed intrinsics,
//! least-privilege IAM).

use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::model::Model;

/// Where build products go.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Folder that receives the zipped `code` folders (content-hashed names). `None` = compute
    /// hashes only, write nothing (`lamc check`).
    pub artifacts_dir: Option<PathBuf>,
}

/// A planned CloudFormation stack, ready to emit.
#[derive(Debug, Clone, Default)]
pub struct Stack {}

/// Lower the model to a stack. Errors (e.g. E0413, stack over CloudFormation's limits, or
/// an unreadable code folder) are returned as diagnostics; nothing is written then.
pub fn plan(model: &Model, opts: &PlanOptions) -> Result<Stack, Vec<Diagnostic>> {
    let _ = (model, opts);
    Ok(Stack::default())
}
