//! The UI corpus.
//!
//! - `tests/ui/fail/*.lam`: each file states the diagnostics it must produce in header
//!   comments, one per line: `# expect: E0401 @ 7` (code @ 1-based line of the primary
//!   span; `@ *` when the line is not meaningful, e.g. a stack-wide limit). The set of
//!   `(code, line)` pairs reported must equal the set expected, warnings included.
//! - `tests/ui/pass/*.lam` and `examples/*/app.lam`: must compile with no diagnostic at all;
//!   the emitted template is snapshotted (`tests/ui/snapshots/`) and every template is run
//!   through cfn-lint (one batched invocation), which must report no error and no warning.
//! - Every stdlib module compiles cleanly on its own and when its templates are used.
//!
//! Runtime lifecycle rules depend on the date; it is pinned at 2026-11-26 here.

use crate::check_support::user_view;
use crate::tools;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use lamc::diag::Diagnostic;
use lamc::driver::PlanOptions;
use lamc::driver::{self, CheckOptions, Compilation};
use lamc::plan;
use lamc::{emit, stdlib};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn opts() -> CheckOptions {
    CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date"))
}

/// `*.lam` files directly in `dir`, sorted (subfolders hold code folders and used files).
fn lam_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "lam"))
        .collect();
    out.sort();
    out
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `(CODE, line)`; line `None` means "any line" (`@ *`).
type Expect = (String, Option<usize>);

fn parse_expectations(text: &str) -> Result<BTreeSet<Expect>, String> {
    let mut out = BTreeSet::new();
    // Lines as lamc counts them: a bare `\r` ends one too.
    for (i, line) in lamc::source::split_lines(text).enumerate() {
        let Some(rest) = line.trim().strip_prefix("# expect:") else {
            continue;
        };
        let (code, at) = rest
            .split_once('@')
            .ok_or_else(|| format!("line {}: expected `# expect: CODE @ LINE`", i + 1))?;
        let code = code.trim().to_string();
        if lamc::diag::Code::parse(&code).is_none() {
            return Err(format!("line {}: unknown code {code}", i + 1));
        }
        let at = at.trim();
        let line_no = if at == "*" {
            None
        } else {
            Some(
                at.parse::<usize>()
                    .map_err(|_| format!("line {}: bad line number {at:?}", i + 1))?,
            )
        };
        out.insert((code, line_no));
    }
    Ok(out)
}

/// Where a diagnostic points: its line in the root file, or `file:line` elsewhere.
fn located(c: &Compilation, d: &Diagnostic) -> (String, usize, bool) {
    let file = c.sources.get(d.primary.span.file);
    let line = file.line_col(d.primary.span.start).line;
    let own = d.primary.span.file == c.root || file.name.ends_with(".lam.placement");
    (d.code.to_string(), line, own)
}

fn describe(c: &Compilation, d: &Diagnostic) -> String {
    let file = c.sources.get(d.primary.span.file);
    let lc = file.line_col(d.primary.span.start);
    format!(
        "{} @ {}:{}:{}: {}",
        d.code, file.name, lc.line, lc.column, d.message
    )
}

/// Every label of every diagnostic lies inside its file.
fn spans_in_bounds(c: &Compilation, diags: &[Diagnostic]) -> Result<(), String> {
    let files = c.sources.files();
    for d in diags {
        for span in std::iter::once(&d.primary.span).chain(d.secondary.iter().map(|l| &l.span)) {
            let Some(f) = files.get(span.file.0 as usize) else {
                return Err(format!("{}: span in unknown file {:?}", d.code, span.file));
            };
            if span.start > span.end || span.end > f.text.len() {
                return Err(format!(
                    "{}: span {}..{} outside {} ({} bytes)",
                    d.code,
                    span.start,
                    span.end,
                    f.name,
                    f.text.len()
                ));
            }
        }
    }
    Ok(())
}

/// The human report of the diagnostics, as `lamc check` prints it, has no line wider than
/// a clipped source line can make it (a fail case may have a 70,000-column line).
fn renders_compactly(c: &Compilation, diags: &[Diagnostic]) -> Result<(), String> {
    let opts = lamc::diag::render::HumanOptions::default();
    let report = lamc::diag::render::render_human(diags, &c.sources, &opts);
    match report.lines().map(|l| l.chars().count()).max() {
        Some(widest) if widest > 250 => Err(format!("a report line is {widest} characters")),
        _ => Ok(()),
    }
}

