//! `let` constants, each evaluated once, in dependency order, so that checking is linear in
//! the number of lets however they chain. For every let it records the expression it
//! finally stands for (`let a = b` stands for what `b` stands for) and what its value
//! costs once every name in it is expanded: its size in bytes and how deeply it nests.
//!
//! A let is unusable when it is part of a cycle (E0204), when its value would be larger
//! than any template can hold (E0435) or nest deeper than a literal may (E0436), or when it
//! is built from an unusable let. Each problem is reported once, at the let where it
//! arises; uses of an unusable let are skipped quietly.
//!
//! Nothing here recurses over the chain of lets (only over one expression's own nesting,
//! which the parser bounds): the lets are visited by an explicit stack.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Mutex;

use crate::diag::{Code, Diagnostic};
use crate::files::read::thousands;
use crate::syntax::ast::{Expr, ExprKind, Ident, LetDecl, Path, StrLit, StrPart};

/// The most bytes one value may take in the template: a value larger than the largest
/// template CloudFormation accepts (CFN-06: 1,000,000 bytes from S3) can never deploy.
pub const MAX_VALUE_BYTES: u64 = 1_000_000;

/// How deeply a value may nest once its lets are expanded: as deep as a literal may be
/// written ([`crate::syntax::MAX_DEPTH`]), so that no value built from lets is deeper than
/// what the parser accepts.
pub const MAX_VALUE_DEPTH: u32 = crate::syntax::MAX_DEPTH as u32;

/// What a value costs once every `let` in it is expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cost {
    /// About the bytes of its JSON text in the template (saturating).
    pub bytes: u64,
    /// Lists, maps, calls and interpolating strings inside one another.
    pub depth: u32,
}

/// What a bare name stands for.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    /// The expression the let finally stands for.
    Value(&'a Expr),
    /// A let that is unusable (already reported).
    Broken,
    /// Not a let.
    NotALet,
}

#[derive(Clone, Copy)]
enum State<'a> {
    Ok { value: &'a Expr, cost: Cost },
    Broken,
}

/// Every `let` of the program, evaluated.
#[derive(Default)]
pub struct Lets<'a> {
    decls: BTreeMap<&'a str, &'a LetDecl>,
    state: HashMap<&'a str, State<'a>>,
    /// Lets whose declaration did not parse (reported): unusable, as if broken.
    unreadable: HashSet<String>,
    /// Lets some name was looked up as (so a misspelt use is not blamed on them).
    used: Mutex<HashSet<&'a str>>,
}

