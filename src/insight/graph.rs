//! The app as a graph: functions, what triggers them (source → function), what each may
//! write to (`allow`, async destinations, failed-batch destinations, dead-letter queues),
//! alarms and the topics they notify. Resources taken `from "arn:…"` are drawn dashed;
//! when the app is split into nested stacks, each stack's functions form a cluster.
//! Rendered as Mermaid (which GitHub draws in Markdown) or Graphviz DOT.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::model::{Alarm, Kind, Metric, Model, Origin, ResRef, Spec, TriggerKind, TriggerSource};
use crate::plan::placement::{Home, Placement};

/// The output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
}

/// How a node is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Function,
    /// Queues, topics, streams: things that carry messages.
    Channel,
    /// Tables and buckets: things that store.
    Store,
    Api,
    /// Sources of their own: schedules, rules on the default event bus.
    Schedule,
    Alarm,
}

struct Node {
    id: String,
    label: String,
    shape: Shape,
    existing: bool,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: String,
    to: String,
    label: String,
    /// What the function may do (writes, destinations) rather than what invokes it.
    writes: bool,
}

/// Nodes in the order first met, edges without repeats, functions by stack.
#[derive(Default)]
struct Graph {
    nodes: Vec<Node>,
    seen: BTreeSet<String>,
    edges: Vec<Edge>,
    edge_seen: BTreeSet<(String, String, String)>,
}

impl Graph {
    fn node(&mut self, id: String, label: String, shape: Shape, existing: bool) -> String {
        if self.seen.insert(id.clone()) {
            self.nodes.push(Node {
                id: id.clone(),
                label,
                shape,
                existing,
            });
        }
        id
    }

    fn edge(&mut self, from: &str, to: &str, label: &str, writes: bool) {
        let key = (from.to_string(), to.to_string(), label.to_string());
        if self.edge_seen.insert(key) {
            self.edges.push(Edge {
                from: from.to_string(),
                to: to.to_string(),
                label: label.to_string(),
                writes,
            });
        }
    }
}

/// The graph of `model` in `format`; `placement` clusters functions by nested stack.
pub fn render(model: &Model, placement: Option<&Placement>, format: Format) -> String {
    let graph = build(model);
    let clusters = clusters(model, placement);
    match format {
        Format::Mermaid => mermaid(&graph, &clusters),
        Format::Dot => dot(&graph, &clusters),
    }
}

/// A node ID that Mermaid and DOT both take unquoted: the kind, then the name with every
/// character outside `[A-Za-z0-9_]` as `_` (lamc names are identifiers already).
fn node_id(kind: &str, name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{kind}_{name}")
}

fn shape_of(kind: Kind) -> Shape {
    match kind {
        Kind::Queue | Kind::Topic | Kind::Stream | Kind::Bus | Kind::Cluster => Shape::Channel,
        // Secrets, parameters, keys and other existing resources hold something.
        Kind::Table
        | Kind::Bucket
        | Kind::Layer
        | Kind::Capacity
        | Kind::Secret
        | Kind::Parameter
        | Kind::Key => Shape::Store,
        Kind::Resource => Shape::Store,
        Kind::Api | Kind::Auth => Shape::Api,
        Kind::Function => Shape::Function,
    }
}

/// The node of a declared resource (or of a function named by reference).
fn resource(graph: &mut Graph, model: &Model, r: &ResRef) -> String {
    let existing = model.resource(r).is_some_and(|x| x.is_existing());
    let label = if existing {
        format!("{} {} (existing)", r.kind.as_str(), r.name)
    } else {
        format!("{} {}", r.kind.as_str(), r.name)
    };
    graph.node(
        node_id(r.kind.as_str(), &r.name),
        label,
        shape_of(r.kind),
        existing,
    )
}