/// The case's report as a user sees it (see [`user_view`]) equals its snapshot
/// `tests/ui/snapshots/fail_CASE.snap`.
fn matches_rendered_snapshot(
    name: &str,
    c: &Compilation,
    diags: &[Diagnostic],
    tmp: &Path,
) -> Result<(), String> {
    // Absolute paths differ between clones: name them by what they are.
    let view = user_view(diags, &c.sources)
        .replace(&*tmp.to_string_lossy(), "$TMP")
        .replace(&*root().to_string_lossy(), "$ROOT");
    let snap = catch_unwind(AssertUnwindSafe(|| {
        insta::with_settings!({
            snapshot_path => "ui/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("fail_{name}"), &view);
        });
    }));
    snap.map_err(|_| {
        "rendered report differs from its snapshot (review with `cargo insta review`)".into()
    })
}

/// `fail_*.snap` files left behind by a fail case that was renamed or removed.
fn orphan_fail_snapshots(cases: &[PathBuf]) -> Vec<String> {
    let names: BTreeSet<String> = cases.iter().map(|p| format!("fail_{}", stem(p))).collect();
    let dir = root().join("tests/ui/snapshots");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/ui/snapshots exists") {
        let path = entry.expect("readable dir").path();
        let Some(file) = path.file_name().map(|f| f.to_string_lossy().into_owned()) else {
            continue;
        };
        if let Some(snap) = file.strip_suffix(".snap") {
            if snap.starts_with("fail_") && !names.contains(snap) {
                out.push(format!(
                    "{file}: no fail case of that name (remove the snapshot)"
                ));
            }
        }
    }
    out
}

/// Check, then (when checking found no error) plan, so that plan-time diagnostics (stack
/// limits, unreadable code folders) are seen too. Returns all diagnostics.
/// A case's `CASE.lam.placement`, when there is one, is its placement file (its lines
/// count as the case's own for `# expect:`).
fn compile_all_diagnostics(path: &Path, artifacts: &Path) -> (Compilation, Vec<Diagnostic>) {
    let mut c = driver::check_path(path, &opts())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut diags = c.diagnostics.clone();
    let mut memory = plan::Memory::default();
    let placement_path = plan::placement::path_for(path);
    if let Ok(text) = std::fs::read_to_string(&placement_path) {
        let id = c.sources.add(
            placement_path.display().to_string(),
            Some(placement_path),
            text.clone(),
        );
        match plan::placement::Placement::parse(&text, id) {
            Ok(p) => memory.file = Some(p),
            Err(mut more) => diags.append(&mut more),
        }
    }
    if !diags.iter().any(Diagnostic::is_error) {
        if let Some(model) = &c.model {
            let po = PlanOptions {
                artifacts_dir: Some(artifacts.to_path_buf()),
                ..PlanOptions::default()
            };
            if let Err(mut more) = driver::plan_placed(model, &po, &memory) {
                diags.append(&mut more);
            }
        }
    }
    (c, diags)
}

