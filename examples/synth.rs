//! Generates a synthetic `.lam` app with N functions, for benchmarks and scale tests:
//!
//!     cargo run --example synth -- 1000 > /tmp/big.lam
//!
//! Every function has its own queue (all sharing one dead-letter queue), an SQS trigger,
//! an environment and an error alarm that notifies a topic. Every fifth function also
//! subscribes to a shared `events` topic with a filter and may write to a shared table;
//! every tenth has an HTTP route, a schedule and a duration alarm. `scripts/compare.py`
//! writes the equivalent SAM template for the same N (keep the two in step).
//!
//! The benchmarks include this file as a module and call [`generate`].

use std::fmt::Write;

/// The program text for `n` functions. Deterministic: the same `n` gives the same bytes.
pub fn generate(n: usize) -> String {
    let mut out = String::with_capacity(400 + n * 480);
    out.push_str(
        "app synth {\n  description = \"Synthetic app for benchmarks\"\n  tags = { team = \"bench\" }\n}\n\n\
         defaults {\n  runtime = python3.12\n  architecture = arm64\n  memory = 256MB\n  timeout = 10s\n  log_retention = 14d\n}\n\n\
         topic oncall { email = [\"oncall@example.com\"] }\n\
         topic events {}\n\
         queue dead_letters { retention = 14d }\n\
         table ledger { key = { id = string } }\n\n\
         alarm queue.dead_letters.visible > 0 over 5m notify topic.oncall\n\n",
    );
    for i in 0..n {
        let _ = write!(
            out,
            "queue jobs_{i} {{ visibility = 2m, dead_letter = queue.dead_letters }}\n\n\
             function worker_{i} {{\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(event, context):\n    return {{}}\n\"\"\")\n\
             \x20 env {{ INDEX = \"{i}\", QUEUE_URL = queue.jobs_{i}.url }}\n\
             \x20 on sqs queue.jobs_{i} {{ batch = 10, report_failures = true }}\n\
             \x20 alarm errors >= 5 over 5m notify topic.oncall\n"
        );
        if i % 5 == 0 {
            let _ = write!(
                out,
                "  on sns topic.events {{ filter = {{ shard = [\"{}\"] }} }}\n  allow [\"dynamodb:PutItem\"] on table.ledger\n",
                i % 7
            );
        }
        if i % 10 == 0 {
            let _ = write!(
                out,
                "  on http \"GET /workers/{i}\"\n  on schedule rate({}m)\n  alarm duration.p99 > 2s over 5m for 3 notify topic.oncall\n",
                5 + i % 55
            );
        }
        out.push_str("}\n\n");
    }
    out
}

#[allow(dead_code)] // unused when the benchmarks include this file as a module
fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    print!("{}", generate(n));
}
