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

//!
//! The work is done on indices (resources in logical-ID order, functions in name order),
//! not on the IDs themselves: a 10,000-function app has some 100,000 resources, and
//! string-keyed maps made this step the planner's largest cost.

use std::collections::{BTreeMap, BTreeSet};

use super::refs;
use crate::plan::{FastMap, Stack};

/// References between resources, by index into `ids` (logical-ID order): for each
/// resource, the resources it refers to or waits for, sorted, without itself.
pub struct Graph<'s> {
    pub ids: Vec<&'s str>,
    /// `ids` → index.
    pub index: FastMap<&'s str, u32>,
    pub out: Vec<Vec<u32>>,
}

/// Below this many resources per thread, the graph is built on the calling thread.
const RESOURCES_PER_THREAD: usize = 4096;

pub fn graph(stack: &Stack) -> Graph<'_> {
    let ids: Vec<&str> = stack.resources.keys().map(String::as_str).collect();
    let index = index_of(&ids);
    // Each resource's references are found on their own: large apps use every core.
    let out = crate::parallel::map_in_order(
        stack.resources.values().enumerate().collect(),
        RESOURCES_PER_THREAD,
        |(i, r)| {
            let mut tos = Vec::new();
            let mut add = |id: &str| {
                if let Some(&t) = index.get(id) {
                    if t as usize != i {
                        tos.push(t);
                    }
                }
            };
            for (_, v) in &r.properties.0 {
                refs::visit(v, &mut add);
            }
            for d in &r.depends_on {
                add(d);
            }
            tos.sort_unstable();
            tos.dedup();
            tos
        },
    );
    Graph { ids, index, out }
}

fn index_of<'s>(ids: &[&'s str]) -> FastMap<&'s str, u32> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| (*id, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect()
}

#[derive(Debug, Default)]
pub struct Units {
    /// Resource id → its unit, an index into `keys`; resources without an entry stay in
    /// the root. (An index, not the key: there is one entry per resource.)
    pub unit_of: FastMap<String, u32>,
    /// The key of each unit index that is used: the unit's first function name in sort
    /// order.
    pub keys: Vec<String>,
    /// Unit key → its functions.
    pub members: BTreeMap<String, BTreeSet<String>>,
}

impl Units {
    /// Resource count per unit, by unit key.
    pub fn sizes(&self) -> BTreeMap<&str, usize> {
        let mut n = vec![0usize; self.keys.len()];
        for &u in self.unit_of.values() {
            n[u as usize] += 1;
        }
        n.into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .map(|(u, count)| (self.keys[u].as_str(), count))
            .collect()
    }
}

pub fn units(stack: &Stack, g: &Graph, owner: &FastMap<String, &str>) -> Units {
    let (fns, mut fn_of) = owners(g, owner);
    follow_single_users(stack, g, &mut fn_of);
    let mut unit = join_related_functions(g, &fn_of, fns.len());
    keep_stacks_acyclic(g, &mut unit);
    collect_units(g, &fns, &fn_of, &unit)
}

/// Step 1: the functions by index, in name order (so that the smallest index is the
/// smallest name), and the function each resource was lowered for.
fn owners<'o>(g: &Graph, owner: &FastMap<String, &'o str>) -> (Vec<&'o str>, Vec<Option<u32>>) {
    let fns: Vec<&str> = owner
        .iter()
        .filter(|(id, _)| g.index.contains_key(id.as_str()))
        .map(|(_, f)| *f)
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .collect();
    let fn_index = index_of(&fns);
    let mut fn_of: Vec<Option<u32>> = vec![None; g.ids.len()];
    for (id, f) in owner {
        if let (Some(&i), Some(&f)) = (g.index.get(id.as_str()), fn_index.get(*f)) {
            fn_of[i as usize] = Some(f);
        }
    }
    (fns, fn_of)
}

/// Step 2: shared resources used by exactly one function follow it, unless an output
/// names them. Each pass decides on the assignment of the pass before (then applies its
/// moves), until nothing moves.
fn follow_single_users(stack: &Stack, g: &Graph, fn_of: &mut [Option<u32>]) {
    let n = g.ids.len();
    let mut pinned = vec![false; n];
    for (_, o) in &stack.outputs {
        refs::visit(&o.value, &mut |id: &str| {
            if let Some(&i) = g.index.get(id) {
                pinned[i as usize] = true;
            }
        });
    }
    let mut incoming: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (from, tos) in g.out.iter().enumerate() {
        for &to in tos {
            incoming[to as usize].push(from as u32);
        }
    }
    loop {
        let mut moved = Vec::new();
        for id in 0..n {
            if fn_of[id].is_some() || pinned[id] {
                continue;
            }
            let Some(f) = only_user_function(&incoming[id], fn_of) else {
                continue;
            };
            let foreign = g.out[id]
                .iter()
                .any(|&to| fn_of[to as usize].is_some_and(|g| g != f));
            if !foreign {
                moved.push((id, f));
            }
        }
        if moved.is_empty() {
            break;
        }
        for (id, f) in moved {
            fn_of[id] = Some(f);
        }
    }
}

