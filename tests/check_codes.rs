//! One test per diagnostic code the checker owns: the code, and the line it points at.

use crate::check_support;

use check_support::*;
use lamc::diag::Code;

#[test]
fn e0102_duplicate_declaration() {
    let c = check("queue q {}\ntopic t {}\nqueue q {}\n");
    let d = expect_at(&c, Code::E0102, 3);
    assert_eq!(d.secondary.len(), 1, "first declaration labelled");
    assert_eq!(
        c.sources
            .get(d.secondary[0].span.file)
            .line_col(d.secondary[0].span.start)
            .line,
        1
    );
}

#[test]
fn e0102_second_app() {
    let c = check("app a {}\napp b {}\n");
    expect_at(&c, Code::E0102, 2);
}

#[test]
fn e0103_unknown_attribute_with_suggestion() {
    let src = format!("function f {{\n  {OK_FN}\n  memroy = 512MB\n}}\n");
    let c = check(&src);
    let d = expect_at(&c, Code::E0103, 5);
    assert!(
        d.help.as_deref().unwrap_or("").contains("memory"),
        "{:?}",
        d.help
    );
    assert_eq!(
        d.fixes.first().map(|f| f.replacement.as_str()),
        Some("memory")
    );
}

#[test]
fn e0104_duplicate_attribute() {
    let src = format!("function f {{\n  {OK_FN}\n  memory = 512MB\n  memory = 1GB\n}}\n");
    let c = check(&src);
    let d = expect_at(&c, Code::E0104, 6);
    assert_eq!(d.secondary.len(), 1);
}

#[test]
fn e0105_missing_required_attribute() {
    let c = check("function f {\n  handler = \"a.b\"\n}\n");
    let d = expect_at(&c, Code::E0105, 1);
    assert!(d.message.contains("code"), "{}", d.message);
    assert!(d.message.contains("runtime"), "{}", d.message);
    assert!(!d.message.contains("handler"), "{}", d.message);
}

#[test]
fn e0105_image_needs_no_runtime_or_handler() {
    let c = check(
        "function f {\n  code = image(\"123456789012.dkr.ecr.us-east-1.amazonaws.com/r:1\")\n}\n",
    );
    assert!(with_code(&c, Code::E0105).is_empty(), "{}", render(&c));
}

#[test]
fn e0105_table_without_key() {
    let c = check("table t {\n  ttl = \"exp\"\n}\n");
    expect_at(&c, Code::E0105, 1);
}

#[test]
fn e0105_named_alarm_missing_threshold() {
    let src = format!(
        "function f {{\n  {OK_FN}\n}}\nalarm slow {{\n  metric = function.f.errors\n  op = \">=\"\n}}\n"
    );
    let c = check(&src);
    expect_at(&c, Code::E0105, 6);
}

/// A function body that compiles without any diagnostic.
const CLEAN_FN: &str = "runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")";

