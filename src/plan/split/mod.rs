//! Nested stacks: an app too large for one template (CFN-01 resources, CFN-06 size) becomes
//! a root stack and child stacks (`AWS::CloudFormation::Stack`, CFN-12).
//!
//! - `place`: which resources travel with which function, what stays in the root, and why
//!   no two stacks can wait for each other;
//! - `assign`: which child each unit goes to when nothing is known of an earlier placement
//!   (a stable hash, so that adding a function changes only its own child);
//! - `remember`: which child each unit goes to when the earlier placement is known (the
//!   placement file, or the deployed stacks): every unit keeps its stack;
//! - `placement`: the placement file; `moves`: a function that changes stack, and what
//!   that costs it;
//! - `build`: the templates, with every reference across a boundary turned into a child
//!   parameter (root → child) or a child output (child → root).
//!
//! An app that fits in one template is not split (its template is exactly the one a single
//! stack gives) unless some of its functions already live in nested stacks. The children
//! are JSON templates named `<StackId>-<sha256 prefix>.json`; they are written to the
//! artifacts folder beside the code zips and listed in [`Stack::children`] for the deploy
//! step to upload next to them.

mod assign;
mod build;
pub mod moves;
mod place;
pub mod placement;
pub(super) mod refs;
mod remember;

use std::collections::{BTreeMap, BTreeSet};

use super::limits::{self, Usage, MAX_RESOURCES};
use super::{FastMap, Goal, Stack};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::source::Span;
use moves::Move;
use placement::{Home, Placement};
use remember::Cap;

/// How many times a child over a limit makes the split try again (with one more child, or
/// with that child holding less).
pub const MAX_EXTRA_CHILDREN: u32 = 64;

/// Each limit a template breaks: (what, count, limit).
type Over = Vec<(&'static str, usize, usize)>;

/// A child over limits: its index, what it uses, and the limits it breaks.
type Problem = (u32, Usage, Over);

/// A function the placement file puts in another stack than the deployed stacks do:
/// (function, the file's stack, the deployed stack).
pub type Disagreement = (String, Home, Home);

/// What is known of where the functions lived before this build.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    /// The placement file beside the app: function name → stack.
    pub file: Option<Placement>,
    /// What the deployed stacks hold (`lamc deploy`, `lamc diff`): the logical ID of each
    /// `AWS::Lambda::Function` → its stack. It wins over `file` for every function it holds.
    pub deployed: Option<BTreeMap<String, Home>>,
    /// Place every function afresh, as without memory (`lamc build --rebalance`); the
    /// earlier placement only says which functions that moves.
    pub rebalance: bool,
}

/// Where the functions went, and which of them changed stack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every function's stack when the app is split (what the placement file holds);
    /// `None` when it fits in one template.
    pub placement: Option<Placement>,
    /// Functions in another stack than before, by name.
    pub moves: Vec<Move>,
    /// Functions the placement file puts in another stack than the deployed stacks do:
    /// (function, the file's stack, the deployed stack). The deployed one is used.
    pub disagreements: Vec<Disagreement>,
}

/// How the split is tried. A failed try (a child over a limit) says how to try again.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// Children beyond what the size asks for (placing afresh).
    extra: u32,
    /// Children found over a limit (placing from memory), and how much they may hold.
    caps: BTreeMap<u32, Cap>,
    /// Whether units that were in the root stay there (placing from memory).
    keep_root: bool,
    tries: u32,
}

impl Default for Attempt {
    fn default() -> Self {
        Attempt {
            extra: 0,
            caps: BTreeMap::new(),
            keep_root: true,
            tries: 0,
        }
    }
}

/// What splitting gave.
pub enum Outcome {
    /// The root stack, its children in [`Stack::children`].
    Split(Stack, Report),
    /// A child (or the root) was over a limit: the caller lowers the model again and
    /// splits as the attempt says. The flat stack is consumed by the split (so that a
    /// large app is never held twice), hence the new lowering; this is rare.
    Retry(Attempt),
    /// A child's template has this dependency cycle (logical IDs): refused (E0439).
    Cycle(Vec<String>),
}

