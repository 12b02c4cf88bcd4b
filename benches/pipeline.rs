//! Pipeline benchmarks: parse, check, plan and emit on synthetic apps of 100, 1,000 and
//! 10,000 functions (`examples/synth.rs`, `--full` mix).
//!
//!     cargo bench --no-default-features --bench pipeline
//!     cargo bench --no-default-features --bench pipeline -- 'check/1000'
//!
//! What each benchmark measures:
//! - `parse/N`: `syntax::parse` of the file (pest and tree building).
//! - `check/N`: `driver::check_source`, the whole front end (parse, names, types, limit
//!   rules, sorting diagnostics), as `lamc check` runs it.
//! - `plan/N`: `driver::plan` on the checked model. One stack holds at most 500 resources
//!   (CF-01), about 70 synthetic functions; larger apps are split into nested stacks (the
//!   child templates are rendered in the plan; nothing is written since `artifacts_dir`
//!   is `None`).
//! - `stage_limits/N`, `stage_plan/N`: the whole pipeline as `lamc check` runs it
//!   (`driver::Stage::Limits`: checked, then the stack-level limits: the bounds of
//!   `plan::bounds`, planned and measured only when they do not settle it; nothing
//!   written) and as `lamc build` runs it (`Stage::Plan`: the plan to emit, nested
//!   templates written in memory), both with the placement file a first build writes;
//!   their ratio is the one issue 12 asks to bring to 40 % at 10,000 functions.
//! - `bounds/N`: `plan::bounds::verdict` alone on the checked model and that placement
//!   (what `lamc check` pays for the stack-level limits when the bounds settle them).
//! - `emit_json/N`, `emit_yaml/N`: serializing one template as large as N functions make
//!   (built from planned 50-function pieces with their logical IDs prefixed, so that the
//!   emitter gets the same number and shape of resources in a single document).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use lamc::driver::{check_source, compile_source, CheckOptions, Pipeline, PlanOptions, Stage};
use lamc::plan::Stack;
use lamc::source::FileId;

#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

const SIZES: &[usize] = &[100, 1_000, 10_000];
/// Functions per planned piece of the emit benchmarks (under the 500-resource limit).
const PIECE: usize = 50;

fn options() -> CheckOptions {
    CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default())
}

fn model_of(text: &str) -> lamc::model::Model {
    let comp = check_source("synth.lam".into(), None, text.to_string(), &options());
    assert!(
        !comp.has_errors(),
        "the synthetic app must check cleanly: {:?}",
        comp.diagnostics.first()
    );
    comp.model.expect("a model")
}

/// The placement file a first build of `text` writes.
fn placement_of(text: &str) -> lamc::plan::placement::Placement {
    let planned = lamc::driver::plan_placed(
        &model_of(text),
        &PlanOptions::default(),
        &Default::default(),
    )
    .expect("the synthetic app plans");
    planned.placement.placement.expect("a split app")
}

/// A stack with the resources of `n` synthetic functions (see the module docs).
fn big_stack(n: usize) -> Stack {
    let piece = lamc::driver::plan(
        &model_of(&synth::generate(PIECE, true)),
        &PlanOptions::default(),
    )
    .expect("a 50-function app plans");
    let mut stack = Stack {
        description: piece.description.clone(),
        parameters: piece.parameters.clone(),
        outputs: piece.outputs.clone(),
        ..Stack::default()
    };
    for copy in 0..n.div_ceil(PIECE) {
        for (id, r) in &piece.resources {
            stack.resources.insert(format!("P{copy}{id}"), r.clone());
        }
    }
    stack
}

fn configure<'c>(
    c: &'c mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    g
}

fn pipeline(c: &mut Criterion) {
    let texts: Vec<(usize, String)> = SIZES
        .iter()
        .map(|&n| (n, synth::generate(n, true)))
        .collect();

    let mut g = configure(c, "parse");
    for (n, text) in &texts {
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), text, |b, text| {
            b.iter(|| lamc::syntax::parse(FileId(0), black_box(text)))
        });
    }
    g.finish();

    let mut g = configure(c, "check");
    for (n, text) in &texts {
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), text, |b, text| {
            b.iter(|| {
                check_source(
                    "synth.lam".into(),
                    None,
                    black_box(text).clone(),
                    &options(),
                )
            })
        });
    }
    g.finish();

    let mut g = configure(c, "plan");
    for (n, text) in &texts {
        let model = model_of(text);
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &model, |b, model| {
            b.iter(|| lamc::driver::plan(black_box(model), &PlanOptions::default()))
        });
    }
    g.finish();

    let placed: Vec<(usize, &String, lamc::plan::placement::Placement)> = texts
        .iter()
        .filter(|(n, _)| *n >= 1_000)
        .map(|(n, text)| (*n, text, placement_of(text)))
        .collect();
    let mut g = configure(c, "bounds");
    for (n, text, placement) in &placed {
        let model = model_of(text);
        let memory = lamc::plan::Memory {
            file: Some(placement.clone()),
            ..Default::default()
        };
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &model, |b, model| {
            b.iter(|| lamc::plan::bounds::verdict(black_box(model), &memory))
        });
    }
    g.finish();

    for (name, stage) in [
        ("stage_limits", Stage::Limits),
        ("stage_plan", Stage::Plan(PlanOptions::default())),
    ] {
        let mut g = configure(c, name);
        for (n, text, placement) in &placed {
            let pipeline = Pipeline {
                check: options(),
                stage: stage.clone(),
                placement: lamc::driver::PlacementInput {
                    file: Some(("synth.lam.placement".into(), placement.render("synth.lam"))),
                    ..Default::default()
                },
                ..Pipeline::default()
            };
            g.throughput(Throughput::Elements(*n as u64));
            g.bench_with_input(BenchmarkId::from_parameter(n), *text, |b, text| {
                b.iter(|| {
                    let name = "synth.lam".to_string();
                    compile_source(name, None, black_box(text).clone(), &pipeline, None)
                })
            });
        }
        g.finish();
    }

    let stacks: Vec<(usize, Stack)> = SIZES.iter().map(|&n| (n, big_stack(n))).collect();
    let mut g = configure(c, "emit_json");
    for (n, stack) in &stacks {
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), stack, |b, stack| {
            b.iter(|| lamc::emit::json(black_box(stack)))
        });
    }
    g.finish();
    let mut g = configure(c, "emit_yaml");
    for (n, stack) in &stacks {
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), stack, |b, stack| {
            b.iter(|| lamc::emit::yaml(black_box(stack)))
        });
    }
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
