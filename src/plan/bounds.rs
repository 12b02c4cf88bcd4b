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
    Attr, CodeSource, DeployStr, Function, Kind, Model, Origin, ResRef, Resource, Schedule,
    Setting, Spec, TriggerKind, Value,
};
use crate::template::{Usage, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES};

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
/// Bytes a nested stack adds to the root (its resource, and each parameter it is given)
/// besides the parameters' names.
pub const CHILD_IN_ROOT_BYTES: usize = 600;
pub const PARAMETER_IN_ROOT_BYTES: usize = 120;

/// Each stack must stay under this percentage of a limit by its bound. The bounds are
/// upper bounds held to the planner by tests, and generous ones (they are the margin),
/// so the whole limit is used.
const MARGIN_PERCENT: usize = 100;

/// Stack-level alarms this path looks through (each declaration is searched for in each).
const MAX_ROOT_ALARMS: usize = 64;

/// Below this many functions per thread, their texts are measured on the calling thread.
const FUNCTIONS_PER_THREAD: usize = 1024;

/// One declaration's bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
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

/// Every declaration's bound (functions with their own resources, declared resources
/// alone), when the app is of the shape this path bounds; what the tests hold the
/// planner to.
pub fn of_declarations(model: &Model) -> Option<Vec<(ResRef, Bound)>> {
    let s = shape(model, &Memory::default())?;
    let functions = model.functions.iter().zip(&s.functions).map(|(f, (b, _))| {
        let r = ResRef {
            kind: Kind::Function,
            name: f.name.value.clone(),
        };
        (r, *b)
    });
    let declared = s.declared.iter().map(|((kind, name), (b, _))| {
        let r = ResRef {
            kind: *kind,
            name: (*name).to_string(),
        };
        (r, *b)
    });
    let mut all: Vec<(ResRef, Bound)> = functions.chain(declared).collect();
    all.sort();
    Some(all)
}

/// The bound of the whole app in one template (every function, declaration and
/// stack-level alarm), when it is of the shape this path bounds.
pub fn of_app(model: &Model) -> Option<Bound> {
    Some(one_template(&shape(model, &Memory::default())?))
}

fn one_template(s: &Shape) -> Bound {
    let mut all = s.root_alarms;
    for (b, _) in &s.functions {
        all += *b;
    }
    for (b, _) in s.declared.values() {
        all += *b;
    }
    all
}

/// What the bounds are read from: each function's bound and the declarations it refers
/// to (directly or through a dead-letter queue), each declaration's bound, and which
/// declarations surely follow their one user into its stack.
struct Shape<'m> {
    functions: Vec<(Bound, Vec<Use<'m>>)>,
    /// Each declaration's bound, and where it can be.
    declared: FastMap<Key<'m>, (Bound, Place)>,
    root_alarms: Bound,
}

/// Where a declared resource can end up when the app is split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Place {
    /// In the root, whatever the split: several users, or a kind that never moves.
    #[default]
    Root,
    /// In its one function's stack, surely: that function is its only user.
    Follows,
    /// Either: it may follow a queue that follows a function (a dead-letter queue).
    Either,
}

/// A declaration: its kind and name.
type Key<'m> = (Kind, &'m str);

/// A reference to a declaration: an attribute written in a value (`queue.q.url`), or
/// `None` for the one a trigger, permission, alarm or dead-letter queue uses (the ARN,
/// or the `Ref` where that is the ARN). Across a split, each is one parameter at most.
type Use<'m> = (Key<'m>, Option<Attr>);

fn key(r: &ResRef) -> Key<'_> {
    (r.kind, r.name.as_str())
}