/// Whether an app that fits in one template is split all the same: some function lives
/// in a nested stack, and keeping it there is what the placement is for.
pub fn keeps_split(
    model: &Model,
    memory: &Memory,
    flat: &Stack,
    owner: &FastMap<String, &str>,
) -> bool {
    !memory.rebalance
        && previous(model, memory, flat, owner)
            .0
            .values()
            .any(|h| matches!(h, Home::Child(_)))
}

/// The report for an app built as one template: functions that were in a child are back
/// in the root (`--rebalance` of an app that fits).
pub fn unsplit_report(
    model: &Model,
    memory: &Memory,
    flat: &Stack,
    owner: &FastMap<String, &str>,
) -> Report {
    let (prev, disagreements) = previous(model, memory, flat, owner);
    let mut resources: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, f) in owner {
        if matches!(prev.get(*f), Some(Home::Child(_))) {
            resources.entry(*f).or_default().push(id);
        }
    }
    let moves = resources
        .into_iter()
        .map(|(f, mut ids)| {
            ids.sort_unstable();
            Move {
                function: f.to_string(),
                from: prev.get(f).copied().unwrap_or(Home::Root),
                to: Home::Root,
                why: "`--rebalance` places every function afresh, and the app fits in one \
                      template"
                    .to_string(),
                costs: moves::costs(
                    ids.into_iter()
                        .filter_map(|id| flat.resources.get_key_value(id))
                        .map(|(id, r)| (id.as_str(), r)),
                ),
            }
        })
        .collect();
    Report {
        placement: None,
        moves,
        disagreements,
    }
}

/// Split `flat` (over a limit that splitting can help with, or kept split by `memory`).
pub fn split(
    model: &Model,
    flat: Stack,
    owner: &FastMap<String, &str>,
    memory: &Memory,
    attempt: &Attempt,
    goal: Goal,
) -> Result<Outcome, Vec<Diagnostic>> {
    let mut units = {
        let g = place::graph(&flat);
        place::units(&flat, &g, owner)
    };
    let sizes = units.sizes();
    check_unit_sizes(model, &units, &sizes)?;
    let (prev, disagreements) = previous(model, memory, &flat, owner);
    let placed = place_units(&units, &sizes, &prev, memory, attempt);
    let placement = placement_of(model, &units, &placed);
    let moves = moves_of(&flat, owner, &units, &placed, &placement, &prev, memory);
    // Which unit each resource is in is not needed past this point: its IDs become the
    // keys of `child_of` (those of units in the root stay there).
    let child_of = children_of(std::mem::take(&mut units.unit_of), &placed);
    let stack_ids = stack_ids_of(&flat, &child_of);
    let parts = build::split(flat, &child_of, &stack_ids);
    drop(child_of);
    let mut root = parts.root;
    let written = write_children(parts.children, goal);
    if let Some(cycle) = written.iter().find_map(|w| w.cycle.clone()) {
        return Ok(Outcome::Cycle(cycle));
    }
    if let Some(outcome) = over_limits(model, &units, &placed, &written, attempt) {
        return outcome;
    }
    build::finish(&mut root, by_stack_id(written, &stack_ids), goal);
    if let Some(outcome) = root_over_limits(model, &root, &placed, attempt) {
        return outcome;
    }
    let report = Report {
        placement: Some(placement),
        moves,
        disagreements,
    };
    Ok(Outcome::Split(root, report))
}

/// No unit may be split, so one over the resource limit fails the whole split.
fn check_unit_sizes(
    model: &Model,
    units: &place::Units,
    sizes: &BTreeMap<&str, usize>,
) -> Result<(), Vec<Diagnostic>> {
    if let Some((unit, n)) = sizes.iter().find(|(_, n)| **n > MAX_RESOURCES) {
        let too_big = unit_too_big(model, units, unit, "resources", *n, MAX_RESOURCES);
        return Err(vec![too_big]);
    }
    Ok(())
}

