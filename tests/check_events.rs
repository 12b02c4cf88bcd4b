//! Event rules on buses, event patterns and Lambda event filters (issue 14 §2 and `filter`
//! of §3): each code on its line with its words, and the CloudFormation they become.

use crate::check_support::*;
use lamc::diag::Code;
use lamc::driver::Compilation;

/// A complete function body (three lines) that reports nothing.
const FN: &str = "runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")";

/// A function (its trigger on line 6) after `decls` (one line).
fn program(decls: &str, trigger: &str) -> String {
    format!("{decls}\nfunction f {{\n  {FN}\n  {trigger}\n}}\n")
}

/// The one diagnostic of `src`: `code` on `line`; its text as `lamc check` prints it.
#[track_caller]
fn only(src: &str, code: Code, line: usize) -> (Compilation, String) {
    let c = check(src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    expect_at(&c, code, line);
    let text = user_view(&c.diagnostics, &c.sources);
    (c, text)
}

/// The template of a program that checks cleanly.
fn template(src: &str) -> serde_json::Value {
    let c = check(src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.expect("a model");
    let stack =
        lamc::driver::plan(&model, &lamc::driver::PlanOptions::default()).expect("the plan builds");
    serde_json::from_str(&lamc::emit::json(&stack)).expect("JSON")
}

fn rule(pattern: &str) -> String {
    program("", &format!("on event {{ pattern = {pattern} }}"))
}

fn sqs_filter(filter: &str) -> String {
    program(
        "queue q {}",
        &format!("on sqs queue.q {{ filter = {filter} }}"),
    )
}

#[test]
fn pattern_problems_have_their_codes_and_words() {
    let cases: &[(String, Code, &[&str])] = &[
        (
            rule(r#"{ source = ["aws.ec2"], detailType = ["x"] }"#),
            Code::E0107,
            &[
                "events have no top-level field `detailType`",
                "did you mean `detail-type`?",
            ],
        ),
        (
            rule(r#"{ source = "aws.ec2" }"#),
            Code::E0304,
            &[
                "`source` must be a list of values or filters",
                "put it in a list",
            ],
        ),
        (
            rule(r#"{ source = [{ sufix = ".ec2" }] }"#),
            Code::E0305,
            &["unknown content filter `sufix`", "did you mean `suffix`?"],
        ),
        (
            rule(r#"{ source = ["a"], detail = { n = [{ numeric = ["=", 5, "<", 10] }] } }"#),
            Code::E0306,
            &["malformed numeric filter", "`=` with another comparison"],
        ),
        (
            rule(r#"{ source = ["a"], detail = { ip = [{ cidr = "10.0.0.0/40" }] } }"#),
            Code::E0307,
            &["`cidr` cannot take this value", "an IPv4 or IPv6 block"],
        ),
        (
            rule(r#"{ source = ["a"], detail = { x = [] } }"#),
            Code::E0488,
            &["empty list or map in a pattern"],
        ),
        (
            rule(r#"{ source = ["a"], "$or" = [["x"]] }"#),
            Code::E0489,
            &["`$or` takes a list of patterns"],
        ),
        (
            rule(r#"{ detail = { kind = ["x"] } }"#),
            Code::W0552,
            &[
                "the pattern does not name a `source`",
                "source = [\"aws.ec2\"]",
            ],
        ),
        (
            rule(r#"{ source = ["a"], detail = { n = [{ numeric = [">=", 5, "<", 5] }] } }"#),
            Code::W0554,
            &["matches no number", "no number is >= 5 and < 5"],
        ),
    ];
    for (src, code, words) in cases {
        let (_, text) = only(src, *code, 6);
        for w in *words {
            assert!(text.contains(w), "{code:?}: missing `{w}` in\n{text}");
        }
    }
}

#[test]
fn an_envelope_key_near_a_real_one_is_fixed_with_its_spelling() {
    let (c, _) = only(
        &rule(r#"{ source = ["aws.ec2"], "detail_type" = ["x"] }"#),
        Code::E0107,
        6,
    );
    let fix = &c.diagnostics[0].fixes[0];
    assert_eq!(fix.replacement, "\"detail-type\"");
}

#[test]
fn filter_problems_have_their_codes_and_words() {
    let cases: &[(String, Code, &[&str])] = &[
        (
            sqs_filter(r#"{ body = { ip = [{ cidr = "10.0.0.0/24" }] } }"#),
            Code::E0486,
            &["Lambda event filters do not support `cidr`"],
        ),
        (
            sqs_filter(r#"{ body = { s = [{ prefix = { "equals-ignore-case" = "a" } }] } }"#),
            Code::E0486,
            &["do not support `prefix with equals-ignore-case`"],
        ),
        (
            sqs_filter(r#"{ bdy = { kind = ["x"] } }"#),
            Code::E0487,
            &["sqs records have no field `bdy`", "did you mean `body`?"],
        ),
        (
            sqs_filter(r#"{ kind = ["x"] }"#),
            Code::E0487,
            &["the message's own fields are inside `body`"],
        ),
        (
            program(
                "table t { key = { id = string }, stream = new }",
                r#"on dynamodb table.t { filter = { data = { kind = ["x"] } } }"#,
            ),
            Code::E0487,
            &["`data` is where kinesis records carry the message; dynamodb records carry it in `dynamodb`"],
        ),
        (
            sqs_filter("[]"),
            Code::E0488,
            &["empty list or map in a pattern"],
        ),
        (
            sqs_filter(r#"[{ body = { k = ["a"] } }, "b"]"#),
            Code::E0304,
            &["a pattern is a map of fields"],
        ),
    ];
    for (src, code, words) in cases {
        let (_, text) = only(src, *code, 6);
        for w in *words {
            assert!(text.contains(w), "{code:?}: missing `{w}` in\n{text}");
        }
    }
}

#[test]
fn filter_counts_warn_above_five_and_fail_above_ten() {
    let filters = |n: usize| {
        let items: Vec<String> = (0..n)
            .map(|i| format!("{{ body = {{ k = [\"{i}\"] }} }}"))
            .collect();
        sqs_filter(&format!("[{}]", items.join(", ")))
    };
    assert!(check(&filters(5)).diagnostics.is_empty());
    let (_, text) = only(&filters(6), Code::W0553, 6);
    assert!(text.contains("6 filters on one event source"), "{text}");
    assert!(text.contains("the default quota is 5 filters"), "{text}");
    assert!(
        text.contains("request a quota increase (up to 10)"),
        "{text}"
    );
    assert!(check(&filters(10))
        .diagnostics
        .iter()
        .all(|d| d.code == Code::W0553));
    let (_, text) = only(&filters(11), Code::E0485, 6);
    assert!(
        text.contains("at most 10 filters per event source"),
        "{text}"
    );
}

#[test]
fn a_pattern_through_a_let_is_checked_where_it_is_written() {
    let src = "let states = \"running\"\nfunction f {\n  runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")\n  on event { pattern = { source = [\"aws.ec2\"], detail = { state = states } } }\n}\n";
    // The let is a single value: the leaf that should be a list is on line 1.
    only(src, Code::E0304, 1);
}

#[test]
fn deploy_time_values_pass_where_a_string_may_be() {
    let src =
        rule(r#"{ source = ["aws.ec2"], account = [aws.account_id], region = ["${aws.region}"] }"#);
    let t = template(&src);
    let pattern = &t["Resources"]["FEventRule"]["Properties"]["EventPattern"];
    assert_eq!(
        pattern["account"][0],
        serde_json::json!({ "Ref": "AWS::AccountId" })
    );
}

#[test]
fn a_rule_on_a_created_bus_names_it_and_on_an_existing_bus_gives_its_arn() {
    let src = "bus orders {}\nbus partner from \"arn:aws:events:us-east-1:123456789012:event-bus/partner\"\nfunction f {\n  runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")\n  on event bus.orders { pattern = { source = [\"shop\"] } }\n  on event bus.partner { pattern = { source = [\"partner\"] } }\n}\n";
    let t = template(src);
    let r = &t["Resources"];
    assert_eq!(r["OrdersBus"]["Type"], "AWS::Events::EventBus");
    assert_eq!(
        r["OrdersBus"]["Properties"]["Name"],
        serde_json::json!({ "Fn::Sub": "${AWS::StackName}-orders" })
    );
    assert_eq!(
        r["FOrdersEventRule"]["Properties"]["EventBusName"],
        serde_json::json!({ "Ref": "OrdersBus" })
    );
    assert_eq!(
        r["FPartnerEventRule"]["Properties"]["EventBusName"],
        "arn:aws:events:us-east-1:123456789012:event-bus/partner"
    );
    assert_eq!(
        r["FPartnerEventRulePermission"]["Properties"]["SourceArn"],
        serde_json::json!({ "Fn::GetAtt": ["FPartnerEventRule", "Arn"] })
    );
    assert!(
        r.get("PartnerBus").is_none(),
        "an existing bus is not created"
    );
}

#[test]
fn a_source_that_is_not_a_bus_is_refused() {
    let c = check(&program(
        "queue q {}",
        "on event queue.q { pattern = { source = [\"a\"] } }",
    ));
    assert!(
        c.diagnostics.iter().any(|d| d.code == Code::E0202),
        "{}",
        render(&c)
    );
}

#[test]
fn filters_become_filter_criteria_one_pattern_each() {
    let src = program(
        "table t { key = { id = string }, stream = new }",
        r#"on dynamodb table.t { filter = [{ eventName = ["INSERT"] }, { eventName = ["REMOVE"], dynamodb = { Keys = { id = { S = [{ prefix = "a" }] } } } }] }"#,
    );
    let t = template(&src);
    let mapping = t["Resources"]
        .as_object()
        .and_then(|r| {
            r.values()
                .find(|v| v["Type"] == "AWS::Lambda::EventSourceMapping")
        })
        .expect("a mapping");
    assert_eq!(
        mapping["Properties"]["FilterCriteria"],
        serde_json::json!({ "Filters": [
            { "Pattern": "{\"eventName\":[\"INSERT\"]}" },
            { "Pattern": "{\"eventName\":[\"REMOVE\"],\"dynamodb\":{\"Keys\":{\"id\":{\"S\":[{\"prefix\":\"a\"}]}}}}" },
        ] })
    );
}

#[test]
fn sns_keeps_its_filter_policy() {
    let t = template(&program(
        "topic n {}",
        "on sns topic.n { filter = { kind = [\"a\"] } }",
    ));
    let sub = t["Resources"]
        .as_object()
        .and_then(|r| r.values().find(|v| v["Type"] == "AWS::SNS::Subscription"))
        .expect("a subscription");
    assert_eq!(
        sub["Properties"]["FilterPolicy"],
        serde_json::json!({ "kind": ["a"] })
    );
}

#[test]
fn a_deploy_time_value_in_a_filter_is_joined_into_its_pattern() {
    let t = template(&sqs_filter(r#"{ awsRegion = ["${aws.region}"] }"#));
    let mapping = t["Resources"]
        .as_object()
        .and_then(|r| {
            r.values()
                .find(|v| v["Type"] == "AWS::Lambda::EventSourceMapping")
        })
        .expect("a mapping");
    let pattern = &mapping["Properties"]["FilterCriteria"]["Filters"][0]["Pattern"];
    let text = pattern.to_string();
    assert!(
        pattern.get("Fn::Join").is_some() && text.contains("AWS::Region"),
        "{pattern}"
    );
}