impl<'a> Lets<'a> {
    /// Evaluate `decls` (names already unique), reporting cycles and values over budget.
    /// `unreadable` names lets whose declaration did not parse: they and every let built
    /// from them are unusable, quietly.
    pub fn build(
        decls: impl IntoIterator<Item = &'a LetDecl>,
        unreadable: impl IntoIterator<Item = String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let decls: BTreeMap<&str, &LetDecl> = decls
            .into_iter()
            .map(|d| (d.name.name.as_str(), d))
            .collect();
        let mut lets = Lets {
            unreadable: unreadable
                .into_iter()
                .filter(|n| !decls.contains_key(n.as_str()))
                .collect(),
            decls,
            state: HashMap::new(),
            used: Mutex::default(),
        };
        let order: Vec<&'a LetDecl> = lets.decls.values().copied().collect();
        let index: HashMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.name.as_str(), i))
            .collect();
        let edges: Vec<Vec<(usize, &'a Ident)>> = order
            .iter()
            .map(|d| {
                let mut refs = Vec::new();
                let_refs(&d.value, &mut refs);
                refs.into_iter()
                    .filter_map(|r| index.get(r.name.as_str()).map(|&j| (j, r)))
                    .collect()
            })
            .collect();
        // Components come out dependencies first: every let is evaluated after the lets
        // it uses.
        for component in strongly_connected(&edges) {
            let cyclic = component.len() > 1
                || component
                    .first()
                    .is_some_and(|&v| edges[v].iter().any(|(w, _)| *w == v));
            if cyclic {
                diags.push(cycle_diagnostic(&order, &edges, &component));
                for &v in &component {
                    lets.state
                        .insert(order[v].name.name.as_str(), State::Broken);
                }
            } else if let Some(&v) = component.first() {
                let state = lets.evaluate(order[v], &edges[v], &order, diags);
                lets.state.insert(order[v].name.name.as_str(), state);
            }
        }
        lets
    }

    /// The state of one acyclic let whose dependencies are all evaluated.
    fn evaluate(
        &self,
        decl: &'a LetDecl,
        uses: &[(usize, &'a Ident)],
        order: &[&'a LetDecl],
        diags: &mut Vec<Diagnostic>,
    ) -> State<'a> {
        let Some(cost) = self.cost(&decl.value) else {
            return State::Broken;
        };
        if cost.bytes > MAX_VALUE_BYTES {
            diags.push(too_large(decl, cost, uses, order, self));
            return State::Broken;
        }
        if cost.depth > MAX_VALUE_DEPTH {
            diags.push(too_deep(decl, cost));
            return State::Broken;
        }
        let value = match self.lookup_expr(&decl.value) {
            Lookup::Value(v) => v,
            _ => &decl.value,
        };
        State::Ok { value, cost }
    }

    /// What `name` stands for; a let found counts as used.
    pub fn lookup(&self, name: &str) -> Lookup<'a> {
        if let Some((&declared, _)) = self.decls.get_key_value(name) {
            // Functions are lowered on several threads: they share this set.
            self.used
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(declared);
        }
        match self.state.get(name) {
            Some(State::Ok { value, .. }) => Lookup::Value(value),
            Some(State::Broken) => Lookup::Broken,
            None if self.unreadable.contains(name) => Lookup::Broken,
            None => Lookup::NotALet,
        }
    }

    /// What `e` stands for when it is a bare name (`NotALet` for anything else).
    fn lookup_expr(&self, e: &Expr) -> Lookup<'a> {
        match &e.kind {
            ExprKind::Path(p) => match p.segments.as_slice() {
                [only] => self.lookup(&only.name),
                _ => Lookup::NotALet,
            },
            _ => Lookup::NotALet,
        }
    }

    /// Every let declaration with its name, sorted by name.
    pub fn decls(&self) -> impl Iterator<Item = (&'a str, &'a LetDecl)> + '_ {
        self.decls.iter().map(|(name, d)| (*name, *d))
    }

    /// Whether some name was looked up as `name` so far.
    pub fn is_used(&self, name: &str) -> bool {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(name)
    }

    /// The names of every let, sorted (for "did you mean").
    pub fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.decls.keys().copied()
    }

    /// The cost of `e` with its lets expanded; `None` when it uses an unusable let. Walks
    /// `e` itself recursively (the parser bounds its nesting); each let costs one look-up.
    pub fn cost(&self, e: &Expr) -> Option<Cost> {
        match &e.kind {
            ExprKind::Str(s) => self.string_cost(s),
            ExprKind::Number(n) => Some(text_cost(n.to_string().len())),
            ExprKind::Quantity(q) => Some(text_cost(q.to_string().len())),
            ExprKind::Bool(_) => Some(text_cost(5)),
            ExprKind::List(items) => self.nested_cost(&mut items.iter(), 2),
            ExprKind::Map(entries) => {
                let keys: u64 = entries.iter().map(|m| m.key.name.len() as u64 + 3).sum();
                self.nested_cost(
                    &mut entries.iter().map(|m| &m.value),
                    keys.saturating_add(2),
                )
            }
            ExprKind::Call { name, args } => {
                self.nested_cost(&mut args.iter(), name.name.len() as u64 + 2)
            }
            ExprKind::Range { at, .. } => match at {
                Some(at) => self.cost(at).map(|c| Cost {
                    bytes: c.bytes.saturating_add(8),
                    depth: c.depth,
                }),
                None => Some(text_cost(8)),
            },
            ExprKind::Path(p) => self.path_cost(p),
        }
    }

    /// A list, a map's values or a call's arguments: `open` bytes of brackets and keys,
    /// a comma between items, one level deeper than the deepest item.
    fn nested_cost(&self, items: &mut dyn Iterator<Item = &Expr>, open: u64) -> Option<Cost> {
        let mut c = Cost {
            bytes: open,
            depth: 0,
        };
        for item in items {
            let inner = self.cost(item)?;
            c.bytes = c.bytes.saturating_add(inner.bytes).saturating_add(1);
            c.depth = c.depth.max(inner.depth);
        }
        c.depth = c.depth.saturating_add(1);
        Some(c)
    }

    /// A string: its quotes and text, and what it interpolates (one level deeper).
    fn string_cost(&self, s: &StrLit) -> Option<Cost> {
        let mut c = text_cost(2);
        let mut interpolates = false;
        for part in &s.parts {
            match part {
                StrPart::Lit(t) => c.bytes = c.bytes.saturating_add(t.len() as u64),
                StrPart::Interp(inner) => {
                    let inner = self.cost(inner)?;
                    c.bytes = c.bytes.saturating_add(inner.bytes);
                    c.depth = c.depth.max(inner.depth);
                    interpolates = true;
                }
            }
        }
        if interpolates {
            c.depth = c.depth.saturating_add(1);
        }
        Some(c)
    }

    /// A bare name is its let's cost (`None` for a broken or unreadable one); another
    /// path costs what it is written as.
    fn path_cost(&self, p: &Path) -> Option<Cost> {
        let written = text_cost(p.span.end.saturating_sub(p.span.start));
        match p.segments.as_slice() {
            [only] => match self.state.get(only.name.as_str()) {
                Some(State::Ok { cost, .. }) => Some(*cost),
                Some(State::Broken) => None,
                None if self.unreadable.contains(&only.name) => None,
                None => Some(written),
            },
            _ => Some(written),
        }
    }
}

