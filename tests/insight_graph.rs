//! `lamc graph`: the app as Mermaid and DOT; existing resources dashed, nested stacks as
//! clusters, the README's copy kept current.

use crate::insight_support::snapshot;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::synth;

const EXAMPLES: [&str; 4] = ["http-api", "pipeline", "queue-worker", "thumbnails"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn graph(dir: &Path, file: &str, format: &str) -> String {
    let out = Command::cargo_bin("lamc")
        .expect("the lamc binary is built")
        .env("LAMC_TODAY", "2026-11-26")
        .current_dir(dir)
        .args(["graph", file, "--format", format])
        .output()
        .expect("lamc runs");
    assert!(
        out.status.success(),
        "lamc graph failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A node ID as both languages take it unquoted.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// Splits `rest` at the end of a `"…"` string that `rest` starts with.
fn quoted(rest: &str, escapes: bool) -> Option<(&str, &str)> {
    let body = rest.strip_prefix('"')?;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if escapes => {
                chars.next();
            }
            '"' => return Some((&body[..i], &body[i + 1..])),
            _ => {}
        }
    }
    None
}

/// The subset of Mermaid flowchart syntax `lamc graph` writes, checked line by line:
/// node declarations with a quoted label in one of six shapes, `subgraph ID["…"]` / `end`,
/// edges `A --> B`, `A -.-> B` with an optional `|"…"|` label between declared nodes, and
/// one `classDef`. Returns the declared node IDs.
fn check_mermaid(text: &str) -> BTreeSet<String> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let mut nodes = BTreeSet::new();
    let mut depth = 0;
    for line in lines {
        let l = line.trim();
        if l == "end" {
            depth -= 1;
            assert!(depth >= 0, "unbalanced end");
            continue;
        }
        if let Some(rest) = l.strip_prefix("subgraph ") {
            let (id, rest) = rest.split_once('[').expect("subgraph title");
            assert!(is_id(id), "{l}");
            let (_, rest) = quoted(rest, false).expect("quoted title");
            assert_eq!(rest, "]", "{l}");
            depth += 1;
            continue;
        }
        if l.starts_with("classDef existing ") {
            continue;
        }
        if let Some((from, rest)) = l.split_once(' ') {
            if let Some(arrow) = ["--> ", "-.-> ", "-->|", "-.->|"]
                .iter()
                .find(|a| rest.starts_with(**a))
            {
                let mut rest = &rest[arrow.len()..];
                if arrow.ends_with('|') {
                    let (label, after) = quoted(rest, false).expect("quoted edge label");
                    assert!(!label.contains('"'), "{l}");
                    rest = after.strip_prefix("| ").expect("label closed");
                }
                assert!(nodes.contains(from), "edge from an undeclared node: {l}");
                assert!(nodes.contains(rest), "edge to an undeclared node: {l}");
                continue;
            }
        }
        let id_end = l
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .expect("a shape after the ID");
        let (id, rest) = l.split_at(id_end);
        assert!(is_id(id), "{l}");
        let rest = rest.strip_suffix(":::existing").unwrap_or(rest);
        let shape = [
            ("(", ")"),
            ("[", "]"),
            ("[(", ")]"),
            ("[/", "/]"),
            ("{{", "}}"),
            (">", "]"),
        ]
        .iter()
        .find_map(|(open, close)| {
            let inner = rest.strip_prefix(open)?.strip_suffix(close)?;
            let (label, after) = quoted(inner, false)?;
            (after.is_empty() && !label.contains('"')).then_some(())
        });
        assert!(shape.is_some(), "not a node declaration lamc writes: {l}");
        assert!(nodes.insert(id.to_string()), "node declared twice: {id}");
    }
    assert_eq!(depth, 0, "unclosed subgraph");
    nodes
}

/// DOT: `digraph app {`, then node, edge, attribute and cluster statements, each on its
/// line and ended by `;` (or `{` / `}` for clusters), strings quoted with `\` escapes;
/// edges between declared nodes. Returns the declared node IDs.
fn check_dot(text: &str) -> BTreeSet<String> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("digraph app {"));
    let mut nodes = BTreeSet::new();
    let mut depth = 1;
    for line in lines {
        let l = line.trim();
        if l == "}" {
            depth -= 1;
            continue;
        }
        assert!(depth > 0, "text after the graph: {l}");
        if let Some(id) = l
            .strip_prefix("subgraph ")
            .and_then(|r| r.strip_suffix(" {"))
        {
            assert!(is_id(id) && id.starts_with("cluster_"), "{l}");
            depth += 1;
            continue;
        }
        let l = l.strip_suffix(';').unwrap_or_else(|| panic!("no `;`: {l}"));
        if l == "rankdir=LR" {
            continue;
        }
        if let Some(title) = l.strip_prefix("label=") {
            let (_, after) = quoted(title, true).expect("quoted label");
            assert!(after.is_empty());
            continue;
        }
        let (head, attrs) = match l.split_once(" [") {
            Some((h, a)) => (h, Some(a.strip_suffix(']').expect("attributes closed"))),
            None => (l, None),
        };
        if let Some(mut a) = attrs {
            // key=value pairs, values quoted or bare.
            loop {
                let (key, rest) = a.split_once('=').expect("key=value");
                assert!(is_id(key), "{l}");
                let rest = if rest.starts_with('"') {
                    quoted(rest, true).expect("quoted value").1
                } else {
                    rest.find(',').map_or("", |i| &rest[i..])
                };
                match rest.strip_prefix(", ") {
                    Some(more) => a = more,
                    None => {
                        assert!(rest.is_empty(), "{l}");
                        break;
                    }
                }
            }
        }
        if let Some((from, to)) = head.split_once(" -> ") {
            assert!(nodes.contains(from) && nodes.contains(to), "{l}");
        } else {
            assert!(is_id(head), "{l}");
            assert!(
                nodes.insert(head.to_string()),
                "node declared twice: {head}"
            );
        }
    }
    assert_eq!(depth, 0, "unbalanced braces");
    nodes
}

