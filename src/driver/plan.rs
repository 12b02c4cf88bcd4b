//! After checking: zip the code folders, plan, and write the build's products. Planning
//! itself ([`crate::plan::plan_placed`]) reads and writes nothing; this is where the files
//! are touched, once, before and after it.

use std::path::PathBuf;

use crate::artifacts::{Packaging, Packed};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::plan::{Goal, Memory, Planned, Stack};

/// Where build products go, and how code folders are zipped.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Folder that receives the zipped `code` folders and the nested stacks' templates
    /// (content-hashed names). `None`: they are kept in memory only (`lamc deploy` uploads
    /// from there).
    pub artifacts_dir: Option<PathBuf>,
    /// What zipping a `code` folder leaves out besides its fixed rules (the build's own
    /// outputs) and where its `.lamcignore` files start (the project root).
    pub packaging: Packaging,
    /// Keep which declaration each resource came from ([`crate::plan::SourceOrigins`]).
    pub origins: bool,
}

/// [`plan_placed`] with no earlier placement.
pub fn plan(model: &Model, opts: &PlanOptions) -> Result<Stack, Vec<Diagnostic>> {
    plan_placed(model, opts, &Memory::default()).map(|p| p.stack)
}

/// Zip the model's code folders, plan it, and write the zips and nested templates to
/// `opts.artifacts_dir` (when set). The planned stack lists the zips in `artifacts`.
/// Nothing is written when planning fails.
pub fn plan_placed(
    model: &Model,
    opts: &PlanOptions,
    memory: &Memory,
) -> Result<Planned, Vec<Diagnostic>> {
    let code = Packed::pack(crate::plan::code_requests(model), &opts.packaging);
    let mut planned = crate::plan::plan_traced(model, &code, memory, Goal::Emit, opts.origins)?;
    planned.stack.artifacts = code.into_artifacts();
    if let Some(dir) = &opts.artifacts_dir {
        write(&planned.stack, dir)?;
    }
    Ok(planned)
}

/// What planning finds wrong with the model, without a template: the code folders are
/// read as zipping reads them but not zipped (a folder that cannot be is a diagnostic; a
/// zip's key has a fixed length, so nothing else of it changes a template's size), the
/// model planned to measure every stack against CloudFormation's limits, and nothing is
/// written or kept. `Ok` holds the measured plan, which must not be emitted (see
/// [`Goal::Measure`]); `None` when the app's declarations bound every stack under every
/// limit ([`crate::plan::bounds`]): planning it would report nothing, so it is not planned.
pub(super) fn measure(
    model: &Model,
    opts: &PlanOptions,
    memory: &Memory,
) -> Result<Option<Planned>, Vec<Diagnostic>> {
    if crate::plan::bounds::verdict(model, memory) == crate::plan::bounds::Verdict::Fits {
        return Ok(None);
    }
    let code = Packed::measure(crate::plan::code_requests(model), &opts.packaging);
    crate::plan::plan_placed(model, &code, memory, Goal::Measure).map(Some)
}

/// Every zip and nested template of `stack` into `dir`; one diagnostic per file that could
/// not be written.
fn write(stack: &Stack, dir: &std::path::Path) -> Result<(), Vec<Diagnostic>> {
    let mut errs = Vec::new();
    for a in &stack.artifacts {
        if let Err(e) = crate::artifacts::write(a, dir) {
            errs.push(*e);
        }
    }
    for c in &stack.children {
        if let Err(e) = crate::artifacts::write_file(&c.key, &c.bytes, dir) {
            errs.push(*e);
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}