/// `None` when the app is not of the shape this path bounds.
fn shape<'m>(model: &'m Model, memory: &Memory) -> Option<Shape<'m>> {
    if memory.deployed.is_some() || memory.rebalance || !super::code_requests(model).is_empty() {
        return None;
    }
    if !model.outputs.is_empty() {
        return None;
    }
    let tags = model.app.as_ref().map_or(0, |a| debug_len(&a.tags));
    let mut declared = FastMap::default();
    let mut dead_letters: FastMap<Key, Key> = FastMap::default();
    // Measuring each declaration's text is most of this path's work: on every core.
    let texts = crate::parallel::map_in_order(
        model.resources.iter().collect(),
        FUNCTIONS_PER_THREAD,
        debug_len,
    );
    for (r, text) in model.resources.iter().zip(texts) {
        let (bound, dlq) = declaration(r, text, tags)?;
        if let Some(d) = dlq {
            dead_letters.insert((r.kind, r.name.as_str()), key(d));
        }
        declared.insert((r.kind, r.name.as_str()), (bound, Place::Root));
    }
    // A dead-letter queue with one of its own could close a ring (E0439): planned.
    if dead_letters.values().any(|d| dead_letters.contains_key(d)) {
        return None;
    }
    let one = |f: &'m Function| {
        let mut refs = function_refs(f)?;
        let more: Vec<Use> = refs
            .iter()
            .filter_map(|(r, _)| Some((*dead_letters.get(r)?, None)))
            .collect();
        refs.extend(more);
        refs.sort_unstable();
        refs.dedup();
        if refs.iter().any(|(r, _)| !declared.contains_key(r)) {
            return None;
        }
        Some((function_bound(f, debug_len(f), tags), refs))
    };
    let functions =
        crate::parallel::map_in_order(model.functions.iter().collect(), FUNCTIONS_PER_THREAD, one);
    let functions: Vec<(Bound, Vec<Use>)> = functions.into_iter().collect::<Option<_>>()?;
    let (root_alarms, alarmed) = root_alarms(model)?;
    for (k, place) in places(model, &functions, &dead_letters, &alarmed) {
        if let Some(d) = declared.get_mut(&k) {
            d.1 = place;
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
fn declaration(r: &Resource, text: usize, tags: usize) -> Option<(Bound, Option<&ResRef>)> {
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
fn function_bound(f: &Function, text: usize, tags: usize) -> Bound {
    let triggers: usize = f.triggers.iter().map(|t| trigger_resources(&t.kind)).sum();
    let resources = FUNCTION_RESOURCES + triggers + f.alarms.len();
    let tags = tags + debug_len(&f.tags);
    bound_of(resources, f.name.value.len(), text, tags)
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
fn function_refs(f: &Function) -> Option<Vec<Use<'_>>> {
    if !is_plain(f) {
        return None;
    }
    let mut refs = Vec::new();
    for t in &f.triggers {
        trigger_refs(&t.kind, &mut refs)?;
    }
    for a in &f.allows {
        refs.extend(a.res_ref().map(|r| (key(r), None)));
    }
    for v in f.env.values() {
        value_refs(&v.value, &mut refs);
    }
    for a in &f.alarms {
        refs.extend(a.notify.iter().map(|n| (key(&n.value), None)));
    }
    refs.extend(f.dead_letter.as_ref().map(|d| (key(&d.value), None)));
    text_refs(f, &mut refs)?;
    refs.iter()
        .all(|((k, _), _)| *k != Kind::Function)
        .then_some(refs)
}

/// Whether `f` has none of the settings that add resources or refer to other stacks.
fn is_plain(f: &Function) -> bool {
    f.url.is_none()
        && f.concurrency.is_none()
        && f.async_config.is_none()
        && f.logging.is_none()
        && f.vpc.is_none()
        && f.files.is_empty()
        && f.durable.is_none()
        && f.capacity.is_none()
        && f.layers.is_empty()
}

/// What a trigger refers to; `None` for a kind [`trigger_resources`] does not bound.
fn trigger_refs<'m>(t: &'m TriggerKind, refs: &mut Vec<Use<'m>>) -> Option<()> {
    match t {
        TriggerKind::Sqs { queue, filter, .. } => {
            refs.push((key(&queue.value), None));
            if let Some(v) = filter {
                v.value.iter().for_each(|v| value_refs(v, refs));
            }
        }
        TriggerKind::Sns { topic, filter } => {
            refs.push((key(&topic.value), None));
            if let Some(v) = filter {
                value_refs(&v.value, refs);
            }
        }
        TriggerKind::Http {
            api, auth, scopes, ..
        } if auth.is_none() && scopes.is_empty() => {
            refs.push(((Kind::Api, api.value.as_str()), None))
        }
        TriggerKind::Schedule {
            expr,
            timezone: None,
            input,
            ..
        } if matches!(expr.value, Schedule::Rate(_) | Schedule::Cron(_)) => {
            if let Some(v) = input {
                value_refs(&v.value, refs);
            }
        }
        _ => return None,
    }
    Some(())
}

/// What the deploy-time texts of `f` refer to (tags, name, settings, code); `None` when a
/// setting is the planner's or the code is local.
fn text_refs<'m>(f: &'m Function, refs: &mut Vec<Use<'m>>) -> Option<()> {
    let texts = f
        .tags
        .values()
        .map(|t| &t.value)
        .chain(f.function_name.iter().map(|n| &n.value));
    for t in texts {
        deploy_refs(t, refs);
    }
    for (k, s) in &f.settings {
        // A switch of the planner's (`publish`, `snap_start`, …) can add resources; only
        // settings that are a property of the function itself are bounded.
        crate::schema::FUNCTION.attr(k)?.cfn?;
        if let Setting::Text(t) = &s.value {
            deploy_refs(t, refs);
        }
    }
    match f.code.as_ref().map(|c| &c.value) {
        Some(CodeSource::S3 { bucket, key: k }) => {
            deploy_refs(bucket, refs);
            deploy_refs(k, refs);
        }
        Some(CodeSource::Image(i)) => deploy_refs(i, refs),
        Some(CodeSource::Local { .. }) => return None,
        Some(CodeSource::Inline(_)) | None => {}
    }
    Some(())
}

fn deploy_refs<'m>(t: &'m DeployStr, out: &mut Vec<Use<'m>>) {
    value_refs(t.value(), out);
}

