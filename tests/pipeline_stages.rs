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

/// A measured plan (what `lamc check` makes) sizes every template as the emitted one:
/// the same children with the same usage of each limit, the same root usage, the same
/// placement, on an app split afresh and on one whose placement file overfills a child
/// (found over CFN-06 only once measured, so the split tries again).
#[test]
fn a_measured_plan_has_the_sizes_of_the_emitted_one() {
    use lamc::artifacts::{Packaging, Packed};
    use lamc::plan::{code_requests, placement::Placement, plan_placed, Goal, Memory, Usage};

    let code = format!(
        "def handler(event, context):\n    return {{}}\n{}",
        "#\n".repeat(10_000)
    );
    let mut big =
        String::from("defaults {\n  runtime = python3.12\n  handler = \"index.handler\"\n}\n\n");
    let mut placement = String::new();
    for i in 0..60 {
        big.push_str(&format!(
            "function big_{i} {{\n  code = inline(\"\"\"{code}\"\"\")\n  env {{ INDEX = \"{i}\" }}\n}}\n\n"
        ));
        placement.push_str(&format!("big_{i} = NestedStack1\n"));
    }
    let cases = [
        (crate::synth::generate(150, true), None),
        (big, Some(placement)),
    ];
    for (source, placement) in cases {
        let opts = CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
        let comp = lamc::driver::check_source("app.lam".into(), None, source, &opts);
        assert!(!comp.has_errors(), "{:?}", comp.diagnostics);
        let model = comp.model.expect("model");
        let memory = Memory {
            file: placement
                .map(|p| Placement::parse(&p, lamc::source::FileId(1)).expect("placement")),
            ..Memory::default()
        };
        let code = Packed::pack(code_requests(&model), &Packaging::default());
        let emitted = plan_placed(&model, &code, &memory, Goal::Emit).expect("plans");
        let measured = plan_placed(&model, &code, &memory, Goal::Measure).expect("plans");
        assert!(!emitted.stack.children.is_empty(), "the app is split");
        assert_eq!(measured.placement, emitted.placement);
        assert_eq!(Usage::of(&measured.stack), Usage::of(&emitted.stack));
        let usages = |p: &lamc::plan::Planned| -> Vec<(String, Usage)> {
            p.stack
                .children
                .iter()
                .map(|c| (c.logical_id.clone(), c.usage))
                .collect()
        };
        assert_eq!(usages(&measured), usages(&emitted));
        assert!(measured.stack.children.iter().all(|c| c.bytes.is_empty()));
    }
}