/// Resource ID → the child its unit was placed in (those of units in the root are left
/// out: they stay there).
fn children_of(unit_of: FastMap<String, u32>, placed: &Placed) -> FastMap<String, u32> {
    unit_of
        .into_iter()
        .filter_map(|(id, u)| match placed.home[u as usize] {
            Home::Child(c) => Some((id, c)),
            Home::Root => None,
        })
        .collect()
}

/// Each child's stack resource ID, clear of every ID and parameter of the flat stack.
fn stack_ids_of(flat: &Stack, child_of: &FastMap<String, u32>) -> BTreeMap<u32, String> {
    let mut stack_ids = BTreeMap::new();
    for c in child_of.values() {
        stack_ids.entry(*c).or_insert_with(|| stack_id(flat, *c));
    }
    stack_ids
}

/// The written children as `build::finish` takes them: keyed by their stack resource.
fn by_stack_id(
    written: Vec<Written>,
    stack_ids: &BTreeMap<u32, String>,
) -> Vec<(String, Usage, String)> {
    written
        .into_iter()
        .map(|w| {
            (
                stack_ids.get(&w.child).cloned().unwrap_or_default(),
                w.usage,
                w.text,
            )
        })
        .collect()
}

/// One child as written (or only measured): its index, what it uses of the limits, its
/// text (empty when measured) and a dependency cycle in it, if any.
struct Written {
    child: u32,
    usage: Usage,
    text: String,
    cycle: Option<Vec<String>>,
}

/// Each child written once, measured, and its tree dropped at once: only the texts are
/// kept (holding every child's tree and text together set the peak memory). The children
/// are independent, so they are written on all cores.
fn write_children(children: Vec<(u32, Stack)>, goal: Goal) -> Vec<Written> {
    crate::parallel::map_in_order(children, 1, |(child, s)| {
        let (text, bytes) = match goal {
            Goal::Emit => {
                let text = crate::template::compact(&s);
                let n = text.len();
                (text, n)
            }
            Goal::Measure => (String::new(), crate::template::compact_len(&s)),
        };
        let usage = Usage {
            bytes,
            ..Usage::counts(&s)
        };
        let cycle = super::cycles::find(&s);
        Written {
            child,
            usage,
            text,
            cycle,
        }
    })
}

/// What to do about children over a limit: `None` when there are none; else refuse a
/// child that holds a single unit (another try cannot help it), try again, or refuse
/// once the tries are spent.
fn over_limits(
    model: &Model,
    units: &place::Units,
    placed: &Placed,
    written: &[Written],
    attempt: &Attempt,
) -> Option<Result<Outcome, Vec<Diagnostic>>> {
    let problems: Vec<Problem> = written
        .iter()
        .filter_map(|w| {
            let over = w.usage.over();
            (!over.is_empty()).then_some((w.child, w.usage, over))
        })
        .collect();
    if problems.is_empty() {
        return None;
    }
    for (c, _, over) in &problems {
        let alone: Vec<&String> = units
            .members
            .keys()
            .filter(|k| placed.home_of(units, k) == Some(Home::Child(*c)))
            .collect();
        if let [unit] = alone.as_slice() {
            return Some(Err(over
                .iter()
                .map(|(what, count, max)| unit_too_big(model, units, unit, what, *count, *max))
                .collect()));
        }
    }
    if attempt.tries + 1 < MAX_EXTRA_CHILDREN {
        return Some(Ok(Outcome::Retry(retry(
            attempt,
            placed.remembered,
            &problems,
        ))));
    }
    Some(Err(cannot_split(
        model,
        problems.into_iter().map(|(c, _, over)| (c, over)).collect(),
    )))
}

