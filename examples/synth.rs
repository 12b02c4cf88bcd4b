//! Generates a synthetic `.lam` app with N functions, for benchmarks and scale tests:
//!
//!     cargo run --example synth -- 1000 > /tmp/big.lam
//!
//! Each function has its own queue (with a shared dead-letter queue), an SQS trigger, an
//! environment, and an alarm; every tenth function also has an HTTP route and a schedule.

use std::fmt::Write;

fn generate(n: usize) -> String {
    let mut out = String::new();
    out.push_str("app synth {\n  description = \"Synthetic app for benchmarks\"\n  tags = { team = \"bench\" }\n}\n\n");
    out.push_str("defaults {\n  runtime = python3.12\n  architecture = arm64\n  memory = 256MB\n  timeout = 10s\n  log_retention = 14d\n}\n\n");
    out.push_str("topic oncall { email = [\"oncall@example.com\"] }\n");
    out.push_str("queue dead_letters { retention = 14d }\n");
    out.push_str("inline_code_marker {}\n");
    out = out.replace("inline_code_marker {}\n", "");
    out.push_str("alarm queue.dead_letters.visible > 0 over 5m notify topic.oncall\n\n");
    for i in 0..n {
        let _ = writeln!(
            out,
            "queue jobs_{i} {{ visibility = 2m, dead_letter = queue.dead_letters }}\n\n\
             function worker_{i} {{\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(event, context):\n    return {{}}\n\"\"\")\n\
             \x20 env {{ INDEX = \"{i}\", QUEUE_URL = queue.jobs_{i}.url }}\n\
             \x20 on sqs queue.jobs_{i} {{ batch = 10, report_failures = true }}\n\
             \x20 alarm errors >= 5 over 5m notify topic.oncall"
        );
        if i % 10 == 0 {
            let _ = writeln!(
                out,
                "  on http \"GET /workers/{i}\"\n  on schedule rate({}m)",
                5 + i % 55
            );
        }
        out.push_str("}\n\n");
    }
    out
}

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    print!("{}", generate(n));
}
