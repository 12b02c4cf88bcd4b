//! No emitted template has a dependency cycle (issue 10.1).
//!
//! - random programs (functions, buckets, queues, triggers, `env`, `allow`, destinations and
//!   outputs naming each other) never give a template with a cycle, and never an error
//!   when no function URL is named;
//! - a program large enough to be split into nested stacks: neither the root nor any child
//!   has a cycle, and children compute the names lamc chooses from the root's stack ID;
//! - `lamc check` reports E0439 for what no name can break, with its labels.
//!
//! Cycles are looked for in the emitted JSON by the finder below, written for these tests
//! and sharing nothing with the compiler's.

use std::collections::{BTreeMap, BTreeSet};

use assert_cmd::Command;
use lamc::driver::{check_source, CheckOptions};
use lamc::plan::{plan, PlanOptions};
use proptest::prelude::*;
use serde_json::Value as Json;

fn opts() -> CheckOptions {
    CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"))
}

// ------------------------------------------------------------------------------------
// The independent cycle finder: over the JSON text, by depth-first search with colours.

/// Logical IDs a JSON value refers to: `Ref`, `Fn::GetAtt` (list or dotted string), the
/// `${…}` variables of `Fn::Sub` (either form).
fn referenced(v: &Json, out: &mut BTreeSet<String>) {
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("Ref", Json::String(id)) => {
                        out.insert(id.clone());
                    }
                    ("Fn::GetAtt", Json::Array(a)) => {
                        if let Some(Json::String(id)) = a.first() {
                            out.insert(id.clone());
                        }
                    }
                    ("Fn::GetAtt", Json::String(s)) => {
                        out.insert(s.split('.').next().unwrap_or("").to_string());
                    }
                    ("Fn::Sub", Json::String(s)) => sub_vars(s, out),
                    ("Fn::Sub", Json::Array(a)) => {
                        if let Some(Json::String(s)) = a.first() {
                            sub_vars(s, out);
                        }
                        for x in a.iter().skip(1) {
                            referenced(x, out);
                        }
                    }
                    _ => referenced(x, out),
                }
            }
        }
        Json::Array(a) => a.iter().for_each(|x| referenced(x, out)),
        _ => {}
    }
}

fn sub_vars(text: &str, out: &mut BTreeSet<String>) {
    for piece in text.split("${").skip(1) {
        let Some(end) = piece.find('}') else { continue };
        let var = &piece[..end];
        if var.starts_with('!') || var.starts_with("AWS::") {
            continue;
        }
        out.insert(var.split('.').next().unwrap_or(var).to_string());
    }
}

/// A cycle of the template's resources, if there is one.
fn a_cycle(template: &Json) -> Option<Vec<String>> {
    let resources = template["Resources"].as_object()?;
    let mut edges: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, r) in resources {
        let mut to = BTreeSet::new();
        referenced(&r["Properties"], &mut to);
        match &r["DependsOn"] {
            Json::String(d) => {
                to.insert(d.clone());
            }
            Json::Array(ds) => to.extend(ds.iter().filter_map(|d| d.as_str().map(String::from))),
            _ => {}
        }
        to.retain(|t| resources.contains_key(t));
        edges.insert(id, to.into_iter().collect());
    }
    // 0 = unseen, 1 = on the current path, 2 = done.
    let mut colour: BTreeMap<&str, u8> = BTreeMap::new();
    for start in edges.keys() {
        if colour.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        colour.insert(start, 1);
        while let Some((v, i)) = path.last_mut() {
            let v: &str = v;
            let Some(w) = edges[v].get(*i) else {
                colour.insert(v, 2);
                path.pop();
                continue;
            };
            *i += 1;
            let w = edges
                .get_key_value(w.as_str())
                .map(|(k, _)| *k)
                .unwrap_or("");
            match colour.get(w) {
                Some(1) => {
                    let from = path.iter().position(|(p, _)| *p == w).unwrap_or(0);
                    return Some(path[from..].iter().map(|(p, _)| p.to_string()).collect());
                }
                Some(_) => {}
                None => {
                    colour.insert(w, 1);
                    path.push((w, 0));
                }
            }
        }
    }
    None
}

#[test]
fn the_finder_finds_what_cfn_lint_calls_e3004() {
    let t: Json = serde_json::json!({"Resources": {
        "A": {"Type": "X", "Properties": {"P": {"Fn::Sub": "${B.Arn}"}}},
        "B": {"Type": "X", "DependsOn": "C"},
        "C": {"Type": "X", "Properties": {"Q": {"Fn::GetAtt": ["A", "Arn"]}}},
        "D": {"Type": "X", "Properties": {"R": {"Ref": "AWS::StackId"}}},
    }});
    assert_eq!(a_cycle(&t), Some(vec!["A".into(), "B".into(), "C".into()]));
    let t: Json = serde_json::json!({"Resources": {
        "A": {"Type": "X", "Properties": {"P": {"Fn::Sub": "${!A} ${AWS::Region}"}}},
        "B": {"Type": "X", "Properties": {"P": {"Ref": "A"}}},
    }});
    assert_eq!(a_cycle(&t), None);
    let t: Json = serde_json::json!({"Resources": {
        "A": {"Type": "X", "Properties": {"P": {"Fn::Join": ["", [{"Ref": "A"}]]}}},
    }});
    assert_eq!(a_cycle(&t), Some(vec!["A".into()]));
}

