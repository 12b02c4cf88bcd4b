//! The security diagnostics, each triggered from source: code, line, message and the
//! rendered text a user sees (E0443–E0446, W0507, W0521, W0522).

use crate::check_support::{check, expect_at, render, with_code};

use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::Code;
use lamc::driver::Compilation;

/// A clean function body (inline code, so no folder is needed).
const BODY: &str = "  runtime = python3.12\n  handler = \"index.handler\"\n  code    = inline(\"\"\"def handler(e, c): pass\"\"\")\n";

fn function(name: &str, extra: &str) -> String {
    format!("function {name} {{\n{BODY}{extra}}}\n")
}

/// The human rendering of the diagnostics with `code`.
fn rendered(c: &Compilation, code: Code) -> String {
    let diags: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .cloned()
        .collect();
    render_human(&diags, &c.sources, &HumanOptions::default())
}

#[test]
fn e0443_every_action_of_every_service() {
    let src = format!(
        "queue jobs {{}}\n{}",
        function("f", "  allow [\"sqs:SendMessage\", \"*\"] on queue.jobs\n")
    );
    let c = check(&src);
    let d = expect_at(&c, Code::E0443, 6);
    assert_eq!(d.message, "`*` allows every action of every service");
    assert_eq!(with_code(&c, Code::E0443).len(), 1, "{}", render(&c));
    let text = rendered(&c, Code::E0443);
    assert!(text.contains("error[E0443]"), "{text}");
    assert!(text.contains("a wildcard over services"), "{text}");
    assert!(
        text.contains("help: list the actions the function needs, e.g. \"sqs:SendMessage\""),
        "{text}"
    );
}

#[test]
fn w0521_every_action_of_one_service() {
    let src = format!(
        "bucket b {{}}\n{}",
        function("f", "  allow [\"s3:*\", \"s3:Get*\"] on bucket.b\n")
    );
    let c = check(&src);
    let d = expect_at(&c, Code::W0521, 6);
    assert_eq!(d.message, "`s3:*` allows every s3 action on bucket.b");
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let text = rendered(&c, Code::W0521);
    assert!(text.contains("warning[W0521]"), "{text}");
    assert!(
        text.contains("(a prefix such as \"s3:Get*\" also"),
        "{text}"
    );
}

#[test]
fn e0444_action_of_another_service() {
    let src = format!(
        "table t {{ key = {{ id = string }} }}\nstream s {{}}\n{}",
        function(
            "f",
            "  allow \"iam:PassRole\" on table.t\n  allow \"kafka-cluster:ReadData\" on stream.s\n  allow \"kinesis:GetRecords\" on stream.s\n"
        )
    );
    let c = check(&src);
    let d = expect_at(&c, Code::E0444, 7);
    assert_eq!(d.message, "`iam:PassRole` cannot apply to table.t");
    // From the Service Authorization Reference: MSK's ReadData names topics.
    let d = expect_at(&c, Code::E0444, 8);
    assert_eq!(
        d.primary.message,
        "it applies to `arn:aws:kafka:…:…:topic/…`"
    );
    assert_eq!(c.diagnostics.len(), 2, "{}", render(&c));
    let text = rendered(&c, Code::E0444);
    assert!(
        text.contains("table.t is an `arn:aws:dynamodb:…` resource"),
        "{text}"
    );
    assert!(text.contains("e.g. \"dynamodb:GetItem\""), "{text}");
}

#[test]
fn w0522_public_url_and_routes() {
    let src = format!(
        "api open {{ auth = none }}\n{}{}",
        function("u", "  url { auth = none }\n"),
        function(
            "r",
            "  on http \"GET /a\" { auth = none }\n  on http \"GET /b\" via api.open\n  on http \"GET /c\" via api.open { public = true }\n  on http \"GET /d\"\n"
        )
    );
    let c = check(&src);
    let url = expect_at(&c, Code::W0522, 6);
    assert_eq!(url.message, "this function URL can be called by anyone");
    assert_eq!(url.fixes[0].replacement, "iam");
    // `GET /a` and `GET /d` both go through `api.default`: one warning.
    let own = expect_at(&c, Code::W0522, 12);
    assert_eq!(
        own.message,
        "routes `GET /a` and 1 more of api.default can be called by anyone"
    );
    assert_eq!(own.secondary[0].message, "`auth = none` set here");
    assert_eq!(own.secondary[1].message, "also without authorization");
    assert_eq!(line_at(&c, own.secondary[1].span), 15);
    let via = expect_at(&c, Code::W0522, 13);
    assert_eq!(
        via.secondary[0].message,
        "`auth = none` set on the API here"
    );
    assert_eq!(c.diagnostics.len(), 3, "{}", render(&c));
    let text = rendered(&c, Code::W0522);
    assert!(text.contains("warning[W0522]"), "{text}");
    assert!(
        text.contains("url { auth = none, public = true }"),
        "{text}"
    );
}

