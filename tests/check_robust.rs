//! No input makes the checker panic: token soups built from the language's own words.

use crate::check_support;

use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "function f",
    "function g",
    "template t",
    "template u",
    "extends t",
    "extends u",
    "extends f",
    "queue q",
    "topic t",
    "bucket b",
    "table tb",
    "stream s",
    "api a",
    "app x",
    "param p: string",
    "param n: number",
    "let l =",
    "let m =",
    "defaults",
    "alarm",
    "output o =",
    "use std.alarms",
    "use \"x.lam\"",
    "{",
    "}",
    "=",
    "\n",
    ",",
    "memory",
    "timeout",
    "runtime",
    "handler",
    "code",
    "env",
    "tags",
    "url",
    "async",
    "concurrency",
    "on http \"GET /x\"",
    "on sqs",
    "on sns",
    "on s3",
    "on dynamodb",
    "on kinesis",
    "on schedule",
    "via api.a",
    "queue.q",
    "topic.t",
    "bucket.b.arn",
    "function.f.url",
    "function.f.errors.p99",
    "queue.q.visible",
    "param.p",
    "l",
    "m",
    "512MB",
    "1.5GB",
    "30s",
    "1500ms",
    "70%",
    "5..50 at 70%",
    "5..50",
    "0",
    "1",
    "99999999999999999999999999",
    "0.000000000000000000000000000001",
    "\"${l}\"",
    "\"${param.p}\"",
    "\"s\"",
    "true",
    "[",
    "]",
    "rate(5m)",
    "cron(\"x\")",
    "at(\"y\")",
    "image(\"i\")",
    "s3(\"a\")",
    "errors",
    ">=",
    ">",
    "over 5m",
    "for 2 of 3",
    "notify topic.t",
    "allow [\"s3:*\"] on bucket.b",
    "python3.12",
    "arm64",
    "key",
    "= { id = string }",
    "dead_letter",
    "metric",
    "op",
    "threshold",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    #[test]
    fn checker_never_panics(picks in proptest::collection::vec(0..TOKENS.len(), 0..60)) {
        let src: Vec<&str> = picks.iter().map(|i| TOKENS[*i]).collect();
        let c = check_support::check(&src.join(" "));
        prop_assert!(c.model.is_some());
    }
}

#[test]
fn structured_programs_never_panic() {
    // Well-formed declarations around broken bodies exercise the lowering paths.
    for body in TOKENS.windows(4) {
        let src = format!("let l = m\nlet m = l\nfunction f extends t {{\n  {}\n}}\ntemplate t extends t {{ {} }}\n", body.join(" "), body.join(" "));
        let c = check_support::check(&src);
        assert!(c.model.is_some());
    }
}
