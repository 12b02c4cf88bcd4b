//! `lamc import` on real public SAM templates and serverless.yml files (`tests/import/`,
//! described in docs/import.md).
//!
//! Each `tests/import/APP/` holds
//! - the original, `template.yaml` (SAM) or `serverless.yml`, as published;
//! - `SOURCE`: `https://github.com/OWNER/REPO/blob/COMMIT/PATH`, where it was taken from;
//! - `app.lam`: what `lamc import` writes for it (run with `LAMC_BLESS=1` to rewrite after
//!   reading the diff);
//! - `expected-types.txt`: the resource types the original deploys, by
//!   `scripts/expected_types.py` (the SAM translator expands a SAM template; a serverless.yml
//!   is derived from its functions and events as the Framework documents them);
//! - `differences.txt`: every way the imported program's template differs from the original
//!   in resource types, and every warning lamc reports on it, each with its reason (the
//!   format of tests/real, `tests/real_apps.rs`).
//!
//! The test imports every original and asserts: the program is `app.lam` byte for byte;
//! every function of the original comes across; the program compiles with exactly the
//! declared warnings and no error; its template passes cfn-lint (one run for the corpus);
//! its resource types are the original's up to the declared differences.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lamc::diag::Severity;
use lamc::driver::{self, CheckOptions, PlanOptions};
use lamc::import::{self, Options};

use crate::real_apps::{
    lint_all, parse_differences, parse_expected_types, template_types, Declared, Types,
};

const MIN_APPS: usize = 15;
const TODAY: &str = "2026-11-26";
const ORIGINALS: &[&str] = &["template.yaml", "serverless.yml"];

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/import")
}

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("valid date")
}