/// What to do about a root over a limit: `None` when it fits; else try again without
/// the units remembered in the root (they leave it before the root is refused), or
/// refuse.
fn root_over_limits(
    model: &Model,
    root: &Stack,
    placed: &Placed,
    attempt: &Attempt,
) -> Option<Result<Outcome, Vec<Diagnostic>>> {
    let over = Usage::of(root).over();
    if over.is_empty() {
        return None;
    }
    if placed.kept_in_root && attempt.tries + 1 < MAX_EXTRA_CHILDREN {
        return Some(Ok(Outcome::Retry(Attempt {
            keep_root: false,
            tries: attempt.tries + 1,
            ..attempt.clone()
        })));
    }
    Some(Err(over
        .into_iter()
        .map(|(what, count, max)| {
            limits::over(
                model.app_span(),
                limits::message("root stack", what, count, max),
                "too much stays in the root stack",
                "resources shared by several functions, parameters, outputs and one \
                 resource per nested stack stay in the root; split the app into \
                 several .lam apps",
            )
        })
        .collect()))
}

/// Where each function of the app was before, from the placement file and the deployed
/// stacks (which win), and the functions on which the two disagree.
fn previous(
    model: &Model,
    memory: &Memory,
    flat: &Stack,
    owner: &FastMap<String, &str>,
) -> (BTreeMap<String, Home>, Vec<Disagreement>) {
    if memory.file.is_none() && memory.deployed.is_none() {
        return (BTreeMap::new(), Vec::new());
    }
    let mut prev: BTreeMap<String, Home> = BTreeMap::new();
    let file = memory.file.as_ref().map(|p| &p.homes);
    for f in &model.functions {
        if let Some(home) = file.and_then(|homes| homes.get(&f.name.value)) {
            prev.insert(f.name.value.clone(), *home);
        }
    }
    let mut disagreements = Vec::new();
    for (id, home) in memory.deployed.iter().flatten() {
        let Some(f) = owner.get(id) else { continue };
        if flat.resources.get(id).map(|r| r.ty) != Some("AWS::Lambda::Function") {
            continue;
        }
        if let Some(old) = prev.insert(f.to_string(), *home) {
            if old != *home {
                disagreements.push((f.to_string(), old, *home));
            }
        }
    }
    disagreements.sort();
    (prev, disagreements)
}

/// The next attempt after `problems`: placing afresh, one more child; placing from memory,
/// each child over a limit holds less (in proportion to how far over it was, with a tenth
/// to spare).
fn retry(attempt: &Attempt, remembered: bool, problems: &[Problem]) -> Attempt {
    let mut next = Attempt {
        tries: attempt.tries + 1,
        ..attempt.clone()
    };
    if !remembered {
        next.extra += 1;
        return next;
    }
    for (c, usage, over) in problems {
        let ratio = over
            .iter()
            .map(|(_, count, max)| *max as f64 / (*count).max(1) as f64)
            .fold(1.0, f64::min);
        let earlier = next.caps.get(c).map_or(usage.resources, |k| k.resources);
        let resources =
            ((usage.resources as f64 * ratio * 0.9) as usize).min(earlier.saturating_sub(1));
        let (what, count, max) = over[0];
        next.caps.insert(
            *c,
            Cap {
                resources,
                why: limits::message(&Home::Child(*c).name(), what, count, max),
            },
        );
    }
    next
}

/// Where the units went.
struct Placed {
    /// Unit index → its stack (indices that are no unit: the root).
    home: Vec<Home>,
    /// Unit index → why it left its stack, when the assignment knows.
    evicted: BTreeMap<u32, String>,
    /// Whether the earlier placement was followed (else: placed afresh by hash).
    remembered: bool,
    /// Whether some unit stays in the root only because it was there before.
    kept_in_root: bool,
}

impl Placed {
    fn home_of(&self, units: &place::Units, key: &str) -> Option<Home> {
        units
            .keys
            .binary_search_by(|k| k.as_str().cmp(key))
            .ok()
            .map(|u| self.home[u])
    }
}

