//! What people coming from AWS SAM, CloudFormation and the Serverless Framework write: each
//! gets one diagnostic, at the line it is on, whose rendered help shows lamc's spelling;
//! where the change is mechanical its fix, applied, gives a program without diagnostics.

use crate::check_support;

use check_support::*;
use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::{Code, Diagnostic};
use lamc::driver::Compilation;
use lamc::model::{S3Event, TriggerKind};

/// A program whose function has `line` as its fifth line (besides what each needs).
fn program(line: &str) -> String {
    format!(
        "bucket uploads {{}}\nfunction f {{\n  runtime = nodejs22.x\n  code = inline(\"\"\"exports.handler = async () => 1;\"\"\")\n{line}\n  handler = \"index.handler\"\n  on s3 bucket.uploads\n}}\n"
    )
}

/// The same, with `line` in place of the handler line (for cases about the handler).
fn program_without_handler(line: &str) -> String {
    program(line).replace("  handler = \"index.handler\"\n", "")
}

/// `src` gives exactly one diagnostic, `code` on `line`, whose help is `help` (also in
/// the rendered report); its fix, when `fixed` names the fixed line, turns the program
/// into one with no diagnostic at all.
#[track_caller]
fn case(src: &str, code: Code, line: usize, help: &str, fixed: Option<&str>) {
    let c = check(src);
    let [d] = c.diagnostics.as_slice() else {
        panic!("expected one diagnostic for\n{src}\ngot:\n{}", render(&c));
    };
    assert_eq!((d.code, line_of(&c, d)), (code, line), "{}", render(&c));
    assert_eq!(d.help.as_deref(), Some(help));
    let wide = HumanOptions {
        color: false,
        width: 400,
    };
    let rendered = render_human(&c.diagnostics, &c.sources, &wide);
    assert!(
        rendered.contains(&format!("help: {help}")),
        "help not rendered:\n{rendered}"
    );
    matches_snapshot(&c);
    match fixed {
        Some(want) => {
            let after = apply_fix(&c, d);
            let got = after.lines().nth(line - 1).unwrap_or("");
            assert_eq!(got, want, "fixed program:\n{after}");
            let again = check(&after);
            assert!(
                again.diagnostics.is_empty(),
                "the fix leaves:\n{}\nin\n{after}",
                render(&again)
            );
        }
        None => assert!(d.fixes.is_empty(), "unexpected fix {:?}", d.fixes),
    }
}

