//! `lamc schedule`: the calendar of an app's schedules, daylight-saving changes called out.

use crate::insight_support::snapshot;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lamc(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").current_dir(dir);
    cmd
}

/// The calendar printed for `file` in `dir`, after the exit status is checked to be 0.
fn calendar(dir: &Path, file: &str, args: &[&str]) -> String {
    let out = lamc(dir)
        .arg("schedule")
        .arg(file)
        .args(args)
        .output()
        .expect("lamc runs");
    assert!(
        out.status.success(),
        "lamc schedule failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn fixture() -> PathBuf {
    root().join("tests/insight")
}

#[test]
fn spring_forward_skips_a_local_time_that_does_not_exist() {
    let text = calendar(
        &fixture(),
        "dst.lam",
        &["--from", "2027-03-27T12:00", "--count", "2"],
    );
    assert!(text
        .contains("2027-03-28 Sun 02:30        does not exist (the clocks go forward): skipped"));
    // The skipped time is not one of the two firings.
    assert!(text.contains("2027-03-30 Tue 02:30 CEST   = 2027-03-30 00:30 UTC"));
    assert!(text.contains("SCH-13"));
    snapshot("schedule_dst_spring", &text);
}

#[test]
fn fall_back_fires_once_at_the_first_of_two() {
    let text = calendar(
        &fixture(),
        "dst.lam",
        &["--from", "2027-10-30", "--count", "3"],
    );
    assert!(text.contains(
        "2027-10-31 Sun 02:30 CEST   = 2027-10-31 00:30 UTC  occurs twice (the clocks go back): fires once"
    ));
    assert!(text.contains("2027-11-01 Mon 02:30 CET    = 2027-11-01 01:30 UTC"));
    snapshot("schedule_dst_fall", &text);
}

#[test]
fn one_time_schedules_in_the_past_rules_and_scheduler_and_disabled_are_told_apart() {
    let text = calendar(
        &fixture(),
        "dst.lam",
        &["--from", "2027-03-27T12:00", "--count", "2"],
    );
    assert!(text.contains(
        "2026-01-01 Thu 09:00 JST    = 2026-01-01 00:00 UTC  in the past: a one-time schedule that will not fire"
    ));
    assert!(text.contains(
        "once (dst.lam:16)  at(2027-12-31T23:00:00)\n  EventBridge Scheduler schedule, UTC\n"
    ));
    assert!(text.contains("nightly (dst.lam:8)  rate(12 hours)\n  EventBridge rule, UTC\n"));
    assert!(text.contains("EventBridge rule, UTC, disabled (enabled = false)"));
    // The day after the summer-time change, no DST note is due.
    let quiet = calendar(
        &fixture(),
        "dst.lam",
        &["--from", "2027-04-01", "--count", "2"],
    );
    assert!(!quiet.contains("SCH-13"));
}

#[test]
fn the_examples_calendars() {
    for example in ["thumbnails", "pipeline", "http-api", "queue-worker"] {
        let dir = root().join("examples").join(example);
        let args = ["--from", "2026-11-26", "--count", "3"];
        let first = calendar(&dir, "app.lam", &args);
        assert_eq!(
            first,
            calendar(&dir, "app.lam", &args),
            "{example}: not deterministic"
        );
        snapshot(&format!("schedule_example_{example}"), &first);
    }
}

#[test]
fn firings_start_at_start_and_stop_at_end() {
    let text = calendar(
        &fixture(),
        "window.lam",
        &["--from", "2026-12-01", "--count", "5"],
    );
    assert!(text.contains("fires from 2027-01-01 07:00 UTC until 2027-01-06 00:00 UTC"));
    // A firing at `start` itself counts; none is listed before it or after `end`.
    assert!(text.contains("2027-01-01 Fri 08:00 CET    = 2027-01-01 07:00 UTC"));
    assert!(text.contains("2027-01-05 Tue 08:00 CET    = 2027-01-05 07:00 UTC"));
    assert!(!text.contains("    2026-"), "{text}");
    assert!(!text.contains("2027-01-06 Wed"));
    assert_eq!(text.matches(" CET ").count(), 3, "{text}");
}

#[test]
fn an_app_with_errors_is_reported_not_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bad.lam");
    std::fs::write(
        &file,
        "function f {\n  on schedule cron(\"0 3 * * * *\")\n}\n",
    )
    .expect("write");
    let out = lamc(dir.path())
        .args(["schedule", "bad.lam", "--from", "2027-01-01"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.lam:2"));
}

#[test]
fn a_bad_from_or_count_is_a_usage_error() {
    for args in [["--from", "next week"], ["--count", "0"]] {
        let out = lamc(&fixture())
            .args(["schedule", "dst.lam"])
            .args(args)
            .output()
            .expect("lamc runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