/// 1-based line of a span.
fn line_at(c: &Compilation, span: lamc::source::Span) -> usize {
    c.sources.get(span.file).line_col(span.start).line
}

/// The source with a fix applied.
fn applied(src: &str, fix: &lamc::diag::Fix) -> String {
    format!(
        "{}{}{}",
        &src[..fix.span.start],
        fix.replacement,
        &src[fix.span.end..]
    )
}

#[test]
fn w0522_a_route_with_no_auth_anywhere() {
    let src = format!("# the site\n{}", function("site", "  on http \"GET /\"\n"));
    let c = check(&src);
    let d = expect_at(&c, Code::W0522, 6);
    assert_eq!(d.message, "route `GET /` can be called by anyone");
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let text = rendered(&c, Code::W0522);
    assert!(
        text.contains("no `auth` on this route or on api.default: routes default to none"),
        "{text}"
    );
    let help = d.help.as_deref().unwrap_or_default();
    assert_eq!(
        help,
        "if anyone on the internet may call it, write `api default { public = true }` (all routes without `via`) or `on http \"GET /\" { public = true }` (one route); otherwise require signed requests with `api default { auth = iam }`"
    );
    // Both quick fixes declare `api default` above the function and its comment, and
    // leave a program without diagnostics.
    let titles: Vec<&str> = d.fixes.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "mark api.default public",
            "require IAM authorization on api.default"
        ]
    );
    for fix in &d.fixes {
        let fixed = applied(&src, fix);
        assert!(fixed.starts_with("api default { "), "{fixed}");
        let again = check(&fixed);
        assert!(again.diagnostics.is_empty(), "{fixed}\n{}", render(&again));
    }
}

#[test]
fn w0522_auth_on_the_api_covers_its_routes() {
    let src = format!(
        "api admin {{ auth = iam }}\n{}",
        function(
            "f",
            "  on http \"GET /a\" via api.admin\n  on http \"GET /b\" via api.admin\n"
        )
    );
    let c = check(&src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}

#[test]
fn w0522_public_on_the_api_covers_its_routes() {
    let routes =
        "  on http \"GET /a\" via api.site\n  on http \"POST /b\" via api.site { auth = none }\n";
    let c = check(&format!(
        "api site {{ public = true }}\n{}",
        function("f", routes)
    ));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    // The default API too, declared to configure it.
    let c = check(&format!(
        "api default {{ public = true }}\n{}",
        function("f", "  on http \"GET /a\"\n  on http \"GET /b\"\n")
    ));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    // A route's own `public = false` wins over its API's.
    let c = check(&format!(
        "api site {{ public = true }}\n{}",
        function(
            "f",
            "  on http \"GET /a\" via api.site { public = false }\n"
        )
    ));
    expect_at(&c, Code::W0522, 6);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
}

#[test]
fn w0522_one_diagnostic_for_many_routes() {
    let routes: String = (0..20)
        .map(|i| format!("  on http \"GET /r{i}\" via api.shop\n"))
        .collect();
    let src = format!(
        "api shop {{\n  cors {{ origins = [\"*\"] }}\n}}\n{}",
        function("f", &routes)
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0522, 8);
    assert_eq!(
        d.message,
        "routes `GET /r0` and 19 more of api.shop can be called by anyone"
    );
    assert_eq!(
        d.secondary[0].message,
        "this API sets no `auth`: its routes default to none"
    );
    assert_eq!(line_at(&c, d.secondary[0].span), 1);
    let others: Vec<usize> = d.secondary[1..]
        .iter()
        .map(|l| line_at(&c, l.span))
        .collect();
    assert_eq!(others, (9..=27).collect::<Vec<_>>());
    let text = rendered(&c, Code::W0522);
    // The renderer shows the first labels and counts the rest.
    let shown = text.matches("also without authorization").count();
    let hidden = 19 - shown;
    assert!(
        text.contains(&format!("… and {hidden} more places not shown")),
        "{text}"
    );
    let help = d.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("`public = true` in `api shop { … }` (all its routes)"),
        "{help}"
    );
    assert!(
        help.contains("`on http \"GET /r0\" via api.shop { public = true }` (one route)"),
        "{help}"
    );
    assert!(help.contains("`auth = iam` in `api shop { … }`"), "{help}");
    // Each quick fix adds its attribute on a line of its own in the API's block.
    for (fix, line) in d.fixes.iter().zip(["  public = true\n", "  auth = iam\n"]) {
        assert_eq!(fix.replacement, line);
        let fixed = applied(&src, fix);
        let again = check(&fixed);
        assert!(again.diagnostics.is_empty(), "{fixed}\n{}", render(&again));
    }
}

