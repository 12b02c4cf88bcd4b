//! W0556, the static recursive-loop check, triggered from source: code, line, message,
//! labels and the rendered text a user sees.

use crate::check_support::{check, expect_at, render, with_code};

use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::{Code, Diagnostic};
use lamc::driver::Compilation;

/// A clean function body (inline code, so no folder is needed).
const BODY: &str = "  runtime = python3.12\n  handler = \"index.handler\"\n  code    = inline(\"\"\"def handler(e, c): pass\"\"\")\n";

fn function(name: &str, extra: &str) -> String {
    format!("function {name} {{\n{BODY}{extra}}}\n")
}

/// The human rendering of the W0556 diagnostics, without colours.
fn rendered(c: &Compilation) -> String {
    let diags: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::W0556)
        .cloned()
        .collect();
    render_human(&diags, &c.sources, &HumanOptions::default())
}

/// Each label as (1-based line, text), the primary first.
fn labels(c: &Compilation, d: &Diagnostic) -> Vec<(usize, String)> {
    let line = |span: lamc::source::Span| c.sources.get(span.file).line_col(span.start).line;
    std::iter::once(&d.primary)
        .chain(&d.secondary)
        .map(|l| (line(l.span), l.message.clone()))
        .collect()
}

#[test]
fn a_function_writing_to_its_own_queue() {
    let src = format!(
        "queue jobs {{}}\n{}",
        function(
            "worker",
            "  on sqs queue.jobs\n  allow [\"sqs:ReceiveMessage\", \"sqs:SendMessage\"] on queue.jobs\n"
        )
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 7);
    assert_eq!(d.message, "recursive loop: worker → queue.jobs → worker");
    assert_eq!(
        labels(&c, d),
        vec![
            (7, "`worker` writes to queue.jobs here".to_string()),
            (6, "this triggers `worker`".to_string()),
        ]
    );
    let text = rendered(&c);
    assert!(text.contains("warning[W0556]"), "{text}");
    assert!(
        text.contains("help: send the output to another queue, topic, bucket, table or stream"),
        "{text}"
    );
    assert!(text.contains("`recursion = allow` on `worker`"), "{text}");
}

#[test]
fn wildcard_actions_count_for_the_writes_they_match() {
    let src = format!(
        "queue jobs {{}}\nbucket media {{}}\n{}{}",
        function(
            "requeue",
            "  on sqs queue.jobs\n  allow \"sqs:Send*\" on queue.jobs\n"
        ),
        function(
            "resize",
            "  on s3 bucket.media\n  allow \"s3:*\" on bucket.media\n"
        )
    );
    let c = check(&src);
    let d = expect_at(&c, Code::W0556, 8);
    assert_eq!(
        d.primary.message,
        "`requeue` writes to queue.jobs here (`sqs:Send*` covers `sqs:SendMessage`)"
    );
    let d = expect_at(&c, Code::W0556, 15);
    assert_eq!(d.message, "recursive loop: resize → bucket.media → resize");
    assert_eq!(
        d.primary.message,
        "`resize` writes to bucket.media here (`s3:*` covers `s3:PutObject`)"
    );
    // `s3:*` also draws W0521; nothing else.
    assert_eq!(with_code(&c, Code::W0556).len(), 2, "{}", render(&c));
    assert_eq!(c.diagnostics.len(), 3, "{}", render(&c));
}

#[test]
fn s3_overlapping_filters_loop_and_other_events_do_not() {
    let src = format!(
        "bucket photos {{}}\n{}{}",
        function(
            "thumbs",
            "  on s3 bucket.photos {\n    prefix = \"in/\"\n    suffix = \".jpg\"\n  }\n  allow [\"s3:GetObject\", \"s3:PutObject\"] on bucket.photos\n"
        ),
        // Deleting objects causes `removed` events; its trigger listens to `created` ones.
        function(
            "cleanup",
            "  on s3 bucket.photos { prefix = \"tmp/\" }\n  allow \"s3:DeleteObject\" on bucket.photos\n"
        )
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 10);
    assert_eq!(
        labels(&c, d)[1],
        (
            6,
            "this triggers `thumbs` (keys starting \"in/\" and ending \".jpg\")".to_string()
        )
    );
}

