//! `lamc check` and `lamc build` agree on every stack-level diagnostic (E0413, E0439), on
//! generated apps on both sides of each limit: parameters and outputs (which stay in the
//! root), resources and bytes of the one-stack template (split or not), a function too
//! large for a nested stack of its own, a root that keeps too much, a placement file that
//! overfills a child, and dependency cycles that a name breaks or does not.
//!
//! `check` runs the pipeline to `Stage::Limits`, which may take cheaper paths than the
//! plan `build` emits; whatever path it takes, it must report exactly what `build` does
//! (same codes, spans and messages), never a limit `build` would not hit, and never miss
//! one it would.

use chrono::NaiveDate;
use lamc::driver::{compile_source, CheckOptions, Pipeline, PlacementInput, PlanOptions, Stage};

const HEAD: &str = "defaults {\n  runtime = python3.12\n  handler = \"index.handler\"\n}\n\n";

/// Every diagnostic as `(code, start, end, message)`, in the pipeline's order.
fn reported(
    source: &str,
    placement: Option<&str>,
    stage: Stage,
) -> Vec<(String, usize, usize, String)> {
    let pipeline = Pipeline {
        check: CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")),
        stage,
        placement: PlacementInput {
            file: placement.map(|p| ("app.lam.placement".into(), p.to_string())),
            ..PlacementInput::default()
        },
        ..Pipeline::default()
    };
    let (comp, _) = compile_source("app.lam".into(), None, source.to_string(), &pipeline, None)
        .expect("compiles");
    comp.diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_string(),
                d.primary.span.start,
                d.primary.span.end,
                d.message.clone(),
            )
        })
        .collect()
}

/// Check and build report the same on `source`; returns the error codes build reports
/// (warnings, such as unused declarations, are compared but not returned).
fn agree(what: &str, source: &str, placement: Option<&str>) -> Vec<String> {
    let checked = reported(source, placement, Stage::Limits);
    let built = reported(source, placement, Stage::Plan(PlanOptions::default()));
    assert_eq!(checked, built, "{what}: check and build disagree");
    built
        .into_iter()
        .map(|d| d.0)
        .filter(|code| code.starts_with('E'))
        .collect()
}

fn inline_function(name: &str, code_bytes: usize, body: &str) -> String {
    let code = format!(
        "def handler(event, context):\n    return {{}}\n{}",
        "#\n".repeat(code_bytes / 2)
    );
    format!("function {name} {{\n  code = inline(\"\"\"{code}\"\"\")\n{body}}}\n\n")
}

/// `n` parameters (CFN-03: 200), each used by one of a few functions.
fn parameters(n: usize) -> String {
    let mut out = String::from(HEAD);
    for i in 0..n {
        out.push_str(&format!("param p{i}: string = \"v\"\n"));
    }
    for (k, chunk) in (0..n).collect::<Vec<_>>().chunks(50).enumerate() {
        let env: String = chunk
            .iter()
            .map(|i| format!("    P{i} = param.p{i}\n"))
            .collect();
        out.push_str(&inline_function(
            &format!("f{k}"),
            0,
            &format!("  env {{\n{env}  }}\n"),
        ));
    }
    out
}

/// `n` outputs (CFN-02: 200).
fn outputs(n: usize) -> String {
    let mut out = String::from(HEAD);
    out.push_str(&inline_function("f", 0, ""));
    for i in 0..n {
        out.push_str(&format!("queue q{i} {{}}\noutput o{i} = queue.q{i}.url\n"));
    }
    out
}

/// `n` functions of 20 KB of inline code each (30 KB once escaped in JSON): the one-stack
/// template crosses CFN-06 (1,000,000 bytes) near 33 of them.
fn heavy_functions(n: usize) -> String {
    let mut out = String::from(HEAD);
    for i in 0..n {
        out.push_str(&inline_function(
            &format!("big_{i}"),
            20_000,
            &format!("  env {{ INDEX = \"{i}\" }}\n"),
        ));
    }
    out
}

/// `n` queues no function names (they stay in the root) beside one function.
fn root_queues(n: usize) -> String {
    let mut out = String::from(HEAD);
    out.push_str(&inline_function("f", 0, ""));
    for i in 0..n {
        out.push_str(&format!("queue q{i} {{}}\n"));
    }
    out
}