#[test]
fn w0522_a_url_shared_through_a_template_is_reported_once() {
    let src = format!(
        "template web {{\n  url {{ auth = none }}\n}}\n{}{}",
        function("a", "").replace("function a {", "function a extends web {"),
        function("b", "").replace("function b {", "function b extends web {"),
    );
    let c = check(&src);
    expect_at(&c, Code::W0522, 2);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
}

#[test]
fn w0522_public_true_silences_it() {
    let c = check(&function("u", "  url { auth = none, public = true }\n"));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}

#[test]
fn e0445_https_subscription_to_http() {
    let c = check("topic t { https = [\"http://hooks.example.com/x\"] }\noutput o = topic.t.arn\n");
    let d = expect_at(&c, Code::E0445, 1);
    assert_eq!(
        d.message,
        "`http://hooks.example.com/x` is not an https:// URL"
    );
    assert_eq!(d.fixes[0].replacement, "\"https://hooks.example.com/x\"");
    let text = rendered(&c, Code::E0445);
    assert!(
        text.contains("an `https` subscription needs an https:// endpoint"),
        "{text}"
    );
}

#[test]
fn e0446_control_characters_in_strings_not_in_comments() {
    let src = format!(
        "# a comment with a bell \u{7}\n{}",
        function(
            "f",
            "  env {\n    A1 = \"x\u{1b}[2J\"\n    B1 = \"tab\\there\"\n  }\n"
        )
    );
    let c = check(&src);
    let d = expect_at(&c, Code::E0446, 7);
    assert_eq!(d.message, "control character U+001B (ESC) in a string");
    assert_eq!(d.primary.span.end - d.primary.span.start, 1);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let text = rendered(&c, Code::E0446);
    assert!(text.contains("error[E0446]"), "{text}");
    assert!(
        text.contains("write `\\n` or `\\t` for a line break or a tab"),
        "{text}"
    );
}

#[test]
fn e0446_is_the_only_diagnostic_of_a_string_it_spoils() {
    let src = "queue q from \"arn:aws:sqs:us-east-1:123456789012:q\u{1}\"\n\
               function f {\n  runtime = python3.12\n  handler = \"index.hand\u{1}ler\"\n  \
               code = inline(\"\"\"def handler(e, c): pass\"\"\")\n  name = \"fn\u{1}\"\n  on sqs queue.q\n}\n";
    let c = check(src);
    let lines: Vec<usize> = with_code(&c, Code::E0446).iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![1, 4, 6]);
    assert_eq!(c.diagnostics.len(), 3, "{}", render(&c));
}