fn build(model: &Model) -> Graph {
    let mut g = Graph::default();
    for f in &model.functions {
        let name = &f.name.value;
        g.node(
            node_id("function", name),
            format!("function {name}"),
            Shape::Function,
            false,
        );
    }
    for r in &model.resources {
        resource(&mut g, model, &r.res_ref());
        if let Origin::Created(Spec::Queue(q)) = &r.origin {
            if let Some(dlq) = &q.dead_letter {
                let from = node_id("queue", &r.name);
                let to = resource(&mut g, model, &dlq.value);
                g.edge(&from, &to, "dead letter", true);
            }
        }
    }
    for f in &model.functions {
        let me = node_id("function", &f.name.value);
        for (i, t) in f.triggers.iter().enumerate() {
            trigger(&mut g, model, &me, &f.name.value, i, &t.kind);
        }
        for (layer, _) in crate::check::rules::layers::declared_layers(f) {
            let layer = ResRef {
                kind: Kind::Layer,
                name: layer.to_string(),
            };
            let from = resource(&mut g, model, &layer);
            g.edge(&from, &me, "layer", false);
        }
        for allow in &f.allows {
            // An ARN string is no declaration of the program: no node for it.
            let Some(target) = allow.res_ref() else {
                continue;
            };
            let to = resource(&mut g, model, target);
            let actions: Vec<&str> = allow.actions.iter().map(|a| a.value.as_str()).collect();
            g.edge(&me, &to, &actions.join(", "), true);
        }
        if let Some(a) = &f.async_config {
            for (dest, label) in [(&a.on_success, "on success"), (&a.on_failure, "on failure")] {
                if let Some(dest) = dest {
                    let to = resource(&mut g, model, &dest.value);
                    g.edge(&me, &to, label, true);
                }
            }
        }
        for alarm in &f.alarms {
            alarm_node(&mut g, model, alarm);
        }
    }
    for alarm in &model.alarms {
        alarm_node(&mut g, model, alarm);
    }
    g
}

/// The source of one trigger, and its edge to the function.
fn trigger(g: &mut Graph, model: &Model, me: &str, function: &str, i: usize, t: &TriggerKind) {
    let (from, label) = match t.source() {
        TriggerSource::Declared { source, label } => (resource(g, model, &source), label),
        TriggerSource::Own { text } => {
            let function = node_id("", function);
            let id = format!(
                "{}_{}_{}",
                t.word(),
                function.trim_start_matches('_'),
                i + 1
            );
            (g.node(id, text, Shape::Schedule, false), String::new())
        }
    };
    if let Some(dest) = t.failure_destination() {
        let to = resource(g, model, &dest.value);
        g.edge(me, &to, "failed batches", true);
    }
    // SCH-09: the Scheduler, not the function, sends what it failed to deliver.
    if let TriggerKind::Schedule { options, .. } = t {
        if let Some(dlq) = &options.on_failure {
            let to = resource(g, model, &dlq.value);
            g.edge(&from, &to, "failed invocations", true);
        }
    }
    g.edge(&from, me, &label, false);
}

fn alarm_node(g: &mut Graph, model: &Model, alarm: &Alarm) {
    let (subject, metric) = match &alarm.metric.value {
        Metric::Function { function, metric } => {
            (node_id("function", function), metric.as_str().to_string())
        }
        Metric::QueueVisible { queue } => (resource(g, model, queue), "visible".to_string()),
        Metric::QueueAge { queue } => (resource(g, model, queue), "age".to_string()),
    };
    let name = alarm
        .name
        .as_ref()
        .map_or_else(|| format!("{subject}_{metric}"), |n| n.value.clone());
    let id = g.node(
        node_id("alarm", &name),
        format!("alarm {metric}"),
        Shape::Alarm,
        false,
    );
    g.edge(&subject, &id, "", false);
    for topic in &alarm.notify {
        let to = resource(g, model, &topic.value);
        g.edge(&id, &to, "notifies", true);
    }
}

/// Stack name → its functions' node IDs, when the app is split; empty otherwise.
fn clusters(model: &Model, placement: Option<&Placement>) -> BTreeMap<Home, Vec<String>> {
    let mut out: BTreeMap<Home, Vec<String>> = BTreeMap::new();
    let Some(p) = placement else {
        return out;
    };
    for f in &model.functions {
        let home = p.homes.get(&f.name.value).copied().unwrap_or(Home::Root);
        out.entry(home)
            .or_default()
            .push(node_id("function", &f.name.value));
    }
    out
}