fn apps() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(corpus())
        .expect("tests/import exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("SOURCE").is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// `SOURCE` names a file of a GitHub repository at a full commit.
fn check_source(text: &str) -> Result<(), String> {
    let line = text.trim();
    let rest = line
        .strip_prefix("https://github.com/")
        .ok_or("SOURCE is not a https://github.com/ URL")?;
    let parts: Vec<&str> = rest.splitn(5, '/').collect();
    match parts.as_slice() {
        [_, _, "blob", commit, path]
            if commit.len() == 40
                && commit.chars().all(|c| c.is_ascii_hexdigit())
                && !path.is_empty() =>
        {
            Ok(())
        }
        _ => Err(format!(
            "SOURCE {line:?} does not name OWNER/REPO/blob/COMMIT/PATH"
        )),
    }
}

/// The functions of the original: SAM's `AWS::Serverless::Function` resources, or the
/// keys of serverless.yml's `functions`.
fn original_functions(name: &str, text: &str) -> usize {
    if name == "serverless.yml" {
        let functions = text
            .lines()
            .skip_while(|l| !l.starts_with("functions:"))
            .skip(1)
            .take_while(|l| l.is_empty() || l.starts_with(' ') || l.starts_with('#'));
        // Function names are the keys one indentation level in.
        let indent = |l: &str| l.len() - l.trim_start().len();
        let lines: Vec<&str> = functions
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .collect();
        let first = lines.first().map_or(0, |l| indent(l));
        lines
            .iter()
            .filter(|l| indent(l) == first && l.trim_end().ends_with(':'))
            .count()
    } else {
        [
            "Type: AWS::Serverless::Function",
            "Type: AWS::Lambda::Function",
        ]
        .iter()
        .map(|t| text.matches(t).count())
        .sum()
    }
}

struct Outcome {
    app: String,
    problems: Vec<String>,
    template: Option<PathBuf>,
    lint_allowed: BTreeSet<String>,
}

fn run_app(app: &str, out_dir: &Path) -> Outcome {
    let mut o = Outcome {
        app: app.to_string(),
        problems: Vec::new(),
        template: None,
        lint_allowed: BTreeSet::new(),
    };
    if let Err(e) = run_stages(app, out_dir, &mut o) {
        o.problems.push(e);
    }
    o
}

fn run_stages(app: &str, out_dir: &Path, o: &mut Outcome) -> Result<(), String> {
    let dir = corpus().join(app);
    check_source(&read(&dir.join("SOURCE"))?)?;
    let original_name = ORIGINALS
        .iter()
        .find(|n| dir.join(n).is_file())
        .ok_or("no template.yaml or serverless.yml")?;
    let original = read(&dir.join(original_name))?;
    let expected: Types = parse_expected_types(&read(&dir.join("expected-types.txt"))?)
        .map_err(|e| format!("expected-types.txt {e}"))?;
    let declared = parse_differences(&read(&dir.join("differences.txt"))?)
        .map_err(|e| format!("differences.txt {e}"))?;
    o.lint_allowed = declared.lint.clone();

    let opts = Options {
        today: today(),
        app_name: app.to_string(),
        file_name: original_name.to_string(),
    };
    let imported = import::import(&original, &opts).map_err(|e| format!("import failed: {e:?}"))?;
    let committed = dir.join("app.lam");
    if std::env::var_os("LAMC_BLESS").is_some() {
        std::fs::write(&committed, &imported.program).map_err(|e| e.to_string())?;
    }
    if read(&committed)? != imported.program {
        o.problems.push(format!(
            "the import differs from app.lam (LAMC_BLESS=1 rewrites it):\n{}",
            imported.program
        ));
    }
    let want = original_functions(original_name, &original);
    if imported.functions != want {
        o.problems.push(format!(
            "{} functions imported, the original has {want}",
            imported.functions
        ));
    }
    let json = compile(o, app, &imported.program, &declared, want, out_dir)?;
    compare_types(o, &json, &expected, &declared);
    let path = out_dir.join(format!("{app}.json"));
    std::fs::write(&path, &json).map_err(|e| e.to_string())?;
    o.template = Some(path);
    Ok(())
}

/// The program in a folder of its own, with a placeholder handler in every local code
/// folder it names; checked and planned. The template's JSON.
fn compile(
    o: &mut Outcome,
    app: &str,
    program: &str,
    declared: &Declared,
    functions: usize,
    out_dir: &Path,
) -> Result<String, String> {
    let dir = out_dir.join(app);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("app.lam");
    std::fs::write(&path, program).map_err(|e| e.to_string())?;
    for folder in code_folders(program) {
        let f = dir.join(folder);
        std::fs::create_dir_all(&f).map_err(|e| e.to_string())?;
        std::fs::write(f.join("handler.txt"), "placeholder\n").map_err(|e| e.to_string())?;
    }
    let opts = CheckOptions::on(today());
    let c =
        driver::check_path(&path, &opts).map_err(|e| format!("cannot read the program: {e}"))?;
    let mut diags = c.diagnostics.clone();
    let mut stack = None;
    if let Some(model) = c.model.as_ref().filter(|_| !c.has_errors()) {
        if model.functions.len() != functions {
            o.problems.push(format!(
                "the program has {} functions, the original {functions}",
                model.functions.len()
            ));
        }
        let po = PlanOptions {
            artifacts_dir: Some(out_dir.join("artifacts")),
            ..PlanOptions::default()
        };
        match driver::plan(model, &po) {
            Ok(s) => stack = Some(s),
            Err(mut more) => diags.append(&mut more),
        }
    }
    let mut warnings = BTreeSet::new();
    for d in &diags {
        let line = c
            .sources
            .get(d.primary.span.file)
            .line_col(d.primary.span.start)
            .line;
        if d.severity == Severity::Error {
            o.problems
                .push(format!("error {} @ {line}: {}", d.code, d.message));
        } else {
            warnings.insert((d.code.to_string(), line));
        }
    }
    for (code, line) in warnings.symmetric_difference(&declared.warnings) {
        let (seen, listed) = (
            warnings.contains(&(code.clone(), *line)),
            declared.warnings.contains(&(code.clone(), *line)),
        );
        if seen && !listed {
            o.problems.push(format!(
                "warning {code} @ {line} is not declared in differences.txt"
            ));
        } else if stack.is_some() {
            o.problems
                .push(format!("declared warning {code} @ {line} was not reported"));
        }
    }
    stack
        .map(|s| lamc::emit::json(&s))
        .ok_or_else(|| "no template: the program has errors".to_string())
}

/// The local folders the program's `code = "…"` lines name.
fn code_folders(program: &str) -> Vec<String> {
    program
        .lines()
        .filter_map(|l| {
            let rest = l
                .trim()
                .strip_prefix("code")?
                .trim_start()
                .strip_prefix('=')?
                .trim();
            let folder = rest.strip_prefix('"')?.strip_suffix('"')?;
            (folder != "." && !folder.contains("..")).then(|| folder.to_string())
        })
        .collect()
}

fn compare_types(o: &mut Outcome, json: &str, expected: &Types, declared: &Declared) {
    let got = match template_types(json) {
        Ok(t) => t,
        Err(e) => return o.problems.push(e),
    };
    let keys: BTreeSet<&String> = got
        .keys()
        .chain(expected.keys())
        .chain(declared.types.keys())
        .collect();
    for ty in keys {
        let actual = got.get(ty).copied().unwrap_or(0) - expected.get(ty).copied().unwrap_or(0);
        let allowed = declared.types.get(ty).copied().unwrap_or(0);
        if actual != allowed {
            o.problems.push(format!(
                "{ty}: lamc creates {actual:+} compared with the original, differences.txt explains {allowed:+}"
            ));
        }
    }
}

#[test]
fn imported_real_apps_keep_their_functions_build_lint_clean_and_deploy_the_originals_types() {
    let apps = apps();
    assert!(
        apps.len() >= MIN_APPS,
        "{} apps in tests/import, at least {MIN_APPS} expected",
        apps.len()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let outcomes: Vec<Outcome> = apps.iter().map(|a| run_app(a, tmp.path())).collect();
    let templates: Vec<&Path> = outcomes
        .iter()
        .filter_map(|o| o.template.as_deref())
        .collect();
    let mut failures = Vec::new();
    match lint_all(&templates) {
        Ok(found) => {
            for o in &outcomes {
                let Some(path) = &o.template else { continue };
                let mut seen = BTreeSet::new();
                for (_, rule, message) in found.iter().filter(|(p, _, _)| p == path) {
                    seen.insert(rule.clone());
                    if !o.lint_allowed.contains(rule) {
                        failures.push(format!("{}: cfn-lint {rule}: {message}", o.app));
                    }
                }
                for rule in o.lint_allowed.difference(&seen) {
                    failures.push(format!(
                        "{}: cfn-lint {rule} is allowed but no longer reported",
                        o.app
                    ));
                }
            }
        }
        Err(e) => failures.push(e),
    }
    for o in &outcomes {
        failures.extend(o.problems.iter().map(|p| format!("{}: {p}", o.app)));
    }
    assert!(
        failures.is_empty(),
        "{} problems over {} apps:\n  {}",
        failures.len(),
        apps.len(),
        failures.join("\n  ")
    );
}

#[test]
fn sources_are_different_from_the_hand_ports() {
    let real = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/real");
    let mut ported = BTreeSet::new();
    for entry in std::fs::read_dir(&real)
        .expect("tests/real exists")
        .flatten()
    {
        let first = read(&entry.path().join("app.lam")).unwrap_or_default();
        if let Some(url) = first
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# SOURCE: "))
        {
            ported.insert(without_commit(url));
        }
    }
    for app in apps() {
        let url = read(&corpus().join(&app).join("SOURCE")).expect("SOURCE");
        assert!(
            !ported.contains(&without_commit(url.trim())),
            "{app} is one of the hand ports in tests/real"
        );
    }
}

/// `https://github.com/O/R/blob/COMMIT/PATH` → `O/R/PATH`.
fn without_commit(url: &str) -> String {
    let rest = url.trim_start_matches("https://github.com/");
    let parts: Vec<&str> = rest.splitn(5, '/').collect();
    match parts.as_slice() {
        [owner, repo, _, _, path] => format!("{owner}/{repo}/{path}"),
        _ => rest.to_string(),
    }
}

#[test]
fn function_counts_of_serverless_files() {
    let yml = "service: s\nfunctions:\n  a:\n    handler: a.h\n    events:\n      - http: GET /\n\n  b-c:\n    handler: b.h\nresources:\n  x: 1\n";
    assert_eq!(original_functions("serverless.yml", yml), 2);
    let sam = "Resources:\n  F:\n    Type: AWS::Serverless::Function\n  G:\n    Type: AWS::Serverless::Function\n";
    assert_eq!(original_functions("template.yaml", sam), 2);
    assert_eq!(
        code_folders("  code    = \"src/a\"\n  code = \".\"\n"),
        ["src/a"]
    );
}