// ------------------------------------------------------------------------------------
// Random programs.

#[derive(Debug, Clone)]
struct Fun {
    /// Buckets that notify it.
    s3: Vec<usize>,
    /// Queues it reads.
    sqs: Vec<usize>,
    /// `env` values: (kind, index, attribute).
    env: Vec<(u8, usize, u8)>,
    /// `allow` targets: (kind, index).
    allow: Vec<(u8, usize)>,
    /// `async { on_failure = function.N }`.
    destination: Option<usize>,
    url: bool,
    named: bool,
    provisioned: bool,
}

fn fun(buckets: usize, queues: usize, functions: usize) -> impl Strategy<Value = Fun> {
    let b = buckets.max(1);
    let q = queues.max(1);
    (
        prop::collection::btree_set(0..b, 0..=buckets.min(2)),
        prop::collection::btree_set(0..q, 0..=queues.min(2)),
        prop::collection::vec((0u8..3, 0..functions.max(b).max(q), 0u8..3), 0..4),
        prop::collection::vec((0u8..3, 0..functions.max(b).max(q)), 0..3),
        prop::option::of(0..functions),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(s3, sqs, env, allow, destination, url, named, provisioned)| Fun {
                s3: s3.into_iter().collect(),
                sqs: sqs.into_iter().collect(),
                env,
                allow,
                destination,
                url,
                named,
                provisioned,
            },
        )
}

fn program() -> impl Strategy<Value = (usize, usize, Vec<Fun>)> {
    (0usize..4, 0usize..3, 1usize..6)
        .prop_flat_map(|(b, q, n)| (Just(b), Just(q), prop::collection::vec(fun(b, q, n), n..=n)))
}

/// The `.lam` text; `urls` lets environments name function URLs (which no name breaks).
fn source(buckets: usize, queues: usize, fns: &[Fun], urls: bool) -> String {
    let mut s = String::from(
        "defaults {\n  runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c):\n    return e\n\"\"\")\n}\n",
    );
    for b in 0..buckets {
        s.push_str(&format!("bucket b{b} {{}}\n"));
    }
    for q in 0..queues {
        s.push_str(&format!("queue q{q} {{}}\n"));
    }
    let n = fns.len();
    for (i, f) in fns.iter().enumerate() {
        s.push_str(&format!("function f{i} {{\n"));
        if f.named {
            s.push_str(&format!("  name = \"fixed-f{i}\"\n"));
        }
        for b in &f.s3 {
            // One prefix per function: notifications on one bucket never overlap (E0422).
            s.push_str(&format!("  on s3 bucket.b{b} {{ prefix = \"f{i}/\" }}\n"));
        }
        for q in &f.sqs {
            s.push_str(&format!("  on sqs queue.q{q}\n"));
        }
        let mut vars = Vec::new();
        for (k, &(kind, idx, attr)) in f.env.iter().enumerate() {
            let value = match kind {
                0 if buckets > 0 => {
                    let a = if attr == 0 { "name" } else { "arn" };
                    format!("bucket.b{}.{a}", idx % buckets)
                }
                1 if queues > 0 => format!("queue.q{}.url", idx % queues),
                _ => {
                    let g = idx % n;
                    let a = match attr {
                        0 => "name",
                        1 => "arn",
                        _ if urls && fns[g].url => "url",
                        _ => "arn",
                    };
                    format!("function.f{g}.{a}")
                }
            };
            vars.push(format!("V{k} = {value}"));
        }
        if !vars.is_empty() {
            s.push_str(&format!("  env {{ {} }}\n", vars.join(", ")));
        }
        for &(kind, idx) in &f.allow {
            let line = match kind {
                0 if buckets > 0 => {
                    format!(
                        "[\"s3:GetObject\", \"s3:PutObject\"] on bucket.b{}",
                        idx % buckets
                    )
                }
                1 if queues > 0 => format!("[\"sqs:SendMessage\"] on queue.q{}", idx % queues),
                _ => format!("\"lambda:InvokeFunction\" on function.f{}", idx % n),
            };
            s.push_str(&format!("  allow {line}\n"));
        }
        if let Some(d) = f.destination.filter(|&d| d != i) {
            s.push_str(&format!("  async {{ on_failure = function.f{d} }}\n"));
        }
        if f.url {
            s.push_str("  url { auth = iam }\n");
        }
        if f.provisioned {
            s.push_str("  concurrency { reserved = 2, provisioned = 1 }\n");
        }
        s.push_str("}\n");
        if i % 2 == 0 {
            s.push_str(&format!("output o{i} = function.f{i}.arn\n"));
        }
    }
    if buckets > 0 {
        s.push_str("output bucket_name = bucket.b0.name\n");
    }
    s
}