fn clustered(clusters: &BTreeMap<Home, Vec<String>>) -> BTreeSet<&str> {
    clusters.values().flatten().map(String::as_str).collect()
}

fn stack_title(home: Home) -> String {
    match home {
        Home::Root => "root stack".to_string(),
        Home::Child(_) => format!("nested stack {}", home.name()),
    }
}

/// Mermaid text inside `"…"`: `"` has no escape but the entity.
fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn mermaid_node(n: &Node) -> String {
    let l = mermaid_text(&n.label);
    let shape = match n.shape {
        Shape::Function => format!("(\"{l}\")"),
        Shape::Channel => format!("[\"{l}\"]"),
        Shape::Store => format!("[(\"{l}\")]"),
        Shape::Api => format!("[/\"{l}\"/]"),
        Shape::Schedule => format!("{{{{\"{l}\"}}}}"),
        Shape::Alarm => format!(">\"{l}\"]"),
    };
    let class = if n.existing { ":::existing" } else { "" };
    format!("{}{shape}{class}", n.id)
}

fn mermaid(g: &Graph, clusters: &BTreeMap<Home, Vec<String>>) -> String {
    let mut out = String::from("flowchart LR\n");
    let inside = clustered(clusters);
    let by_id: BTreeMap<&str, &Node> = g.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    for (home, ids) in clusters {
        let _ = writeln!(
            out,
            "  subgraph stack_{}[\"{}\"]",
            home.name(),
            stack_title(*home)
        );
        for id in ids {
            if let Some(n) = by_id.get(id.as_str()) {
                let _ = writeln!(out, "    {}", mermaid_node(n));
            }
        }
        out.push_str("  end\n");
    }
    for n in g.nodes.iter().filter(|n| !inside.contains(n.id.as_str())) {
        let _ = writeln!(out, "  {}", mermaid_node(n));
    }
    for e in &g.edges {
        let arrow = if e.writes { "-.->" } else { "-->" };
        if e.label.is_empty() {
            let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
        } else {
            let l = mermaid_text(&e.label);
            let _ = writeln!(out, "  {} {arrow}|\"{l}\"| {}", e.from, e.to);
        }
    }
    if g.nodes.iter().any(|n| n.existing) {
        out.push_str("  classDef existing stroke-dasharray: 5 5\n");
    }
    out
}

/// DOT text inside `"…"`.
fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot_node(n: &Node) -> String {
    let shape = match n.shape {
        Shape::Function => "shape=box, style=rounded",
        Shape::Channel => "shape=box",
        Shape::Store => "shape=cylinder",
        Shape::Api => "shape=parallelogram",
        Shape::Schedule => "shape=hexagon",
        Shape::Alarm => "shape=cds",
    };
    let dashed = if n.existing {
        if n.shape == Shape::Function {
            ", style=\"rounded,dashed\""
        } else {
            ", style=dashed"
        }
    } else {
        ""
    };
    format!(
        "{} [label=\"{}\", {shape}{dashed}];",
        n.id,
        dot_text(&n.label)
    )
}

fn dot(g: &Graph, clusters: &BTreeMap<Home, Vec<String>>) -> String {
    let mut out = String::from("digraph app {\n  rankdir=LR;\n");
    let inside = clustered(clusters);
    let by_id: BTreeMap<&str, &Node> = g.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    for (home, ids) in clusters {
        let _ = writeln!(out, "  subgraph cluster_{} {{", home.name());
        let _ = writeln!(out, "    label=\"{}\";", stack_title(*home));
        for id in ids {
            if let Some(n) = by_id.get(id.as_str()) {
                let _ = writeln!(out, "    {}", dot_node(n));
            }
        }
        out.push_str("  }\n");
    }
    for n in g.nodes.iter().filter(|n| !inside.contains(n.id.as_str())) {
        let _ = writeln!(out, "  {}", dot_node(n));
    }
    for e in &g.edges {
        let mut attrs = Vec::new();
        if !e.label.is_empty() {
            attrs.push(format!("label=\"{}\"", dot_text(&e.label)));
        }
        if e.writes {
            attrs.push("style=dashed".to_string());
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(out, "  {} -> {}{attrs};", e.from, e.to);
    }
    out.push_str("}\n");
    out
}
