//! [`Model`] → a CloudFormation stack (resources with logical IDs, typed intrinsics,
//! least-privilege IAM).
//!
//! `plan` decides everything that ends up in the template; `emit` only serializes. The
//! lowering runs in a fixed order: logical IDs for every declaration first (so that any
//! reference can be resolved), then resources, functions and their triggers, alarms,
//! outputs, and last the IAM roles, which collect what everything before them needed.

mod acyclic;
mod alarms;
mod allow;
mod api;
mod async_config;
mod auth;
pub mod bounds;
mod capacity;
mod concurrency;
mod ctx;
pub mod cycles;
mod existing;
mod function;
mod iam;
mod ids;
mod kms;
mod known;
mod layer;
mod limits;
mod network;
mod outputs;
mod resources;
mod settings;
mod split;
mod stats;
mod triggers;
mod url;
mod values;

use crate::diag::Diagnostic;
use crate::model::{CodeSource, Model};

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
/// The template types the planner builds (they live below both `plan` and `emit`).
pub use crate::template::{
    tree, ChildTemplate, Node, Parameter, Props, Resource, Stack, StackOutput,
};
pub use stats::{resources_in_all, stats, MAX_RESOURCES_PER_OPERATION};

/// The name of the parameter that receives the bucket holding the zipped code.
pub const ARTIFACTS_BUCKET: &str = "ArtifactsBucket";

/// What the planner needs zipped: each function whose `code` is a local folder (or file).
/// The zips are made before planning ([`crate::artifacts::Packed::pack`]), so that lowering
/// the program again (a split retry) never zips again, and planning itself reads and
/// writes no file.
pub fn code_requests(model: &Model) -> Vec<crate::artifacts::Request> {
    let functions = model
        .functions
        .iter()
        .filter_map(|f| local_code(f.name.value.clone(), f.code.as_ref()?));
    let layers = model.resources.iter().filter_map(|r| match &r.origin {
        crate::model::Origin::Created(crate::model::Spec::Layer(l)) => {
            local_code(layer::artifact_name(&r.name), l.code.as_ref()?)
        }
        _ => None,
    });
    functions.chain(layers).collect()
}

/// The request to zip `code` under `name`, when it is a local folder or file.
fn local_code(
    name: String,
    code: &crate::model::S<CodeSource>,
) -> Option<crate::artifacts::Request> {
    let CodeSource::Local { path, .. } = &code.value else {
        return None;
    };
    Some(crate::artifacts::Request {
        function: name,
        path: path.clone(),
        span: code.span,
    })
}

/// What a plan is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Goal {
    /// A template to emit: the nested stacks' texts are written and content-hashed.
    #[default]
    Emit,
    /// Its diagnostics only (`lamc check`): the nested stacks' texts are measured, neither
    /// kept nor hashed. Their keys have the length of a hash, so that every size, and so
    /// every diagnostic, is the one `Emit` gives; the stack itself must not be emitted.
    Measure,
}

/// A planned stack and where its functions went.
#[derive(Debug, Clone)]
pub struct Planned {
    pub stack: Stack,
    pub placement: placement::Report,
    /// Which declaration each resource was lowered from, when asked for
    /// ([`plan_traced`]): `lamc check --lint` points at them.
    pub origins: Option<SourceOrigins>,
}

/// Logical ID → the declaration its resource was lowered from: a function (its own
/// resources: role, log group, permissions, event source mappings, alarms on it, …) or a
/// declared queue, topic, bucket, table, stream or API. Kept only when asked for, so that
/// a build does not pay for it.
#[derive(Debug, Clone, Default)]
pub struct SourceOrigins {
    functions: FastMap<String, String>,
    declared: FastMap<String, crate::model::ResRef>,
}

impl SourceOrigins {
    fn of(origins: &acyclic::Origins) -> Self {
        SourceOrigins {
            functions: origins
                .owner
                .iter()
                .map(|(id, f)| (id.clone(), (*f).to_string()))
                .collect(),
            declared: origins.shared.clone(),
        }
    }

    /// The declaration the resource `id` was lowered from.
    pub fn decl(&self, id: &str) -> Option<crate::model::ResRef> {
        if let Some(f) = self.functions.get(id) {
            return Some(crate::model::ResRef {
                kind: crate::model::Kind::Function,
                name: f.clone(),
            });
        }
        self.declared.get(id).cloned()
    }
}

/// Lower the model to a stack, splitting an app too large for one template as `memory`
/// says: functions keep the stack they had (docs/nested-stacks.md). `code` holds the zips
/// of [`code_requests`]; the planned stack names them by key (its `artifacts` stay empty).
/// Errors (e.g. E0413, an app over CloudFormation's limits even when split into nested
/// stacks, E0439 a dependency cycle, or a code folder that could not be zipped) are
/// returned as diagnostics. Nothing is read or written here.
pub fn plan_placed(
    model: &Model,
    code: &crate::artifacts::Packed,
    memory: &Memory,
    goal: Goal,
) -> Result<Planned, Vec<Diagnostic>> {
    plan_traced(model, code, memory, goal, false)
}

/// [`plan_placed`], keeping the resources' [`SourceOrigins`] when `trace` is set.
pub fn plan_traced(
    model: &Model,
    code: &crate::artifacts::Packed,
    memory: &Memory,
    goal: Goal,
    trace: bool,
) -> Result<Planned, Vec<Diagnostic>> {
    let (mut flat, mut origins, known) = acyclic(model, code)?;
    let mut attempt = split::Attempt::default();
    let (stack, report) = loop {
        match fit(model, flat, &origins.owner, memory, &attempt, goal)? {
            Fitted::Stack(stack, report) => break (stack, report),
            Fitted::Retry(next) => {
                attempt = next;
                (flat, origins) = lower(model, &known, code)?;
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
    Ok(Planned {
        stack,
        placement: report,
        origins: trace.then(|| SourceOrigins::of(&origins)),
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
    goal: Goal,
) -> Result<Fitted, Vec<Diagnostic>> {
    let usage = limits::Usage::of_unless_over(&stack);
    if usage.fits() && !split::keeps_split(model, memory, &stack, owner) {
        let report = split::unsplit_report(model, memory, &stack, owner);
        return Ok(Fitted::Stack(stack, report));
    }
    let app_span = model.app_span();
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
    Ok(
        match split::split(model, stack, owner, memory, attempt, goal)? {
            split::Outcome::Split(root, report) => Fitted::Stack(root, report),
            split::Outcome::Retry(next) => Fitted::Retry(next),
            split::Outcome::Cycle(path) => Fitted::Cycle(path),
        },
    )
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
    code: &'m crate::artifacts::Packed,
) -> Result<(Stack, acyclic::Origins<'m>, ctx::Known), Vec<Diagnostic>> {
    let mut known = ctx::Known::new();
    loop {
        let (stack, origins) = lower(model, &known, code)?;
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
/// `Ctx::owner`). `known` are the declarations lamc names itself; `code` holds the zips of
/// local `code` folders.
fn lower<'m>(
    model: &'m Model,
    known: &ctx::Known,
    code: &'m crate::artifacts::Packed,
) -> Result<(Stack, acyclic::Origins<'m>), Vec<Diagnostic>> {
    let mut cx = ctx::Ctx::new(model, known.clone());
    cx.code = Some(code);
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
