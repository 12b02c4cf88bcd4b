//! W0556: recursive loops. A function that can write to a source that triggers it — an
//! `allow` with a write action, an asynchronous destination or `dead_letter`, a stream
//! trigger's `on_failure` — on the queue, topic, bucket (overlapping keys and events),
//! table, stream or function that invokes it — may run for ever, directly or through other functions.
//!
//! The graph has an edge from function A to function B when A writes to a source that
//! triggers B. Each strongly connected group of it is reported once, with one loop drawn
//! through its first-declared function that does not say `recursion = allow` (RL-01: a
//! loop whose functions all say it is intended): every write and every trigger of the
//! loop is a label.
//! Lambda itself stops only some loops, after they have run a while (RL-02).

mod keys;
mod writes;

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Kind, Model, Recursion, ResRef, S3Event, TriggerKind, S};
use crate::plan::cycles::{cycle_through, cyclic_components, Graph};
use crate::plan::{FastMap, FastSet};
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
    /// Only events of asynchronous invocations go there (a destination, `dead_letter`).
    if_async: bool,
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
    // Few functions write to a source (most only read theirs): each one's writes are
    // found once, and only the sources written to are looked up among the triggers.
    let written: Vec<Vec<Write>> = model.functions.iter().map(writes).collect();
    if written.iter().all(Vec::is_empty) {
        return;
    }
    let targets: FastSet<(Kind, &str)> = written
        .iter()
        .flatten()
        .map(|w| (w.target.kind, w.target.name.as_str()))
        .collect();
    let feeds = feeds(model, &targets);
    let invoked = invoked_directly(&written);
    let mut steps: FastMap<(u32, u32), Step> = FastMap::default();
    let mut graph_out = Vec::with_capacity(model.functions.len());
    for ((from, f), writes) in model.functions.iter().enumerate().zip(&written) {
        let from = index(from);
        let mut tos = Vec::new();
        let invoked_async = invoked.contains(f.name.value.as_str())
            || f.triggers.iter().any(|t| t.kind.invokes_async());
        for write in writes.iter().filter(|w| invoked_async || !w.if_async) {
            let key = (write.target.kind, write.target.name.as_str());
            for feed in feeds.get(&key).into_iter().flatten() {
                if reaches(write, feed) && !steps.contains_key(&(from, feed.to)) {
                    steps.insert((from, feed.to), step(write, feed));
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
        // A loop is intended when all its functions say so: draw one through the first
        // function that does not.
        let unintended = component
            .iter()
            .find(|&&i| !intended(&model.functions[i as usize]));
        if let Some(&start) = unintended {
            let cycle = cycle_through(&graph, &component, start);
            out.extend(report(model, &cycle, &steps));
        }
    }
}

/// Whether what `write` puts in its target reaches `feed`'s function: an event the
/// trigger listens to, on a key it can match.
fn reaches(write: &Write, feed: &Feed) -> bool {
    feed.events & write.events != 0 && feed.keys.overlaps(&write.keys)
}

/// The functions that other functions invoke (an `allow` on them or a destination): they
/// may be invoked asynchronously whatever their triggers.
fn invoked_directly<'m>(written: &[Vec<Write<'m>>]) -> FastSet<&'m str> {
    written
        .iter()
        .flatten()
        .filter(|w| w.target.kind == Kind::Function)
        .map(|w| w.target.name.as_str())
        .collect()
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `recursion = allow`: the function's runtime setting says its loops are intended.
fn intended(f: &Function) -> bool {
    f.recursion().is_some_and(|r| r.value == Recursion::Allow)
}