thread_local! {
    /// How many cases the running test has snapshotted (each test runs on its own thread).
    static CASES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The case's report as a user sees it equals its snapshot,
/// `tests/ui/snapshots/spelling_TEST_N.snap` (the Nth case of test function TEST).
fn matches_snapshot(c: &Compilation) {
    let n = CASES.with(|k| {
        k.set(k.get() + 1);
        k.get()
    });
    let thread = std::thread::current();
    let test = thread
        .name()
        .and_then(|t| t.rsplit("::").next())
        .unwrap_or("case");
    insta::with_settings!({
        snapshot_path => "ui/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(format!("spelling_{test}_{n}"), user_view(&c.diagnostics, &c.sources));
    });
}

fn apply_fix(c: &Compilation, d: &Diagnostic) -> String {
    let fix = d.fixes.first().expect("a fix");
    let text = &c.sources.get(fix.span.file).text;
    format!(
        "{}{}{}",
        &text[..fix.span.start],
        fix.replacement,
        &text[fix.span.end..]
    )
}

#[test]
fn rates_in_words() {
    case(
        &program("  on schedule rate(1 minute)"),
        Code::E0001,
        5,
        "lamc writes a rate as a duration: `rate(1m)`",
        Some("  on schedule rate(1m)"),
    );
    case(
        &program("  on schedule rate(5 minutes)"),
        Code::E0001,
        5,
        "lamc writes a rate as a duration: `rate(5m)`",
        Some("  on schedule rate(5m)"),
    );
    case(
        &program("  on schedule rate(\"5 minutes\")"),
        Code::E0301,
        5,
        "lamc writes a rate as a duration: `rate(5m)`",
        Some("  on schedule rate(5m)"),
    );
}

#[test]
fn schedules_as_strings_and_unquoted_cron() {
    case(
        &program("  on schedule cron(0/2 * ? * MON-FRI *)"),
        Code::E0001,
        5,
        "the cron expression is a string: `cron(\"0/2 * ? * MON-FRI *\")`",
        Some("  on schedule cron(\"0/2 * ? * MON-FRI *\")"),
    );
    case(
        &program("  on schedule \"rate(5 minutes)\""),
        Code::E0301,
        5,
        "a schedule is a call, not a string: `rate(5m)`",
        Some("  on schedule rate(5m)"),
    );
    case(
        &program("  on schedule \"cron(0 12 * * ? *)\""),
        Code::E0301,
        5,
        "a schedule is a call, not a string: `cron(\"0 12 * * ? *\")`",
        Some("  on schedule cron(\"0 12 * * ? *\")"),
    );
}

#[test]
fn pseudo_parameters_and_framework_variables() {
    case(
        &program("  env { REGION = \"${AWS::Region}\" }"),
        Code::E0001,
        5,
        "lamc writes the pseudo parameter AWS::Region as `${aws.region}`",
        Some("  env { REGION = \"${aws.region}\" }"),
    );
    case(
        &program("  env { ACCOUNT = \"arn:${AWS::AccountId}\" }"),
        Code::E0001,
        5,
        "lamc writes the pseudo parameter AWS::AccountId as `${aws.account_id}`",
        Some("  env { ACCOUNT = \"arn:${aws.account_id}\" }"),
    );
    case(
        &program("  env { STAGE = \"${opt:stage}\" }"),
        Code::E0001,
        5,
        "a value given at deploy time is a parameter: declare `param stage: string` and write `${param.stage}`",
        None,
    );
}

#[test]
fn yaml_habits() {
    case(
        &program("  memory: 512MB"),
        Code::E0001,
        5,
        "lamc writes `=` where YAML writes `:`: `memory = 512MB`",
        Some("  memory = 512MB"),
    );
    case(
        &program("  MemorySize: 1024"),
        Code::E0001,
        5,
        "lamc writes `=` where YAML writes `:`: `memory = 1024MB`",
        Some("  memory = 1024MB"),
    );
    case(
        &program_without_handler("  Handler: index.handler"),
        Code::E0001,
        5,
        "lamc writes `=` where YAML writes `:`: `handler = \"index.handler\"`",
        Some("  handler = \"index.handler\""),
    );
    case(
        &program("  Runtime: nodejs22.x").replace("  runtime = nodejs22.x\n", ""),
        Code::E0001,
        4,
        "lamc writes `=` where YAML writes `:`: `runtime = nodejs22.x`",
        Some("  runtime = nodejs22.x"),
    );
    case(
        &program("  env { TABLE = !Ref Orders }"),
        Code::E0001,
        5,
        "lamc refers to a declaration as `KIND.NAME` (`queue.jobs`), to one of its attributes as `KIND.NAME.ATTR` (`bucket.uploads.arn`) and to a parameter as `param.NAME`",
        None,
    );
    case(
        &program_without_handler("  handler = index.handler"),
        Code::E0301,
        5,
        "quote it: `\"index.handler\"`",
        Some("  handler = \"index.handler\""),
    );
}

#[test]
fn attribute_names_of_sam_and_serverless() {
    case(
        &program("  memorySize = 1024"),
        Code::E0103,
        5,
        "lamc calls this `memory`, with a unit: `memory = 1024MB`",
        Some("  memory = 1024MB"),
    );
    case(
        &program("  MemorySize: 1024").replace("MemorySize:", "MemorySize ="),
        Code::E0103,
        5,
        "lamc calls this `memory`, with a unit: `memory = 1024MB`",
        Some("  memory = 1024MB"),
    );
    case(
        &program("  Timeout = 30"),
        Code::E0103,
        5,
        "lamc calls this `timeout`, with a unit: `timeout = 30s`",
        Some("  timeout = 30s"),
    );
    case(
        &program("  logRetention = 14d"),
        Code::E0103,
        5,
        "lamc calls this `log_retention`",
        Some("  log_retention = 14d"),
    );
    case(
        &program("  reservedConcurrency = 5"),
        Code::E0103,
        5,
        "lamc writes this as `concurrency { reserved = N }`",
        None,
    );
    // A misspelt required attribute is not reported missing as well (one diagnostic).
    case(
        &program_without_handler("  Handler = \"index.handler\""),
        Code::E0103,
        5,
        "lamc calls this `handler`",
        Some("  handler = \"index.handler\""),
    );
    case(
        &program("  on sqs queue.jobs { batchSize = 10 }")
            .replace("bucket uploads {}", "bucket uploads {}\nqueue jobs {}"),
        Code::E0103,
        6,
        "lamc calls this `batch`",
        Some("  on sqs queue.jobs { batch = 10 }"),
    );
}

#[test]
fn values_in_their_units_and_words() {
    case(
        &program("  timeout = 30"),
        Code::E0301,
        5,
        "write 30s",
        Some("  timeout = 30s"),
    );
    case(
        &program("  memory = 1024"),
        Code::E0301,
        5,
        "write 1024MB",
        Some("  memory = 1024MB"),
    );
    case(
        &program("  tracing = true"),
        Code::E0301,
        5,
        "write `tracing = active` (X-Ray traces the function's requests)",
        Some("  tracing = active"),
    );
    case(
        &program("  tracing = false"),
        Code::E0301,
        5,
        "tracing is off unless set: remove the line, or write `tracing = passthrough`",
        Some("  tracing = passthrough"),
    );
}

#[test]
fn express_route_parameters() {
    case(
        &program("  on http \"GET /todos/:id\" { public = true }"),
        Code::W0529,
        5,
        "a path parameter is written `{name}`: `/todos/{id}`",
        Some("  on http \"GET /todos/{id}\" { public = true }"),
    );
    case(
        &program("  on http \"/todos\""),
        Code::E0324,
        5,
        "put the method first: \"GET /todos\" (or \"ANY /todos\" for every method)",
        None,
    );
}

#[test]
fn s3_event_names() {
    // A second bucket, so that the trigger does not overlap the one on `uploads`.
    let with_inbox = |line: &str| {
        program(line).replacen("bucket uploads {}", "bucket uploads {}\nbucket inbox {}", 1)
    };
    case(
        &with_inbox("  on s3 bucket.inbox { events = [s3:ObjectCreated:*] }"),
        Code::E0001,
        6,
        "lamc names the event s3:ObjectCreated:* `created`",
        Some("  on s3 bucket.inbox { events = [created] }"),
    );
    // Quoted, S3's name for the family is the same event as lamc's name.
    let quoted = |events: &str| {
        check(&with_inbox(&format!(
            "  on s3 bucket.inbox {{ events = [{events}] }}"
        )))
    };
    let (theirs, ours) = (quoted("\"s3:ObjectCreated:*\""), quoted("created"));
    assert!(theirs.diagnostics.is_empty(), "{}", render(&theirs));
    let events = |c: &Compilation| -> (Vec<S3Event>, usize) {
        let model = c.model.as_ref().expect("model");
        match &model.functions[0].triggers[0].kind {
            TriggerKind::S3 {
                events, raw_events, ..
            } => (events.iter().map(|e| e.value).collect(), raw_events.len()),
            other => panic!("not an s3 trigger: {other:?}"),
        }
    };
    assert_eq!(events(&theirs), (vec![S3Event::Created], 0));
    assert_eq!(events(&theirs), events(&ours));
}

#[test]
fn cors_methods_as_bare_names() {
    let src = program("  url { auth = iam, cors { origins = [\"*\"], methods = [GET, POST] } }");
    let c = check(&src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let url = c.model.as_ref().and_then(|m| m.functions[0].url.clone());
    let methods: Vec<String> = url
        .and_then(|u| u.cors)
        .map(|cors| cors.methods.into_iter().map(|m| m.value).collect())
        .unwrap_or_default();
    assert_eq!(methods, ["GET", "POST"]);
    case(
        &program("  url { auth = iam, cors { methods = [GET, Post] } }"),
        Code::E0302,
        5,
        "did you mean `POST`? (methods: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)",
        Some("  url { auth = iam, cors { methods = [GET, POST] } }"),
    );
}

#[test]
fn keys_of_a_function_that_lamc_writes_otherwise() {
    case(
        &program("  Events { api = 1 }"),
        Code::E0103,
        5,
        "a trigger is an `on …` line: `on http \"GET /path\"`, `on sqs queue.NAME`, `on schedule rate(5m)`, …",
        None,
    );
    case(
        &program("  iamRoleStatements = []"),
        Code::E0103,
        5,
        "lamc writes each function's role from what it uses; add a permission with `allow [\"s3:GetObject\"] on bucket.NAME`",
        None,
    );
}

#[test]
fn sections_of_serverless_yml_and_sam_templates() {
    // A pasted section is one diagnostic, not one per line indented under it.
    let yaml = "service: orders\nprovider:\n  name: aws\n  runtime: nodejs22.x\n  memorySize: 512\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n";
    let c = check(yaml);
    let got: Vec<(Code, usize, Option<&str>)> = c
        .diagnostics
        .iter()
        .map(|d| (d.code, line_of(&c, d), d.help.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Code::E0101, 1, Some("an application is named by `app NAME { … }`")),
            (
                Code::E0101,
                2,
                Some("what every function shares goes in `defaults { runtime = …, memory = … }`")
            ),
            (
                Code::E0101,
                6,
                Some("each resource is a declaration of its own: `queue NAME {}`, `bucket NAME {}`, `table NAME { key = { id = string } }`, …")
            ),
        ]
    );
}
