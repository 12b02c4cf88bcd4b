//! [`Model`] → a CloudFormation stack (resources with logical IDs, typed intrinsics,
//! least-privilege IAM).
//!
//! `plan` decides everything that ends up in the template; `emit` only serializes. The
//! lowering runs in a fixed order: logical IDs for every declaration first (so that any
//! reference can be resolved), then resources, functions and their triggers, alarms,
//! outputs, and last the IAM roles, which collect what everything before them needed.

mod acyclic;
mod alarms;
mod async_config;
mod concurrency;
mod ctx;
pub mod cycles;
mod existing;
mod function;
mod iam;
mod ids;
mod known;
mod limits;
mod outputs;
mod resources;
mod split;
mod stats;
pub mod tree;
mod triggers;
mod url;
mod values;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::model::{Model, ParamType};

pub use ids::Ids;

/// A hash map for look-ups by logical ID or name. The planner's tables hold some 100,000
/// IDs at 10,000 functions, where B-tree look-ups (a string comparison per level) were a
/// tenth of the build. The hasher is seeded with a constant, so even an iteration over one
/// is the same on every run; output order still never comes from one.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// See [`FastMap`].
pub(crate) type FastSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;
pub use limits::Usage;
pub use split::Memory;

/// Where functions live when an app is split into nested stacks: the placement file, the
/// moves a build makes and what they cost.
pub mod placement {
    pub use super::split::moves::{count, render as render_moves, Move};
    pub use super::split::placement::{path_for, Home, Placement, CHILD_PREFIX};
    pub use super::split::Report;
}
pub use stats::{resources_in_all, stats, MAX_RESOURCES_PER_OPERATION};
pub use tree::{Node, Props};

/// Where build products go.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Folder that receives the zipped `code` folders (content-hashed names). `None` = compute
    /// hashes only, write nothing (`lamc check`).
    pub artifacts_dir: Option<PathBuf>,
    /// What zipping a `code` folder leaves out besides its fixed rules (the build's own
    /// outputs) and where its `.lamcignore` files start (the project root).
    pub packaging: crate::artifacts::Packaging,
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
    /// Nested stacks, when the app did not fit in one template (empty otherwise). Their
    /// templates are written to `artifacts_dir` beside the zips and must be uploaded to
    /// the same bucket (`ArtifactsBucket`) under their key before the root is deployed.
    pub children: Vec<ChildTemplate>,
}

/// One nested stack's template.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildTemplate {
    /// The `AWS::CloudFormation::Stack` resource in the root (`NestedStack3`).
    pub logical_id: String,
    /// `<logical id>-<sha256 prefix>.json`: the S3 key under `ArtifactsBucket` that the
    /// root's `TemplateURL` names, and the file name in the artifacts folder.
    pub key: String,
    /// The template (JSON), byte for byte as it must be uploaded.
    pub bytes: Vec<u8>,
    /// What the template uses of each limit (`--stats`). The planned child itself is not
    /// kept: at 10,000 functions the children's trees were a third of peak memory, and
    /// `bytes` already says everything about them.
    pub usage: Usage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub ty: ParamType,
    pub default: Option<String>,
    pub allowed: Vec<String>,
    pub description: Option<String>,
    /// `NoEcho: true`: CloudFormation masks the value in its API and console.
    pub no_echo: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `AWS::Lambda::Function`, …
    pub ty: &'static str,
    pub properties: Props,
    /// Logical IDs, sorted and unique when emitted.
    pub depends_on: Vec<String>,
}