/// A ring of `n` dead-letter queues, each a function's trigger (E0439: no name breaks it),
/// or a chain when `closed` is false.
fn dead_letters(n: usize, closed: bool) -> String {
    let mut out = String::from(HEAD);
    for i in 0..n {
        let next = (i + 1) % n;
        if closed || next != 0 {
            out.push_str(&format!("queue q{i} {{ dead_letter = queue.q{next} }}\n"));
        } else {
            out.push_str(&format!("queue q{i} {{}}\n"));
        }
        out.push_str(&inline_function(
            &format!("f{i}"),
            0,
            &format!("  on sqs queue.q{i}\n"),
        ));
    }
    out
}

/// `n` functions each notified by a bucket it names in its environment (a cycle that
/// naming the bucket breaks), one of them also naming its own URL (one that none does)
/// when `own_url`.
fn buckets(n: usize, own_url: bool) -> String {
    let mut out = String::from(HEAD);
    for i in 0..n {
        let body = if own_url && i == n / 2 {
            format!(
                "  on s3 bucket.b{i}\n  env {{ BUCKET = bucket.b{i}.name, SELF = function.f{i}.url }}\n  url {{ auth = iam }}\n"
            )
        } else {
            format!("  on s3 bucket.b{i}\n  env {{ BUCKET = bucket.b{i}.name }}\n")
        };
        out.push_str(&format!("bucket b{i} {{}}\n"));
        out.push_str(&inline_function(&format!("f{i}"), 0, &body));
    }
    out
}

#[test]
fn parameters_and_outputs_either_side_of_200() {
    for n in [199, 200, 201] {
        let over = n > 200;
        let codes = agree(&format!("{n} parameters"), &parameters(n), None);
        assert_eq!(
            codes.contains(&"E0413".to_string()),
            over,
            "{n} parameters: {codes:?}"
        );
        let codes = agree(&format!("{n} outputs"), &outputs(n), None);
        assert_eq!(
            codes.contains(&"E0413".to_string()),
            over,
            "{n} outputs: {codes:?}"
        );
    }
}

#[test]
fn resources_either_side_of_one_template() {
    // The plain synthetic mix: about 7 resources a function, so one template ends near
    // 70 functions; past it the app is split, which is no error.
    for n in [60, 68, 69, 70, 71, 72, 80, 150] {
        let codes = agree(
            &format!("synth {n}"),
            &crate::synth::generate(n, false),
            None,
        );
        assert!(codes.is_empty(), "synth {n}: {codes:?}");
    }
}

#[test]
fn bytes_either_side_of_one_template() {
    for n in [30, 32, 33, 34, 36, 40] {
        let codes = agree(&format!("{n} heavy functions"), &heavy_functions(n), None);
        assert!(codes.is_empty(), "{n} heavy functions: {codes:?}");
    }
}

#[test]
fn one_function_either_side_of_a_nested_stack() {
    // Its own template (function, role, log group) around CFN-06: the code's `#\n` lines
    // take half as much again once escaped in JSON.
    let mut seen = Vec::new();
    for kb in [500, 650, 660, 670, 800] {
        let source = format!("{HEAD}{}", inline_function("huge", kb * 1_000, ""));
        seen.push(agree(&format!("{kb} KB function"), &source, None));
    }
    assert!(seen.first().is_some_and(Vec::is_empty), "{seen:?}");
    assert!(
        seen.last()
            .is_some_and(|c| c.contains(&"E0413".to_string())),
        "{seen:?}"
    );
}

#[test]
fn a_root_either_side_of_500_resources() {
    let mut seen = Vec::new();
    for n in [480, 497, 498, 499, 500, 520] {
        seen.push(agree(&format!("{n} root queues"), &root_queues(n), None));
    }
    assert!(seen.first().is_some_and(Vec::is_empty), "{seen:?}");
    assert!(
        seen.last()
            .is_some_and(|c| c.contains(&"E0413".to_string())),
        "{seen:?}"
    );
}

#[test]
fn a_placement_file_that_overfills_a_child() {
    let mut placement = String::new();
    for i in 0..60 {
        placement.push_str(&format!("big_{i} = NestedStack1\n"));
    }
    let codes = agree("overfilled child", &heavy_functions(60), Some(&placement));
    assert!(codes.is_empty(), "{codes:?}");
    // A line the file cannot hold is E0441 for both.
    let codes = agree(
        "broken placement",
        &heavy_functions(3),
        Some("big_0 = Nowhere\n"),
    );
    assert_eq!(codes, ["E0441"]);
}

#[test]
fn cycles_that_a_name_breaks_and_that_none_does() {
    let cases = [
        ("dead-letter ring", dead_letters(4, true), true),
        ("dead-letter chain", dead_letters(4, false), false),
        (
            "buckets named by what they notify",
            buckets(5, false),
            false,
        ),
        ("a function's own URL", buckets(5, true), true),
        ("synth 150, split", crate::synth::generate(150, true), false),
    ];
    for (what, source, cyclic) in cases {
        let codes = agree(what, &source, None);
        assert_eq!(
            codes.contains(&"E0439".to_string()),
            cyclic,
            "{what}: {codes:?}"
        );
    }
}