/// The one diagnostic of `src`, which must be `code` on `line`, rendered as `lamc check`
/// prints it.
#[track_caller]
fn only(src: &str, code: Code, line: usize) -> (lamc::driver::Compilation, String) {
    let c = check(src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    expect_at(&c, code, line);
    let text = user_view(&c.diagnostics, &c.sources);
    (c, text)
}

/// `src` with the first fix of its first diagnostic applied.
fn fixed(c: &lamc::driver::Compilation) -> String {
    let fix = &c.diagnostics[0].fixes[0];
    let text = &c.sources.get(fix.span.file).text;
    format!(
        "{}{}{}",
        &text[..fix.span.start],
        fix.replacement,
        &text[fix.span.end..]
    )
}

#[test]
fn e0456_trigger_alarm_or_allow_in_defaults() {
    let queue = "queue q {}\n";
    let f = format!("function f {{\n  {CLEAN_FN}\n}}\n");
    for (line, what) in [
        ("on sqs queue.q", "triggers"),
        ("alarm errors >= 1 over 5m", "alarms"),
        ("allow \"sqs:SendMessage\" on queue.q", "`allow` lines"),
    ] {
        let src = format!("{queue}defaults {{\n  {line}\n}}\n{f}");
        let (_, text) = only(&src, Code::E0456, 3);
        assert!(
            text.contains(&format!(
                "error[E0456]: {what} are not allowed in `defaults`"
            )),
            "{text}"
        );
        assert!(text.contains("help: put it in a `template`"), "{text}");
    }
}

#[test]
fn e0457_via_on_a_trigger_that_is_not_http() {
    let src = format!(
        "api a {{ auth = iam }}\nqueue q {{}}\nfunction f {{\n  {CLEAN_FN}\n  on sqs queue.q via api.a\n  on http \"GET /\" via api.a\n}}\n"
    );
    let (c, text) = only(&src, Code::E0457, 7);
    assert!(
        text.contains("error[E0457]: `via` does not apply to `on sqs`"),
        "{text}"
    );
    assert!(text.contains("help: remove `via api.a`"), "{text}");
    let after = fixed(&c);
    assert!(after.contains("  on sqs queue.q\n"), "{after}");
    assert!(check(&after).diagnostics.is_empty(), "{after}");
}

#[test]
fn e0458_provisioned_range_without_target() {
    let src = format!("function f {{\n  {CLEAN_FN}\n  concurrency {{ provisioned = 2..8 }}\n}}\n");
    let (c, text) = only(&src, Code::E0458, 5);
    assert!(
        text.contains("error[E0458]: auto-scaled provisioned concurrency needs a target"),
        "{text}"
    );
    assert!(
        text.contains("help: say the utilisation to keep: `2..8 at 70%`"),
        "{text}"
    );
    let after = fixed(&c);
    assert!(after.contains("provisioned = 2..8 at 70% }"), "{after}");
    assert!(check(&after).diagnostics.is_empty(), "{after}");
}

#[test]
fn e0459_trigger_without_a_source() {
    let src = format!("function f {{\n  {CLEAN_FN}\n  on schedule\n}}\n");
    let (_, text) = only(&src, Code::E0459, 5);
    assert!(
        text.contains("error[E0459]: `on schedule` needs a source"),
        "{text}"
    );
    assert!(text.contains("help: write `on schedule"), "{text}");
}

#[test]
fn e0460_layer_listed_twice() {
    let arn = "\"arn:aws:lambda:us-east-1:123456789012:layer:deps:1\"";
    let src =
        format!("function f {{\n  {CLEAN_FN}\n  layers = [\n    {arn},\n    {arn},\n  ]\n}}\n");
    let (_, text) = only(&src, Code::E0460, 7);
    assert!(text.contains("error[E0460]: layer listed twice"), "{text}");
    assert!(text.contains("first listed here"), "{text}");
}

#[test]
fn e0106_logical_id_collision() {
    let src = format!(
        "function resize_image {{\n  {OK_FN}\n}}\nfunction resizeImage {{\n  {OK_FN}\n}}\n"
    );
    let c = check(&src);
    let d = expect_at(&c, Code::E0106, 6);
    assert_eq!(d.secondary.len(), 1, "both names labelled");
}

#[test]
fn e0201_unresolved_reference_did_you_mean() {
    let src = format!("queue orders {{}}\nfunction f {{\n  {OK_FN}\n  on sqs queue.ordrs\n}}\n");
    let c = check(&src);
    let d = expect_at(&c, Code::E0201, 6);
    assert!(
        d.help.as_deref().unwrap_or("").contains("orders"),
        "{:?}",
        d.help
    );
    assert_eq!(
        d.fixes.first().map(|f| f.replacement.as_str()),
        Some("orders")
    );
}

#[test]
fn e0201_misspelt_kind() {
    let src = format!("queue orders {{}}\nfunction f {{\n  {OK_FN}\n  on sqs queu.orders\n}}\n");
    let c = check(&src);
    let d = expect_at(&c, Code::E0201, 6);
    assert_eq!(
        d.fixes.first().map(|f| f.replacement.as_str()),
        Some("queue")
    );
}

#[test]
fn e0201_unknown_attribute_of_a_kind() {
    let src = format!("queue q {{}}\nfunction f {{\n  {OK_FN}\n  env {{ Q = queue.q.arnn }}\n}}\n");
    let c = check(&src);
    let d = expect_at(&c, Code::E0201, 6);
    assert!(
        d.help.as_deref().unwrap_or("").contains("arn"),
        "{:?}",
        d.help
    );
}

#[test]
fn e0201_function_url_without_url_block() {
    let src = format!(
        "function a {{\n  {OK_FN}\n}}\nfunction b {{\n  {OK_FN}\n  url {{ auth = none }}\n}}\noutput ua = function.a.url\noutput ub = function.b.url\n"
    );
    let c = check(&src);
    expect_at(&c, Code::E0201, 12);
    assert!(
        with_code(&c, Code::E0201).iter().all(|(l, _)| *l != 13),
        "{}",
        render(&c)
    );
}

#[test]
fn e0201_unknown_template() {
    let src = format!("template base {{}}\nfunction f extends bsae {{\n  {OK_FN}\n}}\n");
    let c = check(&src);
    expect_at(&c, Code::E0201, 2);
}

#[test]
fn e0202_wrong_kind() {
    let src = format!("topic x {{}}\nfunction f {{\n  {OK_FN}\n  on sqs topic.x\n}}\n");
    let c = check(&src);
    let d = expect_at(&c, Code::E0202, 6);
    assert_eq!(d.secondary.len(), 1, "declaration labelled");
}

#[test]
fn e0202_dead_letter_to_a_bucket_but_allow_on_a_param_arn() {
    // `allow … on param.p` is on the ARN the parameter holds (known at deploy time).
    let src = format!(
        "bucket b {{}}\nqueue q {{ dead_letter = bucket.b }}\nparam p: string\nfunction f {{\n  {OK_FN}\n  allow [\"s3:GetObject\"] on param.p\n}}\n"
    );
    let c = check(&src);
    expect_at(&c, Code::E0202, 2);
    let allow_line: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| {
            c.sources
                .get(d.primary.span.file)
                .line_col(d.primary.span.start)
                .line
                == 8
        })
        .collect();
    assert!(allow_line.is_empty(), "{allow_line:?}");
}