impl Resource {
    pub fn new(ty: &'static str, properties: Props) -> Self {
        Resource {
            ty,
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

/// Lower the model to a stack. Errors (e.g. E0413, an app over CloudFormation's limits even
/// when split into nested stacks, or an unreadable code folder) are returned as
/// diagnostics; nothing is written then.
pub fn plan(model: &Model, opts: &PlanOptions) -> Result<Stack, Vec<Diagnostic>> {
    plan_placed(model, opts, &Memory::default()).map(|p| p.stack)
}

/// A planned stack and where its functions went.
#[derive(Debug, Clone)]
pub struct Planned {
    pub stack: Stack,
    pub placement: placement::Report,
}

/// [`plan`], splitting an app too large for one template as `memory` says: functions keep
/// the stack they had (docs/nested-stacks.md).
pub fn plan_placed(
    model: &Model,
    opts: &PlanOptions,
    memory: &Memory,
) -> Result<Planned, Vec<Diagnostic>> {
    let (mut flat, mut origins, known) = acyclic(model, &opts.packaging)?;
    let mut attempt = split::Attempt::default();
    let (stack, report) = loop {
        match fit(model, flat, &origins.owner, memory, &attempt)? {
            Fitted::Stack(stack, report) => break (stack, report),
            Fitted::Retry(next) => {
                attempt = next;
                (flat, origins) = lower(model, &known, &opts.packaging)?;
            }
            Fitted::Cycle(path) => return Err(vec![cycle(model, &origins, &path)]),
        }
    };
    // The flat template was checked by `acyclic`; a split one is checked again (its
    // children were checked as they were written, see `split`).
    if !stack.children.is_empty() {
        if let Some(path) = cycles::find(&stack) {
            return Err(vec![cycle(model, &origins, &path)]);
        }
    }
    if let Some(dir) = &opts.artifacts_dir {
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
        if !errs.is_empty() {
            return Err(errs);
        }
    }
    Ok(Planned {
        stack,
        placement: report,
    })
}

/// The stack as it is when it fits in one template (and no function is remembered in a
/// nested stack); else split into nested stacks. Parameters and outputs stay in the root
/// whatever the split, so too many of those is refused at once (at the first declaration
/// over the limit).
fn fit(
    model: &Model,
    stack: Stack,
    owner: &FastMap<String, &str>,
    memory: &Memory,
    attempt: &split::Attempt,
) -> Result<Fitted, Vec<Diagnostic>> {
    let usage = limits::Usage::of_unless_over(&stack);
    if usage.fits() && !split::keeps_split(model, memory, &stack, owner) {
        let report = split::unsplit_report(model, memory, &stack, owner);
        return Ok(Fitted::Stack(stack, report));
    }
    let app_span = model
        .app
        .as_ref()
        .map(|a| a.name.span)
        .or_else(|| model.functions.first().map(|f| f.span))
        .unwrap_or_default();
    let mut errs = Vec::new();
    for (what, n, max) in usage.over() {
        let span = match what {
            "parameters" => model.params.get(max).map(|p| p.span),
            "outputs" => model.outputs.get(max).map(|o| o.span),
            _ => continue,
        };
        errs.push(limits::over(
            span.unwrap_or(app_span),
            limits::message("stack", what, n, max),
            &format!("{what} past the {max}th are over the limit"),
            &format!(
                "nested stacks cannot help: {what} belong to the root stack; remove or \
                 combine some"
            ),
        ));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(match split::split(model, stack, owner, memory, attempt)? {
        split::Outcome::Split(root, report) => Fitted::Stack(root, report),
        split::Outcome::Retry(next) => Fitted::Retry(next),
        split::Outcome::Cycle(path) => Fitted::Cycle(path),
    })
}

enum Fitted {
    /// The stack to emit: the flat one, or the root of a split.
    Stack(Stack, placement::Report),
    /// Lower again and split as the attempt says (see `split::Outcome`).
    Retry(split::Attempt),
    /// A nested stack's template has this cycle (logical IDs).
    Cycle(Vec<String>),
}

/// The one-stack plan without a dependency cycle: lowered again, with more buckets and
/// functions named by lamc, while a cycle that a name breaks remains (see `acyclic`).
/// Each round names at least one more declaration, so this ends.
fn acyclic<'m>(
    model: &'m Model,
    packaging: &'m crate::artifacts::Packaging,
) -> Result<(Stack, acyclic::Origins<'m>, ctx::Known), Vec<Diagnostic>> {
    let mut known = ctx::Known::new();
    loop {
        let (stack, origins) = lower(model, &known, packaging)?;
        match acyclic::judge(model, &stack, &origins, &known) {
            acyclic::Verdict::Acyclic => return Ok((stack, origins, known)),
            acyclic::Verdict::Name(more) => known.extend(more),
            acyclic::Verdict::Refuse(diags) => return Err(diags),
        }
    }
}

/// E0439 for a cycle the safety net found after splitting (a bug in lamc if ever seen).
fn cycle(model: &Model, origins: &acyclic::Origins, path: &[String]) -> Diagnostic {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    acyclic::diagnostic(model, &Stack::default(), origins, &path)
}

/// The one-stack plan, and where its resources come from (which function each belongs to:
/// `Ctx::owner`). `known` are the declarations lamc names itself; `packaging` says how
/// local `code` folders are zipped.
fn lower<'m>(
    model: &'m Model,
    known: &ctx::Known,
    packaging: &'m crate::artifacts::Packaging,
) -> Result<(Stack, acyclic::Origins<'m>), Vec<Diagnostic>> {
    let mut cx = ctx::Ctx::new(model, known.clone());
    cx.packaging = Some(packaging);
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
        stack,
        diags,
        owner,
        res_ids,
        ..
    } = cx;
    if !diags.is_empty() {
        return Err(diags);
    }
    let shared = res_ids.into_iter().map(|(r, id)| (id, r)).collect();
    Ok((stack, acyclic::Origins { owner, shared }))
}
