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

#[path = "../examples/synth.rs"]
mod synth;
use synth::{extends_chain, let_chain};

const SIZES: &[usize] = &[1_000, 3_000, 10_000];

fn options() -> CheckOptions {
    CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default())
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
