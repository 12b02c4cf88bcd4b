//! The placement of functions in nested stacks is remembered (`app.lam.placement`): an app
//! grown from 1,000 to 1,500 functions and shrunk back, built in the same folder each time,
//! never moves a function to another stack; every template stays within every limit and
//! passes cfn-lint. Without the file (or with `--rebalance`) the same growth moves dozens.

use crate::synth;
use crate::tools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// `lamc build app.lam --stats` in `dir`, with `source` as the app; extra flags after.
fn build(dir: &Path, source: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("app.lam"), source).expect("write app");
    Command::new(env!("CARGO_BIN_EXE_lamc"))
        .env("LAMC_TODAY", "2026-11-26")
        .current_dir(dir)
        .args([
            "build",
            "app.lam",
            "--artifacts-dir",
            "artifacts",
            "-o",
            "root.json",
            "--stats",
        ])
        .args(extra)
        .output()
        .expect("run lamc")
}

fn build_ok(dir: &Path, source: &str, extra: &[&str]) -> String {
    let out = build(dir, source, extra);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "lamc build failed:\n{stderr}");
    stderr
}

/// The templates of the build in `dir`: (file, JSON) for the root and each child.
fn templates(dir: &Path) -> Vec<(PathBuf, Value)> {
    let root_path = dir.join("root.json");
    let root: Value =
        serde_json::from_slice(&std::fs::read(&root_path).expect("root")).expect("json");
    let mut out = vec![(root_path, root.clone())];
    for r in root["Resources"].as_object().expect("resources").values() {
        if r["Type"] == "AWS::CloudFormation::Stack" {
            let url = r["Properties"]["TemplateURL"]["Fn::Sub"]
                .as_str()
                .expect("url");
            let key = url.rsplit('/').next().expect("key");
            let path = dir.join("artifacts").join(key);
            let child =
                serde_json::from_slice(&std::fs::read(&path).expect("child")).expect("json");
            out.push((path, child));
        }
    }
    out
}

/// Function logical ID → the stack it is in (`root` or the nested stack's logical ID).
fn homes(dir: &Path) -> BTreeMap<String, String> {
    let all = templates(dir);
    let mut out = BTreeMap::new();
    for (id, r) in all[0].1["Resources"].as_object().expect("resources") {
        if r["Type"] == "AWS::Lambda::Function" {
            out.insert(id.clone(), "root".to_string());
        }
    }
    let root = &all[0].1;
    for (path, child) in &all[1..] {
        let stack = root["Resources"]
            .as_object()
            .expect("resources")
            .iter()
            .find(|(_, r)| {
                r["Properties"]["TemplateURL"]["Fn::Sub"]
                    .as_str()
                    .is_some_and(|u| {
                        u.ends_with(&*path.file_name().expect("name").to_string_lossy())
                    })
            })
            .map(|(id, _)| id.clone())
            .expect("the child's stack");
        for (id, r) in child["Resources"].as_object().expect("resources") {
            if r["Type"] == "AWS::Lambda::Function" {
                out.insert(id.clone(), stack.clone());
            }
        }
    }
    out
}

fn count(doc: &Value, section: &str) -> usize {
    doc.get(section)
        .and_then(Value::as_object)
        .map_or(0, |m| m.len())
}

fn assert_within_limits(dir: &Path) {
    for (path, doc) in templates(dir) {
        let bytes = std::fs::metadata(&path).expect("size").len();
        let name = path.display();
        assert!(count(&doc, "Resources") <= 500, "{name}: resources");
        assert!(count(&doc, "Outputs") <= 200, "{name}: outputs");
        assert!(count(&doc, "Parameters") <= 200, "{name}: parameters");
        assert!(bytes <= 1_000_000, "{name}: {bytes} bytes");
    }
}

