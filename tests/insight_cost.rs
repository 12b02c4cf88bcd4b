//! `lamc cost`: provisioned concurrency and invocations priced from lamc's table, stated as
//! an estimate with the table's date.

use crate::insight_support::snapshot;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use lamc::insight::cost::{dollars, range_text, Range};
use lamc::insight::prices::{region, SECONDS_PER_MONTH, TABLE_DATE};
use lamc::model::Architecture;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lamc(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").current_dir(dir);
    cmd
}

/// What `lamc cost FILE ARGS` printed, after the exit status is checked to be 0.
fn cost(dir: &Path, file: &str, args: &[&str]) -> String {
    let out = lamc(dir)
        .arg("cost")
        .arg(file)
        .args(args)
        .output()
        .expect("lamc runs");
    assert!(
        out.status.success(),
        "lamc cost failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_examples_are_priced_as_an_estimate_with_the_table_date() {
    let dir = root().join("examples");
    let mut all = String::new();
    for example in ["http-api", "pipeline", "queue-worker", "thumbnails"] {
        let text = cost(
            &dir.join(example),
            "app.lam",
            &["--requests", "3000000", "--duration", "120ms"],
        );
        assert!(text.starts_with("Estimated monthly cost in us-east-1 (an estimate"));
        assert!(text.contains(&format!("lamc's table of {TABLE_DATE}")));
        assert!(text.contains("Free tier, not subtracted: 1,000,000 requests"));
        all.push_str(&format!("== {example}\n{text}"));
    }
    snapshot("cost_examples", &all);
}

#[test]
fn the_same_app_costs_the_same_bytes_twice() {
    let dir = root().join("examples/thumbnails");
    let args = [
        "--region",
        "eu-west-1",
        "--requests",
        "10",
        "--duration",
        "1s",
    ];
    assert_eq!(cost(&dir, "app.lam", &args), cost(&dir, "app.lam", &args));
}

/// An app of one function with provisioned concurrency, in a temporary folder.
fn app(memory: &str, arch: &str, provisioned: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = format!(
        "function f {{\n  runtime = \"python3.12\"\n  handler = \"index.handler\"\n  \
         code = inline(\"def handler(e, c): pass\")\n  memory = {memory}\n  \
         architecture = {arch}\n  concurrency {{ reserved = 100, provisioned = {provisioned} }}\n}}\n"
    );
    std::fs::write(dir.path().join("app.lam"), text).expect("written");
    dir
}

/// The amount on the function's line, computed from the table: instances × GB × month ×
/// the architecture's provisioned rate.
fn expected(mb: u64, arch: Architecture, min: u64, max: u64) -> String {
    let rate = region("us-east-1")
        .expect("priced")
        .rates(arch)
        .provisioned
        .expect("us-east-1 has both architectures");
    let one = mb as f64 / 1024.0 * SECONDS_PER_MONTH * rate;
    range_text(Range {
        min: min as f64 * one,
        max: max as f64 * one,
    })
}

#[test]
fn memory_and_architecture_change_the_price_by_the_table_s_factor() {
    let cases = [
        ("1GB", "x86_64", 1024, Architecture::X86_64),
        ("2GB", "x86_64", 2048, Architecture::X86_64),
        ("2GB", "arm64", 2048, Architecture::Arm64),
        ("640MB", "arm64", 640, Architecture::Arm64),
    ];
    let mut seen = Vec::new();
    for (memory, arch_word, mb, arch) in cases {
        let dir = app(memory, arch_word, "3");
        let text = cost(dir.path(), "app.lam", &[]);
        let want = expected(mb, arch, 3, 3);
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("f (app.lam:1)"))
            .expect("the function's line");
        assert!(
            line.ends_with(&want),
            "{memory} {arch_word}: want {want} in {line}"
        );
        seen.push(want);
    }
    // Doubling the memory doubles it; arm64 is cheaper than x86_64 at the same memory.
    assert_ne!(seen[0], seen[1]);
    assert_ne!(seen[1], seen[2]);
}

#[test]
fn an_auto_scaled_range_shows_its_min_and_max() {
    let dir = app("1GB", "x86_64", "2..20 at 70%");
    let text = cost(dir.path(), "app.lam", &[]);
    let want = expected(1024, Architecture::X86_64, 2, 20);
    assert!(want.contains(" – "));
    assert!(
        text.contains(&format!("2..20 ready (auto-scaled)  {want}")),
        "{text}"
    );
}

#[test]
fn invocations_are_priced_per_request_and_gb_second() {
    let dir = app("1GB", "x86_64", "1");
    let text = cost(
        dir.path(),
        "app.lam",
        &["--requests", "2000000", "--duration", "250ms"],
    );
    let us = region("us-east-1").expect("priced");
    let requests = 2_000_000.0 * us.request;
    // A function with provisioned concurrency is billed its provisioned duration rate.
    let rate = us.x86_64.provisioned_duration.expect("known");
    let duration = 2_000_000.0 * 0.25 * 1.0 * rate;
    let want = format!(
        "requests {} + duration {} (provisioned rate) = {}",
        dollars(requests),
        dollars(duration),
        dollars(requests + duration)
    );
    assert!(text.contains(&want), "{text}");
}

#[test]
fn an_unknown_region_is_a_usage_error_listing_the_known_ones() {
    let dir = root().join("examples/thumbnails");
    let out = lamc(&dir)
        .args(["cost", "app.lam", "--region", "moon-1"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no prices for `moon-1`"), "{err}");
    assert!(
        err.contains("us-east-1") && err.contains("eu-west-1"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_duration_must_be_a_lamc_duration_and_come_with_requests() {
    let dir = root().join("examples/thumbnails");
    for args in [
        &["--requests", "10", "--duration", "120"][..],
        &["--requests", "10", "--duration", "2MB"],
        &["--duration", "120ms"],
    ] {
        let out = lamc(&dir)
            .args(["cost", "app.lam"])
            .args(args)
            .output()
            .expect("lamc runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn an_app_with_errors_is_not_priced() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("app.lam"), "function f { memory = 1 }\n").expect("written");
    let out = lamc(dir.path())
        .args(["cost", "app.lam"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}
