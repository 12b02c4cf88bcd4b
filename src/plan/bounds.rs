//! `lamc check`'s cheap path for the stack-level limits: upper bounds per declaration
//! (resources it adds, bytes of their JSON, what a split could make cross a stack
//! boundary), read from the model without lowering it into property trees.
//!
//! The verdict is [`Verdict::Fits`] only when the app is of a shape whose planning is
//! fully predictable from declarations (listed in [`shape`]) and every stack it can be
//! planned into stays under each CloudFormation limit by its bound. Then planning it
//! would report nothing: no E0413 (every stack fits), no E0439 (no declaration refers
//! back to a function, dead-letter chains are one link deep, so no reference between
//! resources can close a cycle), no code-folder diagnostic (no local code). Anything
//! else is [`Verdict::Plan`]: the caller plans measured, exactly as a build does, so
//! what `lamc check` reports is always what `lamc build` reports.
//!
//! The bounds are the planner's: `tests/check_agrees.rs` plans every app of the corpus
//! this path accepts and holds each declaration's resources, and their bytes, to its bound.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::split::placement::Home;
use super::split::Memory;
use super::FastMap;
use crate::model::{
    CodeSource, DeployStr, Function, Kind, Model, Origin, ResRef, Resource, Schedule, Setting,
    Spec, TriggerKind, Value,
};
use crate::template::{MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES};

/// What planning the app could report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing: every stack fits with its bound.
    Fits,
    /// Something may be near or over a limit, or the app is of a shape this path does not
    /// bound: plan it.
    Plan,
}

/// Resources a function adds besides its triggers and alarms: the function, its role,
/// its policy and its log group.
pub const FUNCTION_RESOURCES: usize = 4;
/// Resources per trigger, at most: `on http` (integration, route, permission),
/// `on schedule` (rule or schedule, permission or role), `on sns` (subscription,
/// permission), `on sqs` (event source mapping).
pub const HTTP_RESOURCES: usize = 3;
pub const SCHEDULE_RESOURCES: usize = 3;
pub const SNS_RESOURCES: usize = 2;
pub const SQS_RESOURCES: usize = 1;
/// Resources of a declared API at most: the API, its stage, its access log group.
pub const API_RESOURCES: usize = 3;
/// Bytes of a resource's JSON besides the text the declaration brings: type, keys,
/// intrinsics, logical IDs (each counted again below by its name's length), policies.
pub const RESOURCE_BYTES: usize = 700;
/// How often a declaration's name can appear in each of its resources (logical IDs and
/// references to them).
pub const NAME_REPEATS: usize = 12;
/// Attributes of one declaration a child stack can receive as parameters (a queue's URL,
/// ARN and name).
pub const ATTRS_PER_DECLARATION: usize = 3;
/// Bytes a nested stack adds to the root (its resource, and each parameter it is given)
/// besides the parameters' names.
pub const CHILD_IN_ROOT_BYTES: usize = 600;
pub const PARAMETER_IN_ROOT_BYTES: usize = 120;

/// Each stack must stay under this percentage of a limit by its bound. The bounds are the
/// margin (a synthetic child of 30 functions is bounded at 1.5 times its resources and
/// 7 times its bytes), so the whole limit is used.
const MARGIN_PERCENT: usize = 100;

/// One declaration's bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bound {
    pub resources: usize,
    pub bytes: usize,
}

impl std::ops::AddAssign for Bound {
    fn add_assign(&mut self, o: Bound) {
        self.resources += o.resources;
        self.bytes += o.bytes;
    }
}

/// The verdict for `model` planned with `memory` (see the module's comment).
pub fn verdict(model: &Model, memory: &Memory) -> Verdict {
    match shape(model, memory).and_then(|s| judge(model, memory, &s)) {
        Some(()) => Verdict::Fits,
        None => Verdict::Plan,
    }
}

/// What the bounds are read from: each function's bound and the declarations it refers
/// to (directly or through a dead-letter queue), each declaration's bound, and which
/// declarations surely follow their one user into its stack.
struct Shape<'m> {
    functions: Vec<(Bound, Vec<Key<'m>>)>,
    /// Each declaration's bound, and whether it surely follows its one user.
    declared: FastMap<Key<'m>, (Bound, bool)>,
    root_alarms: Bound,
}