#[test]
fn the_examples_graphs_parse_and_match_their_snapshots() {
    for example in EXAMPLES {
        let dir = root().join("examples").join(example);
        let mermaid = graph(&dir, "app.lam", "mermaid");
        let dot = graph(&dir, "app.lam", "dot");
        assert_eq!(
            mermaid,
            graph(&dir, "app.lam", "mermaid"),
            "not deterministic"
        );
        assert_eq!(
            check_mermaid(&mermaid),
            check_dot(&dot),
            "{example}: same nodes"
        );
        snapshot(&format!("graph_mermaid_{example}"), &mermaid);
        snapshot(&format!("graph_dot_{example}"), &dot);
    }
}

#[test]
fn triggers_writes_destinations_and_alarms_are_edges() {
    let text = graph(&root().join("examples/queue-worker"), "app.lam", "mermaid");
    for edge in [
        "api_default -->|\"POST /orders\"| function_accept",
        "function_accept -.->|\"sqs:SendMessage\"| queue_orders",
        "queue_orders --> function_worker",
        "queue_orders -.->|\"dead letter\"| queue_orders_dlq",
        "alarm_function_worker_errors -.->|\"notifies\"| topic_alerts",
    ] {
        assert!(text.contains(edge), "missing `{edge}` in\n{text}");
    }
}

#[test]
fn existing_resources_are_drawn_dashed() {
    let dir = root().join("tests/ui/pass");
    let mermaid = graph(&dir, "existing_resources.lam", "mermaid");
    check_mermaid(&mermaid);
    assert!(mermaid.contains("queue_legacy_jobs[\"queue legacy_jobs (existing)\"]:::existing"));
    assert!(mermaid.contains("classDef existing stroke-dasharray: 5 5"));
    let dot = graph(&dir, "existing_resources.lam", "dot");
    check_dot(&dot);
    assert!(dot.contains(
        "queue_legacy_jobs [label=\"queue legacy_jobs (existing)\", shape=box, style=dashed];"
    ));
    snapshot("graph_mermaid_existing_resources", &mermaid);
}

#[test]
fn nested_stacks_are_clusters() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("big.lam"), synth::generate(150, false)).expect("write");
    let mermaid = graph(dir.path(), "big.lam", "mermaid");
    let nodes = check_mermaid(&mermaid);
    assert!(mermaid.contains("  subgraph stack_NestedStack1[\"nested stack NestedStack1\"]\n"));
    let dot = graph(dir.path(), "big.lam", "dot");
    assert_eq!(nodes, check_dot(&dot));
    assert!(dot
        .contains("  subgraph cluster_NestedStack1 {\n    label=\"nested stack NestedStack1\";\n"));
    // Every function is drawn once, inside one cluster.
    for i in 0..150 {
        let decl = format!("    function_worker_{i}(\"function worker_{i}\")\n");
        assert_eq!(mermaid.matches(&decl).count(), 1, "worker_{i}");
    }
}

#[test]
fn the_readme_graph_is_current() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let block = readme
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a ```mermaid block");
    let fresh = graph(&root().join("examples/queue-worker"), "app.lam", "mermaid");
    assert_eq!(
        block, fresh,
        "README's graph is stale: replace it with `lamc graph examples/queue-worker/app.lam`"
    );
}

#[test]
fn the_checkers_in_this_file_refuse_bad_graphs() {
    let bad = [
        "flowchart LR\n  a(\"x\")\n  a --> b\n",
        "flowchart LR\n  a(\"x\"\n",
        "flowchart LR\n  subgraph s[\"t\"]\n",
        "flowchart LR\n  a(\"say \"hi\"\")\n",
    ];
    for text in bad {
        let text = text.to_string();
        assert!(
            std::panic::catch_unwind(|| check_mermaid(&text)).is_err(),
            "{text}"
        );
    }
    let bad_dot = [
        "digraph app {\n  a [label=\"x\"];\n  a -> b;\n}\n",
        "digraph app {\n  a [label=\"x];\n}\n",
        "digraph app {\n  a [label=\"x\"]\n}\n",
    ];
    for text in bad_dot {
        let text = text.to_string();
        assert!(
            std::panic::catch_unwind(|| check_dot(&text)).is_err(),
            "{text}"
        );
    }
}

#[test]
fn event_rules_are_sources_of_their_own() {
    let dir = root().join("tests/ui/pass");
    let mermaid = graph(&dir, "triggers_event.lam", "mermaid");
    let dot = graph(&dir, "triggers_event.lam", "dot");
    assert_eq!(check_mermaid(&mermaid), check_dot(&dot), "same nodes");
    for line in [
        "event_on_state_1{{\"rule on the default bus: aws.ec2\"}}",
        "event_on_state_1 --> function_on_state",
        "event_big_orders_1 --> function_big_orders",
    ] {
        assert!(mermaid.contains(line), "missing `{line}` in\n{mermaid}");
    }
}

#[test]
fn a_schedules_dead_letter_queue_and_the_catch_all_route_are_drawn() {
    let text = graph(
        &root().join("tests/ui/pass"),
        "triggers_options.lam",
        "mermaid",
    );
    assert!(
        text.contains("schedule_worker_3 -.->|\"failed invocations\"| queue_late"),
        "{text}"
    );
    assert!(
        text.contains("api_default -->|\"$default\"| function_site"),
        "{text}"
    );
}