/// `n` bytes of text, no nesting.
fn text_cost(n: usize) -> Cost {
    Cost {
        bytes: n as u64,
        depth: 0,
    }
}

/// Names an expression refers to that may be lets (bare names and `${NAME}`).
fn let_refs<'e>(e: &'e Expr, out: &mut Vec<&'e Ident>) {
    match &e.kind {
        ExprKind::Path(p) if p.segments.len() == 1 => out.extend(p.segments.first()),
        ExprKind::Str(s) => {
            for part in &s.parts {
                if let StrPart::Interp(inner) = part {
                    let_refs(inner, out);
                }
            }
        }
        ExprKind::List(items) => items.iter().for_each(|i| let_refs(i, out)),
        ExprKind::Map(entries) => entries.iter().for_each(|m| let_refs(&m.value, out)),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| let_refs(a, out)),
        ExprKind::Range { at: Some(at), .. } => let_refs(at, out),
        _ => {}
    }
}

/// Tarjan's strongly connected components, with an explicit stack. Components are
/// returned so that each comes after every component it has an edge to.
fn strongly_connected<T>(edges: &[Vec<(usize, T)>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges are done)
        let mut calls: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, done)) = calls.last() {
            if let Some((w, _)) = edges[v].get(done) {
                let w = *w;
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                out.push(component);
            }
        }
    }
    out
}

