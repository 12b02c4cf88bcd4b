//! Nested stacks at scale: the 1,000-function app of `examples/synth.rs` builds into a
//! root and children that are each within every limit and clean under cfn-lint, and adding
//! a function changes only the child it lands in.

use crate::tools;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The synthetic app with `n` functions, from the `synth` example (built next to the test
/// binaries by `cargo test`; run through cargo when it is not there).
fn synth(n: usize) -> String {
    let exe = std::env::current_exe().expect("test exe");
    let built = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("examples").join("synth"));
    let out = match built.filter(|p| p.is_file()) {
        Some(p) => Command::new(p).arg(n.to_string()).output(),
        None => Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["run", "--quiet", "--example", "synth", "--"])
            .arg(n.to_string())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output(),
    }
    .expect("run the synth example");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `lamc build` with `--stats`; returns (root template, stderr).
fn build(source: &str, dir: &Path) -> (Value, String) {
    let file = dir.join("app.lam");
    std::fs::write(&file, source).expect("write app");
    let root = dir.join("root.json");
    let out = Command::new(env!("CARGO_BIN_EXE_lamc"))
        .env("LAMC_TODAY", "2026-11-26")
        .arg("build")
        .arg(&file)
        .arg("--artifacts-dir")
        .arg(dir.join("artifacts"))
        .arg("-o")
        .arg(&root)
        .arg("--stats")
        .output()
        .expect("run lamc");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "lamc build failed:\n{stderr}");
    let text = std::fs::read_to_string(&root).expect("root template");
    (serde_json::from_str(&text).expect("json"), stderr)
}

/// Child stack logical ID → its template key (from the root's TemplateURL).
fn child_keys(root: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (id, r) in root["Resources"].as_object().expect("resources") {
        if r["Type"] == "AWS::CloudFormation::Stack" {
            let url = r["Properties"]["TemplateURL"]["Fn::Sub"]
                .as_str()
                .expect("TemplateURL is a Sub");
            assert!(
                url.starts_with("https://${ArtifactsBucket}.s3.${AWS::Region}.${AWS::URLSuffix}/"),
                "{url}"
            );
            let key = url.rsplit('/').next().expect("key").to_string();
            out.insert(id.clone(), key);
        }
    }
    out
}

fn count(doc: &Value, section: &str) -> usize {
    doc.get(section)
        .and_then(Value::as_object)
        .map_or(0, |m| m.len())
}

fn assert_within_limits(name: &str, doc: &Value, bytes: usize) {
    assert!(count(doc, "Resources") <= 500, "{name}: resources");
    assert!(count(doc, "Outputs") <= 200, "{name}: outputs");
    assert!(count(doc, "Parameters") <= 200, "{name}: parameters");
    assert!(bytes <= 1_000_000, "{name}: {bytes} bytes");
}

#[test]
fn a_thousand_functions_split_within_every_limit_and_pass_cfn_lint() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (root, stderr) = build(&synth(1000), tmp.path());
    let root_text = std::fs::read(tmp.path().join("root.json")).expect("root");
    assert_within_limits("root", &root, root_text.len());

    let keys = child_keys(&root);
    assert!(keys.len() >= 2, "expected several children, got {keys:?}");
    let mut files: Vec<PathBuf> = vec![tmp.path().join("root.json")];
    let mut functions = 0;
    for (id, key) in &keys {
        let path = tmp.path().join("artifacts").join(key);
        let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{key}: {e}"));
        let child: Value = serde_json::from_slice(&text).expect("child json");
        assert_within_limits(id, &child, text.len());
        functions += child["Resources"]
            .as_object()
            .expect("resources")
            .values()
            .filter(|r| r["Type"] == "AWS::Lambda::Function")
            .count();
        // The root passes exactly the parameters the child declares.
        let declared: BTreeSet<&String> = child["Parameters"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let passed: BTreeSet<&String> = root["Resources"][id]["Properties"]["Parameters"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(declared, passed, "{id}");
        files.push(path);
    }
    assert_eq!(functions, 1000, "every function lands in exactly one child");

    // --stats: one line per stack with its headroom.
    assert!(stderr.contains("root "), "{stderr}");
    for id in keys.keys() {
        assert!(
            stderr.contains(&format!("{id} ")),
            "{id} missing in:\n{stderr}"
        );
    }
    assert!(stderr.contains("resources in all"), "{stderr}");

    // One cfn-lint run over every template.
    let exe = tools::cfn_lint();
    let out = Command::new(&exe)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .args(["--format", "json", "--regions", "us-east-1", "--"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let report = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
}

#[test]
fn adding_a_function_changes_only_the_child_it_lands_in() {
    let before_src = synth(1000);
    // Insert a new function (and its queue) in the middle of the file.
    let at = before_src
        .find("queue jobs_500 ")
        .expect("the middle of the app");
    let new_fn = "queue jobs_new { visibility = 2m, dead_letter = queue.dead_letters }\n\n\
        function worker_new {\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(event, context):\n    return {}\n\"\"\")\n  on sqs queue.jobs_new\n  alarm errors >= 5 over 5m notify topic.oncall\n}\n\n";
    let after_src = format!("{}{new_fn}{}", &before_src[..at], &before_src[at..]);

    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    let (root_a, _) = build(&before_src, a.path());
    let (root_b, _) = build(&after_src, b.path());
    let keys_a = child_keys(&root_a);
    let keys_b = child_keys(&root_b);
    assert_eq!(
        keys_a.keys().collect::<Vec<_>>(),
        keys_b.keys().collect::<Vec<_>>(),
        "the set of children is the same"
    );
    let changed: Vec<&String> = keys_a
        .iter()
        .filter(|(id, key)| keys_b.get(*id) != Some(key))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(changed.len(), 1, "changed children: {changed:?}");
    let changed = changed[0];

    // The new function is in the changed child, and no function moved.
    let home = |dir: &Path, keys: &BTreeMap<String, String>| {
        let mut at = BTreeMap::new();
        for (id, key) in keys {
            let text = std::fs::read(dir.join("artifacts").join(key)).expect("child");
            let child: Value = serde_json::from_slice(&text).expect("json");
            for (rid, r) in child["Resources"].as_object().expect("resources") {
                if r["Type"] == "AWS::Lambda::Function" {
                    at.insert(rid.clone(), id.clone());
                }
            }
        }
        at
    };
    let home_a = home(a.path(), &keys_a);
    let mut home_b = home(b.path(), &keys_b);
    assert_eq!(
        home_b.remove("WorkerNewFunction").as_ref(),
        Some(changed),
        "the new function lands in the changed child"
    );
    assert_eq!(home_a, home_b, "no function moved");

    // The root differs only in the changed child's template URL.
    let mut root_b = root_b;
    root_b["Resources"][changed.as_str()]["Properties"]["TemplateURL"] =
        root_a["Resources"][changed.as_str()]["Properties"]["TemplateURL"].clone();
    assert_eq!(root_a, root_b);
}