/// Place every unit: from memory when some unit's functions were in a nested stack
/// before (and no rebalance is asked for), else afresh by the hash of its key.
fn place_units(
    units: &place::Units,
    sizes: &BTreeMap<&str, usize>,
    prev: &BTreeMap<String, Home>,
    memory: &Memory,
    attempt: &Attempt,
) -> Placed {
    let index = |key: &str| {
        units
            .keys
            .binary_search_by(|k| k.as_str().cmp(key))
            .unwrap_or(0)
    };
    let mut home = vec![Home::Root; units.keys.len()];
    let remembered = !memory.rebalance
        && units
            .members
            .values()
            .flatten()
            .any(|m| matches!(prev.get(m), Some(Home::Child(_))));
    if !remembered {
        let total: usize = sizes.values().sum();
        let n = assign::initial_children(total).saturating_add(attempt.extra);
        for key in units.members.keys() {
            home[index(key)] = Home::Child(assign::child_of(key, n));
        }
        return Placed {
            home,
            evicted: BTreeMap::new(),
            remembered,
            kept_in_root: false,
        };
    }
    let list: Vec<remember::Unit> = units
        .members
        .iter()
        .map(|(key, members)| remember::Unit {
            key,
            members,
            size: sizes.get(key.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let out = remember::assign(&list, prev, &attempt.caps, attempt.keep_root);
    let mut evicted = BTreeMap::new();
    let mut kept_in_root = false;
    for (i, u) in list.iter().enumerate() {
        let at = index(u.key);
        home[at] = out.homes[i];
        kept_in_root |= out.homes[i] == Home::Root;
        if let Some(why) = out.evicted.get(&i) {
            evicted.insert(at as u32, why.clone());
        }
    }
    Placed {
        home,
        evicted,
        remembered,
        kept_in_root,
    }
}

/// Every function's stack: its unit's, or the root for functions in no unit.
fn placement_of(model: &Model, units: &place::Units, placed: &Placed) -> Placement {
    let mut homes = BTreeMap::new();
    for f in &model.functions {
        homes.insert(f.name.value.clone(), Home::Root);
    }
    for (key, members) in &units.members {
        let home = placed.home_of(units, key).unwrap_or(Home::Root);
        for m in members {
            homes.insert(m.clone(), home);
        }
    }
    Placement { homes }
}

/// The functions whose stack changed, with why and what it costs them.
fn moves_of(
    flat: &Stack,
    owner: &FastMap<String, &str>,
    units: &place::Units,
    placed: &Placed,
    now: &Placement,
    prev: &BTreeMap<String, Home>,
    memory: &Memory,
) -> Vec<Move> {
    let changed = now
        .homes
        .iter()
        .any(|(f, to)| prev.get(f).is_some_and(|from| from != to));
    if !changed {
        return Vec::new();
    }
    let moved = moved_functions(units, placed, now, prev, memory);
    if moved.is_empty() {
        return Vec::new();
    }
    let mut resources = resources_moved(owner, units, &moved);
    moved
        .into_iter()
        .map(|(f, (from, to, why))| {
            let mut ids = resources.remove(f).unwrap_or_default();
            ids.sort_unstable();
            Move {
                function: f.to_string(),
                from,
                to,
                why,
                costs: moves::costs(
                    ids.into_iter()
                        .filter_map(|id| flat.resources.get_key_value(id))
                        .map(|(id, r)| (id.as_str(), r)),
                ),
            }
        })
        .collect()
}

/// Each function whose stack changed: from, to and why.
fn moved_functions<'n>(
    units: &place::Units,
    placed: &Placed,
    now: &'n Placement,
    prev: &BTreeMap<String, Home>,
    memory: &Memory,
) -> BTreeMap<&'n str, (Home, Home, String)> {
    let unit_of_function: BTreeMap<&str, (&str, &BTreeSet<String>)> = units
        .members
        .iter()
        .flat_map(|(k, ms)| ms.iter().map(move |m| (m.as_str(), (k.as_str(), ms))))
        .collect();
    let mut moved: BTreeMap<&str, (Home, Home, String)> = BTreeMap::new();
    for (f, to) in &now.homes {
        let Some(&from) = prev.get(f) else { continue };
        if from == *to {
            continue;
        }
        let unit = unit_of_function.get(f.as_str());
        let evicted = unit
            .and_then(|(k, _)| units.keys.binary_search_by(|x| x.as_str().cmp(k)).ok())
            .and_then(|u| placed.evicted.get(&(u as u32)));
        let partner = unit.and_then(|(_, ms)| {
            ms.iter()
                .find(|m| m.as_str() != f && prev.get(m.as_str()) == Some(to))
        });
        let why = why_moved(memory, evicted, unit.is_some(), partner, from, *to);
        moved.insert(f, (from, *to, why));
    }
    moved
}

/// Why a function moved from `from` to `to`, the most telling reason first: a requested
/// rebalance, its unit's eviction, a root resource that waits for it (it is in no unit),
/// a new stack mate, the app outgrowing one template.
fn why_moved(
    memory: &Memory,
    evicted: Option<&String>,
    in_unit: bool,
    partner: Option<&String>,
    from: Home,
    to: Home,
) -> String {
    if memory.rebalance {
        "`--rebalance` places every function afresh".to_string()
    } else if let Some(why) = evicted {
        why.clone()
    } else if !in_unit {
        "it now needs a root resource that waits for it, and no two stacks may wait \
         for each other"
            .to_string()
    } else if let Some(p) = partner {
        format!("it now shares a stack with `{p}`: one of the two refers to the other")
    } else if from == Home::Root {
        "the app no longer fits in one template".to_string()
    } else {
        format!("{to} was chosen afresh")
    }
}

/// What travels with each moved function: its own resources, and what its unit took
/// along (counted with the unit's first function).
fn resources_moved<'m>(
    owner: &'m FastMap<String, &str>,
    units: &'m place::Units,
    moved: &BTreeMap<&'m str, (Home, Home, String)>,
) -> BTreeMap<&'m str, Vec<&'m str>> {
    let mut resources: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, f) in owner {
        if moved.contains_key(*f) {
            resources.entry(*f).or_default().push(id);
        }
    }
    for (id, u) in &units.unit_of {
        if owner.contains_key(id) {
            continue;
        }
        if let Some(lead) = units.keys.get(*u as usize) {
            if let Some((lead, _)) = moved.get_key_value(lead.as_str()) {
                resources.entry(*lead).or_default().push(id);
            }
        }
    }
    resources
}