/// Step 3: functions that refer to each other share a unit. Each resource's unit is the
/// unit's smallest function index.
fn join_related_functions(g: &Graph, fn_of: &[Option<u32>], functions: usize) -> Vec<Option<u32>> {
    let mut parent: Vec<u32> = (0..functions as u32).collect();
    for (from, tos) in g.out.iter().enumerate() {
        let Some(a) = fn_of[from] else { continue };
        for &to in tos {
            if let Some(b) = fn_of[to as usize] {
                if a != b {
                    union(&mut parent, a, b);
                }
            }
        }
    }
    fn_of
        .iter()
        .map(|f| f.map(|f| find(&mut parent, f)))
        .collect()
}

/// Step 4: no unit needs a root resource that waits for a unit. Units in a cycle of their
/// own go to the root first (a function reading the bucket that notifies it); only when
/// there are none is a unit that needs a root resource waiting for *other* units moved,
/// since a shared child could close that cycle too.
fn keep_stacks_acyclic(g: &Graph, unit: &mut [Option<u32>]) {
    loop {
        let reach = reached_units(g, unit);
        let mut direct = BTreeSet::new();
        let mut indirect = BTreeSet::new();
        for (id, u) in unit.iter().enumerate() {
            let Some(u) = *u else { continue };
            for &to in &g.out[id] {
                let to = to as usize;
                if unit[to].is_some() {
                    continue;
                }
                let Some(units) = &reach[to] else { continue };
                if units.is_empty() {
                    continue;
                }
                if units.contains(&u) {
                    direct.insert(u);
                } else {
                    indirect.insert(u);
                }
            }
        }
        let to_root = if direct.is_empty() { indirect } else { direct };
        if to_root.is_empty() {
            break;
        }
        for u in unit.iter_mut() {
            if u.is_some_and(|k| to_root.contains(&k)) {
                *u = None;
            }
        }
    }
}

/// The units by key (their first function's name), with their resources and functions.
fn collect_units(g: &Graph, fns: &[&str], fn_of: &[Option<u32>], unit: &[Option<u32>]) -> Units {
    let mut out = Units {
        keys: fns.iter().map(|f| f.to_string()).collect(),
        ..Units::default()
    };
    for (id, u) in unit.iter().enumerate() {
        let (Some(u), Some(f)) = (*u, fn_of[id]) else {
            continue;
        };
        out.unit_of.insert(g.ids[id].to_string(), u);
        let members = match out.members.get_mut(fns[u as usize]) {
            Some(m) => m,
            None => out.members.entry(fns[u as usize].to_string()).or_default(),
        };
        if !members.contains(fns[f as usize]) {
            members.insert(fns[f as usize].to_string());
        }
    }
    out
}

/// The one function whose resources all the users are; `None` when there are no users,
/// a user belongs to no function, or they belong to several.
fn only_user_function(users: &[u32], fn_of: &[Option<u32>]) -> Option<u32> {
    let mut only = None;
    for &u in users {
        let f = fn_of[u as usize]?;
        match only {
            None => only = Some(f),
            Some(g) if g != f => return None,
            Some(_) => {}
        }
    }
    only
}

/// For each root resource (`None` for unit resources), the units it depends on, directly
/// or through other root resources. Iterative post-order walk: templates may be long
/// chains.
fn reached_units(g: &Graph, unit: &[Option<u32>]) -> Vec<Option<BTreeSet<u32>>> {
    let mut memo: Vec<Option<BTreeSet<u32>>> = vec![None; unit.len()];
    for start in 0..unit.len() {
        if unit[start].is_some() || memo[start].is_some() {
            continue;
        }
        let mut stack: Vec<(usize, bool)> = vec![(start, false)];
        while let Some((id, expanded)) = stack.pop() {
            if memo[id].is_some() {
                continue;
            }
            if expanded {
                let mut units = BTreeSet::new();
                for &to in &g.out[id] {
                    match unit[to as usize] {
                        Some(u) => {
                            units.insert(u);
                        }
                        None => {
                            if let Some(more) = &memo[to as usize] {
                                units.extend(more.iter().copied());
                            }
                        }
                    }
                }
                memo[id] = Some(units);
            } else {
                stack.push((id, true));
                for &to in &g.out[id] {
                    let to = to as usize;
                    if unit[to].is_none() && memo[to].is_none() {
                        stack.push((to, false));
                    }
                }
            }
        }
    }
    memo
}

fn find(parent: &mut [u32], x: u32) -> u32 {
    let mut root = x;
    while parent[root as usize] != root {
        root = parent[root as usize];
    }
    // Path compression keeps later look-ups short.
    let mut cur = x;
    while cur != root {
        let next = parent[cur as usize];
        parent[cur as usize] = root;
        cur = next;
    }
    root
}

/// Join two sets; the smaller index (the smaller name) leads, so a unit's key never
/// depends on the order in which references were found.
fn union(parent: &mut [u32], a: u32, b: u32) {
    let ra = find(parent, a);
    let rb = find(parent, b);
    if ra < rb {
        parent[rb as usize] = ra;
    } else if rb < ra {
        parent[ra as usize] = rb;
    }
}