#[test]
fn a_removal_trigger_fed_by_deletes_loops() {
    let src = format!(
        "bucket photos {{}}\n{}",
        function(
            "cleanup",
            "  on s3 bucket.photos { events = [removed] }\n  allow \"s3:DeleteObject\" on bucket.photos\n"
        )
    );
    let c = check(&src);
    expect_at(&c, Code::W0556, 7);
}

#[test]
fn two_functions_through_a_topic_and_a_queue() {
    let src = format!(
        "queue audit {{}}\ntopic done {{}}\n{}{}",
        function(
            "publisher",
            "  on sqs queue.audit\n  allow \"sns:Publish\" on topic.done\n"
        ),
        function(
            "collector",
            "  on sns topic.done\n  allow \"sqs:SendMessage\" on queue.audit\n"
        )
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 8);
    assert_eq!(
        d.message,
        "recursive loop: publisher → topic.done → collector → queue.audit → publisher"
    );
    assert_eq!(
        labels(&c, d),
        vec![
            (8, "`publisher` writes to topic.done here".to_string()),
            (14, "this triggers `collector`".to_string()),
            (15, "`collector` writes to queue.audit here".to_string()),
            (7, "this triggers `publisher`".to_string()),
        ]
    );
    assert_eq!(
        d.help.as_deref(),
        Some(
            "send the output to another queue, topic, bucket, table or stream than the one that triggers the loop; if the loop is intended, set `recursion = allow` on each of `publisher`, `collector`"
        )
    );
    let text = rendered(&c);
    assert!(
        text.contains("warning[W0556]: recursive loop: publisher → topic.done"),
        "{text}"
    );
    assert!(text.contains("╰── this triggers `collector`"), "{text}");
}

#[test]
fn a_loop_of_three_is_reported_once_at_its_first_function() {
    let src = format!(
        "queue a {{}}\nqueue b {{}}\nqueue c {{}}\n{}{}{}",
        function(
            "third",
            "  on sqs queue.c\n  allow \"sqs:SendMessage\" on queue.a\n"
        ),
        function(
            "first",
            "  on sqs queue.a\n  allow \"sqs:SendMessage\" on queue.b\n"
        ),
        function(
            "second",
            "  on sqs queue.b\n  allow \"sqs:SendMessage\" on queue.c\n"
        )
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 9);
    assert_eq!(
        d.message,
        "recursive loop: third → queue.a → first → queue.b → second → queue.c → third"
    );
    assert_eq!(labels(&c, d).len(), 6);
}

#[test]
fn a_destination_loop_and_a_destination_that_never_fires() {
    let src = format!(
        "topic events {{}}\nqueue jobs {{}}\n{}{}",
        function(
            "notify",
            "  on sns topic.events\n  async { on_failure = topic.events }\n"
        ),
        // SQS invokes synchronously: asynchronous destinations are never used.
        function(
            "worker",
            "  on sqs queue.jobs\n  async { on_success = queue.jobs }\n"
        )
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 8);
    assert_eq!(
        d.primary.message,
        "`notify` writes to topic.events here (its `on_failure` destination)"
    );
}

#[test]
fn a_dead_letter_topic_that_triggers_the_function() {
    let src = format!(
        "topic events {{}}\nqueue jobs {{}}\n{}{}",
        function(
            "notify",
            "  on sns topic.events\n  dead_letter = topic.events\n"
        ),
        // SQS invokes synchronously: the dead-letter queue is never used.
        function(
            "worker",
            "  on sqs queue.jobs\n  dead_letter = queue.jobs\n"
        )
    );
    let c = check(&src);
    let loops = with_code(&c, Code::W0556);
    assert_eq!(loops.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 8);
    assert_eq!(d.message, "recursive loop: notify → topic.events → notify");
    assert_eq!(
        labels(&c, d),
        vec![
            (
                8,
                "`notify` writes to topic.events here (its `dead_letter`, the failed asynchronous events)"
                    .to_string()
            ),
            (7, "this triggers `notify`".to_string()),
        ]
    );
}

#[test]
fn functions_invoking_each_other() {
    let src = format!(
        "{}{}",
        function("ping", "  async { on_success = function.pong }\n"),
        function(
            "pong",
            "  allow \"lambda:InvokeFunction\" on function.ping\n"
        )
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 5);
    assert_eq!(
        d.message,
        "recursive loop: ping → function.pong → pong → function.ping → ping"
    );
    assert_eq!(
        labels(&c, d)[1],
        (7, "this is `pong`, invoked directly".to_string())
    );
}

