//! No template with a dependency cycle, ever.
//!
//! A function that names the bucket that notifies it (in its `env`, its `allow` lines, a
//! destination) or that names itself (`function.f.arn`) gives a template where each
//! resource waits for the other. lamc lowers the program, looks for cycles (`cycles`) and,
//! when there are some, gives the buckets and functions on them a name known in advance
//! (`known`), then lowers again: a value that names them no longer refers to them. What a
//! name cannot break (a function URL, which only the created function has; dead-letter
//! queues that lead back to each other) is error E0439, pointing at the declarations on
//! the cycle, and no template is written.

use std::collections::BTreeSet;

use super::cycles::{self, Graph};
use super::{ctx::Known, FastMap, Stack};
use crate::diag::{Code, Diagnostic};
use crate::model::{Kind, Model, ResRef, Spec, Value};
use crate::source::Span;

/// Where the resources of a lowered template come from.
pub struct Origins<'m> {
    /// Resource → the function it belongs to (`Ctx::owner`).
    pub owner: FastMap<String, &'m str>,
    /// Created queue, topic, bucket, … → its declaration.
    pub shared: FastMap<String, ResRef>,
}

impl Origins<'_> {
    /// The declaration a resource was lowered from.
    fn decl(&self, id: &str) -> Option<ResRef> {
        if let Some(f) = self.owner.get(id) {
            return Some(ResRef {
                kind: Kind::Function,
                name: (*f).to_string(),
            });
        }
        self.shared.get(id).cloned()
    }
}

/// What the cycles of one lowering ask for.
pub enum Verdict {
    /// No cycle.
    Acyclic,
    /// These declarations, not yet named by lamc, break the cycles once named.
    Name(Vec<ResRef>),
    /// Cycles that no name breaks: one E0439 each.
    Refuse(Vec<Diagnostic>),
}

/// Look at `stack` (lowered with `known` named) for cycles.
pub fn judge(model: &Model, stack: &Stack, origins: &Origins, known: &Known) -> Verdict {
    let g = cycles::graph(stack);
    let components = cycles::cyclic_components(&g);
    if components.is_empty() {
        return Verdict::Acyclic;
    }
    let mut to_name = BTreeSet::new();
    for c in &components {
        to_name.extend(nameable(stack, &g, c, origins).filter(|r| !known.contains(r)));
    }
    if !to_name.is_empty() {
        return Verdict::Name(to_name.into_iter().collect());
    }
    Verdict::Refuse(
        components
            .iter()
            .map(|c| {
                let path: Vec<&str> = cycles::cycle_in(&g, c)
                    .into_iter()
                    .map(|i| g.ids[i as usize])
                    .collect();
                diagnostic(model, stack, origins, &path)
            })
            .collect(),
    )
}

/// The declarations in a cyclic component whose known name removes edges of it: every
/// bucket (only values refer to a bucket), and every function that another function in
/// the component refers to (a function refers to another only through its environment).
fn nameable<'a>(
    stack: &'a Stack,
    g: &'a Graph,
    component: &'a [u32],
    origins: &'a Origins,
) -> impl Iterator<Item = ResRef> + 'a {
    let ty = move |i: u32| stack.resources.get(g.ids[i as usize]).map_or("", |r| r.ty);
    let inside = move |i: u32| component.binary_search(&i).is_ok();
    component.iter().filter_map(move |&v| {
        let decl = origins.decl(g.ids[v as usize])?;
        let named_by_value = match ty(v) {
            "AWS::S3::Bucket" => true,
            "AWS::Lambda::Function" => component.iter().any(|&u| {
                inside(u) && ty(u) == "AWS::Lambda::Function" && g.out[u as usize].contains(&v)
            }),
            _ => false,
        };
        named_by_value.then_some(decl)
    })
}

/// E0439 for one cycle (logical IDs, each waiting for the next, the last for the first):
/// the declarations involved, a label where each names the next.
pub fn diagnostic(model: &Model, stack: &Stack, origins: &Origins, path: &[&str]) -> Diagnostic {
    let decls = declarations(model, origins, path);
    let app_span = model.app_span();
    let mut chain: Vec<String> = decls.iter().map(ToString::to_string).collect();
    if let Some(first) = chain.first().cloned() {
        chain.push(first);
    }
    let help = cycle_help(stack, path, &decls);
    let mut steps = (0..decls.len()).map(|i| {
        let (from, to) = (&decls[i], &decls[(i + 1) % decls.len()]);
        reason(model, from, to)
    });
    let (primary, label) = steps
        .next()
        .unwrap_or_else(|| (app_span, "this app".to_string()));
    let mut d = Diagnostic::new(
        Code::E0439,
        primary,
        format!("dependency cycle: {}", chain.join(" → ")),
    )
    .label(label)
    .help(help);
    for (span, label) in steps {
        d = d.secondary(span, label);
    }
    d
}