/// A declaration: its kind and name.
type Key<'m> = (Kind, &'m str);

fn key(r: &ResRef) -> Key<'_> {
    (r.kind, r.name.as_str())
}

/// `None` when the app is not of the shape this path bounds.
fn shape<'m>(model: &'m Model, memory: &Memory) -> Option<Shape<'m>> {
    if memory.deployed.is_some() || memory.rebalance || !super::code_requests(model).is_empty()
    {
        return None;
    }
    if !model.outputs.is_empty() {
        return None;
    }
    let tags = model.app.as_ref().map_or(0, |a| debug_len(&a.tags));
    let mut declared = FastMap::default();
    let mut dead_letters: FastMap<Key, Key> = FastMap::default();
    for r in &model.resources {
        let (bound, dlq) = declaration(r, tags)?;
        if let Some(d) = dlq {
            dead_letters.insert((r.kind, r.name.as_str()), key(d));
        }
        declared.insert((r.kind, r.name.as_str()), (bound, false));
    }
    // A dead-letter queue with one of its own could close a ring (E0439): planned.
    if dead_letters.values().any(|d| dead_letters.contains_key(d)) {
        return None;
    }
    let mut functions = Vec::with_capacity(model.functions.len());
    for f in &model.functions {
        let mut refs = function_refs(f)?;
        let more: Vec<Key> = refs.iter().filter_map(|r| dead_letters.get(r).copied()).collect();
        refs.extend(more);
        refs.sort_unstable();
        refs.dedup();
        if refs.iter().any(|r| !declared.contains_key(r)) {
            return None;
        }
        functions.push((function_bound(f, tags), refs));
    }
    let (root_alarms, alarmed) = root_alarms(model)?;
    for (k, follows) in followers(model, &functions, &dead_letters, &alarmed) {
        if let Some(d) = declared.get_mut(&k) {
            d.1 = follows;
        }
    }
    Some(Shape {
        functions,
        declared,
        root_alarms,
    })
}

/// A declared resource's bound and its dead-letter queue; `None` for kinds this path does
/// not bound (their lowering can refer to functions, or add resources per use).
fn declaration(r: &Resource, tags: usize) -> Option<(Bound, Option<&ResRef>)> {
    let Origin::Created(spec) = &r.origin else {
        return None;
    };
    let (resources, dlq) = match spec {
        Spec::Queue(q) => (1, q.dead_letter.as_ref().map(|d| &d.value)),
        Spec::Topic(t) => (1 + t.email.len() + t.https.len(), None),
        Spec::Table(_) => (1, None),
        Spec::Api(a) if a.auth.is_none() && a.domain.is_none() => (API_RESOURCES, None),
        _ => return None,
    };
    let text = debug_len(r);
    Some((bound_of(resources, r.name.len(), text, tags), dlq))
}

/// `resources` resources whose declaration is named `name` and brings `text` bytes of
/// its own (its Debug form, which holds every string it has, escaped at least five sixths
/// as long as JSON escapes them: `\u{1}` against `\u0001`) and `tags` bytes of tags on
/// each resource.
fn bound_of(resources: usize, name: usize, text: usize, tags: usize) -> Bound {
    Bound {
        resources,
        bytes: resources * (RESOURCE_BYTES + NAME_REPEATS * name + 2 * tags) + text * 6 / 5,
    }
}

/// A function's own resources' bound (triggers and alarms included).
fn function_bound(f: &Function, tags: usize) -> Bound {
    let triggers: usize = f.triggers.iter().map(|t| trigger_resources(&t.kind)).sum();
    let resources = FUNCTION_RESOURCES + triggers + f.alarms.len();
    let tags = tags + debug_len(&f.tags);
    bound_of(resources, f.name.value.len(), debug_len(f), tags)
}

/// Resources one trigger adds at most (the kinds [`function_refs`] accepts).
fn trigger_resources(t: &TriggerKind) -> usize {
    match t {
        TriggerKind::Sqs { .. } => SQS_RESOURCES,
        TriggerKind::Sns { .. } => SNS_RESOURCES,
        TriggerKind::Http { .. } => HTTP_RESOURCES,
        _ => SCHEDULE_RESOURCES,
    }
}