/// The bytes of every template of the build in `dir`, the root first.
fn texts(dir: &Path) -> Vec<Vec<u8>> {
    templates(dir)
        .into_iter()
        .map(|(p, _)| std::fs::read(p).expect("template"))
        .collect()
}

/// Functions in both placements whose stack differs.
fn moved(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    after
        .iter()
        .filter(|(f, s)| before.get(*f).is_some_and(|b| b != *s))
        .map(|(f, _)| f.clone())
        .collect()
}

/// The file's lines, as function name → stack.
fn placement_file(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(dir.join("app.lam.placement"))
        .expect("placement file")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (f, s) = l.split_once(" = ").expect("function = stack");
            (f.to_string(), s.to_string())
        })
        .collect()
}

/// Copy the root template of the build in `dir` and its `fullest` children (by resources)
/// to `to`, for one cfn-lint run at the end.
fn keep_for_lint(dir: &Path, to: &Path, fullest: usize, files: &mut Vec<PathBuf>) {
    std::fs::create_dir_all(to).expect("lint dir");
    let mut all = templates(dir);
    let root = all.remove(0);
    all.sort_by_key(|(p, doc)| (std::cmp::Reverse(count(doc, "Resources")), p.clone()));
    for (path, _) in std::iter::once(root).chain(all.into_iter().take(fullest)) {
        let copy = to.join(path.file_name().expect("name"));
        std::fs::copy(&path, &copy).expect("copy template");
        files.push(copy);
    }
}

#[test]
fn growing_to_1500_functions_and_back_moves_no_function() {
    let sizes = [1000, 1001, 1050, 1100, 1500, 1100, 1050, 1001, 1000];
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("app");
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::create_dir_all(&fresh).expect("dir");
    let mut lint = Vec::new();
    let mut before: Option<BTreeMap<String, String>> = None;
    let mut before_fresh: Option<BTreeMap<String, String>> = None;
    let mut moved_fresh = Vec::new();
    let mut first = Vec::new();
    for (step, n) in sizes.into_iter().enumerate() {
        let source = synth::generate(n, false);
        let stderr = build_ok(&dir, &source, &[]);
        assert!(!stderr.contains("moving to another stack"), "{n}: {stderr}");
        let now = homes(&dir);
        assert_eq!(now.len(), n, "every function is in the templates");
        assert_within_limits(&dir);
        if let Some(b) = &before {
            assert_eq!(
                moved(b, &now),
                Vec::<String>::new(),
                "growing to {n} moved functions"
            );
        }
        // The file says what the templates do.
        let file = placement_file(&dir);
        assert_eq!(file.len(), n);
        for (f, stack) in &file {
            let i: usize = f
                .strip_prefix("worker_")
                .expect("synth name")
                .parse()
                .expect("index");
            assert_eq!(now.get(&format!("Worker{i}Function")), Some(stack), "{f}");
        }
        if n == 1500 {
            keep_for_lint(&dir, &tmp.path().join("lint-1500"), 4, &mut lint);
        }
        if step == 0 {
            first = texts(&dir);
        }
        before = Some(now);

        // The first steps again without the file: the stateless placement of earlier
        // versions (the figures of all steps are in docs/nested-stacks.md).
        if n > 1050 || step > 2 {
            continue;
        }
        std::fs::remove_file(fresh.join("app.lam.placement")).ok();
        build_ok(&fresh, &source, &[]);
        let now = homes(&fresh);
        if let Some(b) = &before_fresh {
            moved_fresh.push((step, n, moved(b, &now).len()));
        }
        before_fresh = Some(now);
    }
    // Back at 1,000 functions, every child holds what it held at first: the same bytes.
    assert!(
        texts(&dir) == first,
        "the templates at 1,000 differ from the first build's"
    );
    // Proof that the test can fail: without the file, growing to 1,050 moves dozens.
    assert!(
        moved_fresh
            .iter()
            .any(|(_, n, moved)| *n == 1050 && *moved > 20),
        "{moved_fresh:?}"
    );

    // One cfn-lint run, on the largest state: its root and its four fullest children, at
    // the fill line. Linting all nine states would take a quarter of an hour (cfn-lint
    // needs about 9 s per 100 functions), and every child is made by the same code from
    // the same kinds of functions. Every state is checked against the limits above, and
    // the final state is byte for byte the first, the placement nested_scale.rs lints
    // in full.
    let exe = tools::cfn_lint();
    let out = Command::new(&exe)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .args(["--format", "json", "--regions", "us-east-1", "--"])
        .args(&lint)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let report = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
}

