//! The v2 function settings' diagnostics: each code, the line it points at, and the
//! rendered text a user reads.

use crate::check_support;

use check_support::*;
use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::Code;

/// The diagnostics as a user reads them (miette's report: message, labels, help).
fn shown(c: &lamc::driver::Compilation) -> String {
    let opts = HumanOptions {
        width: 200,
        ..HumanOptions::default()
    };
    render_human(&c.diagnostics, &c.sources, &opts)
}

/// A function with nothing to report, on lines 2–4.
const FN: &str =
    "runtime = python3.13\n  handler = \"app.handler\"\n  code = s3(\"code-bucket\", \"k.zip\")";

fn function(extra: &str) -> String {
    format!("function f {{\n  {FN}\n  {extra}\n}}\n")
}

#[test]
fn e0468_alias_name_lambda_refuses() {
    let c = check(&function("alias = \"blue green\"\n  publish = true"));
    let d = expect_at(&c, Code::E0468, 5);
    assert_eq!(
        d.fixes.first().map(|f| f.replacement.as_str()),
        Some("\"blue-green\"")
    );
    let text = shown(&c);
    assert!(
        text.contains("Lambda refuses the alias name \"blue green\""),
        "{text}"
    );
    assert!(text.contains("` ` is not allowed"), "{text}");
    assert!(text.contains("write `alias = \"blue-green\"`"), "{text}");
}

#[test]
fn e0468_a_number_names_a_version_not_an_alias() {
    let c = check(&function("alias = \"42\"\n  publish = true"));
    let d = expect_at(&c, Code::E0468, 5);
    assert!(shown(&c).contains("only digits"), "{d:?}");
}

#[test]
fn e0437_alias_must_be_known_when_compiling() {
    let c = check(&function("alias = \"${aws.region}\"\n  publish = true"));
    expect_at(&c, Code::E0437, 5);
    assert!(with_code(&c, Code::E0468).is_empty(), "{}", render(&c));
}

#[test]
fn w0545_alias_without_a_published_version() {
    let c = check(&function("alias = \"prod\""));
    expect_at(&c, Code::W0545, 5);
    let text = shown(&c);
    assert!(
        text.contains("this alias is never created: nothing publishes a version"),
        "{text}"
    );
    assert!(
        text.contains("add `publish = true` to function `f`"),
        "{text}"
    );
}

#[test]
fn an_alias_with_provisioned_concurrency_or_publish_is_used() {
    for extra in [
        "alias = \"prod\"\n  publish = true",
        "alias = \"prod\"\n  concurrency { provisioned = 1 }",
    ] {
        let c = check(&function(extra));
        assert!(c.diagnostics.is_empty(), "{extra}\n{}", render(&c));
    }
}

#[test]
fn e0469_a_level_needs_json_logs_pointing_at_the_text_format() {
    let c = check(&function("logging { format = text, level = info }"));
    let d = expect_at(&c, Code::E0469, 5);
    assert_eq!(d.secondary.len(), 1, "the `format` is labelled");
    assert_eq!(
        d.fixes.first().map(|f| f.replacement.as_str()),
        Some("json")
    );
    let text = shown(&c);
    assert!(text.contains("`level` needs JSON logs"), "{text}");
    assert!(text.contains("the logs are text here"), "{text}");
    assert!(
        text.contains("write `format = json` to keep `level = info`"),
        "{text}"
    );
}

#[test]
fn e0469_once_for_both_levels_without_a_format() {
    let c = check(&function("logging { level = info, system_level = warn }"));
    let found = with_code(&c, Code::E0469);
    assert_eq!(
        found.len(),
        1,
        "one missing format, one error:\n{}",
        shown(&c)
    );
    let text = shown(&c);
    assert!(text.contains("`system_level` needs them too"), "{text}");
    assert!(
        text.contains("logging { format = json, level = info, system_level = warn }"),
        "{text}"
    );
}

#[test]
fn json_logs_take_both_levels() {
    let c = check(&function(
        "logging { format = json, level = trace, system_level = debug }",
    ));
    assert!(c.diagnostics.is_empty(), "{}", shown(&c));
}

#[test]
fn a_system_level_lambda_does_not_have_is_an_unknown_word() {
    let c = check(&function("logging { format = json, system_level = error }"));
    expect_at(&c, Code::E0302, 5);
}

