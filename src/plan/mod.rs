//! [`Model`] → a CloudFormation stack (resources with logical IDs, typed intrinsics,
//! least-privilege IAM).
//!
//! `plan` decides everything that ends up in the template; `emit` only serializes. The
//! lowering runs in a fixed order: logical IDs for every declaration first (so that any
//! reference can be resolved), then resources, functions and their triggers, alarms,
//! outputs, and last the IAM roles, which collect what everything before them needed.

mod alarms;
mod async_config;
mod concurrency;
mod ctx;
mod existing;
mod function;
mod iam;
mod ids;
mod limits;
mod outputs;
mod resources;
pub mod tree;
mod triggers;
mod url;
mod values;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::model::{Model, ParamType};

pub use ids::Ids;
pub use tree::{Node, Props};

/// Where build products go.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Folder that receives the zipped `code` folders (content-hashed names). `None` = compute
    /// hashes only, write nothing (`lamc check`).
    pub artifacts_dir: Option<PathBuf>,
}

/// A planned CloudFormation stack, ready to emit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stack {
    pub description: Option<String>,
    /// In declaration order; `ArtifactsBucket` last when local code exists.
    pub parameters: Vec<(String, Parameter)>,
    /// Keyed by logical ID (emitted in that order).
    pub resources: BTreeMap<String, Resource>,
    /// In declaration order.
    pub outputs: Vec<(String, StackOutput)>,
    /// The zips that local `code` folders became (written to `artifacts_dir` when set).
    pub artifacts: Vec<crate::artifacts::Artifact>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub ty: ParamType,
    pub default: Option<String>,
    pub allowed: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `AWS::Lambda::Function`, …
    pub ty: String,
    pub properties: Props,
    /// Logical IDs, sorted and unique when emitted.
    pub depends_on: Vec<String>,
}

impl Resource {
    pub fn new(ty: &str, properties: Props) -> Self {
        Resource {
            ty: ty.to_string(),
            properties,
            depends_on: Vec::new(),
        }
    }

    pub fn depends_on(mut self, id: &str) -> Self {
        if !self.depends_on.iter().any(|d| d == id) {
            self.depends_on.push(id.to_string());
            self.depends_on.sort();
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StackOutput {
    pub value: Node,
    pub description: Option<String>,
}

/// The name of the parameter that receives the bucket holding the zipped code.
pub const ARTIFACTS_BUCKET: &str = "ArtifactsBucket";

/// Lower the model to a stack. Errors (e.g. E0413, stack over CloudFormation's limits, or
/// an unreadable code folder) are returned as diagnostics; nothing is written then.
pub fn plan(model: &Model, opts: &PlanOptions) -> Result<Stack, Vec<Diagnostic>> {
    let mut cx = ctx::Ctx::new(model);
    cx.stack.description = model
        .app
        .as_ref()
        .and_then(|a| a.description.as_ref())
        .map(|d| d.value.clone());
    outputs::parameters(&mut cx);
    resources::lower_all(&mut cx);
    for f in &model.functions {
        function::lower(&mut cx, f);
    }
    triggers::lower_all(&mut cx);
    alarms::lower_all(&mut cx);
    outputs::outputs(&mut cx);
    iam::finish_roles(&mut cx);
    outputs::artifacts_parameter(&mut cx);
    let ctx::Ctx {
        stack, mut diags, ..
    } = cx;
    diags.extend(limits::check(model, &stack));
    if !diags.is_empty() {
        return Err(diags);
    }
    if let Some(dir) = &opts.artifacts_dir {
        let mut errs = Vec::new();
        for a in &stack.artifacts {
            if let Err(e) = crate::artifacts::write(a, dir) {
                errs.push(*e);
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
    }
    Ok(stack)
}