#[test]
fn w0507_let_bound_and_shaped_secrets() {
    let src = format!(
        "let db_password = \"correct-horse\"\nlet region = \"eu-west-1\"\n{}",
        function(
            "f",
            "  env {\n    DB     = db_password\n    WHERE  = region\n    HOOK   = \"https://hooks.slack.com/services/T000/B000/XXXX\"\n    SLACK  = \"xoxb-1234567890-abcdefghij\"\n    JWT    = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\"\n    DSN    = \"mysql://root:pw@db/app\"\n    STRIPE = \"sk_live_51HfJ2eKqR8vT3mZ9pL0wX4yB\"\n  }\n"
        )
    );
    let c = check(&src);
    let d = expect_at(&c, Code::W0507, 1);
    assert_eq!(d.message, "`DB` looks like a secret written in plain text");
    assert_eq!(d.secondary[0].message, "set here from `let db_password`");
    assert_eq!(
        expect_at(&c, Code::W0507, 11).primary.message,
        "this looks like a Slack bot token"
    );
    assert_eq!(
        expect_at(&c, Code::W0507, 12).primary.message,
        "this looks like a JSON Web Token"
    );
    assert_eq!(
        expect_at(&c, Code::W0507, 13).primary.message,
        "this URL carries a password"
    );
    assert_eq!(
        expect_at(&c, Code::W0507, 14).primary.message,
        "this looks like a Stripe secret key"
    );
    assert_eq!(c.diagnostics.len(), 5, "{}", render(&c));
    let text = rendered(&c, Code::W0507);
    assert!(text.contains("warning[W0507]"), "{text}");
    assert!(
        text.contains("help: store it in SSM Parameter Store"),
        "{text}"
    );
}

#[test]
fn w0507_parameter_defaults_and_no_echo() {
    let src = format!(
        "param db_password: string = \"hunter22\"\nparam api_key: string {{ secret = true }}\nparam stage: string = \"dev\"\n{}",
        function(
            "f",
            "  env { A1 = param.db_password, A2 = param.api_key, A3 = param.stage }\n"
        )
    );
    let c = check(&src);
    let d = expect_at(&c, Code::W0507, 1);
    assert_eq!(
        d.message,
        "the default of parameter `db_password` looks like a secret written in plain text"
    );
    assert!(d
        .help
        .as_deref()
        .is_some_and(|h| h.contains("`param db_password: string { secret = true }`")));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let model = c.model.as_ref().expect("model");
    let stack = lamc::driver::plan(model, &lamc::driver::PlanOptions::default()).expect("plans");
    let doc: serde_json::Value = serde_json::from_str(&lamc::emit::json(&stack)).expect("json");
    assert_eq!(
        doc["Parameters"]["ApiKey"]["NoEcho"],
        serde_json::json!(true)
    );
    assert!(doc["Parameters"]["Stage"].get("NoEcho").is_none());
}

/// The access checks of existing resources and ARN strings (E0205–E0207, E0497, W0564,
/// W0565), each from source: code, line and the text a user reads.
#[test]
fn access_to_existing_resources_of_other_services() {
    let src = format!(
        "secret db {{ }}\nresource jobs from \"arn:aws:sqs:us-east-1:123456789012:jobs\"\nparameter flag from \"arn:aws:ssm:us-east-1:123456789012:parameter/flag\"\n{}",
        function(
            "f",
            "  allow \"sqs:SendMessage\" on resource.jobs\n  allow \"ssm:GetParameter\" on \"/app/db\"\n  allow \"ssm:GetParameter\" on \"*\"\n  allow [\"ssm:GetParameterz\", \"ssm:DescribeParameters\"] on parameter.flag\n"
        )
    );
    let c = check(&src);
    let d = expect_at(&c, Code::E0205, 1);
    assert_eq!(d.message, "a secret can only be an existing one");
    let d = expect_at(&c, Code::W0565, 2);
    assert_eq!(d.fixes[0].replacement, "queue ");
    let d = expect_at(&c, Code::E0206, 9);
    assert_eq!(d.message, "`/app/db` is not an ARN");
    expect_at(&c, Code::E0207, 10);
    let d = expect_at(&c, Code::E0497, 11);
    assert_eq!(d.fixes[0].replacement, "\"ssm:GetParameter\"");
    let d = expect_at(&c, Code::W0564, 11);
    assert_eq!(
        d.message,
        "`ssm:DescribeParameters` cannot be limited to parameter.flag: it is granted on every resource"
    );
    assert_eq!(c.diagnostics.len(), 6, "{}", render(&c));
    let text = rendered(&c, Code::E0497);
    assert!(
        text.contains("help: did you mean \"ssm:GetParameter\"?"),
        "{text}"
    );
    let text = rendered(&c, Code::W0564);
    assert!(text.contains("# lamc: ignore W0564"), "{text}");
}