#[test]
fn e0470_log_group_name() {
    let c = check(&function("logging { group = \"orders logs\" }"));
    expect_at(&c, Code::E0470, 5);
    let text = shown(&c);
    assert!(
        text.contains("CloudWatch Logs refuses the log group name \"orders logs\""),
        "{text}"
    );
    assert!(text.contains("` ` is not allowed"), "{text}");
}

#[test]
fn e0471_snap_start_on_a_runtime_without_it_points_at_both() {
    let c = check(
        "function f {\n  runtime = nodejs22.x\n  handler = \"app.handler\"\n  code = s3(\"code-bucket\", \"k.zip\")\n  snap_start = true\n}\n",
    );
    let d = expect_at(&c, Code::E0471, 5);
    assert_eq!(line_of_span(&c, d.secondary[0].span), 2, "the runtime");
    let text = shown(&c);
    assert!(
        text.contains("SnapStart does not support `nodejs22.x`"),
        "{text}"
    );
    assert!(text.contains("this runtime has no SnapStart"), "{text}");
}

#[test]
fn snap_start_runtimes_are_accepted() {
    for rt in ["java11", "java25", "python3.12", "dotnet8"] {
        let src = format!(
            "function f {{\n  runtime = {rt}\n  handler = \"a.b\"\n  code = s3(\"code-bucket\", \"k.zip\")\n  snap_start = true\n}}\n"
        );
        let c = check(&src);
        assert!(with_code(&c, Code::E0471).is_empty(), "{rt}: {}", shown(&c));
    }
    let c = check(&function("snap_start = true"));
    assert!(c.diagnostics.is_empty(), "{}", shown(&c));
}

#[test]
fn e0472_snap_start_excludes_provisioned_storage_and_images() {
    let c = check(&function(
        "snap_start = true\n  storage = 1GB\n  concurrency { provisioned = 2 }",
    ));
    let found = with_code(&c, Code::E0472);
    assert_eq!(
        found.len(),
        2,
        "one error per excluded setting:\n{}",
        shown(&c)
    );
    let lines: Vec<usize> = found
        .iter()
        .map(|(_, d)| line_of_span(&c, d.secondary[0].span))
        .collect();
    assert_eq!(lines, [7, 6], "provisioned, then storage");
    let text = shown(&c);
    assert!(
        text.contains("SnapStart cannot be used with provisioned concurrency"),
        "{text}"
    );
    assert!(text.contains("write `storage = 512MB`"), "{text}");

    let image = check(
        "function f {\n  code = image(\"123456789012.dkr.ecr.us-east-1.amazonaws.com/r:1\")\n  snap_start = true\n}\n",
    );
    expect_at(&image, Code::E0472, 3);
    assert!(shown(&image).contains("SnapStart cannot be used with image code"));
}

#[test]
fn storage_of_512mb_is_allowed_with_snap_start() {
    let c = check(&function("snap_start = true\n  storage = 512MB"));
    assert!(c.diagnostics.is_empty(), "{}", shown(&c));
}

fn line_of_span(c: &lamc::driver::Compilation, span: lamc::source::Span) -> usize {
    c.sources.get(span.file).line_col(span.start).line
}

#[test]
fn e0473_code_signing_takes_a_configuration_arn() {
    let c = check(&function(
        "code_signing = \"arn:aws:signer:us-east-1:123456789012:/signing-profiles/orders\"",
    ));
    expect_at(&c, Code::E0473, 5);
    let text = shown(&c);
    assert!(
        text.contains("this is not the ARN of a code signing configuration"),
        "{text}"
    );
    assert!(
        text.contains(
            "this is an ARN for `signer`, a code signing configuration needs one for `lambda`"
        ),
        "{text}"
    );
    for bad in [
        "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-012",
        "arn:aws:lambda:us-east-1:1234:code-signing-config:csc-0123456789abcdef0",
        "arn:aws:lambda:${aws.region}:1234:code-signing-config:csc-0123456789abcdef0",
    ] {
        let c = check(&function(&format!("code_signing = \"{bad}\"")));
        expect_at(&c, Code::E0473, 5);
    }
}

#[test]
fn a_code_signing_arn_may_hold_deploy_time_parts() {
    let c = check(&function(
        "code_signing = \"arn:${aws.partition}:lambda:${aws.region}:${aws.account_id}:code-signing-config:csc-0123456789abcdef0\"",
    ));
    assert!(c.diagnostics.is_empty(), "{}", shown(&c));
}

