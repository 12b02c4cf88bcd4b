//! `name`, `retain`, `pitr`, `kms` and `tags` on resources (language.md §4 "Names,
//! retention, encryption and tags"): what the checker refuses (E0494–E0496, W0561) and
//! what the planner writes for them, the role permissions a customer managed key needs
//! included.

use crate::check_support::{check, expect_at, render, user_view, with_code};

use lamc::diag::Code;
use serde_json::{json, Value as J};

/// A complete, clean function body.
const OK_FN: &str = "runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")";

/// `decl` (line 1) used by a function, so that nothing else is reported.
fn program(decl: &str, usage: &str) -> String {
    format!(
        "param stage: string = \"dev\"\n{decl}\nfunction f {{\n  {OK_FN}\n  {usage}\n  description = \"${{param.stage}}\"\n}}\n"
    )
}

fn template(src: &str) -> J {
    let c = check(src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.as_ref().expect("a model");
    let stack = lamc::driver::plan(model, &lamc::driver::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    serde_json::from_str(&lamc::emit::json(&stack)).expect("JSON")
}

/// Every statement of the function `f`'s role.
fn statements(doc: &J) -> Vec<J> {
    doc["Resources"]["FRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .clone()
}

fn kms_statements(doc: &J) -> Vec<J> {
    statements(doc)
        .into_iter()
        .filter(|s| s["Action"].to_string().contains("kms:"))
        .collect()
}

#[test]
fn valid_names_of_every_kind_are_clean() {
    for (decl, usage) in [
        ("queue q { name = \"jobs_2-x\" }", "on sqs queue.q"),
        (
            "queue q { name = \"jobs.fifo\", fifo = true }",
            "on sqs queue.q",
        ),
        ("topic t { name = \"News_1\" }", "on sns topic.t"),
        ("bucket b { name = \"acme.reports-1\" }", "on s3 bucket.b"),
        (
            "bucket b { name = \"acme-${aws.account_id}-${aws.region}\" }",
            "on s3 bucket.b",
        ),
        (
            "table t { key = { id = string }, name = \"Orders.v2_x-y\", retain = true }",
            "allow \"dynamodb:GetItem\" on table.t",
        ),
        (
            "stream s { name = \"clicks.v2_x-y\", retain = true }",
            "on kinesis stream.s",
        ),
        (
            "queue q { name = \"${param.stage}-jobs\" }",
            "on sqs queue.q",
        ),
    ] {
        let c = check(&program(decl, usage));
        assert!(c.diagnostics.is_empty(), "{decl}: {}", render(&c));
    }
}

#[test]
fn e0494_names_each_service_refuses() {
    for (decl, usage, label) in [
        (
            "queue q { name = \"jobs.v2\" }",
            "on sqs queue.q",
            "`.` is not allowed",
        ),
        ("queue q { name = \"\" }", "on sqs queue.q", "0 characters"),
        (
            "topic t { name = \"news letter\" }",
            "on sns topic.t",
            "` ` is not allowed",
        ),
        (
            "bucket b { name = \"ab\" }",
            "on s3 bucket.b",
            "at least 3 are allowed",
        ),
        (
            "bucket b { name = \"Reports\" }",
            "on s3 bucket.b",
            "`R` is not allowed",
        ),
        (
            "bucket b { name = \"reports-\" }",
            "on s3 bucket.b",
            "begins and ends with a letter or digit",
        ),
        (
            "bucket b { name = \"xn--reports\" }",
            "on s3 bucket.b",
            "begins with `xn--`",
        ),
        (
            "bucket b { name = \"10.0.0.1\" }",
            "on s3 bucket.b",
            "IP address",
        ),
        (
            "bucket b { name = \"Acme-${aws.account_id}\" }",
            "on s3 bucket.b",
            "`A` is not allowed",
        ),
        (
            "table t { key = { id = string }, name = \"ab\", retain = true }",
            "allow \"dynamodb:GetItem\" on table.t",
            "at least 3",
        ),
        (
            "stream s { name = \"clicks/v2\", retain = true }",
            "on kinesis stream.s",
            "`/` is not allowed",
        ),
    ] {
        let c = check(&program(decl, usage));
        assert_eq!(c.diagnostics.len(), 1, "{decl}: {}", render(&c));
        expect_at(&c, Code::E0494, 2);
        let text = user_view(&c.diagnostics, &c.sources);
        assert!(text.contains(label), "{decl}: {text}");
    }
}

#[test]
fn e0494_offers_the_nearest_valid_name_and_the_fix_compiles() {
    let src = program("bucket b { name = \"Acme_Reports\" }", "on s3 bucket.b");
    let c = check(&src);
    let d = expect_at(&c, Code::E0494, 2);
    let fix = &d.fixes[0];
    assert_eq!(fix.replacement, "\"acme-reports\"");
    let fixed = format!(
        "{}{}{}",
        &src[..fix.span.start],
        fix.replacement,
        &src[fix.span.end..]
    );
    assert!(check(&fixed).diagnostics.is_empty());
}

#[test]
fn e0494_counts_known_characters_of_deploy_time_names() {
    let long = "x".repeat(80);
    let c = check(&program(
        &format!("queue q {{ name = \"{long}-${{param.stage}}\" }}"),
        "on sqs queue.q",
    ));
    let d = expect_at(&c, Code::E0494, 2);
    assert!(d.primary.message.contains("at least 81"), "{}", render(&c));
}

#[test]
fn e0495_fifo_suffix_must_match_fifo() {
    let c = check(&program(
        "queue q { name = \"jobs\", fifo = true }",
        "on sqs queue.q",
    ));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::E0495, 2);
    assert_eq!(d.fixes[0].replacement, "\"jobs.fifo\"");
    let c = check(&program(
        "topic t { name = \"news.fifo\" }",
        "on sns topic.t",
    ));
    assert_eq!(
        c.diagnostics.len(),
        1,
        "one report, not also E0494: {}",
        render(&c)
    );
    expect_at(&c, Code::E0495, 2);
    // A name whose end is deploy-time is not judged.
    let c = check(&program(
        "queue q { name = \"jobs-${param.stage}\", fifo = true }",
        "on sqs queue.q",
    ));
    assert!(with_code(&c, Code::E0495).is_empty(), "{}", render(&c));
}

#[test]
fn e0496_key_references_of_the_wrong_shape() {
    for good in [
        "alias/inbox",
        "alias/aws/sqs",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-1:123456789012:alias/inbox",
        "arn:aws:kms:${aws.region}:${aws.account_id}:alias/inbox",
        "${param.stage}",
    ] {
        let c = check(&program(
            &format!("queue q {{ kms = \"{good}\" }}"),
            "on sqs queue.q",
        ));
        assert!(c.diagnostics.is_empty(), "{good}: {}", render(&c));
    }
    for bad in [
        "inbox",
        "alias/",
        "arn:aws:sqs:us-east-1:123456789012:inbox",
        "arn:aws:sqs:${aws.region}:${param.stage}:inbox",
        "arn:aws:kms:us-east-1:123456789012:inbox",
    ] {
        let c = check(&program(
            &format!("queue q {{ kms = \"{bad}\" }}"),
            "on sqs queue.q",
        ));
        assert_eq!(c.diagnostics.len(), 1, "{bad}: {}", render(&c));
        expect_at(&c, Code::E0496, 2);
    }
}

#[test]
fn w0561_named_tables_and_streams_without_retain() {
    let table = "table t { key = { id = string }, name = \"orders\"";
    let use_table = "allow \"dynamodb:GetItem\" on table.t";
    let c = check(&program(&format!("{table} }}"), use_table));
    let d = expect_at(&c, Code::W0561, 2);
    assert!(
        render(&c).contains("renaming table `t` would delete its items"),
        "{d:?}"
    );
    let c = check(&program(
        "stream s { name = \"clicks\" }",
        "on kinesis stream.s",
    ));
    expect_at(&c, Code::W0561, 2);
    // `retain` either way is a decision; queues, topics and buckets are not reported.
    for (decl, usage) in [
        (format!("{table}, retain = true }}"), use_table),
        (format!("{table}, retain = false }}"), use_table),
        ("queue q { name = \"jobs\" }".into(), "on sqs queue.q"),
        ("bucket b { name = \"acme-jobs\" }".into(), "on s3 bucket.b"),
        ("topic t { name = \"jobs\" }".into(), "on sns topic.t"),
    ] {
        let c = check(&program(&decl, usage));
        assert!(c.diagnostics.is_empty(), "{decl}: {}", render(&c));
    }
}

#[test]
fn options_only_where_their_kind_takes_them() {
    for (decl, usage) in [
        ("queue q { pitr = true }", "on sqs queue.q"),
        ("bucket b { kms = \"alias/x\" }", "on s3 bucket.b"),
        (
            "api a { name = \"x\", public = true }",
            "on http \"GET /\" via api.a",
        ),
    ] {
        let c = check(&program(decl, usage));
        assert_eq!(c.diagnostics.len(), 1, "{decl}: {}", render(&c));
        expect_at(&c, Code::E0103, 2);
    }
}

#[test]
fn names_keys_retention_and_recovery_reach_the_template() {
    let doc = template(&program(
        "queue q { name = \"jobs\", kms = \"alias/jobs\", retain = true }\n\
         table t { key = { id = string }, name = \"orders\", pitr = true, kms = \"alias/orders\", retain = true }",
        "on sqs queue.q\n  allow \"dynamodb:PutItem\" on table.t\n  env { QUEUE = queue.q.name }",
    ));
    let q = &doc["Resources"]["QQueue"];
    assert_eq!(q["DeletionPolicy"], "Retain");
    assert_eq!(q["UpdateReplacePolicy"], "Retain");
    assert_eq!(q["Properties"]["QueueName"], "jobs");
    assert_eq!(q["Properties"]["KmsMasterKeyId"], "alias/jobs");
    // SQS-KMS: SSE-SQS and a KMS key exclude each other.
    assert!(q["Properties"].get("SqsManagedSseEnabled").is_none());
    let t = &doc["Resources"]["TTable"]["Properties"];
    assert_eq!(t["TableName"], "orders");
    assert_eq!(
        t["PointInTimeRecoverySpecification"],
        json!({ "PointInTimeRecoveryEnabled": true })
    );
    assert_eq!(
        t["SSESpecification"],
        json!({ "SSEEnabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/orders" })
    );
    // A name written as text is the value of `queue.q.name`, with no reference.
    let env = &doc["Resources"]["FFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["QUEUE"], "jobs");
}

#[test]
fn a_reader_gets_decrypt_and_a_writer_also_generate_data_key() {
    let doc = template(&program(
        "queue inbox { kms = \"alias/inbox\" }\n\
         queue out { kms = \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\" }\n\
         queue managed { kms = \"alias/aws/sqs\" }",
        "on sqs queue.inbox\n  allow \"sqs:SendMessage\" on queue.out\n  allow \"sqs:SendMessage\" on queue.managed",
    ));
    let mut kms = kms_statements(&doc);
    assert_eq!(kms.len(), 2, "{kms:#?}");
    // The reader's statement first.
    kms.sort_by_key(|s| s["Action"].is_array());
    assert_eq!(kms[0]["Action"], "kms:Decrypt");
    assert_eq!(
        kms[0]["Condition"],
        json!({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/inbox" } })
    );
    assert_eq!(
        kms[0]["Resource"],
        json!({ "Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*" })
    );
    assert_eq!(
        kms[1]["Action"],
        json!(["kms:Decrypt", "kms:GenerateDataKey"])
    );
    assert_eq!(
        kms[1]["Resource"],
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    );
    assert!(kms[1].get("Condition").is_none());
}

#[test]
fn resource_tags_are_merged_over_the_apps() {
    let doc = template(&format!(
        "app shop {{ tags = {{ team = \"platform\", cost = \"shared\" }} }}\n{}",
        program(
            "queue q { tags = { team = \"jobs\", owner = \"${param.stage}\" } }\napi a { public = true, tags = { team = \"web\" } }",
            "on sqs queue.q\n  on http \"GET /\" via api.a",
        )
    ));
    assert_eq!(
        doc["Resources"]["QQueue"]["Properties"]["Tags"],
        json!([
            { "Key": "cost", "Value": "shared" },
            { "Key": "owner", "Value": { "Ref": "Stage" } },
            { "Key": "team", "Value": "jobs" }
        ])
    );
    assert_eq!(
        doc["Resources"]["AApi"]["Properties"]["Tags"],
        json!({ "cost": "shared", "team": "web" })
    );
    // Other resources keep the app's tags alone.
    assert_eq!(
        doc["Resources"]["FRole"]["Properties"]["Tags"],
        json!([{ "Key": "cost", "Value": "shared" }, { "Key": "team", "Value": "platform" }])
    );
}

#[test]
fn a_named_bucket_on_a_cycle_keeps_its_name() {
    // The function names the ARN of the bucket that notifies it: lamc must know the
    // bucket's name in advance, and the program's name is that name.
    let doc = template(&program(
        "bucket b { name = \"acme-uploads\" }",
        "on s3 bucket.b\n  env { BUCKET = bucket.b.arn }",
    ));
    assert_eq!(
        doc["Resources"]["BBucket"]["Properties"]["BucketName"],
        "acme-uploads"
    );
    let env = &doc["Resources"]["FFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["BUCKET"],
        json!({ "Fn::Sub": "arn:${AWS::Partition}:s3:::acme-uploads" })
    );
}

#[test]
fn e0310_reserved_tag_prefix_on_app_function_and_resource_tags() {
    for (decl, usage) in [
        (
            "queue q { tags = { \"aws:team\" = \"x\" } }",
            "on sqs queue.q",
        ),
        (
            "queue q { tags = { \"AWS:team\" = \"x\" } }",
            "on sqs queue.q",
        ),
        (
            "app shop { tags = { \"aws:team\" = \"x\" } }",
            "tags = { team = \"x\" }",
        ),
    ] {
        let c = check(&program(decl, usage));
        assert_eq!(c.diagnostics.len(), 1, "{decl}: {}", render(&c));
        expect_at(&c, Code::E0310, 2);
    }
    let c = check(&program(
        "queue q {}",
        "on sqs queue.q\n  tags = { \"aws:x\" = \"y\" }",
    ));
    expect_at(&c, Code::E0310, 8);
    // `aws` alone, or inside a key, is the user's.
    let c = check(&program(
        "queue q { tags = { aws = \"x\", \"team:aws:y\" = \"z\" } }",
        "on sqs queue.q",
    ));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}

#[test]
fn e0311_one_name_for_two_resources_of_one_kind() {
    let c = check(&program(
        "queue a { name = \"jobs\" }\nqueue b { name = \"jobs\" }\ntopic t { name = \"jobs\" }",
        "on sqs queue.a\n  on sqs queue.b\n  on sns topic.t",
    ));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::E0311, 3);
    assert_eq!(d.secondary.len(), 1);
}

#[test]
fn w0562_alarms_cannot_publish_to_a_topic_under_the_sns_managed_key() {
    let alarm = "alarm errors >= 1 over 5m notify topic.t";
    let c = check(&program("topic t { kms = \"alias/aws/sns\" }", alarm));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    expect_at(&c, Code::W0562, 7);
    let c = check(&program("topic t { kms = \"alias/oncall\" }", alarm));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}
