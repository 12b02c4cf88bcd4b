//! How a split app is wired: what stays in the root, what travels with its function, and
//! how values cross between stacks (parameters down, outputs up) without a cycle.

use crate::tools;

use std::fmt::Write;

use lamc::driver::{check_source, CheckOptions};
use lamc::driver::{plan, PlanOptions};
use lamc::plan::Stack;
use serde_json::{json, Value};

const INLINE: &str =
    "handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c):\n    return e\n\"\"\")";

/// An app with the interesting cases, plus `fillers` plain functions to push it over 500
/// resources.
fn source(fillers: usize) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"app wiring {{ description = "nested wiring" }}
defaults {{ runtime = python3.12 }}
param stage: string = "dev"
param layers: list = ["arn:aws:lambda:us-east-1:123456789012:layer:deps:1"]
topic oncall {{}}
bucket uploads {{}}
bucket inbox {{}}
bucket shared {{}}
queue own {{}}
api public {{}}

# Reads the bucket that notifies it: stays in the root (no stack cycle).
function reader {{
  {INLINE}
  allow "s3:GetObject" on bucket.uploads
  on s3 bucket.uploads
}}

# Reads the bucket too; the bucket is shared, so it stays in the root.
function auditor {{
  {INLINE}
  allow "s3:GetObject" on bucket.uploads
}}

# The only user of the bucket that notifies it: both move to a child together.
bucket solo {{}}
function solo_reader {{
  {INLINE}
  allow "s3:GetObject" on bucket.solo
  on s3 bucket.solo
}}

# Notified but never reads the bucket: may live in a child.
function notified {{
  {INLINE}
  on s3 bucket.inbox
}}

function user_a {{
  {INLINE}
  allow "s3:GetObject" on bucket.shared
  env {{ STAGE = param.stage }}
  layers = param.layers
  on http "GET /a" via api.public
}}

function user_b {{
  {INLINE}
  allow "s3:GetObject" on bucket.shared
  on http "GET /b" via api.public
}}

function owner {{
  {INLINE}
  on sqs queue.own
  concurrency {{ provisioned = 1..3 at 70% }}
}}

function caller {{
  {INLINE}
  async {{ on_success = function.callee }}
}}

function callee {{
  {INLINE}
}}

alarm callee_errors {{
  metric = function.callee.errors
  op = ">="
  threshold = 1
  notify = [topic.oncall]
}}

output notified_arn = function.notified.arn
"#
    );
    for i in 0..fillers {
        let _ = writeln!(s, "function filler_{i:03} {{\n  {INLINE}\n}}\n");
    }
    s
}

