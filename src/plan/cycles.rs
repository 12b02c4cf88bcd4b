//! Dependency cycles in a planned template. CloudFormation creates a resource after
//! everything it names (`Ref`, `Fn::GetAtt`, the variables of `Fn::Sub`) and everything in
//! its `DependsOn`; a cycle among those makes it refuse the whole template. Every template
//! lamc emits goes through [`graph`] and [`cyclic_components`] first: both are linear in
//! the size of the template (Tarjan's algorithm, without recursion: templates can hold
//! long chains).

use super::split::refs;
use super::{FastMap, Stack};

/// Below this many resources per thread, the graph is built on the calling thread.
const RESOURCES_PER_THREAD: usize = 4096;

/// What each resource waits for, by index into `ids` (logical-ID order). Unlike the
/// placement graph, an edge from a resource to itself is kept: it is a cycle too.
pub struct Graph<'s> {
    pub ids: Vec<&'s str>,
    pub out: Vec<Vec<u32>>,
}

pub fn graph(stack: &Stack) -> Graph<'_> {
    let ids: Vec<&str> = stack.resources.keys().map(String::as_str).collect();
    let index: FastMap<&str, u32> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let out = crate::parallel::map_in_order(
        stack.resources.values().collect(),
        RESOURCES_PER_THREAD,
        |r| {
            let mut tos = Vec::new();
            let mut add = |id: &str| {
                // Parameters and pseudo parameters are not resources: nothing to wait for.
                if let Some(&t) = index.get(id) {
                    tos.push(t);
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
    Graph { ids, out }
}

const UNSEEN: u32 = u32::MAX;

/// The strongly connected components that hold a cycle (more than one resource, or one
/// that waits for itself), each sorted, in order of their smallest member.
pub fn cyclic_components(g: &Graph) -> Vec<Vec<u32>> {
    let mut t = Tarjan::new(g.out.len());
    let mut found = Vec::new();
    for start in 0..g.out.len() as u32 {
        if t.index[start as usize] == UNSEEN {
            t.visit_from(g, start, &mut found);
        }
    }
    found.sort();
    found
}

/// The state of Tarjan's algorithm over one graph.
struct Tarjan {
    /// The order each node was first reached in (`UNSEEN` before).
    index: Vec<u32>,
    /// The smallest index reachable from the node through its subtree and one back edge.
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    next: u32,
}

impl Tarjan {
    fn new(n: usize) -> Self {
        Tarjan {
            index: vec![UNSEEN; n],
            low: vec![0u32; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            next: 0,
        }
    }

    /// Every node reachable from `start`, depth first; each component that holds a cycle
    /// goes to `found` as it closes.
    fn visit_from(&mut self, g: &Graph, start: u32, found: &mut Vec<Vec<u32>>) {
        // (node, next edge to follow): the recursion of Tarjan's algorithm, made explicit.
        let mut calls: Vec<(u32, usize)> = Vec::new();
        self.enter(start);
        calls.push((start, 0));
        while let Some((v, edge)) = calls.last_mut() {
            let v = *v;
            if let Some(&w) = g.out[v as usize].get(*edge) {
                *edge += 1;
                if self.index[w as usize] == UNSEEN {
                    self.enter(w);
                    calls.push((w, 0));
                } else if self.on_stack[w as usize] {
                    self.low[v as usize] = self.low[v as usize].min(self.index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                self.low[u as usize] = self.low[u as usize].min(self.low[v as usize]);
            }
            if self.low[v as usize] == self.index[v as usize] {
                let component = self.pop_component(v);
                let self_loop = g.out[v as usize].binary_search(&v).is_ok();
                if component.len() > 1 || self_loop {
                    found.push(component);
                }
            }
        }
    }

    fn enter(&mut self, v: u32) {
        self.index[v as usize] = self.next;
        self.low[v as usize] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
    }

    /// The component whose root is `v`: the stack down to `v`, sorted.
    fn pop_component(&mut self, v: u32) -> Vec<u32> {
        let mut component = Vec::new();
        while let Some(w) = self.stack.pop() {
            self.on_stack[w as usize] = false;
            component.push(w);
            if w == v {
                break;
            }
        }
        component.sort_unstable();
        component
    }
}

/// One cycle through the component's smallest member, as a path that starts there and
/// whose last resource waits for the first (the shortest such path: breadth first).
pub fn cycle_in(g: &Graph, component: &[u32]) -> Vec<u32> {
    match component.first() {
        Some(&start) => cycle_through(g, component, start),
        None => Vec::new(),
    }
}

/// The shortest cycle through `start`, a member of the (sorted) component, as a path
/// that starts there and whose last node has an edge to the first.
pub fn cycle_through(g: &Graph, component: &[u32], start: u32) -> Vec<u32> {
    let inside = |v: u32| component.binary_search(&v).is_ok();
    let mut parent: FastMap<u32, u32> = FastMap::default();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &g.out[v as usize] {
            if w == start {
                let mut path = vec![v];
                let mut at = v;
                while let Some(&p) = parent.get(&at) {
                    path.push(p);
                    at = p;
                }
                path.reverse();
                return path;
            }
            if inside(w) && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

/// The first cycle of a template, as logical IDs; `None` when it has none.
pub fn find(stack: &Stack) -> Option<Vec<String>> {
    let g = graph(stack);
    let components = cyclic_components(&g);
    let first = components.first()?;
    Some(
        cycle_in(&g, first)
            .into_iter()
            .map(|i| g.ids[i as usize].to_string())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(edges: &[&[u32]]) -> Graph<'static> {
        Graph {
            ids: vec![""; edges.len()],
            out: edges.iter().map(|e| e.to_vec()).collect(),
        }
    }

    #[test]
    fn components_are_the_cycles() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0 (not on a cycle), 5 alone.
        let graph = g(&[&[1], &[2], &[0], &[3], &[0], &[]]);
        assert_eq!(cyclic_components(&graph), vec![vec![0, 1, 2], vec![3]]);
        assert_eq!(cycle_in(&graph, &[0, 1, 2]), vec![0, 1, 2]);
        assert_eq!(cycle_in(&graph, &[3]), vec![3]);
    }

    #[test]
    fn an_acyclic_graph_has_no_component() {
        let graph = g(&[&[1, 2], &[2], &[], &[0, 2]]);
        assert!(cyclic_components(&graph).is_empty());
    }

    #[test]
    fn the_shortest_cycle_through_the_first_member_is_returned() {
        // 0 → 1 → 2 → 3 → 0 and the short cut 1 → 0.
        let graph = g(&[&[1], &[0, 2], &[3], &[0]]);
        assert_eq!(cycle_in(&graph, &[0, 1, 2, 3]), vec![0, 1]);
    }

    #[test]
    fn long_chains_need_no_recursion() {
        let n = 200_000u32;
        let edges: Vec<Vec<u32>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let graph = Graph {
            ids: vec![""; n as usize],
            out: edges,
        };
        let c = cyclic_components(&graph);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].len(), n as usize);
    }
}