/// A 100-function app: split into a few children, fast to build.
fn small(n: usize) -> String {
    synth::generate(n, false)
}

#[test]
fn two_builds_write_the_same_placement_and_templates() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    build_ok(a.path(), &small(100), &[]);
    build_ok(b.path(), &small(100), &[]);
    let file_a = std::fs::read(a.path().join("app.lam.placement")).expect("file a");
    assert_eq!(
        file_a,
        std::fs::read(b.path().join("app.lam.placement")).expect("file b")
    );
    // Grow both from the same file: the same bytes again, templates included.
    let stderr = build_ok(a.path(), &small(130), &[]);
    assert!(!stderr.contains("wrote app.lam.placement"), "{stderr}");
    build_ok(b.path(), &small(130), &[]);
    for dir in [a.path(), b.path()] {
        assert_eq!(placement_file(dir).len(), 130);
    }
    assert_eq!(
        std::fs::read(a.path().join("app.lam.placement")).expect("file a"),
        std::fs::read(b.path().join("app.lam.placement")).expect("file b")
    );
    assert!(texts(a.path()) == texts(b.path()), "the templates differ");
}

#[test]
fn rebalance_names_the_functions_it_moves() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    build_ok(dir, &small(100), &[]);
    build_ok(dir, &small(130), &[]);
    let grown = homes(dir);
    let stderr = build_ok(dir, &small(130), &["--rebalance"]);
    let moved_now = moved(&grown, &homes(dir));
    assert!(
        !moved_now.is_empty(),
        "a fresh placement of 130 differs from the grown one"
    );
    assert!(
        stderr.contains(&format!(
            "{} moving to another stack",
            if moved_now.len() == 1 {
                "1 function".to_string()
            } else {
                format!("{} functions", moved_now.len())
            }
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("because `--rebalance` places every function afresh"),
        "{stderr}"
    );
    assert!(stderr.contains("gets a new name and ARN"), "{stderr}");
    assert!(
        stderr.contains("messages waiting in it are lost"),
        "{stderr}"
    );
    // The file now holds the new placement: building again moves nothing.
    let stderr = build_ok(dir, &small(130), &[]);
    assert!(!stderr.contains("moving"), "{stderr}");
}

#[test]
fn a_child_over_a_limit_gives_up_functions_and_says_which() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    // A hand-made placement that puts all 100 functions in one nested stack: some 650
    // resources, over CFN-01's 500.
    let mut text = String::new();
    for i in 0..100 {
        text.push_str(&format!("worker_{i} = NestedStack1\n"));
    }
    std::fs::write(dir.join("app.lam.placement"), &text).expect("placement");
    let stderr = build_ok(dir, &small(100), &[]);
    assert!(
        stderr.contains("because NestedStack1 would hold"),
        "{stderr}"
    );
    assert!(stderr.contains("cloudformation allows 500"), "{stderr}");
    assert_within_limits(dir);
    let now = homes(dir);
    let stayed = now.values().filter(|s| *s == "NestedStack1").count();
    let moves = stderr
        .lines()
        .filter(|l| l.contains(": NestedStack1 -> "))
        .count();
    assert_eq!(stayed + moves, 100, "{stderr}");
    assert!(stayed > 50, "most functions stay: {stayed}");
    // Without --stats the build names them in one line.
    std::fs::write(dir.join("app.lam.placement"), &text).expect("placement");
    let out = Command::new(env!("CARGO_BIN_EXE_lamc"))
        .current_dir(dir)
        .args([
            "build",
            "app.lam",
            "--artifacts-dir",
            "artifacts",
            "-o",
            "root.json",
        ])
        .output()
        .expect("run lamc");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: {moves} functions moving to another stack"
        )),
        "{stderr}"
    );
}

