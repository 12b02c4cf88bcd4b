//! `lamc check` finds what `lamc build` finds: the stack-level limits too. For every
//! failing case of the UI corpus, the pipeline run to `Stage::Limits` (what `check` and
//! the language server on save run) and to `Stage::Plan` (what `build` runs, writing to
//! a temporary artifacts folder) report the same codes at the same lines, and the corpus
//! holds cases of each stack-level code, so that the comparison covers them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lamc::driver::{compile_path, CheckOptions, Pipeline, PlacementInput, PlanOptions, Stage};

/// Codes only planning finds: over CloudFormation's limits, dependency cycles, placement
/// file lines, code folders that cannot be zipped.
const STACK_LEVEL: [&str; 3] = ["E0413", "E0439", "E0441"];

fn fail_cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/fail");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/ui/fail")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lam"))
        .collect();
    out.sort();
    out
}

/// `(code, file name, line)` of every diagnostic, with the stage's plan dropped.
fn reported(path: &Path, stage: Stage) -> BTreeSet<(String, String, usize)> {
    let pipeline = Pipeline {
        check: CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")),
        stage,
        placement: PlacementInput::read(path, false).expect("placement file"),
        ..Pipeline::default()
    };
    let comp = compile_path(path, &pipeline).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    comp.diagnostics
        .iter()
        .map(|d| {
            let file = comp.sources.get(d.primary.span.file);
            let line = file.line_col(d.primary.span.start).line;
            let name = Path::new(&file.name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (d.code.as_str().to_string(), name, line)
        })
        .collect()
}

#[test]
fn check_reports_what_build_reports_for_every_failing_case() {
    let artifacts = tempfile::tempdir().expect("temp dir");
    let mut seen = BTreeSet::new();
    for path in fail_cases() {
        let checked = reported(&path, Stage::Limits);
        let built = reported(
            &path,
            Stage::Plan(PlanOptions {
                artifacts_dir: Some(artifacts.path().to_path_buf()),
                ..PlanOptions::default()
            }),
        );
        assert_eq!(checked, built, "{}", path.display());
        seen.extend(
            built
                .iter()
                .filter(|(code, _, _)| STACK_LEVEL.contains(&code.as_str()))
                .map(|(code, _, _)| code.clone()),
        );
        // Stage::Check, the language server while the text changes, finds none of them.
        let typed = reported(&path, Stage::Check);
        assert!(
            typed
                .iter()
                .all(|(c, _, _)| !STACK_LEVEL.contains(&c.as_str())),
            "{}: {typed:?}",
            path.display()
        );
    }
    assert_eq!(
        seen,
        STACK_LEVEL.map(String::from).into(),
        "cases of each code"
    );
}
