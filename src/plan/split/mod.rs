//! Nested stacks: an app too large for one template (CFN-01 resources, CFN-06 size) becomes
//! a root stack and child stacks (`AWS::CloudFormation::Stack`, CFN-12).
//!
//! - `place`: which resources travel with which function, what stays in the root, and why
//!   no two stacks can wait for each other;
//! - `assign`: which child each function goes to (a stable hash, so that adding a function
//!   changes only its own child);
//! - `build`: the templates, with every reference across a boundary turned into a child
//!   parameter (root → child) or a child output (child → root).
//!
//! An app that fits in one template is never split: its template is exactly the one a
//! single stack gives. The children are JSON templates named `<StackId>-<sha256 prefix>.json`;
//! they are written to the artifacts folder beside the code zips and listed in
//! [`Stack::children`] for the deploy step to upload next to them.

mod assign;
mod build;
mod place;
pub(super) mod refs;

use std::collections::BTreeMap;

use super::limits::{self, Usage, MAX_RESOURCES};
use super::{FastMap, Stack};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::source::Span;

/// How many times a child over a limit makes the split retry with one more child.
pub const MAX_EXTRA_CHILDREN: u32 = 64;

/// A child over limits: its index, and (what, count, limit) for each limit.
type Problem = (u32, Vec<(&'static str, usize, usize)>);

/// What splitting gave.
pub enum Outcome {
    /// The root stack, its children in [`Stack::children`].
    Split(Stack),
    /// A child was over a limit: the caller lowers the model again and splits into one
    /// more child (`extra + 1`). The flat stack is consumed by the split (so that a large
    /// app is never held twice), hence the new lowering; over-limit children are rare.
    MoreChildren,
    /// A child's template has this dependency cycle (logical IDs): refused (E0439).
    Cycle(Vec<String>),
}

/// Split `flat` (already known to be over a limit that splitting can help with) into
/// `extra` more children than its size asks for.
pub fn split(
    model: &Model,
    flat: Stack,
    owner: &FastMap<String, &str>,
    extra: u32,
) -> Result<Outcome, Vec<Diagnostic>> {
    let mut units = {
        let g = place::graph(&flat);
        place::units(&flat, &g, owner)
    };
    let sizes = units.sizes();
    for (unit, n) in &sizes {
        if *n > MAX_RESOURCES {
            return Err(vec![unit_too_big(
                model,
                &units,
                unit,
                "resources",
                *n,
                MAX_RESOURCES,
            )]);
        }
    }
    let total: usize = sizes.values().sum();
    let n = assign::initial_children(total).saturating_add(extra);
    // One hash per unit, not per resource.
    let child_by_index: Vec<u32> = units.keys.iter().map(|k| assign::child_of(k, n)).collect();
    // Which unit each resource is in is not needed past this point: its IDs become the
    // keys of `child_of`.
    let child_of: FastMap<String, u32> = std::mem::take(&mut units.unit_of)
        .into_iter()
        .map(|(id, u)| (id, child_by_index[u as usize]))
        .collect();
    let mut stack_ids = BTreeMap::new();
    for c in child_of.values() {
        stack_ids.entry(*c).or_insert_with(|| stack_id(&flat, *c));
    }
    let parts = build::split(flat, &child_of, &stack_ids);
    drop(child_of);
    // Each child is written once, measured, and its tree dropped at once: only the texts
    // are kept (holding every child's tree and text together set the peak memory). The
    // children are independent, so they are written on all cores.
    let mut root = parts.root;
    let written: Vec<(u32, Usage, String, Option<Vec<String>>)> =
        crate::parallel::map_in_order(parts.children, 1, |(c, s)| {
            let text = crate::emit::json_compact(&s);
            let usage = Usage {
                bytes: text.len(),
                ..Usage::counts(&s)
            };
            (c, usage, text, super::cycles::find(&s))
        });
    if let Some(cycle) = written.iter().find_map(|w| w.3.clone()) {
        return Ok(Outcome::Cycle(cycle));
    }
    let problems: Vec<Problem> = written
        .iter()
        .filter_map(|(c, usage, _, _)| {
            let over = usage.over();
            (!over.is_empty()).then_some((*c, over))
        })
        .collect();
    if !problems.is_empty() {
        // More children cannot help a child that holds a single unit.
        for (c, over) in &problems {
            let alone: Vec<&String> = units
                .members
                .keys()
                .filter(|u| assign::child_of(u, n) == *c)
                .collect();
            if let [unit] = alone.as_slice() {
                return Err(over
                    .iter()
                    .map(|(what, count, max)| unit_too_big(model, &units, unit, what, *count, *max))
                    .collect());
            }
        }
        if extra + 1 < MAX_EXTRA_CHILDREN {
            return Ok(Outcome::MoreChildren);
        }
        return Err(cannot_split(model, problems));
    }
    let children = written
        .into_iter()
        .map(|(c, usage, text, _)| (stack_ids.get(&c).cloned().unwrap_or_default(), usage, text))
        .collect();
    build::finish(&mut root, children);
    let over = Usage::of(&root).over();
    if !over.is_empty() {
        return Err(over
            .into_iter()
            .map(|(what, count, max)| {
                limits::over(
                    app_span(model),
                    limits::message("root stack", what, count, max),
                    "too much stays in the root stack",
                    "resources shared by several functions, parameters, outputs and one \
                     resource per nested stack stay in the root; split the app into \
                     several .lam apps",
                )
            })
            .collect());
    }
    Ok(Outcome::Split(root))
}

/// E0413 for children still over a limit after every retry.
fn cannot_split(model: &Model, problems: Vec<Problem>) -> Vec<Diagnostic> {
    problems
        .into_iter()
        .flat_map(|(c, over)| {
            over.into_iter().map(move |(what, count, max)| {
                limits::over(
                    app_span(model),
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

fn app_span(model: &Model) -> Span {
    model
        .app
        .as_ref()
        .map(|a| a.name.span)
        .or_else(|| model.functions.first().map(|f| f.span))
        .unwrap_or_default()
}

fn function_span(model: &Model, name: &str) -> Span {
    model
        .functions
        .iter()
        .find(|f| f.name.value == name)
        .map(|f| f.name.span)
        .unwrap_or_else(|| app_span(model))
}