/// Every source in `targets` that triggers a function, by the resource it is: the
/// functions' triggers, and each function itself (a direct invocation triggers it).
fn feeds<'m>(
    model: &'m Model,
    targets: &FastSet<(Kind, &str)>,
) -> FastMap<(Kind, &'m str), Vec<Feed>> {
    let mut feeds: FastMap<(Kind, &str), Vec<Feed>> = FastMap::default();
    for (i, f) in model.functions.iter().enumerate() {
        let to = index(i);
        let itself = (Kind::Function, f.name.value.as_str());
        if targets.contains(&itself) {
            let feed = Feed {
                to,
                events: ANY,
                keys: Keys::all(),
                span: f.name.span,
            };
            feeds.entry(itself).or_default().push(feed);
        }
        for t in &f.triggers {
            if let Some((source, feed)) = feed_of(&t.kind, to) {
                let key = (source.kind, source.name.as_str());
                if targets.contains(&key) {
                    feeds.entry(key).or_default().push(feed);
                }
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
        // Writing to a Kafka topic goes through the cluster's own protocol, not an action
        // on the cluster lamc could tell apart from reading: not followed.
        TriggerKind::Kafka { .. } => None,
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
/// asynchronous destinations and `dead_letter` (marked [`Write::if_async`]: they are used
/// only when something invokes it asynchronously), its stream triggers' `on_failure`.
fn writes(f: &Function) -> Vec<Write<'_>> {
    let mut out = Vec::new();
    for rule in &f.allows {
        // An ARN string names nothing of this program: no loop through it.
        let Some(target) = rule.res_ref() else {
            continue;
        };
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
                out.push(if_async(whole(&dest.value, ANY, dest.span, how)));
            }
        }
    }
    // The dead-letter queue or topic, like the destinations, receives only events of
    // asynchronous invocations that failed.
    if let Some(dlq) = &f.dead_letter {
        let how = " (its `dead_letter`, the failed asynchronous events)".to_string();
        out.push(if_async(whole(&dlq.value, ANY, dlq.span, how)));
    }
    for t in &f.triggers {
        if let Some(dest) = t.kind.failure_destination() {
            let how = " (the records of failed batches)".to_string();
            out.push(whole(&dest.value, ANY, dest.span, how));
        }
    }
    out
}

fn if_async(write: Write) -> Write {
    Write {
        if_async: true,
        ..write
    }
}

/// A write to any key of its target.
fn whole(target: &ResRef, events: Events, span: Span, how: String) -> Write<'_> {
    Write {
        target,
        events,
        keys: Keys::all(),
        span,
        how,
        if_async: false,
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

/// Steps of a loop drawn in full; a longer loop shows its first ones and the step that
/// closes it, so that a pathological program does not get a warning of thousands of labels.
const MAX_DRAWN: usize = 6;

/// The warning for one loop: `cycle` lists its functions, each writing to a source that
/// triggers the next (the last one's triggers the first).
fn report(model: &Model, cycle: &[u32], steps: &FastMap<(u32, u32), Step>) -> Option<Diagnostic> {
    let name = |i: u32| model.functions[i as usize].name.value.as_str();
    let path: Vec<(u32, &Step)> = cycle
        .iter()
        .zip(cycle.iter().cycle().skip(1))
        .filter_map(|(&from, &to)| Some((from, steps.get(&(from, to))?)))
        .collect();
    // Every consecutive pair of a cycle is an edge, so every step is known.
    if path.len() != cycle.len() {
        return None;
    }
    let shown: Vec<(u32, &Step)> = if path.len() <= MAX_DRAWN {
        path.clone()
    } else {
        let mut some = path[..MAX_DRAWN - 1].to_vec();
        some.extend(path.last().copied());
        some
    };
    let mut drawn = vec![name(cycle[0]).to_string()];
    for (k, (from, s)) in shown.iter().enumerate() {
        if k == MAX_DRAWN - 1 && path.len() > MAX_DRAWN {
            let left = path.len() - MAX_DRAWN;
            drawn.push(format!("… ({left} more steps) …"));
            drawn.push(name(*from).to_string());
        }
        drawn.push(s.target.clone());
        drawn.push(name(s.to).to_string());
    }
    let (_, head) = shown.first()?;
    let mut d = Diagnostic::new(
        Code::W0556,
        head.write_span,
        format!("recursive loop: {}", drawn.join(" → ")),
    )
    .label(write_label(name(cycle[0]), head));
    for (k, (from, s)) in shown.iter().enumerate() {
        if k > 0 {
            d = d.secondary(s.write_span, write_label(name(*from), s));
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
    } else if names.len() > MAX_DRAWN {
        "`recursion = allow` on every function of the loop".to_string()
    } else {
        let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!("`recursion = allow` on each of {}", list.join(", "))
    };
    format!(
        "send the output to another queue, topic, bucket, table or stream than the one that triggers the loop; if the loop is intended, set {who}"
    )
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::writes::{CREATED, REMOVED};
    use super::*;
    use crate::model::{AllowRule, AllowTarget};

    fn keys(prefix: &str) -> Keys {
        Keys {
            prefix: Some(prefix.to_string()),
            suffix: None,
        }
    }

    fn span() -> Span {
        Span::new(crate::source::FileId(0), 0, 0)
    }

    #[test]
    fn writes_reach_a_bucket_trigger_only_on_its_events_and_keys() {
        let bucket = ResRef {
            kind: Kind::Bucket,
            name: "b".into(),
        };
        let write = |events, keys| Write {
            target: &bucket,
            events,
            keys,
            span: span(),
            how: String::new(),
            if_async: false,
        };
        let feed = |events, keys| Feed {
            to: 0,
            events,
            keys,
            span: span(),
        };
        // Writing under `out/` does not feed a trigger on `in/`: disjoint prefixes.
        assert!(!reaches(
            &write(CREATED, keys("out/")),
            &feed(CREATED, keys("in/"))
        ));
        assert!(reaches(
            &write(CREATED, keys("in/a/")),
            &feed(CREATED, keys("in/"))
        ));
        // A whole-bucket write reaches every prefix, on the events it causes.
        assert!(reaches(
            &write(CREATED, Keys::all()),
            &feed(CREATED, keys("in/"))
        ));
        assert!(!reaches(
            &write(CREATED, Keys::all()),
            &feed(REMOVED, Keys::all())
        ));
    }

    #[test]
    fn on_a_filtered_bucket_trigger_a_read_makes_no_loop_and_a_write_does() {
        let mut kit = Kit::new();
        let mut a = kit.function("a");
        let bucket = kit.res_ref(Kind::Bucket, "media");
        let prefix = kit.text("in/");
        a.triggers.push(kit.trigger(TriggerKind::S3 {
            bucket: bucket.clone(),
            events: Vec::new(),
            raw_events: Vec::new(),
            prefix: Some(prefix),
            suffix: None,
        }));
        let read = kit.str("s3:GetObject");
        a.allows.push(AllowRule {
            actions: vec![read],
            target: bucket.clone().map(AllowTarget::Ref),
            span: span(),
        });
        let diags = kit.run(&model(vec![a.clone()]));
        none(&diags, Code::W0556);
        let put = kit.str("s3:PutObject");
        a.allows.push(AllowRule {
            actions: vec![put.clone()],
            target: bucket.map(AllowTarget::Ref),
            span: span(),
        });
        let d = one(&kit.run(&model(vec![a])), Code::W0556);
        assert_eq!(d.primary.span, put.span);
    }
}