/// Code folders are read, not zipped, by `check`: the same diagnostics for folders that
/// cannot be packed (missing, empty, a `.zip` that is none) and none for those that can
/// (a folder, a prebuilt zip), with templates of the same sizes.
#[test]
fn code_folders_checked_without_zipping() {
    let dir = tempfile::tempdir().expect("dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("good/lib")).expect("mkdir");
    std::fs::write(
        root.join("good/index.py"),
        "def handler(e, c):\n    return e\n",
    )
    .expect("write");
    std::fs::write(root.join("good/lib/util.py"), "X = 1\n".repeat(1000)).expect("write");
    std::fs::create_dir_all(root.join("empty")).expect("mkdir");
    std::fs::write(root.join("fake.zip"), "not a zip").expect("write");
    let zipped = lamc::artifacts::zip_path(&root.join("good")).expect("zip");
    std::fs::write(root.join("real.zip"), zipped).expect("write");
    let function = |name: &str, code: &str| {
        format!("function {name} {{\n  code = \"{code}\"\n  env {{ APP_FN = \"{name}\" }}\n}}\n\n")
    };
    let cases = [
        ("a folder", function("a", "good"), false),
        ("a prebuilt zip", function("b", "real.zip"), false),
        ("a missing folder", function("c", "missing"), true),
        ("an empty folder", function("d", "empty"), true),
        ("a .zip that is none", function("e", "fake.zip"), true),
    ];
    for (what, source, fails) in cases {
        let path = root.join("app.lam");
        std::fs::write(&path, format!("{HEAD}{source}")).expect("write app");
        let at = |stage: Stage| {
            let pipeline = Pipeline {
                check: CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")),
                stage,
                ..Pipeline::default()
            };
            let comp = lamc::driver::compile_path(&path, &pipeline).expect("compiles");
            comp.diagnostics
                .iter()
                .map(|d| {
                    (
                        d.code.as_str().to_string(),
                        d.primary.span,
                        d.message.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let checked = at(Stage::Limits);
        assert_eq!(checked, at(Stage::Plan(PlanOptions::default())), "{what}");
        assert_eq!(!checked.is_empty(), fails, "{what}: {checked:?}");
    }
    // What check knows of a zip it did not make: a key as long, the same unzipped size.
    let good = root.join("good");
    let span = lamc::source::Span::default();
    let made = lamc::artifacts::build("a", &good, span).expect("zip");
    let packaging = lamc::artifacts::Packaging::default();
    let measured = lamc::artifacts::measure("a", &good, span, &packaging).expect("measure");
    assert_eq!(measured.key.len(), made.key.len());
    assert_eq!(measured.unzipped, made.unzipped);
    assert!(measured.bytes.is_empty() && !made.bytes.is_empty());
}

/// Every `.lam` file of the ui pass cases, the examples and the ported real apps.
fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["tests/ui/pass", "examples", "tests/real"] {
        collect(std::path::Path::new(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "lam") {
            out.push(p);
        }
    }
}

/// The planner never exceeds a declaration's bound (`plan::bounds`): on every app of the
/// corpus and the synthetic apps that `lamc check`'s cheap path accepts, each function's
/// own resources and each declared resource, counted and measured (compact JSON) in the
/// one-stack plan, stay within what the bounds say (measured pretty-printed, as the root
/// is measured: never shorter than compact, as children are).
#[test]
fn declarations_stay_within_their_bounds() {
    let mut apps = corpus();
    for n in [1, 7, 60] {
        apps.push((format!("synth {n}"), crate::synth::generate(n, true)));
    }
    let mut accepted = 0;
    for (name, text) in apps {
        let path = std::path::Path::new(&name);
        let (comp, _) = compile_source(
            name.clone(),
            path.exists().then(|| path.to_path_buf()),
            text,
            &Pipeline {
                check: CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")),
                ..Pipeline::default()
            },
            None,
        )
        .expect("compiles");
        let Some(model) = comp.model.as_ref().filter(|_| !comp.has_errors()) else {
            continue;
        };
        let Some(bounds) = lamc::plan::bounds::of_declarations(model) else {
            continue;
        };
        let opts = PlanOptions {
            origins: true,
            ..PlanOptions::default()
        };
        let Ok(planned) = lamc::driver::plan_placed(model, &opts, &Default::default()) else {
            continue;
        };
        if !planned.stack.children.is_empty() {
            continue;
        }
        accepted += 1;
        let origins = planned.origins.expect("origins");
        let mut used: std::collections::BTreeMap<lamc::model::ResRef, (usize, usize)> =
            Default::default();
        for (id, r) in &planned.stack.resources {
            let Some(decl) = origins.decl(id) else {
                continue;
            };
            let mut alone = lamc::plan::Stack::default();
            alone.resources.insert(id.clone(), r.clone());
            let bytes = lamc::template::len(&alone);
            let e = used.entry(decl).or_default();
            e.0 += 1;
            e.1 += bytes;
        }
        for (decl, bound) in &bounds {
            let (n, bytes) = used.get(decl).copied().unwrap_or_default();
            assert!(
                n <= bound.resources && bytes <= bound.bytes,
                "{name}: {decl:?} planned {n} resources, {bytes} bytes; bound {bound:?}"
            );
        }
        // And the whole template, with what no one declaration owns (an API's stage, a
        // topic's subscriptions, stack-level alarms), as the limits measure it.
        let whole = lamc::plan::bounds::of_app(model).expect("bounded");
        let usage = lamc::template::Usage::of(&planned.stack);
        assert!(
            usage.resources <= whole.resources && usage.bytes <= whole.bytes,
            "{name}: planned {usage:?}; bound {whole:?}"
        );
    }
    assert!(accepted >= 6, "only {accepted} apps took the cheap path");
}

/// Around the limits, with the cheap path taken where its bounds allow: one template
/// near 500 resources (no placement file) and a placement file whose children are near
/// theirs; check and build agree, and the synthetic app is accepted by the bounds.
#[test]
fn the_cheap_path_agrees_near_the_limits() {
    for (n, cheap) in [(40, true), (60, true), (120, false)] {
        let source = crate::synth::generate(n, true);
        let comp = lamc::driver::check_source(
            "app.lam".into(),
            None,
            source.clone(),
            &CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")),
        );
        let model = comp.model.expect("model");
        let verdict = lamc::plan::bounds::verdict(&model, &Default::default());
        assert_eq!(
            verdict == lamc::plan::bounds::Verdict::Fits,
            cheap,
            "synth {n}"
        );
        agree(&format!("synth {n}"), &source, None);
    }
    // One child holding every function: the bound passes its limits somewhere between.
    for n in [20, 45, 70] {
        let source = crate::synth::generate(n, true);
        let homes: String = (0..n)
            .map(|i| format!("worker_{i} = NestedStack1\n"))
            .collect();
        let errs = agree(&format!("synth {n} in one child"), &source, Some(&homes));
        assert!(errs.iter().all(|c| c == "E0413"), "{errs:?}");
    }
}

/// At scale, with the placement file a build writes: the cheap path is taken (the
/// verdict is "fits"), and check reports what build reports (nothing).
#[test]
fn a_split_app_with_its_placement_takes_the_cheap_path() {
    let source = crate::synth::generate(1000, true);
    let opts = CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    let comp = lamc::driver::check_source("app.lam".into(), None, source.clone(), &opts);
    let model = comp.model.expect("model");
    let planned = lamc::driver::plan_placed(&model, &PlanOptions::default(), &Default::default())
        .expect("plans");
    let placement = planned.placement.placement.expect("split");
    let text = placement.render("app.lam");
    let memory = lamc::plan::Memory {
        file: Some(placement),
        ..Default::default()
    };
    assert_eq!(
        lamc::plan::bounds::verdict(&model, &memory),
        lamc::plan::bounds::Verdict::Fits
    );
    assert!(agree("synth 1000, placed", &source, Some(&text)).is_empty());
    // Each child and the root, as built with that placement, within their bounds.
    let built = lamc::driver::plan_placed(&model, &PlanOptions::default(), &memory)
        .expect("plans")
        .stack;
    let (children, root) = lamc::plan::bounds::stacks(&model, &memory).expect("bounded");
    assert_eq!(children.len(), built.children.len());
    for (c, bound) in children {
        let id = format!("NestedStack{}", c + 1);
        let child = built
            .children
            .iter()
            .find(|t| t.logical_id == id)
            .expect("child");
        let u = child.usage;
        assert!(
            u.resources <= bound.resources
                && u.bytes <= bound.bytes
                && u.parameters <= bound.parameters
                && u.outputs <= bound.outputs,
            "{id}: built {u:?}, bound {bound:?}"
        );
    }
    let u = lamc::template::Usage::of(&built);
    assert!(
        u.resources <= root.resources && u.bytes <= root.bytes && u.parameters <= root.parameters,
        "root: built {u:?}, bound {root:?}"
    );
}
