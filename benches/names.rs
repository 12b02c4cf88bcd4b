//! Checking programs whose names chain: `N` lets each naming the one before
//! (`let l1 = l0`, …) and `N` templates each extending the one before. Checking is linear in
//! `N` (issue 11 item 4: 10,000 chained lets took over a minute when it was quadratic).
//!
//!     cargo bench --no-default-features --bench names
//!     cargo bench --no-default-features --bench names -- 'lets/10000'

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use lamc::driver::{check_source, CheckOptions};

const SIZES: &[usize] = &[1_000, 3_000, 10_000];

fn options() -> CheckOptions {
    CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default())
}

/// `let l0 = 1`, each `lK = lK-1`, and an output of the last.
fn let_chain(n: usize) -> String {
    let mut src = String::from("let l0 = 1\n");
    for i in 1..n {
        src.push_str(&format!("let l{i} = l{}\n", i - 1));
    }
    src.push_str(&format!("output o = l{}\n", n - 1));
    src
}

/// `template t0 { … }`, each `tK extends tK-1`, and a function extending the last.
fn extends_chain(n: usize) -> String {
    let mut src = String::from("template t0 { memory = 256MB }\n");
    for i in 1..n {
        src.push_str(&format!("template t{i} extends t{} {{}}\n", i - 1));
    }
    src.push_str(&format!(
        "function f extends t{} {{\n  runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")\n}}\n",
        n - 1
    ));
    src
}

fn check(c: &mut Criterion, group: &str, generate: fn(usize) -> String) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for &n in SIZES {
        let text = generate(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                check_source(
                    "names.lam".into(),
                    None,
                    black_box(text).clone(),
                    &options(),
                )
            })
        });
    }
    g.finish();
}

fn names(c: &mut Criterion) {
    check(c, "lets", let_chain);
    check(c, "extends", extends_chain);
}

criterion_group!(benches, names);
criterion_main!(benches);