#[test]
fn e0203_unknown_std_module() {
    let c = check("use std.alarm\n");
    let d = expect_at(&c, Code::E0203, 1);
    assert!(
        d.help.as_deref().unwrap_or("").contains("std.alarms"),
        "{:?}",
        d.help
    );
}

#[test]
fn e0203_unreadable_file() {
    let c = check("queue q {}\nuse \"does/not/exist.lam\"\n");
    expect_at(&c, Code::E0203, 2);
}

#[test]
fn e0204_template_cycle() {
    let c = check("template a extends b {}\ntemplate b extends c {}\ntemplate c extends a {}\n");
    let found = with_code(&c, Code::E0204);
    assert_eq!(found.len(), 1, "one cycle, reported once:\n{}", render(&c));
    assert_eq!(found[0].0, 3, "at the edge that closes the cycle");
    assert_eq!(found[0].1.secondary.len(), 2, "every other edge labelled");
}

#[test]
fn e0204_let_cycle() {
    let c = check("let a = b\nlet b = a\nfunction f {\n  memory = a\n}\n");
    let found = with_code(&c, Code::E0204);
    assert_eq!(found.len(), 1, "one cycle, reported once:\n{}", render(&c));
    assert_eq!(found[0].0, 1);
    assert!(
        with_code(&c, Code::E0301).is_empty(),
        "uses of a broken let stay quiet"
    );
}

#[test]
fn e0301_unit_mismatch() {
    let src = format!(
        "function f {{\n  {OK_FN}\n  memory = 30s\n  timeout = 512MB\n  storage = 512\n  description = 5\n}}\n"
    );
    let c = check(&src);
    expect_at(&c, Code::E0301, 5);
    expect_at(&c, Code::E0301, 6);
    let d = expect_at(&c, Code::E0301, 7);
    assert!(
        d.help.as_deref().unwrap_or("").contains("512MB"),
        "{:?}",
        d.help
    );
    expect_at(&c, Code::E0301, 8);
}

#[test]
fn e0301_alarm_threshold_unit() {
    let src = format!(
        "function f {{\n  {OK_FN}\n  alarm duration.p99 > 90 over 5m\n  alarm errors >= 5s\n  alarm error_rate > 5%\n}}\n"
    );
    let c = check(&src);
    expect_at(&c, Code::E0301, 5);
    expect_at(&c, Code::E0301, 6);
    assert!(
        with_code(&c, Code::E0301).iter().all(|(l, _)| *l != 7),
        "{}",
        render(&c)
    );
}