#[test]
fn functions_that_come_to_refer_to_each_other_share_a_stack_and_the_move_is_named() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let source = small(100);
    build_ok(dir, &source, &[]);
    let file = placement_file(dir);
    let (a, a_stack) = file
        .iter()
        .next()
        .map(|(f, s)| (f.clone(), s.clone()))
        .expect("a function");
    let (b, b_stack) = file
        .iter()
        .find(|(_, s)| **s != a_stack)
        .map(|(f, s)| (f.clone(), s.clone()))
        .expect("a function in another stack");
    // `a` now sends its results to `b`.
    let needle = format!("function {a} {{\n");
    let changed = source.replacen(
        &needle,
        &format!("{needle}  async {{ on_success = function.{b} }}\n"),
        1,
    );
    assert_ne!(changed, source);
    let stderr = build_ok(dir, &changed, &[]);
    let file = placement_file(dir);
    assert_eq!(file.get(&a), file.get(&b), "they share a stack");
    // The unit goes where its first function was (a tie); the other one moves.
    let line = format!("{b}: {b_stack} -> {a_stack}, because it now shares a stack with `{a}`");
    assert!(stderr.contains(&line), "{line}\n{stderr}");
}

#[test]
fn an_unreadable_placement_line_is_an_error_at_that_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::write(
        dir.join("app.lam.placement"),
        "worker_0 = NestedStack1\nworker_1 = Stack2\n",
    )
    .expect("placement");
    let out = build(dir, &small(100), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("E0441"), "{stderr}");
    assert!(
        stderr.contains("`Stack2` is not a stack of this app"),
        "{stderr}"
    );
    assert!(stderr.contains("app.lam.placement:2:1"), "{stderr}");
    assert!(!dir.join("root.json").exists(), "nothing is written");
}

#[test]
fn a_child_over_the_byte_limit_gives_up_functions_until_it_fits() {
    // 60 functions with 20 KB of inline code each: some 1.2 MB, over CFN-06's 1,000,000
    // bytes, in fewer than 500 resources. The placement puts them all in one child, which
    // is found over the limit only once written: the split tries again with less in it.
    let code = format!(
        "def handler(event, context):\n    return {{}}\n{}",
        "#\n".repeat(10_000)
    );
    let mut source =
        String::from("defaults {\n  runtime = python3.12\n  handler = \"index.handler\"\n}\n\n");
    let mut placement = String::new();
    for i in 0..60 {
        source.push_str(&format!(
            "function big_{i} {{\n  code = inline(\"\"\"{code}\"\"\")\n  env {{ INDEX = \"{i}\" }}\n}}\n\n"
        ));
        placement.push_str(&format!("big_{i} = NestedStack1\n"));
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::write(dir.join("app.lam.placement"), &placement).expect("placement");
    let stderr = build_ok(dir, &source, &[]);
    assert!(
        stderr.contains("because the NestedStack1 template is ")
            && stderr.contains("cloudformation allows 1000000"),
        "{stderr}"
    );
    assert_within_limits(dir);
    let file = placement_file(dir);
    let stayed = file.values().filter(|s| *s == "NestedStack1").count();
    let moves = stderr
        .lines()
        .filter(|l| l.contains(": NestedStack1 -> "))
        .count();
    assert_eq!(stayed + moves, 60, "{stderr}");
    // The child keeps what fits with a tenth to spare: 29 of the 32 that would fit.
    assert!(
        stayed >= 25,
        "about half the functions stay: {stayed}\n{stderr}"
    );
}