fn build(fillers: usize) -> Stack {
    let comp = check_source(
        "wiring.lam".into(),
        None,
        source(fillers),
        &CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")),
    );
    let errors: Vec<_> = comp.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let model = comp.model.expect("model");
    plan(&model, &PlanOptions::default()).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn doc(stack: &Stack) -> Value {
    lamc::emit::document(stack)
}

/// A child template as it is uploaded.
fn child_doc(c: &lamc::plan::ChildTemplate) -> Value {
    serde_json::from_slice(&c.bytes).expect("child template is JSON")
}

/// The child stack that holds `id`, if any.
fn child_with(root: &Stack, id: &str) -> Option<String> {
    root.children
        .iter()
        .find(|c| child_doc(c)["Resources"].get(id).is_some())
        .map(|c| c.logical_id.clone())
}

#[test]
fn small_apps_are_not_split() {
    let stack = build(0);
    assert!(stack.children.is_empty());
    assert!(!stack
        .resources
        .values()
        .any(|r| r.ty == "AWS::CloudFormation::Stack"));
    assert!(!stack.parameters.iter().any(|(p, _)| p == "ArtifactsBucket"));
}

#[test]
fn split_app_is_wired_across_stacks_and_passes_cfn_lint() {
    let root = build(170);
    let d = doc(&root);
    assert!(root.children.len() >= 2);

    // A function that reads a shared bucket that notifies it stays in the root with the
    // bucket: in a child it would need the bucket, which would wait for the child.
    assert!(root.resources.contains_key("ReaderFunction"));
    assert!(root.resources.contains_key("ReaderRole"));
    assert!(root.resources.contains_key("UploadsBucket"));
    assert!(child_with(&root, "ReaderFunction").is_none());
    // Another reader of that bucket lives in a child and gets the bucket as a parameter.
    let auditor = child_with(&root, "AuditorFunction").expect("auditor in a child");
    assert_eq!(
        d["Resources"][&auditor]["Properties"]["Parameters"]["UploadsBucketArn"],
        json!({"Fn::GetAtt": ["UploadsBucket", "Arn"]})
    );
    // A bucket whose only user is the function it notifies moves with that function.
    let solo = child_with(&root, "SoloReaderFunction").expect("solo_reader in a child");
    assert_eq!(child_with(&root, "SoloBucket").as_ref(), Some(&solo));

    // A function only notified by a bucket lives in a child; the bucket (root) gets its
    // ARN from the child's output, which makes it wait for the child (and so for the
    // permission there); a DependsOn on top would be redundant (cfn-lint W3005).
    let notified = child_with(&root, "NotifiedFunction").expect("notified is in a child");
    let inbox = &d["Resources"]["InboxBucket"];
    let config = &inbox["Properties"]["NotificationConfiguration"]["LambdaConfigurations"][0];
    assert_eq!(
        config["Function"],
        json!({"Fn::GetAtt": [notified, "Outputs.NotifiedFunctionArn"]})
    );
    assert_eq!(inbox["DependsOn"], Value::Null);
    // The permission travels with its function.
    assert_eq!(
        child_with(&root, "NotifiedInboxS3Permission").as_ref(),
        Some(&notified)
    );

    // A bucket two functions use stays in the root and is passed down as a parameter.
    assert!(root.resources.contains_key("SharedBucket"));
    let user_a = child_with(&root, "UserAFunction").expect("user_a in a child");
    assert_eq!(
        d["Resources"][&user_a]["Properties"]["Parameters"]["SharedBucketArn"],
        json!({"Fn::GetAtt": ["SharedBucket", "Arn"]})
    );
    // The user's parameter is passed to the child that uses it, under the same name.
    assert_eq!(
        d["Resources"][&user_a]["Properties"]["Parameters"]["Stage"],
        json!({"Ref": "Stage"})
    );
    // A list parameter is passed as text (a stack's parameters take text) and the child
    // declares it a list again, so that its `Ref` is the list (CFN-P1).
    assert_eq!(
        d["Resources"][&user_a]["Properties"]["Parameters"]["Layers"],
        json!({"Fn::Join": [",", {"Ref": "Layers"}]})
    );
    let child = root
        .children
        .iter()
        .find(|c| c.logical_id == user_a)
        .map(child_doc)
        .expect("user_a's child");
    assert_eq!(child["Parameters"]["Layers"]["Type"], "CommaDelimitedList");
    assert_eq!(
        child["Resources"]["UserAFunction"]["Properties"]["Layers"],
        json!({"Ref": "Layers"})
    );
    // The API stays in the root; each route, integration and permission with its function.
    assert!(root.resources.contains_key("PublicApi"));
    assert_eq!(child_with(&root, "UserAGetARoute").as_ref(), Some(&user_a));

    // A queue only one function uses moves with it, as do its alias, version and scaling.
    let owner = child_with(&root, "OwnerFunction").expect("owner in a child");
    for id in [
        "OwnQueue",
        "OwnerAlias",
        "OwnerScalableTarget",
        "OwnerScalingPolicy",
        "OwnerRole",
        "OwnerLogGroup",
    ] {
        assert_eq!(child_with(&root, id).as_ref(), Some(&owner), "{id}");
    }

    // Functions that refer to each other share a child.
    assert_eq!(
        child_with(&root, "CallerFunction"),
        child_with(&root, "CalleeFunction")
    );
    // A stack alarm names its function through the child's output.
    let callee = child_with(&root, "CalleeFunction").expect("callee in a child");
    let dims = &d["Resources"]["CalleeErrorsAlarm"]["Properties"]["Dimensions"][0]["Value"];
    assert_eq!(
        dims,
        &json!({"Fn::GetAtt": [callee, "Outputs.CalleeFunction"]})
    );
    // The user's output reads the child's output.
    assert_eq!(
        d["Outputs"]["NotifiedArn"]["Value"],
        json!({"Fn::GetAtt": [notified, "Outputs.NotifiedFunctionArn"]})
    );

    // Every template within the limits, and clean under cfn-lint (one run).
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut files = vec![tmp.path().join("root.json")];
    std::fs::write(&files[0], lamc::emit::json(&root)).expect("write");
    for c in &root.children {
        let usage = c.usage;
        assert!(usage.fits(), "{}: {usage:?}", c.logical_id);
        let d = child_doc(c);
        assert_eq!(usage.bytes, c.bytes.len());
        assert_eq!(
            usage.resources,
            d["Resources"].as_object().map_or(0, |r| r.len())
        );
        assert_eq!(
            usage.outputs,
            d["Outputs"].as_object().map_or(0, |o| o.len())
        );
        assert_eq!(
            usage.parameters,
            d["Parameters"].as_object().map_or(0, |p| p.len())
        );
        let path = tmp.path().join(&c.key);
        std::fs::write(&path, &c.bytes).expect("write");
        files.push(path);
    }
    assert!(lamc::plan::Usage::of(&root).fits());
    let exe = tools::cfn_lint();
    let out = std::process::Command::new(&exe)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .args(["--format", "json", "--regions", "us-east-1", "--"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let report = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(report, "[]", "cfn-lint findings:\n{report}");
}

#[test]
fn splitting_is_deterministic_and_writes_the_children() {
    let a = build(170);
    let b = build(170);
    assert_eq!(lamc::emit::json(&a), lamc::emit::json(&b));
    assert_eq!(a.children, b.children);
    for c in &a.children {
        assert!(c.key.starts_with(&format!("{}-", c.logical_id)));
        assert!(c.key.ends_with(".json"));
    }
}

#[test]
fn stats_go_to_stderr_and_leave_the_template_on_stdout() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("app.lam");
    std::fs::write(&file, source(0)).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lamc"))
        .env("LAMC_TODAY", "2026-11-26")
        .arg("build")
        .arg(&file)
        .arg("--stats")
        .arg("--artifacts-dir")
        .arg(tmp.path().join("artifacts"))
        .output()
        .expect("run lamc");
    assert!(out.status.success());
    let template: Value = serde_json::from_slice(&out.stdout).expect("stdout is the template");
    assert_eq!(template, doc(&build(0)));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let root_line = stderr
        .lines()
        .find(|l| l.starts_with("root "))
        .unwrap_or_else(|| panic!("no root line in:\n{stderr}"));
    let resources = build(0).resources.len();
    assert!(
        root_line.contains(&format!("{resources} ({})", 500 - resources)),
        "{root_line}"
    );
    assert!(stderr.contains("1 stack, "), "{stderr}");
}