#[test]
fn fail_cases_report_exactly_their_expected_diagnostics() {
    let dir = root().join("tests/ui/fail");
    let files = lam_files(&dir);
    assert!(files.len() >= 40, "the fail corpus looks incomplete");
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for path in &files {
        let name = stem(path);
        let text = std::fs::read_to_string(path).expect("readable");
        let expected = match parse_expectations(&text) {
            Ok(e) if e.is_empty() => {
                failures.push(format!("{name}: no `# expect:` header"));
                continue;
            }
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if !expected
            .iter()
            .any(|(code, _)| name.starts_with(code.as_str()))
        {
            failures.push(format!("{name}: file is not named after a code it expects"));
        }
        // Relative to the package root (the tests' working directory), so that the
        // report names the file as a user in the repository would.
        let relative = path.strip_prefix(root()).unwrap_or(path);
        let (c, diags) = compile_all_diagnostics(relative, tmp.path());
        if let Err(e) = spans_in_bounds(&c, &diags) {
            failures.push(format!("{name}: {e}"));
        }
        if let Err(e) = matches_rendered_snapshot(&name, &c, &diags, tmp.path()) {
            failures.push(format!("{name}: {e}"));
        }
        if let Err(e) = renders_compactly(&c, &diags) {
            failures.push(format!("{name}: {e}"));
        }
        let mut got: BTreeSet<Expect> = BTreeSet::new();
        let mut unmatched = Vec::new();
        for d in &diags {
            let (code, line, in_root) = located(&c, d);
            if !in_root {
                unmatched.push(describe(&c, d));
                continue;
            }
            // A `@ *` expectation matches the code on any line.
            if expected.contains(&(code.clone(), None)) {
                got.insert((code, None));
            } else {
                got.insert((code, Some(line)));
            }
        }
        if got != expected || !unmatched.is_empty() {
            let fmt = |s: &BTreeSet<Expect>| {
                s.iter()
                    .map(|(c, l)| match l {
                        Some(l) => format!("{c} @ {l}"),
                        None => format!("{c} @ *"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let all: Vec<String> = diags.iter().map(|d| describe(&c, d)).collect();
            failures.push(format!(
                "{name}:\n    expected: [{}]\n    got:      [{}]\n    reported:\n      {}",
                fmt(&expected),
                fmt(&got),
                if all.is_empty() {
                    "(nothing)".to_string()
                } else {
                    all.join("\n      ")
                }
            ));
        }
    }
    failures.extend(orphan_fail_snapshots(&files));
    assert!(
        failures.is_empty(),
        "{} of {} fail cases are wrong:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// A compiled template waiting for cfn-lint.
struct Emitted {
    case: String,
    path: PathBuf,
}

/// Compile one clean program: no diagnostic allowed; returns its JSON (and YAML) text.
fn compile_clean(path: &Path, artifacts: &Path) -> Result<(String, String), String> {
    let c = driver::check_path(path, &opts()).map_err(|e| format!("cannot read: {e}"))?;
    if !c.diagnostics.is_empty() {
        let all: Vec<String> = c.diagnostics.iter().map(|d| describe(&c, d)).collect();
        return Err(format!(
            "unexpected diagnostics:\n      {}",
            all.join("\n      ")
        ));
    }
    let model = c
        .model
        .as_ref()
        .ok_or("checking produced no model and no diagnostic")?;
    let po = PlanOptions {
        artifacts_dir: Some(artifacts.to_path_buf()),
        ..PlanOptions::default()
    };
    let stack = driver::plan(model, &po).map_err(|diags| {
        let all: Vec<String> = diags.iter().map(|d| describe(&c, d)).collect();
        format!("plan failed:\n      {}", all.join("\n      "))
    })?;
    let json = emit::json(&stack);
    let yaml = emit::yaml(&stack);
    if json.trim().is_empty() {
        return Err("emitted an empty template".into());
    }
    Ok((json, yaml))
}

/// The programs that must compile cleanly: `(case name, path, also lint YAML)`.
fn clean_programs() -> Vec<(String, PathBuf, bool)> {
    let mut out = Vec::new();
    for p in lam_files(&root().join("tests/ui/pass")) {
        let name = stem(&p);
        let yaml = name.starts_with("spec_");
        out.push((format!("pass_{name}"), p, yaml));
    }
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path().join("app.lam")))
        .filter(|p| p.is_file())
        .collect();
    examples.sort();
    for p in examples {
        let dir = p
            .parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().replace('-', "_"))
            .unwrap_or_default();
        out.push((format!("example_{dir}"), p, true));
    }
    out
}

#[test]
fn pass_cases_and_examples_compile_cleanly_match_snapshots_and_pass_cfn_lint() {
    let programs = clean_programs();
    assert!(programs.len() >= 20, "the pass corpus looks incomplete");
    let tmp = tempfile::tempdir().expect("temp dir");
    let artifacts = tmp.path().join("artifacts");
    let out_dir = tmp.path().join("templates");
    std::fs::create_dir_all(&out_dir).expect("temp dir");
    let mut failures = Vec::new();
    let mut emitted = Vec::new();
    for (case, path, lint_yaml) in &programs {
        let (json, yaml) = match compile_clean(path, &artifacts) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{case} ({}): {e}", path.display()));
                continue;
            }
        };
        let snap = catch_unwind(AssertUnwindSafe(|| {
            insta::with_settings!({
                snapshot_path => "ui/snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(case.as_str(), &json);
            });
        }));
        if snap.is_err() {
            failures.push(format!(
                "{case}: snapshot differs (review with `cargo insta review`)"
            ));
        }
        let p = out_dir.join(format!("{case}.json"));
        std::fs::write(&p, &json).expect("write template");
        emitted.push(Emitted {
            case: case.clone(),
            path: p,
        });
        if *lint_yaml {
            if yaml.trim().is_empty() {
                failures.push(format!("{case}: emitted an empty YAML template"));
            } else {
                let p = out_dir.join(format!("{case}.yaml"));
                std::fs::write(&p, &yaml).expect("write template");
                emitted.push(Emitted {
                    case: format!("{case} (yaml)"),
                    path: p,
                });
            }
        }
    }
    if !emitted.is_empty() {
        if let Err(e) = cfn_lint(&emitted) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems over {} clean programs:\n{}",
        failures.len(),
        programs.len(),
        failures.join("\n")
    );
}

/// One cfn-lint run over every template; any error (E…) or warning (W…) fails.
fn cfn_lint(templates: &[Emitted]) -> Result<(), String> {
    let exe = tools::try_cfn_lint()?;
    let out = Command::new(&exe)
        .args(["--format", "parseable", "--regions", "us-east-1", "--"])
        .args(templates.iter().map(|t| &t.path))
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut problems = Vec::new();
    for line in stdout.lines() {
        let fields: Vec<&str> = line.splitn(7, ':').collect();
        let Some(rule) = fields.get(5) else {
            problems.push(format!("unparsed cfn-lint output: {line}"));
            continue;
        };
        if rule.starts_with('E') || rule.starts_with('W') {
            let case = templates
                .iter()
                .find(|t| line.starts_with(&*t.path.to_string_lossy()))
                .map_or("?", |t| t.case.as_str());
            problems.push(format!(
                "{case}: {rule} at {}:{}: {}",
                fields.get(1).unwrap_or(&"?"),
                fields.get(2).unwrap_or(&"?"),
                fields.get(6).unwrap_or(&"")
            ));
        }
    }
    // Exit status bit 0 means cfn-lint itself failed (bad template text, crash).
    let code = out.status.code().unwrap_or(1);
    if code & 1 == 1 && problems.is_empty() {
        problems.push(format!(
            "cfn-lint failed (status {code}): {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "cfn-lint reported {} problems:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ))
    }
}

/// Template names declared by a stdlib module (`template NAME …` at the start of a line).
fn template_names(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| l.trim_start().strip_prefix("template "))
        .filter_map(|rest| {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[test]
fn stdlib_modules_compile_on_their_own_and_when_used() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let code_dir = tmp.path().join("src/app");
    std::fs::create_dir_all(&code_dir).expect("temp dir");
    std::fs::write(
        code_dir.join("main.py"),
        "def handler(event, context):\n    return {}\n",
    )
    .expect("write");
    std::fs::write(
        code_dir.join("index.mjs"),
        "export const handler = async () => ({});\n",
    )
    .expect("write");
    let mut failures = Vec::new();
    // src/stdlib.rs lists exactly the files in stdlib/.
    let mut on_disk: Vec<String> = lam_files(&root().join("stdlib"))
        .iter()
        .map(|p| stem(p))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = stdlib::names().map(str::to_string).collect();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "src/stdlib.rs MODULES out of sync with stdlib/*.lam"
    );
    for required in ["alarms", "python", "node"] {
        assert!(
            listed.iter().any(|n| n == required),
            "std.{required} must exist"
        );
    }
    for (module, src) in stdlib::MODULES {
        // On its own.
        let c = driver::check_source(format!("<std.{module}>"), None, src.to_string(), &opts());
        for d in &c.diagnostics {
            failures.push(format!("std.{module} alone: {}", describe(&c, d)));
        }
        // Used: one function per template, with what the template does not supply.
        let names = template_names(src);
        if names.is_empty() {
            failures.push(format!("std.{module} declares no template"));
        }
        let mut prog = format!("use std.{module}\n\n");
        let runtime = if src.contains("runtime") {
            ""
        } else {
            "  runtime = python3.12\n"
        };
        let handler = match *module {
            "node" => "  handler = \"index.handler\"\n",
            "java" => "  handler = \"example.Handler::handleRequest\"\n",
            "provided" => "",
            _ => "  handler = \"main.handler\"\n",
        };
        for t in &names {
            prog.push_str(&format!(
                "function uses_{t} extends {t} {{\n{runtime}{handler}  code = \"src/app\"\n}}\n\n"
            ));
        }
        let path = tmp.path().join(format!("use_{module}.lam"));
        std::fs::write(&path, &prog).expect("write");
        let c = driver::check_path(&path, &opts()).expect("readable");
        for d in &c.diagnostics {
            failures.push(format!("using std.{module}: {}", describe(&c, d)));
        }
        if let (false, Some(model)) = (c.has_errors(), &c.model) {
            let po = PlanOptions {
                artifacts_dir: Some(tmp.path().join("artifacts")),
                ..PlanOptions::default()
            };
            match driver::plan(model, &po) {
                Ok(stack) if emit::json(&stack).trim().is_empty() => {
                    failures.push(format!("using std.{module}: empty template"));
                }
                Ok(_) => {}
                Err(diags) => {
                    for d in &diags {
                        failures.push(format!("planning std.{module}: {}", describe(&c, d)));
                    }
                }
            }
        } else if c.model.is_none() {
            failures.push(format!("using std.{module}: no model"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn expectation_headers_parse() {
    let e = parse_expectations("# expect: E0401 @ 7\n# expect: W0506 @ *\nx = 1\n")
        .expect("valid header");
    assert!(e.contains(&("E0401".to_string(), Some(7))));
    assert!(e.contains(&("W0506".to_string(), None)));
    assert!(parse_expectations("# expect: E9999 @ 1").is_err());
    assert!(parse_expectations("# expect: E0401 @ x").is_err());
    assert_eq!(
        template_names("template a {\n}\n  template b_2 extends a {}"),
        ["a", "b_2"]
    );
}