#[test]
fn e0302_unknown_enum_values() {
    let src = format!(
        "function f {{\n  {OK_FN}\n  architecture = arm\n  tracing = activ\n  on sqsx queue.q\n}}\nqueue q {{}}\n"
    );
    let c = check(&src);
    let d = expect_at(&c, Code::E0302, 5);
    assert_eq!(
        d.fixes.first().map(|f| f.replacement.as_str()),
        Some("arm64")
    );
    expect_at(&c, Code::E0302, 6);
    let d = expect_at(&c, Code::E0302, 7);
    assert!(
        d.help.as_deref().unwrap_or("").contains("sqs"),
        "{:?}",
        d.help
    );
}

#[test]
fn e0302_unknown_metric_and_stat() {
    let src =
        format!("function f {{\n  {OK_FN}\n  alarm erors > 1\n  alarm duration.p99x > 1s\n}}\n");
    let c = check(&src);
    expect_at(&c, Code::E0302, 5);
    expect_at(&c, Code::E0302, 6);
}

#[test]
fn runtime_is_not_an_enum_here() {
    // Unknown runtimes are the runtime rules' to report; the checker stores the text.
    let c = check("function f {\n  runtime = cobol9\n  handler = \"a.b\"\n  code = \"src\"\n}\n");
    assert!(with_code(&c, Code::E0302).len() <= 1, "{}", render(&c));
    let m = c.model.as_ref().expect("model");
    assert_eq!(
        m.functions[0].runtime.as_ref().map(|r| r.value.as_str()),
        Some("cobol9")
    );
}

#[test]
fn e0303_not_whole() {
    let src = format!(
        "function f {{\n  {OK_FN}\n  memory = 1.0001GB\n  timeout = 1500ms\n  concurrency {{ reserved = 2.5 }}\n}}\n"
    );
    let c = check(&src);
    expect_at(&c, Code::E0303, 5);
    expect_at(&c, Code::E0303, 6);
    expect_at(&c, Code::E0303, 7);
}

#[test]
fn w0506_unused_resource() {
    let src = format!(
        "queue used {{}}\nqueue idle {{}}\nbucket b {{}}\nfunction f {{\n  {OK_FN}\n  on sqs queue.used\n  on http \"GET /x\"\n}}\noutput o = bucket.b.name\n"
    );
    let c = check(&src);
    let found = with_code(&c, Code::W0506);
    assert_eq!(found.len(), 1, "{}", render(&c));
    assert_eq!(found[0].0, 2);
}

#[test]
fn w0528_unused_param_is_warned_and_left_out() {
    let src = format!(
        "param stage: string = \"dev\"\nparam spare: number = 1\nfunction f {{\n  {OK_FN}\n  env {{ STAGE = \"${{param.stage}}\" }}\n}}\n"
    );
    let c = check(&src);
    let found = with_code(&c, Code::W0528);
    assert_eq!(found.len(), 1, "{}", render(&c));
    let (line, d) = found[0];
    assert_eq!(line, 2);
    assert_eq!(d.message, "param `spare` is never used");
    assert_eq!(
        d.help.as_deref(),
        Some(
            "refer to it as `param.spare` (or `${param.spare}` in a string), or remove it; \
             until then it is left out of the template"
        )
    );
    let params: Vec<&str> = c
        .model
        .as_ref()
        .expect("model")
        .params
        .iter()
        .map(|p| p.name.value.as_str())
        .collect();
    assert_eq!(params, ["stage"]);
}

#[test]
fn w0528_counts_templates_only_through_the_functions_that_extend_them() {
    let src = format!(
        "param used_by_template: string\nparam in_unused_template: string\n\
         template t {{\n  env {{ A = param.used_by_template }}\n}}\n\
         template idle {{\n  env {{ B = param.in_unused_template }}\n}}\n\
         function f extends t {{\n  {OK_FN}\n}}\n"
    );
    let c = check(&src);
    let found: Vec<usize> = with_code(&c, Code::W0528).iter().map(|(l, _)| *l).collect();
    assert_eq!(found, [2], "{}", render(&c));
}

#[test]
fn keeps_going_after_errors() {
    let src = "function f {\n  memory = 30s\n}\nfunction g {\n  timeout = 512MB\n}\nqueue q { visibility = 5MB }\n";
    let c = check(src);
    assert!(with_code(&c, Code::E0301).len() >= 3, "{}", render(&c));
    let m = c.model.as_ref().expect("model even with errors");
    assert_eq!(m.functions.len(), 2);
    assert_eq!(m.resources.len(), 1);
}

