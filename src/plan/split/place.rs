//! Which resources travel together: each function with its own resources (a "unit"), and
//! what stays in the root stack.
//!
//! 1. Every resource lowered for a function (its role, log group, permissions, mappings,
//!    routes, alarms, alias, version, scaling, …) belongs to that function (`Ctx::owner`).
//! 2. A shared resource (queue, topic, table, bucket, …) that only one function's resources
//!    refer to, that refers to no other function's resources and that no template output
//!    names, moves to that function (repeated until nothing moves, so a dead-letter queue
//!    used only by a function's own queue follows it too). Everything else stays in the
//!    root and reaches the children as parameters.
//! 3. Functions whose resources refer to each other (async destinations, `allow … on
//!    function.X`) form one unit, so children never refer to each other.
//! 4. No cycle between stacks: some root resources depend, directly or through other root
//!    resources, on a unit (an S3 bucket notifying a function waits for its permission; a
//!    stack alarm names the function). A unit that needs such a resource stays in the root
//!    (e.g. a function that reads a shared bucket that notifies it), repeated until no unit
//!    does. Then children depend only on root resources that depend on no child, whatever
//!    units share a child. (A bucket used only by the function it notifies is not shared:
//!    by step 2 it moves into that function's child, and nothing crosses.)

use std::collections::{BTreeMap, BTreeSet};

use super::refs;
use crate::plan::Stack;

/// References between resources: id → ids it refers to or waits for (resources only).
pub type Graph = BTreeMap<String, BTreeSet<String>>;

pub fn graph(stack: &Stack) -> Graph {
    let mut g = Graph::new();
    for (id, r) in &stack.resources {
        let mut out = BTreeSet::new();
        for (_, v) in &r.properties.0 {
            refs::collect(v, &mut out);
        }
        out.extend(r.depends_on.iter().cloned());
        out.retain(|d| d != id && stack.resources.contains_key(d));
        g.insert(id.clone(), out);
    }
    g
}

#[derive(Debug, Default)]
pub struct Units {
    /// Resource id → the key of its unit (the unit's first function name in sort
    /// order); resources without an entry stay in the root.
    pub unit_of: BTreeMap<String, String>,
    /// Unit key → its functions.
    pub members: BTreeMap<String, BTreeSet<String>>,
}

impl Units {
    /// Resource count per unit.
    pub fn sizes(&self) -> BTreeMap<String, usize> {
        let mut n = BTreeMap::new();
        for u in self.unit_of.values() {
            *n.entry(u.clone()).or_insert(0usize) += 1;
        }
        n
    }
}