#[test]
fn w0546_tenancy_with_a_fixed_name_points_at_both() {
    let c = check(&function("name = \"orders\"\n  tenancy = per_tenant"));
    let d = expect_at(&c, Code::W0546, 6);
    assert_eq!(line_of_span(&c, d.secondary[0].span), 5, "the name");
    let text = shown(&c);
    assert!(
        text.contains("changing `tenancy` later cannot be deployed"),
        "{text}"
    );
    assert!(text.contains("remove `name` from function `f`"), "{text}");
    let unnamed = check(&function("tenancy = per_tenant"));
    assert!(unnamed.diagnostics.is_empty(), "{}", shown(&unnamed));
}

#[test]
fn e0474_manual_needs_a_runtime_version_arn() {
    let bare = check(&function("runtime_updates = manual"));
    expect_at(&bare, Code::E0474, 5);
    assert!(shown(&bare).contains("`manual` pins a runtime version: which one?"));
    let with_account = check(&function(
        "runtime_updates = manual(\"arn:aws:lambda:us-east-1:123456789012:runtime:abc\")",
    ));
    expect_at(&with_account, Code::E0474, 5);
    let text = shown(&with_account);
    assert!(
        text.contains("manual runtime updates need a runtime version ARN"),
        "{text}"
    );
    assert!(text.contains("has no account"), "{text}");
}

/// Each mode becomes its `UpdateRuntimeOn`, and `manual` carries its version's ARN.
#[test]
fn runtime_updates_become_the_runtime_management_config() {
    let arn = "arn:aws:lambda:us-east-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba";
    for (written, mode) in [
        ("auto".to_string(), "Auto"),
        ("on_deploy".to_string(), "FunctionUpdate"),
        (format!("manual(\"{arn}\")"), "Manual"),
    ] {
        let c = check(&function(&format!("runtime_updates = {written}")));
        assert!(c.diagnostics.is_empty(), "{written}: {}", shown(&c));
        let model = c.model.clone().expect("a model");
        let stack = lamc::driver::plan(&model, &lamc::driver::PlanOptions::default())
            .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
        let doc: serde_json::Value = serde_json::from_str(&lamc::emit::json(&stack)).expect("json");
        let config = &doc["Resources"]["FFunction"]["Properties"]["RuntimeManagementConfig"];
        assert_eq!(config["UpdateRuntimeOn"], mode, "{written}");
        let pinned = (mode == "Manual").then_some(arn);
        assert_eq!(config["RuntimeVersionArn"].as_str(), pinned, "{written}");
    }
}

fn with_failed_queue(extra: &str) -> String {
    format!("queue failed {{}}\nqueue jobs {{}}\nfunction f {{\n  {FN}\n  dead_letter = queue.failed\n  {extra}\n}}\n")
}

#[test]
fn w0547_dead_letter_on_a_function_invoked_only_synchronously() {
    let c = check(&with_failed_queue(
        "on sqs queue.jobs\n  url { auth = iam }",
    ));
    let d = expect_at(&c, Code::W0547, 7);
    assert_eq!(d.secondary.len(), 2, "the trigger and the URL are labelled");
    let text = shown(&c);
    assert!(
        text.contains("this dead-letter queue never receives an event"),
        "{text}"
    );
    assert!(
        text.contains("invoked synchronously: the caller gets the error"),
        "{text}"
    );
}

#[test]
fn a_dead_letter_target_that_can_fire_is_quiet() {
    for extra in [
        "on schedule rate(1h)",
        "on sqs queue.jobs\n  async { retries = 1 }",
        // No trigger: anyone may invoke it, asynchronously too.
        "",
    ] {
        let c = check(&with_failed_queue(extra));
        assert!(
            with_code(&c, Code::W0547).is_empty(),
            "{extra}\n{}",
            shown(&c)
        );
        assert!(!c.has_errors(), "{extra}\n{}", shown(&c));
    }
}

#[test]
fn a_dead_letter_target_is_a_queue_or_a_topic() {
    let c = check(&format!(
        "bucket b {{}}\nfunction f {{\n  {FN}\n  dead_letter = bucket.b\n}}\n"
    ));
    expect_at(&c, Code::E0202, 6);
}