/// The declarations of a cycle of logical IDs, each once in a row, starting at the one
/// written first so that the report reads in source order.
fn declarations(model: &Model, origins: &Origins, path: &[&str]) -> Vec<ResRef> {
    let mut decls: Vec<ResRef> = Vec::new();
    for id in path {
        if let Some(d) = origins.decl(id) {
            if decls.last() != Some(&d) {
                decls.push(d);
            }
        }
    }
    if decls.len() > 1 && decls.first() == decls.last() {
        decls.pop();
    }
    if let Some(first) = (0..decls.len()).min_by_key(|&i| decl_span(model, &decls[i]).start) {
        decls.rotate_left(first);
    }
    decls
}

/// How to break the cycle: through a function URL, among queues, or in general.
fn cycle_help(stack: &Stack, path: &[&str], decls: &[ResRef]) -> &'static str {
    let through_url = path.iter().any(|id| {
        stack
            .resources
            .get(*id)
            .is_some_and(|r| r.ty == "AWS::Lambda::Url")
    });
    if through_url {
        "a function url exists only once its function does, so no function it waits for can \
         name it: route the calls through an api (`on http \"ANY /{proxy+}\"`) and name \
         `api.default.url` instead"
    } else if !decls.is_empty() && decls.iter().all(|d| d.kind == Kind::Queue) {
        "a dead-letter queue must not lead back to the queue it serves: remove `dead_letter` \
         from one of these queues"
    } else {
        "remove one of these references"
    }
}

/// Where `from` makes itself wait for `to`, and the label that says so.
fn reason(model: &Model, from: &ResRef, to: &ResRef) -> (Span, String) {
    if let Some(f) = function(model, from) {
        if let Some((_, v)) = f.env.iter().find(|(_, v)| mentions(&v.value, to)) {
            let what = match (names_url(&v.value, to), from == to) {
                (true, true) => "its own url".to_string(),
                (true, false) => format!("the url of {to}"),
                (false, true) => "itself".to_string(),
                (false, false) => to.to_string(),
            };
            return (v.span, format!("{from} names {what} in its environment"));
        }
        if let Some(a) = f.allows.iter().find(|a| a.res_ref() == Some(to)) {
            return (a.target.span, format!("{from} is allowed on {to}"));
        }
        let destinations = f
            .async_config
            .iter()
            .flat_map(|a| [&a.on_success, &a.on_failure]);
        if let Some(d) = destinations.flatten().find(|d| d.value == *to) {
            return (d.span, format!("{from} delivers to {to}"));
        }
    }
    if let Some(f) = function(model, to) {
        let notifies = f.triggers.iter().find(|t| match &t.kind {
            crate::model::TriggerKind::S3 { bucket, .. } => bucket.value == *from,
            _ => false,
        });
        if let Some(t) = notifies {
            return (t.span, format!("{from} notifies {to}"));
        }
    }
    let dead_letter = model.resources.iter().find_map(|r| match &r.origin {
        crate::model::Origin::Created(Spec::Queue(q)) if r.res_ref() == *from => {
            q.dead_letter.as_ref().filter(|d| d.value == *to)
        }
        _ => None,
    });
    if let Some(d) = dead_letter {
        return (d.span, format!("{from} sends failed messages to {to}"));
    }
    (decl_span(model, from), format!("{from} waits for {to}"))
}

fn function<'m>(model: &'m Model, r: &ResRef) -> Option<&'m crate::model::Function> {
    (r.kind == Kind::Function)
        .then(|| model.functions.iter().find(|f| f.name.value == r.name))
        .flatten()
}

/// Whether a value names `target` (any of its attributes).
fn mentions(v: &Value, target: &ResRef) -> bool {
    match v {
        Value::Attr { target: t, .. } => t == target,
        Value::List(items) | Value::Concat(items) => items.iter().any(|i| mentions(i, target)),
        Value::Map(entries) => entries.iter().any(|(_, i)| mentions(i, target)),
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Param(_) | Value::Pseudo(_) => {
            false
        }
    }
}

/// Whether a value names the URL of `target`.
fn names_url(v: &Value, target: &ResRef) -> bool {
    match v {
        Value::Attr { target: t, attr } => t == target && *attr == crate::model::Attr::Url,
        Value::List(items) | Value::Concat(items) => items.iter().any(|i| names_url(i, target)),
        Value::Map(entries) => entries.iter().any(|(_, i)| names_url(i, target)),
        Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Param(_) | Value::Pseudo(_) => {
            false
        }
    }
}

fn decl_span(model: &Model, r: &ResRef) -> Span {
    if let Some(f) = function(model, r) {
        return f.name.span;
    }
    model
        .resources
        .iter()
        .find(|d| d.res_ref() == *r)
        .map(|d| d.name_span)
        .unwrap_or_default()
}
