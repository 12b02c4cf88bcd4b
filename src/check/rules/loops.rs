//! W0556: recursive loops. A function that can write to a source that triggers it — an
//! `allow` with a write action, an asynchronous destination or a stream trigger's
//! `on_failure` on the queue, topic, bucket (overlapping keys and events), table, stream
//! or function that invokes it — may run for ever, directly or through other functions.
//!
//! The graph has an edge from function A to function B when A writes to a source that
//! triggers B. Each strongly connected group of it is reported once, with one loop drawn
//! through the group's first-declared function: every write and every trigger of the loop
//! is a label. A loop whose functions all say `recursion = allow` (RL-01) is intended.
//! Lambda itself stops only some loops, after they have run a while (RL-02).

mod keys;
mod writes;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Kind, Model, Recursion, ResRef, S3Event, TriggerKind, S};
use crate::plan::cycles::{cycle_in, cyclic_components, Graph};
use crate::source::Span;

use keys::Keys;
use writes::{s3_family, written_by, Events, ANY};

use super::RuleContext;

/// Where a function's output goes, and where that is written.
struct Write<'m> {
    target: &'m ResRef,
    events: Events,
    keys: Keys,
    span: Span,
    /// What the label adds after "`A` writes to X here": how it writes.
    how: String,
}

/// A trigger: its source invokes the function with index `to`.
struct Feed {
    to: u32,
    events: Events,
    keys: Keys,
    span: Span,
}

/// One step of a loop: a function writes to `target`, which triggers function `to`.
struct Step {
    to: u32,
    target: String,
    write_span: Span,
    how: String,
    feed_span: Span,
    feed_keys: Option<String>,
}

pub(crate) fn check(model: &Model, _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let feeds = feeds(model);
    let mut steps: HashMap<(u32, u32), Step> = HashMap::new();
    let mut graph_out = Vec::with_capacity(model.functions.len());
    for (from, f) in model.functions.iter().enumerate() {
        let from = index(from);
        let mut tos = Vec::new();
        for write in writes(f) {
            let key = (write.target.kind, write.target.name.as_str());
            for feed in feeds.get(&key).into_iter().flatten() {
                let fed = feed.events & write.events != 0 && feed.keys.overlaps(&write.keys);
                if fed && !steps.contains_key(&(from, feed.to)) {
                    steps.insert((from, feed.to), step(&write, feed));
                    tos.push(feed.to);
                }
            }
        }
        tos.sort_unstable();
        graph_out.push(tos);
    }
    if steps.is_empty() {
        return;
    }
    let graph = Graph {
        ids: model
            .functions
            .iter()
            .map(|f| f.name.value.as_str())
            .collect(),
        out: graph_out,
    };
    for component in cyclic_components(&graph) {
        let cycle = cycle_in(&graph, &component);
        if cycle
            .iter()
            .all(|&i| intended(&model.functions[i as usize]))
        {
            continue;
        }
        out.extend(report(model, &cycle, &steps));
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `recursion = allow`: the function's runtime setting says its loops are intended.
fn intended(f: &Function) -> bool {
    f.recursion().is_some_and(|r| r.value == Recursion::Allow)
}

/// Every source that triggers a function, by the resource it is: the functions' triggers,
/// and each function itself (a direct invocation triggers it).
fn feeds(model: &Model) -> HashMap<(Kind, &str), Vec<Feed>> {
    let mut feeds: HashMap<(Kind, &str), Vec<Feed>> = HashMap::new();
    for (i, f) in model.functions.iter().enumerate() {
        let to = index(i);
        let itself = Feed {
            to,
            events: ANY,
            keys: Keys::all(),
            span: f.name.span,
        };
        feeds
            .entry((Kind::Function, f.name.value.as_str()))
            .or_default()
            .push(itself);
        for t in &f.triggers {
            if let Some((source, feed)) = feed_of(&t.kind, to) {
                feeds
                    .entry((source.kind, source.name.as_str()))
                    .or_default()
                    .push(feed);
            }
        }
    }
    feeds
}

/// The source a trigger reads and what of it reaches the function; `None` for triggers
/// no function writes to (routes, schedules, rules).
fn feed_of(kind: &TriggerKind, to: u32) -> Option<(&ResRef, Feed)> {
    match kind {
        TriggerKind::Sqs { queue, .. } => plain(queue, to),
        TriggerKind::Sns { topic, .. } => plain(topic, to),
        TriggerKind::DynamoDb { table, .. } => plain(table, to),
        TriggerKind::Kinesis { stream, .. } => plain(stream, to),
        TriggerKind::S3 {
            bucket,
            events,
            raw_events,
            prefix,
            suffix,
        } => {
            let names = events
                .iter()
                .filter_map(|e| e.value.aws_name())
                .chain(raw_events.iter().map(|r| r.value.as_str()));
            let mut bits = names.fold(0, |bits, name| bits | s3_family(name));
            if events.is_empty() && raw_events.is_empty() {
                // The trigger's default (plan/triggers/s3.rs): objects created.
                bits = s3_family(S3Event::Created.aws_name().unwrap_or_default());
            }
            let feed = Feed {
                to,
                events: bits,
                keys: Keys::of_filter(prefix.as_ref(), suffix.as_ref()),
                span: bucket.span,
            };
            Some((&bucket.value, feed))
        }
        TriggerKind::Http { .. } | TriggerKind::Schedule { .. } | TriggerKind::Event { .. } => None,
    }
}

/// A trigger that every write to its source reaches.
fn plain(source: &S<ResRef>, to: u32) -> Option<(&ResRef, Feed)> {
    let feed = Feed {
        to,
        events: ANY,
        keys: Keys::all(),
        span: source.span,
    };
    Some((&source.value, feed))
}

/// Everything a function may write to a source: its `allow` write actions, its
/// asynchronous destinations, its stream triggers' `on_failure`.
fn writes(f: &Function) -> Vec<Write<'_>> {
    let mut out = Vec::new();
    for rule in &f.allows {
        let target = &rule.target.value;
        for action in &rule.actions {
            if let Some((events, first)) = written_by(&action.value, target.kind) {
                let how = if action.value.contains(['*', '?']) {
                    format!(" (`{}` covers `{first}`)", action.value)
                } else {
                    String::new()
                };
                out.push(whole(target, events, action.span, how));
            }
        }
    }
    if let Some(a) = &f.async_config {
        let destinations = [(&a.on_success, "on_success"), (&a.on_failure, "on_failure")];
        for (dest, key) in destinations {
            if let Some(dest) = dest {
                let how = format!(" (its `{key}` destination)");
                out.push(whole(&dest.value, ANY, dest.span, how));
            }
        }
    }
    for t in &f.triggers {
        if let Some(dest) = t.kind.failure_destination() {
            let how = " (the records of failed batches)".to_string();
            out.push(whole(&dest.value, ANY, dest.span, how));
        }
    }
    out
}

/// A write to any key of its target.
fn whole(target: &ResRef, events: Events, span: Span, how: String) -> Write<'_> {
    Write {
        target,
        events,
        keys: Keys::all(),
        span,
        how,
    }
}