/// The declarations `f` refers to; `None` when it has something this path does not bound
/// (a reference to a function, settings that add resources or refer to other stacks).
fn function_refs(f: &Function) -> Option<Vec<Key<'_>>> {
    let plain = f.url.is_none()
        && f.concurrency.is_none()
        && f.async_config.is_none()
        && f.logging.is_none()
        && f.vpc.is_none()
        && f.files.is_empty()
        && f.durable.is_none()
        && f.capacity.is_none()
        && f.layers.is_empty();
    if !plain {
        return None;
    }
    let mut refs = Vec::new();
    for t in &f.triggers {
        match &t.kind {
            TriggerKind::Sqs { queue, filter, .. } => {
                refs.push(key(&queue.value));
                if let Some(v) = filter {
                    v.value.iter().for_each(|v| value_refs(v, &mut refs));
                }
            }
            TriggerKind::Sns { topic, filter } => {
                refs.push(key(&topic.value));
                if let Some(v) = filter {
                    value_refs(&v.value, &mut refs);
                }
            }
            TriggerKind::Http {
                api, auth, scopes, ..
            } if auth.is_none() && scopes.is_empty() => refs.push((Kind::Api, api.value.as_str())),
            TriggerKind::Schedule {
                expr,
                timezone: None,
                input,
                ..
            } if matches!(expr.value, Schedule::Rate(_) | Schedule::Cron(_)) => {
                if let Some(v) = input {
                    value_refs(&v.value, &mut refs);
                }
            }
            _ => return None,
        }
    }
    for a in &f.allows {
        refs.extend(a.res_ref().map(key));
    }
    for v in f.env.values() {
        value_refs(&v.value, &mut refs);
    }
    for a in &f.alarms {
        refs.extend(a.notify.iter().map(|n| key(&n.value)));
    }
    refs.extend(f.dead_letter.as_ref().map(|d| key(&d.value)));
    let texts = f.tags.values().map(|t| &t.value).chain(f.function_name.iter().map(|n| &n.value));
    for t in texts {
        deploy_refs(t, &mut refs);
    }
    for s in f.settings.values() {
        if let Setting::Text(t) = &s.value {
            deploy_refs(t, &mut refs);
        }
    }
    match f.code.as_ref().map(|c| &c.value) {
        Some(CodeSource::S3 { bucket, key: k }) => {
            deploy_refs(bucket, &mut refs);
            deploy_refs(k, &mut refs);
        }
        Some(CodeSource::Image(i)) => deploy_refs(i, &mut refs),
        Some(CodeSource::Local { .. }) => return None,
        Some(CodeSource::Inline(_)) | None => {}
    }
    refs.iter().all(|(k, _)| *k != Kind::Function).then_some(refs)
}

fn deploy_refs<'m>(t: &'m DeployStr, out: &mut Vec<Key<'m>>) {
    value_refs(t.value(), out);
}

fn value_refs<'m>(v: &'m Value, out: &mut Vec<Key<'m>>) {
    match v {
        Value::Attr { target, .. } => out.push(key(target)),
        Value::List(items) | Value::Concat(items) => items.iter().for_each(|i| value_refs(i, out)),
        Value::Map(entries) => entries.iter().for_each(|(_, i)| value_refs(i, out)),
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Param(_) | Value::Pseudo(_) => {}
    }
}

/// The stack-level alarms' bound, and every declaration they may name (by name, whatever
/// the kind: more than they name keeps more in the root, which only raises its bound).
/// `None` when one names a function (its alarm waits for a child).
fn root_alarms(model: &Model) -> Option<(Bound, Vec<String>)> {
    let mut bound = Bound::default();
    let mut named = Vec::new();
    for a in &model.alarms {
        if matches!(a.metric.value, crate::model::Metric::Function { .. }) {
            return None;
        }
        let text = format!("{a:?}");
        if text.contains("kind: Function") {
            return None;
        }
        bound += bound_of(1, a.name.as_ref().map_or(64, |n| n.value.len()), text.len(), 0);
        named.push(text);
    }
    Some((bound, named))
}