/// E0413 for children still over a limit after every retry.
fn cannot_split(model: &Model, problems: Vec<(u32, Over)>) -> Vec<Diagnostic> {
    problems
        .into_iter()
        .flat_map(|(c, over)| {
            over.into_iter().map(move |(what, count, max)| {
                limits::over(
                    model.app_span(),
                    limits::message(&format!("nested stack {}", c + 1), what, count, max),
                    "this app cannot be split within cloudformation's limits",
                    "split the app into several .lam apps",
                )
            })
        })
        .collect()
}

/// E0413 for functions whose own resources do not fit in one nested stack.
fn unit_too_big(
    model: &Model,
    units: &place::Units,
    unit: &str,
    what: &str,
    count: usize,
    max: usize,
) -> Diagnostic {
    let names: Vec<String> = units
        .members
        .get(unit)
        .map(|m| m.iter().cloned().collect())
        .unwrap_or_default();
    let who = if names.len() == 1 {
        format!("function {}", names.join(""))
    } else {
        format!("functions {} (they refer to each other)", names.join(", "))
    };
    let message = if what == "bytes" {
        format!("the nested stack of {who} is {count} bytes; cloudformation allows {max}")
    } else {
        format!("the nested stack of {who} has {count} {what}; cloudformation allows {max}")
    };
    limits::over(
        function_span(model, unit),
        message,
        "too large for one nested stack, even alone",
        "give this function fewer triggers and alarms, or move large inline code to a code folder",
    )
}

/// `NestedStack1`, `NestedStack2`, … (never a name the plan already uses).
fn stack_id(flat: &Stack, child: u32) -> String {
    let mut id = format!("NestedStack{}", u64::from(child) + 1);
    while flat.resources.contains_key(&id) || flat.parameters.iter().any(|(p, _)| *p == id) {
        id.push_str("Part");
    }
    id
}

fn function_span(model: &Model, name: &str) -> Span {
    model
        .functions
        .iter()
        .find(|f| f.name.value == name)
        .map(|f| f.name.span)
        .unwrap_or_else(|| model.app_span())
}
