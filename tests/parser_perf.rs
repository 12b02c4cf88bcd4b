//! Parsing stays linear: a 1,000-function file parses quickly (the figure printed here is
//! the one to watch in release builds; the bound is loose enough for debug builds).

use lamc::source::FileId;
use lamc::syntax::parse;
use std::fmt::Write;
use std::time::Instant;

fn generated(functions: usize) -> String {
    let mut text =
        String::from("use std.alarms\nqueue jobs { visibility = 180s }\ntopic oncall {}\n");
    for i in 0..functions {
        let _ = write!(
            text,
            r#"
# function number {i}
function worker_{i} extends standard_alarms {{
  runtime = python3.12
  handler = "worker_{i}.handler"
  code    = "src/worker_{i}"
  memory  = 512MB
  timeout = 30s
  env {{ INDEX = "{i}", QUEUE = "${{queue.jobs.url}}" }}
  allow ["sqs:SendMessage"] on queue.jobs
  on sqs queue.jobs {{ batch = 10, window = 5s }}
  concurrency {{ reserved = 10, provisioned = 1..5 at 70% }}
  alarm duration.p99 > 20s over 5m for 3 of 5 notify topic.oncall
}}
"#
        );
    }
    text
}

#[test]
fn thousand_functions_parse_fast() {
    let text = generated(1000);
    let start = Instant::now();
    let (file, diags) = parse(FileId(0), &text);
    let took = start.elapsed();
    eprintln!(
        "parsed {} bytes, {} items in {:.2} ms",
        text.len(),
        file.items.len(),
        took.as_secs_f64() * 1000.0
    );
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(file.items.len(), 1003);
    assert_eq!(file.comments.len(), 1000);
    assert!(took.as_secs() < 20, "took {took:?}");
}

#[test]
fn time_grows_linearly() {
    let small = generated(250);
    let large = generated(2000);
    // The best of three runs, so that a busy machine does not decide the result.
    let time = |t: &str| {
        (0..3)
            .map(|_| {
                let start = Instant::now();
                let _ = parse(FileId(0), t);
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    // 8× the input must not take anywhere near 64× the time.
    let (s, l) = (time(&small), time(&large));
    assert!(l < s * 30.0, "250 fns: {s:.4}s, 2000 fns: {l:.4}s");
}