#[test]
fn huge_number_is_e0003() {
    let src = format!("function f {{\n  {OK_FN}\n  memory = 99999999999999999999999MB\n}}\n");
    let c = check(&src);
    expect_at(&c, Code::E0003, 5);
}

#[test]
fn e0108_authorizer_neither_jwt_nor_function() {
    let src = format!(
        "auth users {{ cache = 5m }}\nfunction f {{\n  {CLEAN_FN}\n  on http \"GET /x\" {{ auth = auth.users }}\n}}\n"
    );
    let (_, text) = only(&src, Code::E0108, 1);
    assert!(
        text.contains("error[E0108]: authorizer `users` has neither `jwt { … }` nor `function`"),
        "{text}"
    );
}

#[test]
fn e0109_scopes_on_a_route_of_a_function_authorizer() {
    let src = format!(
        "auth custom {{ function = function.check }}\nfunction check {{\n  {CLEAN_FN}\n}}\nfunction f {{\n  {CLEAN_FN}\n  on http \"GET /x\" {{ auth = auth.custom, scopes = [\"a\"] }}\n}}\n"
    );
    let (_, text) = only(&src, Code::E0109, 11);
    assert!(
        text.contains("auth.custom is a function authorizer"),
        "{text}"
    );
}

#[test]
fn e0110_handler_with_whitespace_or_too_long() {
    let src = "function f {\n  runtime = python3.12\n  handler = \"app. handler\"\n  code = s3(\"example-artifacts\", \"api.zip\")\n}\n";
    let (_, text) = only(src, Code::E0110, 3);
    assert!(
        text.contains("error[E0110]: handler contains whitespace"),
        "{text}"
    );
    assert!(text.contains("handler = \"app.handler\""), "{text}");
    let long = format!("app.{}", "h".repeat(125));
    let src = format!("function f {{\n  runtime = python3.12\n  handler = \"{long}\"\n  code = s3(\"example-artifacts\", \"api.zip\")\n}}\n");
    let (_, text) = only(&src, Code::E0110, 3);
    assert!(
        text.contains("129 characters; at most 128 are allowed"),
        "{text}"
    );
}

#[test]
fn e0111_inline_code_handler_names_index() {
    let src = "function f {\n  runtime = python3.12\n  handler = \"app.main\"\n  code = inline(\"\"\"def main(e, c): pass\"\"\")\n}\n";
    let (_, text) = only(src, Code::E0111, 3);
    assert!(
        text.contains("error[E0111]: inline code needs an `index.<function>` handler"),
        "{text}"
    );
    assert!(text.contains("use handler = \"index.main\""), "{text}");
}

/// An app with one JWT-guarded route whose scopes are `scopes` (after a `param` line).
fn scoped_route(params: &str, scopes: &str) -> String {
    format!(
        "{params}auth users {{ jwt {{ issuer = \"https://example.auth0.com/\", audience = [\"a\"] }} }}\nfunction f {{\n  {CLEAN_FN}\n  on http \"GET /x\" {{ auth = auth.users, scopes = {scopes} }}\n}}\n"
    )
}

#[test]
fn e0433_counts_a_routes_scopes_up_to_ten() {
    let list = |n: usize| {
        let items: Vec<String> = (0..n).map(|i| format!("\"s{i}\"")).collect();
        format!("[{}]", items.join(", "))
    };
    let ten = check(&scoped_route("", &list(10)));
    assert!(ten.diagnostics.is_empty(), "{}", render(&ten));
    let (_, text) = only(&scoped_route("", &list(12)), Code::E0433, 6);
    assert!(
        text.contains("12 scopes; a route can have at most 10"),
        "{text}"
    );
    assert!(text.contains("also past the limit"), "{text}");
    // A list parameter is counted by API Gateway, not here.
    let param = check(&scoped_route(
        "param scopes: list = [\"a\", \"b\"]\n",
        "param.scopes",
    ));
    assert!(param.diagnostics.is_empty(), "{}", render(&param));
}

#[test]
fn e0320_a_scope_is_one_nonempty_word_known_parts_checked() {
    let (_, text) = only(&scoped_route("", "[\"\"]"), Code::E0320, 6);
    assert!(text.contains("an empty scope"), "{text}");
    let (_, text) = only(
        &scoped_route("param s: string = \"x\"\n", "[\"a ${param.s}\"]"),
        Code::E0320,
        7,
    );
    assert!(
        text.contains("write each scope as its own item: \"a\", \"${param.s}\""),
        "{text}"
    );
    // Only deploy-time text: nothing is known to be wrong.
    let c = check(&scoped_route(
        "param s: string = \"x\"\n",
        "[\"${param.s}\"]",
    ));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}

