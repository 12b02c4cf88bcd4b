//! The whole path, parse → check → plan, for every command and the language server: each
//! says how far to go ([`Stage`]) and gets the compilation back, with the plan when it
//! asked for one.

use std::path::{Path, PathBuf};

use super::placement::PlacementInput;
use super::plan::PlanOptions;
use super::{CheckOptions, Compilation, EntryError};
use crate::check::CheckCache;
use crate::diag::Diagnostic;

/// How far the pipeline goes after checking.
#[derive(Debug, Clone, Default)]
pub enum Stage {
    /// Names, types and the limit rules of each declaration (the language server while
    /// the text changes).
    #[default]
    Check,
    /// Also the stack-level limits (E0413 over CloudFormation's template limits, E0439
    /// dependency cycles, code folders that cannot be zipped): the program is planned and
    /// measured, but no template text is written or kept, no nested template hashed, no
    /// code folder zipped (only read, see [`crate::artifacts::measure`]), no file written
    /// (`lamc check`, the language server when a document is opened or saved).
    Limits,
    /// Plan: the stack ready to emit, its zips and nested templates (written to the
    /// artifacts folder when one is given).
    Plan(PlanOptions),
}

/// What to compile and how far.
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    pub check: CheckOptions,
    pub stage: Stage,
    /// Where functions lived before (nested stacks).
    pub placement: PlacementInput,
    /// Stop after checking when there are warnings (`--deny-warnings`), so that a denied
    /// build writes nothing.
    pub stop_on_warnings: bool,
    /// The process exits after this compilation: what is not returned is not freed
    /// (freeing a large app's plan one allocation at a time costs as much as a tenth of
    /// planning it). Never for the language server.
    pub exits_next: bool,
}

/// Read `path`, check it, and go on as `pipeline.stage` says.
pub fn compile_path(path: &Path, pipeline: &Pipeline) -> Result<Compilation, EntryError> {
    let (comp, syntax) = super::check_path_with_syntax(path, &pipeline.check)?;
    if pipeline.exits_next {
        // Freeing a 10,000-function syntax tree node by node is 10 ms of nothing.
        std::mem::forget(syntax);
    }
    go_on(comp, pipeline)
}

/// [`compile_path`] on source text (see [`super::check_source_with_syntax`] for `path`
/// and `cache`), also returning the syntax tree of every loaded file.
pub fn compile_source(
    name: String,
    path: Option<PathBuf>,
    text: String,
    pipeline: &Pipeline,
    cache: Option<&mut CheckCache>,
) -> Result<
    (
        Compilation,
        Vec<(crate::source::FileId, crate::syntax::ast::File)>,
    ),
    EntryError,
> {
    let (comp, syntax) = super::check_source_with_syntax(name, path, text, &pipeline.check, cache);
    Ok((go_on(comp, pipeline)?, syntax))
}

/// Plan a checked program unless checking found errors (or warnings that
/// `stop_on_warnings` denies); the planner's diagnostics join the checker's, sorted.
fn go_on(mut comp: Compilation, pipeline: &Pipeline) -> Result<Compilation, EntryError> {
    let opts = match &pipeline.stage {
        Stage::Check => return Ok(comp),
        Stage::Limits => PlanOptions::default(),
        Stage::Plan(opts) => opts.clone(),
    };
    let memory = pipeline
        .placement
        .memory(&mut comp.sources, &mut comp.diagnostics);
    let denied = pipeline.stop_on_warnings && comp.diagnostics.iter().any(|d| !d.is_error());
    if comp.has_errors() || denied {
        return Ok(comp);
    }
    let Some(model) = &comp.model else {
        return Err(EntryError::Internal(
            "checking produced no program and no error".to_string(),
        ));
    };
    let mut opts = opts;
    opts.packaging.root = Some(comp.project.dir().to_path_buf());
    let planned = match pipeline.stage {
        Stage::Plan(_) => super::plan::plan_placed(model, &opts, &memory).map(Some),
        _ => super::plan::measure(model, &opts, &memory),
    };
    match planned {
        Ok(None) => {}
        Ok(Some(planned)) => {
            if matches!(pipeline.stage, Stage::Plan(_)) {
                comp.planned = Some(planned);
            } else if pipeline.exits_next {
                std::mem::forget(planned);
            }
        }
        Err(mut more) => {
            // A planner that refuses must say why.
            if !more.iter().any(Diagnostic::is_error) {
                return Err(EntryError::Internal(
                    "planning failed without an error".to_string(),
                ));
            }
            comp.diagnostics.append(&mut more);
            crate::diag::sort(&mut comp.diagnostics);
        }
    }
    Ok(comp)
}