/// E0204 for a cycle of lets: at the first of them (by name), with every use along one
/// path back to it.
fn cycle_diagnostic(
    order: &[&LetDecl],
    edges: &[Vec<(usize, &Ident)>],
    component: &[usize],
) -> Diagnostic {
    let start = component.first().copied().unwrap_or_default();
    let members: BTreeSet<usize> = component.iter().copied().collect();
    let trail = path_back(edges, &members, start);
    let decl = order[start];
    let mut d = Diagnostic::new(
        Code::E0204,
        decl.name.span,
        format!("`let {}` refers to itself", decl.name.name),
    )
    .label("this constant's value depends on itself");
    for edge in trail {
        d = d.secondary(edge.span, format!("uses `{}` here", edge.name));
    }
    d.help("give one of the constants a value that does not refer back")
}

/// The uses along a shortest path from `start` back to itself inside `members`.
fn path_back<'i>(
    edges: &[Vec<(usize, &'i Ident)>],
    members: &BTreeSet<usize>,
    start: usize,
) -> Vec<&'i Ident> {
    // Breadth first; `via[w]` is the edge that reached `w`.
    let mut via: HashMap<usize, (usize, &Ident)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &(w, ident) in &edges[v] {
            if w == start {
                let mut trail = vec![ident];
                let mut at = v;
                while at != start {
                    let Some(&(from, used)) = via.get(&at) else {
                        break;
                    };
                    trail.push(used);
                    at = from;
                }
                trail.reverse();
                return trail;
            }
            if members.contains(&w) && !via.contains_key(&w) {
                via.insert(w, (v, ident));
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}

/// At most this many of the lets a too-large value uses are labelled.
const LABELLED_USES: usize = 4;

/// E0435: the first let whose value crosses [`MAX_VALUE_BYTES`].
fn too_large(
    decl: &LetDecl,
    cost: Cost,
    uses: &[(usize, &Ident)],
    order: &[&LetDecl],
    lets: &Lets,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::E0435,
        decl.name.span,
        format!("`let {}` is too large", decl.name.name),
    )
    .label(format!(
        "its value would take {} bytes in the template; at most {} fit",
        thousands(cost.bytes),
        thousands(MAX_VALUE_BYTES)
    ));
    let mut labelled = BTreeSet::new();
    for &(j, ident) in uses {
        if labelled.len() == LABELLED_USES {
            break;
        }
        if !labelled.insert(j) {
            continue;
        }
        if let Some(State::Ok { cost, .. }) = lets.state.get(order[j].name.name.as_str()) {
            d = d.secondary(
                ident.span,
                format!("`{}` is {} bytes", ident.name, thousands(cost.bytes)),
            );
        }
    }
    d.help(
        "a value must fit in a template (1,000,000 bytes): use the large pieces fewer times, \
         or keep large data out of the template (in an S3 object or a parameter)",
    )
}

/// E0436: a let whose value nests deeper than [`MAX_VALUE_DEPTH`].
fn too_deep(decl: &LetDecl, cost: Cost) -> Diagnostic {
    Diagnostic::new(
        Code::E0436,
        decl.name.span,
        format!("`let {}` nests too deeply", decl.name.name),
    )
    .label(format!(
        "its value nests {} levels once its lets are expanded; at most {MAX_VALUE_DEPTH}",
        cost.depth
    ))
    .help("flatten the value: real configurations nest a few levels at most")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_come_dependencies_first() {
        // 0 → 1 → 2, 3 ↔ 4 → 0
        let e = |to: &[usize]| to.iter().map(|&t| (t, ())).collect::<Vec<_>>();
        let edges = vec![e(&[1]), e(&[2]), e(&[]), e(&[4]), e(&[3, 0])];
        let comps = strongly_connected(&edges);
        assert_eq!(comps, vec![vec![2], vec![1], vec![0], vec![3, 4]]);
    }

    #[test]
    fn long_chains_need_no_recursion() {
        let n = 200_000;
        let edges: Vec<Vec<(usize, ())>> = (0..n)
            .map(|i| if i + 1 < n { vec![(i + 1, ())] } else { vec![] })
            .collect();
        let comps = strongly_connected(&edges);
        assert_eq!(comps.len(), n);
        assert_eq!(comps.first(), Some(&vec![n - 1]));
    }
}