#[test]
fn e0315_checks_the_known_start_of_a_deploy_time_identity_source() {
    let app = |identity: &str| {
        format!(
            "param h: string = \"x\"\nauth custom {{ function = function.check, identity = {identity} }}\nfunction check {{\n  {CLEAN_FN}\n}}\nfunction f {{\n  {CLEAN_FN}\n  on http \"GET /x\" {{ auth = auth.custom }}\n}}\n"
        )
    };
    for ok in [
        "[\"$request.header.${param.h}\"]",
        "[\"$request.${param.h}\"]",
        "[\"${param.h}\"]",
    ] {
        let c = check(&app(ok));
        assert!(c.diagnostics.is_empty(), "{ok}: {}", render(&c));
    }
    let (_, text) = only(&app("[\"bearer ${param.h}\"]"), Code::E0315, 2);
    assert!(
        text.contains("`bearer ${param.h}` is not an identity source"),
        "{text}"
    );
}

#[test]
fn e0202_an_authorizer_is_neither_a_value_nor_an_allow_target() {
    let auth = "auth users { jwt { issuer = \"https://example.auth0.com/\", audience = [\"a\"] } }";
    let src = format!(
        "{auth}\nfunction f {{\n  {CLEAN_FN}\n  env {{ A = auth.users }}\n  on http \"GET /x\" {{ auth = auth.users }}\n}}\n"
    );
    let (_, text) = only(&src, Code::E0202, 6);
    assert!(text.contains("authorizer `users` is not a value"), "{text}");
    let src = format!(
        "{auth}\nfunction f {{\n  {CLEAN_FN}\n  allow [\"execute-api:Invoke\"] on auth.users\n  on http \"GET /x\" {{ auth = auth.users }}\n}}\n"
    );
    only(&src, Code::E0202, 6);
}

const MSK: &str = "cluster events from \"arn:aws:kafka:us-east-1:123456789012:cluster/events/0123abcd-0123-0123-0123-0123456789ab-1\"";

#[test]
fn e0317_a_kafka_topic_lambda_refuses() {
    let src = format!(
        "{MSK}\nfunction f {{\n  {CLEAN_FN}\n  on kafka cluster.events {{ topic = \"orders paid\" }}\n}}\n"
    );
    let (c, text) = only(&src, Code::E0317, 6);
    assert!(text.contains("write `topic = \"orders-paid\"`"), "{text}");
    assert!(fixed(&c).contains("topic = \"orders-paid\""));
    // Deploy-time parts are not judged; the known ones are.
    let src = format!(
        "{MSK}\nfunction f {{\n  {CLEAN_FN}\n  on kafka cluster.events {{ topic = \"${{aws.region}}.orders\" }}\n}}\n"
    );
    assert!(check(&src).diagnostics.is_empty());
    let src = format!(
        "{MSK}\nfunction f {{\n  {CLEAN_FN}\n  on kafka cluster.events {{ topic = \"${{aws.region}} orders\" }}\n}}\n"
    );
    only(&src, Code::E0317, 6);
}

#[test]
fn e0318_a_consumer_group_lambda_refuses() {
    let src = format!(
        "{MSK}\nfunction f {{\n  {CLEAN_FN}\n  on kafka cluster.events {{\n    topic = \"t\"\n    consumer_group = \"{}\"\n  }}\n}}\n",
        "g".repeat(201)
    );
    let (_, text) = only(&src, Code::E0318, 8);
    assert!(text.contains("consumer group id is too long"), "{text}");
}

#[test]
fn e0424_two_mappings_in_one_consumer_group() {
    let on = "on kafka cluster.events {\n    topic = \"t\"\n    consumer_group = \"shop\"\n  }";
    let src = format!(
        "{MSK}\nfunction f {{\n  {CLEAN_FN}\n  {on}\n}}\nfunction g {{\n  {CLEAN_FN}\n  {on}\n}}\n"
    );
    let (c, text) = only(&src, Code::E0424, 17);
    assert_eq!(
        c.diagnostics[0].secondary.len(),
        1,
        "the first mapping labelled"
    );
    assert!(text.contains("consumer group `shop`"), "{text}");
}