fn step(write: &Write, feed: &Feed) -> Step {
    Step {
        to: feed.to,
        target: write.target.to_string(),
        write_span: write.span,
        how: write.how.clone(),
        feed_span: feed.span,
        feed_keys: feed.keys.describe(),
    }
}

/// The warning for one loop: `cycle` lists its functions, each writing to a source that
/// triggers the next (the last one's triggers the first).
fn report(model: &Model, cycle: &[u32], steps: &HashMap<(u32, u32), Step>) -> Option<Diagnostic> {
    let name = |i: u32| model.functions[i as usize].name.value.as_str();
    let path: Vec<&Step> = cycle
        .iter()
        .zip(cycle.iter().cycle().skip(1))
        .filter_map(|(&from, &to)| steps.get(&(from, to)))
        .collect();
    let mut drawn = vec![name(cycle[0]).to_string()];
    for s in &path {
        drawn.push(s.target.clone());
        drawn.push(name(s.to).to_string());
    }
    // Every consecutive pair of a cycle is an edge, so every step is known.
    if path.len() != cycle.len() {
        return None;
    }
    let head = path.first()?;
    let first = cycle[0];
    let mut d = Diagnostic::new(
        Code::W0556,
        head.write_span,
        format!("recursive loop: {}", drawn.join(" → ")),
    )
    .label(write_label(name(first), head));
    for (k, s) in path.iter().enumerate() {
        if k > 0 {
            d = d.secondary(s.write_span, write_label(name(cycle[k]), s));
        }
        d = d.secondary(s.feed_span, feed_label(s, name(s.to)));
    }
    let names: Vec<&str> = cycle.iter().map(|&i| name(i)).collect();
    Some(d.help(help(&names)))
}

fn write_label(from: &str, s: &Step) -> String {
    format!("`{from}` writes to {} here{}", s.target, s.how)
}

fn feed_label(s: &Step, to: &str) -> String {
    let keys = s
        .feed_keys
        .as_ref()
        .map_or(String::new(), |k| format!(" ({k})"));
    if s.target.starts_with("function.") {
        format!("this is `{to}`, invoked directly")
    } else {
        format!("this triggers `{to}`{keys}")
    }
}

fn help(names: &[&str]) -> String {
    let who = if names.len() == 1 {
        format!("`recursion = allow` on `{}`", names[0])
    } else {
        let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!("`recursion = allow` on each of {}", list.join(", "))
    };
    format!(
        "send the output to another queue, topic, bucket, table or stream than the one that triggers the loop; if the loop is intended, set {who}"
    )
}