#[test]
fn read_only_allows_make_no_loop() {
    let src = format!(
        "queue jobs {{}}\ntable orders {{ key = {{ id = string }}, stream = new }}\n{}",
        function(
            "reader",
            "  on sqs queue.jobs\n  on dynamodb table.orders\n  allow [\"sqs:ReceiveMessage\", \"sqs:Get*\"] on queue.jobs\n  allow [\"dynamodb:GetItem\", \"dynamodb:Query\"] on table.orders\n"
        )
    );
    let c = check(&src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}

#[test]
fn table_streams_and_failed_batches_loop() {
    let src = |extra: &str| {
        format!(
            "table orders {{ key = {{ id = string }}, stream = new }}\nqueue failed {{}}\n{}",
            function(
                "audit",
                &format!("  on dynamodb table.orders {{ on_failure = queue.failed }}\n  on sqs queue.failed\n{extra}")
            )
        )
    };
    // Records of failed batches go to a queue that triggers the function again.
    let c = check(&src(""));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 7);
    assert_eq!(
        d.primary.message,
        "`audit` writes to queue.failed here (the records of failed batches)"
    );
    // Its own writes to the table come first: the loop is drawn through them.
    let c = check(&src("  allow \"dynamodb:UpdateItem\" on table.orders\n"));
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 9);
    assert_eq!(d.message, "recursive loop: audit → table.orders → audit");
}

#[test]
fn recursion_allow_on_every_function_marks_the_loop_intended() {
    let pair = |a: &str, b: &str| {
        format!(
            "queue audit {{}}\ntopic done {{}}\n{}{}",
            function(
                "publisher",
                &format!("{a}  on sqs queue.audit\n  allow \"sns:Publish\" on topic.done\n")
            ),
            function(
                "collector",
                &format!("{b}  on sns topic.done\n  allow \"sqs:SendMessage\" on queue.audit\n")
            )
        )
    };
    let allow = "  recursion = allow\n";
    let c = check(&pair(allow, allow));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let c = check(&pair(allow, ""));
    assert_eq!(with_code(&c, Code::W0556).len(), 1, "{}", render(&c));
    let c = check(&pair("  recursion = terminate\n", allow));
    assert_eq!(with_code(&c, Code::W0556).len(), 1, "{}", render(&c));
}

#[test]
fn recursion_allow_from_defaults_counts() {
    let src = format!(
        "defaults {{ recursion = allow }}\nqueue jobs {{}}\n{}",
        function(
            "worker",
            "  on sqs queue.jobs\n  allow \"sqs:SendMessage\" on queue.jobs\n"
        )
    );
    let c = check(&src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}

#[test]
fn a_long_chain_closing_into_a_loop_stays_fast_and_short() {
    let n = 3_000;
    let mut src = String::new();
    for i in 0..n {
        let next = (i + 1) % n;
        src.push_str(&format!("queue q{i} {{}}\n"));
        src.push_str(&function(
            &format!("f{i}"),
            &format!("  on sqs queue.q{i}\n  allow \"sqs:SendMessage\" on queue.q{next}\n"),
        ));
    }
    let started = std::time::Instant::now();
    let c = check(&src);
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    let loops = with_code(&c, Code::W0556);
    assert_eq!(loops.len(), 1, "{}", render(&c));
    let d = loops[0].1;
    assert!(
        d.message
            .starts_with("recursive loop: f0 → queue.q1 → f1 → "),
        "{}",
        d.message
    );
    assert!(d.message.len() < 200, "{}", d.message);
    assert!(d.secondary.len() < 20, "{} labels", d.secondary.len());
}

#[test]
fn an_intended_loop_does_not_hide_an_unintended_one_beside_it() {
    // `requeue` loops on its own queue on purpose; it also feeds `mirror`, which feeds it back.
    let src = format!(
        "queue jobs {{}}\nqueue copies {{}}\n{}{}",
        function(
            "requeue",
            "  recursion = allow\n  on sqs queue.jobs\n  allow \"sqs:SendMessage\" on queue.jobs\n  allow \"sqs:SendMessage\" on queue.copies\n"
        ),
        function("mirror", "  on sqs queue.copies\n  allow \"sqs:SendMessage\" on queue.jobs\n")
    );
    let c = check(&src);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    let d = expect_at(&c, Code::W0556, 17);
    assert_eq!(
        d.message,
        "recursive loop: mirror → queue.jobs → requeue → queue.copies → mirror"
    );
}