/// Which declarations surely follow their one user into its stack: a queue, table or
/// topic without subscriptions of its own that exactly one function refers to, and no
/// other declaration nor stack-level alarm.
fn followers<'m>(
    model: &'m Model,
    functions: &[(Bound, Vec<Key<'m>>)],
    dead_letters: &FastMap<Key<'m>, Key<'m>>,
    alarmed: &[String],
) -> Vec<(Key<'m>, bool)> {
    let mut users: FastMap<Key, usize> = FastMap::default();
    for (_, refs) in functions {
        for r in refs {
            *users.entry(*r).or_default() += 1;
        }
    }
    for d in dead_letters.values() {
        *users.entry(*d).or_default() += 2;
    }
    model
        .resources
        .iter()
        .map(|r| {
            let k = (r.kind, r.name.as_str());
            let single = matches!(
                &r.origin,
                Origin::Created(Spec::Queue(_) | Spec::Table(_))
            ) || matches!(&r.origin, Origin::Created(Spec::Topic(t)) if t.email.is_empty() && t.https.is_empty());
            let quoted = format!("{:?}", r.name);
            let follows = single
                && users.get(&k) == Some(&1)
                && !alarmed.iter().any(|a| a.contains(&quoted));
            (k, follows)
        })
        .collect()
}

/// Each stack this app can be planned into, by its bound, under every limit.
fn judge(model: &Model, memory: &Memory, s: &Shape) -> Option<()> {
    let params = model.params.len() + 1;
    if params * 100 > MAX_PARAMETERS * MARGIN_PERCENT {
        return None;
    }
    let Some(file) = &memory.file else {
        // No earlier placement: the app must fit in one template (else the split's
        // choice of children follows from exact totals: planned).
        let mut all = s.root_alarms;
        for (b, _) in &s.functions {
            all += *b;
        }
        for (b, _) in s.declared.values() {
            all += *b;
        }
        return fits(all.resources, all.bytes, params);
    };
    // Every function stays where the placement file has it: in a child, alone in its
    // unit (no function refers to another), its child under every limit.
    let mut children: BTreeMap<u32, Child> = BTreeMap::new();
    for (f, (bound, refs)) in model.functions.iter().zip(&s.functions) {
        let Some(Home::Child(c)) = file.homes.get(&f.name.value) else {
            return None;
        };
        let child = children.entry(*c).or_default();
        child.bound += *bound;
        for r in refs {
            let (b, follows) = s.declared.get(r).copied().unwrap_or_default();
            child.bound += b;
            // One that follows this function is in this child: no parameter.
            if !follows {
                child.refs.push(*r);
            }
        }
    }
    let mut root = s.root_alarms;
    for (b, follows) in s.declared.values() {
        if !follows {
            root += *b;
        }
    }
    let longest = model.resources.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for (_, child) in children.iter_mut() {
        child.refs.sort_unstable();
        child.refs.dedup();
        let child_params = ATTRS_PER_DECLARATION * child.refs.len() + params;
        let bytes = child.bound.bytes + child_params * PARAMETER_IN_ROOT_BYTES;
        fits(child.bound.resources, bytes, child_params)?;
        root.resources += 1;
        root.bytes += CHILD_IN_ROOT_BYTES + child_params * (PARAMETER_IN_ROOT_BYTES + 4 * longest);
    }
    fits(root.resources, root.bytes, params)
}

/// One child stack: the bound of what it holds, and the declarations it may need from
/// the root.
#[derive(Default)]
struct Child<'m> {
    bound: Bound,
    refs: Vec<Key<'m>>,
}

/// `Some` when counts and bytes stay under the margin of each limit.
fn fits(resources: usize, bytes: usize, parameters: usize) -> Option<()> {
    let under = |n: usize, max: usize| n * 100 <= max * MARGIN_PERCENT;
    (under(resources, MAX_RESOURCES)
        && under(bytes, MAX_TEMPLATE_BYTES)
        && under(parameters, MAX_PARAMETERS))
    .then_some(())
}

/// The length of `v`'s Debug form, counted, not kept.
fn debug_len(v: &impl std::fmt::Debug) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = write!(c, "{v:?}");
    c.0
}