/// Check and plan `text`: the template, or the codes of the errors.
fn build(text: &str) -> Result<lamc::plan::Stack, Vec<String>> {
    let c = check_source("app.lam".into(), None, text.to_string(), &opts());
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let model = c.model.expect("a model when there is no error");
    plan(&model, &PlanOptions::default()).map_err(|ds| {
        ds.iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Without function URLs in environments, every program builds, without a cycle.
    #[test]
    fn random_programs_build_without_a_cycle((b, q, fns) in program()) {
        let text = source(b, q, &fns, false);
        match build(&text) {
            Ok(stack) => {
                let t: Json = serde_json::from_str(&lamc::emit::json(&stack)).expect("json");
                prop_assert_eq!(a_cycle(&t), None, "{}", text);
            }
            Err(errors) => prop_assert!(false, "{}\n{:?}", text, errors),
        }
    }

    /// With them, a program either builds without a cycle or is refused with E0439 only.
    #[test]
    fn a_cycle_is_refused_never_emitted((b, q, fns) in program()) {
        let text = source(b, q, &fns, true);
        match build(&text) {
            Ok(stack) => {
                let t: Json = serde_json::from_str(&lamc::emit::json(&stack)).expect("json");
                prop_assert_eq!(a_cycle(&t), None, "{}", text);
            }
            Err(errors) => prop_assert!(
                errors.iter().all(|e| e.starts_with("E0439")),
                "{}\n{:?}", text, errors
            ),
        }
    }
}

// ------------------------------------------------------------------------------------
// Nested stacks.

/// 220 functions (over 500 resources): each is notified by its own bucket and names it,
/// every third names itself, every fifth also a shared bucket that notifies another.
fn large(n: usize) -> String {
    let mut s = String::from(
        "defaults {\n  runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c):\n    return e\n\"\"\")\n}\nbucket shared {}\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "bucket b{i} {{}}\nfunction f{i} {{\n  on s3 bucket.b{i}\n"
        ));
        let mut env = vec![format!("OWN = bucket.b{i}.name")];
        if i % 3 == 0 {
            env.push(format!("SELF = function.f{i}.arn"));
        }
        if i % 5 == 0 {
            env.push("SHARED = bucket.shared.arn".to_string());
        }
        if i == 1 {
            s.push_str("  on s3 bucket.shared\n");
        }
        s.push_str(&format!("  env {{ {} }}\n}}\n", env.join(", ")));
    }
    s
}

#[test]
fn nested_stacks_have_no_cycle_and_share_the_root_stack_id() {
    let stack = build(&large(220)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!stack.children.is_empty(), "the app should be split");
    let root: Json = serde_json::from_str(&lamc::emit::json(&stack)).expect("json");
    assert_eq!(a_cycle(&root), None, "root");
    let mut children_with_known_names = 0;
    for c in &stack.children {
        let child: Json = serde_json::from_slice(&c.bytes).expect("child json");
        assert_eq!(a_cycle(&child), None, "{}", c.logical_id);
        let text = String::from_utf8_lossy(&c.bytes);
        if text.contains("AWS::StackId") {
            panic!("{}: a child must not use its own stack ID", c.logical_id);
        }
        if child["Parameters"].get("RootStackId").is_some() {
            children_with_known_names += 1;
            let passed =
                &root["Resources"][&c.logical_id]["Properties"]["Parameters"]["RootStackId"];
            assert_eq!(passed, &serde_json::json!({"Ref": "AWS::StackId"}));
        }
    }
    assert!(
        children_with_known_names > 0,
        "known names were computed in the children"
    );
}

// ------------------------------------------------------------------------------------
// The diagnostic.

fn lamc() -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").env("NO_COLOR", "1");
    cmd
}

#[test]
fn check_reports_a_cycle_through_function_urls_with_every_step() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "defaults {\n  runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c):\n    return e\n\"\"\")\n}\n\
function a {\n  env { PEER = function.b.url }\n  url { auth = iam }\n}\n\
function b {\n  env { PEER = function.a.url }\n  url { auth = iam }\n}\n";
    let file = dir.path().join("app.lam");
    std::fs::write(&file, text).expect("write");
    let out = lamc().arg("check").arg(&file).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("error[E0439]").count(), 1, "{stderr}");
    for expected in [
        "dependency cycle: function.a → function.b → function.a",
        "app.lam:9:16",
        "function.a names the url of function.b in its environment",
        "function.b names the url of function.a in its environment",
        "route the calls through an api",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    let build = lamc().arg("build").arg(&file).output().expect("run");
    assert_eq!(build.status.code(), Some(1));
    assert!(build.stdout.is_empty(), "no template is printed");
}
