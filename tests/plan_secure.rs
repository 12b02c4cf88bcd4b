//! Secure by default: what every template gets without asking (docs/language.md §9):
//! buckets block public access, streams and queues are encrypted at rest, log groups keep
//! events for 30 days unless `log_retention` says otherwise (`never`: forever).

use crate::check_support::check;

use serde_json::{json, Value as J};

/// A complete, clean function body.
const OK_FN: &str = "runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")";

fn template(src: &str) -> J {
    let c = check(src);
    assert!(
        c.diagnostics.is_empty(),
        "{}",
        crate::check_support::render(&c)
    );
    let model = c.model.as_ref().expect("a model");
    let stack = lamc::plan::plan(model, &lamc::plan::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    serde_json::from_str(&lamc::emit::json(&stack)).expect("JSON")
}

fn of_type<'a>(doc: &'a J, ty: &str) -> Vec<(&'a String, &'a J)> {
    doc["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .map(|(id, r)| (id, &r["Properties"]))
        .collect()
}

#[test]
fn buckets_streams_and_queues_are_locked_down_without_asking() {
    let doc = template(&format!(
        "bucket plain {{}}\nbucket kept {{ versioning = true, expire = 30d }}\n\
         stream clicks {{ shards = 2 }}\nstream flows {{ on_demand = true }}\n\
         queue jobs {{}}\nqueue ordered {{ fifo = true }}\n\
         function f {{\n  {OK_FN}\n  on s3 bucket.plain\n  on s3 bucket.kept\n  \
         on kinesis stream.clicks\n  on kinesis stream.flows\n  on sqs queue.jobs\n  on sqs queue.ordered\n}}\n"
    ));
    let buckets = of_type(&doc, "AWS::S3::Bucket");
    assert_eq!(buckets.len(), 2);
    for (id, p) in buckets {
        assert_eq!(
            p["PublicAccessBlockConfiguration"],
            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}),
            "{id}"
        );
    }
    let streams = of_type(&doc, "AWS::Kinesis::Stream");
    assert_eq!(streams.len(), 2);
    for (id, p) in streams {
        assert_eq!(
            p["StreamEncryption"],
            json!({"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"}),
            "{id}"
        );
    }
    let queues = of_type(&doc, "AWS::SQS::Queue");
    assert_eq!(queues.len(), 2);
    for (id, p) in queues {
        assert_eq!(p["SqsManagedSseEnabled"], json!(true), "{id}");
    }
}

#[test]
fn log_groups_keep_30_days_unless_told_otherwise() {
    let doc = template(&format!(
        "function plain {{\n  {OK_FN}\n}}\n\
         function short {{\n  {OK_FN}\n  log_retention = 7d\n}}\n\
         function forever {{\n  {OK_FN}\n  log_retention = never\n}}\n"
    ));
    let retention = |id: &str| doc["Resources"][id]["Properties"].get("RetentionInDays");
    assert_eq!(retention("PlainLogGroup"), Some(&json!(30)));
    assert_eq!(retention("ShortLogGroup"), Some(&json!(7)));
    assert_eq!(retention("ForeverLogGroup"), None);
}

#[test]
fn never_set_in_defaults_is_overridden_by_a_function() {
    let doc = template(&format!(
        "defaults {{\n  log_retention = never\n}}\n\
         function inherits {{\n  {OK_FN}\n}}\n\
         function own {{\n  {OK_FN}\n  log_retention = 14d\n}}\n"
    ));
    let retention = |id: &str| doc["Resources"][id]["Properties"].get("RetentionInDays");
    assert_eq!(retention("InheritsLogGroup"), None);
    assert_eq!(retention("OwnLogGroup"), Some(&json!(14)));
}

#[test]
fn an_unknown_retention_word_suggests_never() {
    let c = check(&format!(
        "function f {{\n  {OK_FN}\n  log_retention = nevr\n}}\n"
    ));
    let d = crate::check_support::expect_at(&c, lamc::diag::Code::E0302, 5);
    assert_eq!(d.message, "unknown log_retention `nevr`");
    assert_eq!(d.fixes[0].replacement, "never");
}

#[test]
fn a_secret_parameter_stays_masked_in_the_nested_stack_that_imports_it() {
    use std::fmt::Write;
    let mut src = String::from("param token: string { secret = true }\n");
    let _ = write!(
        src,
        "function user {{\n  {OK_FN}\n  env {{ TOKEN = param.token }}\n}}\n"
    );
    // Enough functions to go past 500 resources, so that the stack is split.
    for i in 0..170 {
        let _ = write!(src, "function filler_{i:03} {{\n  {OK_FN}\n}}\n");
    }
    let c = check(&src);
    assert!(!c.has_errors(), "{}", crate::check_support::render(&c));
    let model = c.model.as_ref().expect("a model");
    let stack = lamc::plan::plan(model, &lamc::plan::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    let root: J = serde_json::from_str(&lamc::emit::json(&stack)).expect("JSON");
    assert_eq!(root["Parameters"]["Token"]["NoEcho"], json!(true));
    let child = stack
        .children
        .iter()
        .map(|c| serde_json::from_slice::<J>(&c.bytes).expect("child JSON"))
        .find(|d| d["Resources"].get("UserFunction").is_some())
        .expect("the function moved to a child stack");
    assert_eq!(child["Parameters"]["Token"]["NoEcho"], json!(true));
    assert!(child["Parameters"]
        .as_object()
        .expect("parameters")
        .iter()
        .filter(|(id, _)| *id != "Token")
        .all(|(_, p)| p.get("NoEcho").is_none()));
}