pub fn units(stack: &Stack, g: &Graph, owner: &BTreeMap<String, String>) -> Units {
    let mut fn_of: BTreeMap<String, String> = owner
        .iter()
        .filter(|(id, _)| stack.resources.contains_key(*id))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut pinned = BTreeSet::new();
    for (_, o) in &stack.outputs {
        refs::collect(&o.value, &mut pinned);
    }
    let mut incoming: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, tos) in g {
        for to in tos {
            incoming.entry(to.as_str()).or_default().push(from.as_str());
        }
    }
    // Step 2: shared resources used by exactly one function follow it.
    loop {
        let mut moved = Vec::new();
        for id in stack.resources.keys() {
            if fn_of.contains_key(id) || pinned.contains(id) {
                continue;
            }
            let users = incoming.get(id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let mut user_fns = BTreeSet::new();
            let mut all_owned = !users.is_empty();
            for u in users {
                match fn_of.get(*u) {
                    Some(f) => {
                        user_fns.insert(f.clone());
                    }
                    None => all_owned = false,
                }
            }
            if !all_owned || user_fns.len() != 1 {
                continue;
            }
            let Some(f) = user_fns.pop_first() else {
                continue;
            };
            let foreign = g
                .get(id)
                .into_iter()
                .flatten()
                .any(|to| fn_of.get(to).is_some_and(|g| *g != f));
            if !foreign {
                moved.push((id.clone(), f));
            }
        }
        if moved.is_empty() {
            break;
        }
        fn_of.extend(moved);
    }
    // Step 3: functions that refer to each other share a unit.
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    for f in fn_of.values() {
        parent.insert(f.clone(), f.clone());
    }
    for (from, tos) in g {
        let Some(a) = fn_of.get(from) else { continue };
        for to in tos {
            if let Some(b) = fn_of.get(to) {
                if a != b {
                    union(&mut parent, a, b);
                }
            }
        }
    }
    let mut out = Units::default();
    for (id, f) in &fn_of {
        let key = find(&mut parent, f);
        out.unit_of.insert(id.clone(), key.clone());
        out.members.entry(key).or_default().insert(f.clone());
    }
    // Step 4: no unit needs a root resource that waits for a unit. Units in a cycle of
    // their own go first (a function reading the bucket that notifies it); only when there
    // are none is a unit that needs a root resource waiting for *other* units moved, since
    // a shared child could close that cycle too.
    loop {
        let reach = reached_units(g, &out.unit_of);
        let mut direct = BTreeSet::new();
        let mut indirect = BTreeSet::new();
        for (id, u) in &out.unit_of {
            for to in g.get(id).into_iter().flatten() {
                let Some(units) = reach.get(to.as_str()) else {
                    continue;
                };
                if out.unit_of.contains_key(to) || units.is_empty() {
                    continue;
                }
                if units.contains(u) {
                    direct.insert(u.clone());
                } else {
                    indirect.insert(u.clone());
                }
            }
        }
        let to_root = if direct.is_empty() { indirect } else { direct };
        if to_root.is_empty() {
            break;
        }
        out.unit_of.retain(|_, u| !to_root.contains(u));
        out.members.retain(|u, _| !to_root.contains(u));
    }
    out
}

/// For each root resource, the units it depends on, directly or through other root
/// resources. Iterative post-order walk: templates may be long chains.
fn reached_units<'g>(
    g: &'g Graph,
    unit_of: &BTreeMap<String, String>,
) -> BTreeMap<&'g str, BTreeSet<String>> {
    let mut memo: BTreeMap<&'g str, BTreeSet<String>> = BTreeMap::new();
    for start in g.keys() {
        if unit_of.contains_key(start) || memo.contains_key(start.as_str()) {
            continue;
        }
        let mut stack: Vec<(&'g str, bool)> = vec![(start.as_str(), false)];
        while let Some((id, expanded)) = stack.pop() {
            if memo.contains_key(id) {
                continue;
            }
            let tos = g.get(id).into_iter().flatten();
            if expanded {
                let mut units = BTreeSet::new();
                for to in tos {
                    match unit_of.get(to) {
                        Some(u) => {
                            units.insert(u.clone());
                        }
                        None => {
                            if let Some(more) = memo.get(to.as_str()) {
                                units.extend(more.iter().cloned());
                            }
                        }
                    }
                }
                memo.insert(id, units);
            } else {
                stack.push((id, true));
                for to in tos {
                    if !unit_of.contains_key(to) && !memo.contains_key(to.as_str()) {
                        stack.push((to.as_str(), false));
                    }
                }
            }
        }
    }
    memo
}

fn find(parent: &mut BTreeMap<String, String>, x: &str) -> String {
    let mut root = x.to_string();
    while let Some(p) = parent.get(&root) {
        if *p == root {
            break;
        }
        root = p.clone();
    }
    // Path compression keeps later look-ups short.
    let mut cur = x.to_string();
    while cur != root {
        let next = parent.get(&cur).cloned().unwrap_or_else(|| root.clone());
        parent.insert(cur, root.clone());
        cur = next;
    }
    root
}

/// Join two sets; the smaller name leads, so a unit's key never depends on the order in
/// which references were found.
fn union(parent: &mut BTreeMap<String, String>, a: &str, b: &str) {
    let ra = find(parent, a);
    let rb = find(parent, b);
    if ra < rb {
        parent.insert(rb, ra);
    } else if rb < ra {
        parent.insert(ra, rb);
    }
}