fn value_refs<'m>(v: &'m Value, out: &mut Vec<Use<'m>>) {
    match v {
        Value::Attr { target, attr } => out.push((key(target), Some(*attr))),
        Value::List(items) | Value::Concat(items) => items.iter().for_each(|i| value_refs(i, out)),
        Value::Map(entries) => entries.iter().for_each(|(_, i)| value_refs(i, out)),
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Param(_) | Value::Pseudo(_) => {}
    }
}

/// The stack-level alarms' bound, and every declaration they may name (by name, whatever
/// the kind: more than they name keeps more in the root, which only raises its bound).
/// `None` when one names a function (its alarm waits for a child).
fn root_alarms(model: &Model) -> Option<(Bound, Vec<String>)> {
    // Each declaration is looked for in every alarm's text: with many alarms, planned.
    if model.alarms.len() > MAX_ROOT_ALARMS {
        return None;
    }
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
        bound += bound_of(
            1,
            a.name.as_ref().map_or(64, |n| n.value.len()),
            text.len(),
            0,
        );
        named.push(text);
    }
    Some((bound, named))
}

/// Where each declaration can be: a queue, table or topic without subscriptions of its
/// own, named by no stack-level alarm, follows the one function that refers to it
/// (directly or through the queue it is the dead-letter queue of) when no other
/// declaration does, and may follow it when one other declaration does; everything else
/// stays in the root (`split::place`, step 2).
fn places<'m>(
    model: &'m Model,
    functions: &[(Bound, Vec<Use<'m>>)],
    dead_letters: &FastMap<Key<'m>, Key<'m>>,
    alarmed: &[String],
) -> Vec<(Key<'m>, Place)> {
    let mut users: FastMap<Key, (usize, usize)> = FastMap::default();
    for (_, refs) in functions {
        // Sorted: each declaration's uses are together; a user is counted once.
        let mut last = None;
        for (r, _) in refs {
            if last != Some(r) {
                users.entry(*r).or_default().0 += 1;
            }
            last = Some(r);
        }
    }
    for d in dead_letters.values() {
        users.entry(*d).or_default().1 += 1;
    }
    model
        .resources
        .iter()
        .map(|r| {
            let k = (r.kind, r.name.as_str());
            let movable = match &r.origin {
                Origin::Created(Spec::Queue(_) | Spec::Table(_)) => true,
                Origin::Created(Spec::Topic(t)) => t.email.is_empty() && t.https.is_empty(),
                _ => false,
            };
            let quoted = format!("{:?}", r.name);
            let movable = movable && !alarmed.iter().any(|a| a.contains(&quoted));
            let place = match users.get(&k).copied().unwrap_or_default() {
                (1, 0) if movable => Place::Follows,
                (0 | 1, 0 | 1) if movable => Place::Either,
                _ => Place::Root,
            };
            (k, place)
        })
        .collect()
}

/// Each stack this app can be planned into, by its bound, under every limit.
fn judge(model: &Model, memory: &Memory, s: &Shape) -> Option<()> {
    let params = model.params.len() + 1;
    if memory.file.is_none() {
        // No earlier placement: the app must fit in one template (else the split's
        // choice of children follows from exact totals: planned).
        let all = one_template(s);
        return fits(&Usage {
            resources: all.resources,
            bytes: all.bytes,
            parameters: params,
            outputs: 0,
        });
    }
    let (children, root) = placed(model, memory, s)?;
    for (_, child) in &children {
        fits(child)?;
    }
    fits(&root)
}

/// The bounds of the stacks the placement file gives, by child index, and of the root;
/// `None` without a placement file, or when a function is in none of its children.
pub fn stacks(model: &Model, memory: &Memory) -> Option<(Vec<(u32, Usage)>, Usage)> {
    placed(model, memory, &shape(model, memory)?)
}

/// Every function stays where the placement file has it: in a child, alone in its unit
/// (no function refers to another); each child holds its functions and what may follow
/// them, and takes a parameter per declaration and attribute it uses from the root.
fn placed(model: &Model, memory: &Memory, s: &Shape) -> Option<(Vec<(u32, Usage)>, Usage)> {
    let file = memory.file.as_ref()?;
    let params = model.params.len() + 1;
    let mut children: BTreeMap<u32, Child> = BTreeMap::new();
    for (f, (bound, refs)) in model.functions.iter().zip(&s.functions) {
        let Some(Home::Child(c)) = file.homes.get(&f.name.value) else {
            return None;
        };
        let child = children.entry(*c).or_default();
        child.bound += *bound;
        let mut last = None;
        for u in refs {
            let (b, place) = s.declared.get(&u.0).copied().unwrap_or_default();
            if place != Place::Root && last != Some(u.0) {
                child.bound += b;
            }
            last = Some(u.0);
            // One that follows this function is in this child: no parameter.
            if place != Place::Follows {
                child.refs.push(*u);
            }
        }
    }
    let mut root = s.root_alarms;
    for (b, place) in s.declared.values() {
        if *place != Place::Follows {
            root += *b;
        }
    }
    let longest = model
        .resources
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(children.len());
    for (c, mut child) in children {
        child.refs.sort_unstable();
        child.refs.dedup();
        let parameters = child.refs.len() + params;
        out.push((
            c,
            Usage {
                resources: child.bound.resources,
                bytes: child.bound.bytes + parameters * PARAMETER_IN_ROOT_BYTES,
                parameters,
                outputs: 0,
            },
        ));
        root.resources += 1;
        root.bytes += CHILD_IN_ROOT_BYTES + parameters * (PARAMETER_IN_ROOT_BYTES + 4 * longest);
    }
    let root = Usage {
        resources: root.resources,
        bytes: root.bytes,
        parameters: params,
        outputs: 0,
    };
    Some((out, root))
}

/// One child stack: the bound of what it holds, and the declarations it may need from
/// the root.
#[derive(Default)]
struct Child<'m> {
    bound: Bound,
    refs: Vec<Use<'m>>,
}

/// `Some` when every count and the bytes stay under the margin of each limit.
fn fits(u: &Usage) -> Option<()> {
    let under = |n: usize, max: usize| n * 100 <= max * MARGIN_PERCENT;
    (under(u.resources, MAX_RESOURCES)
        && under(u.bytes, MAX_TEMPLATE_BYTES)
        && under(u.parameters, MAX_PARAMETERS)
        && under(u.outputs, MAX_OUTPUTS))
    .then_some(())
}

/// The length of `v`'s Debug form, counted, not kept.
fn debug_len<T: std::fmt::Debug + ?Sized>(v: &T) -> usize {
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
