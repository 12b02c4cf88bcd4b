//! Generates a synthetic `.lam` app with N functions, for benchmarks and scale tests:
//!
//!     cargo run --example synth -- 1000 > /tmp/big.lam
//!
//!     cargo run --example synth -- 1000 --full > /tmp/big.lam
//!
//! Every function has its own queue (all sharing one dead-letter queue), an SQS trigger,
//! an environment and an error alarm that notifies a topic; every tenth also has an HTTP
//! route and a schedule. With `--full` (the mix the benchmarks and `scripts/compare.py`
//! use), every fifth function also subscribes to a shared `events` topic with a filter and
//! may write to a shared table, and every tenth gets a p99 duration alarm;
//! `scripts/compare.py` writes the equivalent SAM template (keep the two in step). The
//! plain mix stays as it was: tests pin how its apps split into nested stacks.
//!
//! The benchmarks include this file as a module and call [`generate`].

use std::fmt::Write;

/// The program text for `n` functions, with the `--full` mix or not. Deterministic: the
/// same arguments give the same bytes.
pub fn generate(n: usize, full: bool) -> String {
    let mut out = String::with_capacity(400 + n * 480);
    out.push_str(
        "app synth {\n  description = \"Synthetic app for benchmarks\"\n  tags = { team = \"bench\" }\n}\n\n\
         defaults {\n  runtime = python3.12\n  architecture = arm64\n  memory = 256MB\n  timeout = 10s\n  log_retention = 14d\n}\n\n\
         topic oncall { email = [\"oncall@example.com\"] }\n",
    );
    if full {
        out.push_str("topic events {}\n");
    }
    out.push_str("queue dead_letters { retention = 14d }\n");
    if full {
        out.push_str("table ledger { key = { id = string } }\n\n");
    }
    out.push_str("alarm queue.dead_letters.visible > 0 over 5m notify topic.oncall\n\n");
    for i in 0..n {
        let _ = write!(
            out,
            "queue jobs_{i} {{ visibility = 2m, dead_letter = queue.dead_letters }}\n\n\
             function worker_{i} {{\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(event, context):\n    return {{}}\n\"\"\")\n\
             \x20 env {{ INDEX = \"{i}\", QUEUE_URL = queue.jobs_{i}.url }}\n\
             \x20 on sqs queue.jobs_{i} {{ batch = 10, report_failures = true }}\n\
             \x20 alarm errors >= 5 over 5m notify topic.oncall\n"
        );
        if full && i % 5 == 0 {
            let _ = write!(
                out,
                "  on sns topic.events {{ filter = {{ shard = [\"{}\"] }} }}\n  allow [\"dynamodb:PutItem\"] on table.ledger\n",
                i % 7
            );
        }
        if i % 10 == 0 {
            let _ = write!(
                out,
                "  on http \"GET /workers/{i}\" {{ public = true }}\n  on schedule rate({}m)\n",
                5 + i % 55
            );
            if full {
                out.push_str("  alarm duration.p99 > 2s over 5m for 3 notify topic.oncall\n");
            }
        }
        out.push_str("}\n\n");
    }
    out
}

/// `let l0 = 1`, each `lK = lK-1`, and an output of the last: a chain of `n` lets.
#[allow(dead_code)] // each file including this one uses some of the generators
pub fn let_chain(n: usize) -> String {
    let mut src = String::from("let l0 = 1\n");
    for i in 1..n {
        src.push_str(&format!("let l{i} = l{}\n", i - 1));
    }
    src.push_str(&format!("output o = l{}\n", n - 1));
    src
}

/// `template t0 { … }`, each `tK extends tK-1`, and a function extending the last that
/// reports nothing: a chain of `n` templates.
#[allow(dead_code)] // each file including this one uses some of the generators
pub fn extends_chain(n: usize) -> String {
    let mut src = String::from("template t0 { memory = 256MB }\n");
    for i in 1..n {
        src.push_str(&format!("template t{i} extends t{} {{}}\n", i - 1));
    }
    src.push_str(&format!(
        "function f extends t{} {{\n  runtime = python3.12\n  handler = \"index.handler\"\n  \
         code = inline(\"\"\"def handler(e, c): pass\"\"\")\n}}\n",
        n - 1
    ));
    src
}

#[allow(dead_code)] // unused when the benchmarks include this file as a module
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1000);
    let full = args.iter().any(|a| a == "--full");
    print!("{}", generate(n, full));
}
