//! `lamc import` on real public SAM templates, CloudFormation templates and serverless.yml
//! files (`tests/import/`, described in docs/import.md).
//!
//! Each `tests/import/APP/` holds
//! - the original, `template.yaml` (SAM or plain CloudFormation) or `serverless.yml`, as
//!   published;
//! - `SOURCE`: `https://github.com/OWNER/REPO/blob/COMMIT/PATH`, where it was taken from;
//! - `app.lam`: what `lamc import` writes for it (run with `LAMC_BLESS=1` to rewrite after
//!   reading the diff);
//! - `expected-types.txt`: the resource types the original deploys, by
//!   `scripts/expected_types.py` (the SAM translator expands a SAM template; a CloudFormation
//!   template lists its own; a serverless.yml's is derived from its functions and events as
//!   the Framework documents them);
//! - `differences.txt`: every way the imported program's template differs from the original
//!   in resource types, and every warning lamc reports on it, each with its reason (the
//!   format of tests/real, read by `tests/apps_support.rs`).
//!
//! The test imports every original and asserts: the program is `app.lam` byte for byte;
//! every function of the original comes across; the program compiles with exactly the
//! declared warnings and no error; its template passes cfn-lint (one run for the corpus);
//! its resource types are the original's up to the declared differences.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lamc::driver::CheckOptions;
use lamc::import::{self, Options};

use crate::apps_support::{
    self as support, app_files, apps_in, check_github_url, compare_types, compare_warnings, read,
    AppRun, Declared,
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
    apps_in(&corpus(), "SOURCE")
}

/// The functions of the original: SAM's `AWS::Serverless::Function` and CloudFormation's
/// `AWS::Lambda::Function` resources, or the keys of serverless.yml's `functions`.
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
    check_github_url(read(&dir.join("SOURCE"))?.trim())?;
    let original_name = ORIGINALS
        .iter()
        .find(|n| dir.join(n).is_file())
        .ok_or("no template.yaml or serverless.yml")?;
    let original = read(&dir.join(original_name))?;
    let (expected, declared) = app_files(&dir)?;
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
    o.problems
        .extend(compare_types(&json, &expected, &declared));
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
    let c = support::compile(&path, &CheckOptions::on(today()), out_dir)?;
    for (code, line, message) in &c.errors {
        o.problems.push(format!("error {code} @ {line}: {message}"));
    }
    if c.json.is_some() && c.functions != functions {
        o.problems.push(format!(
            "the program has {} functions, the original {functions}",
            c.functions
        ));
    }
    o.problems.extend(compare_warnings(&c, declared));
    c.json
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

impl AppRun for Outcome {
    fn app(&self) -> &str {
        &self.app
    }

    fn problems(&mut self) -> &mut Vec<String> {
        &mut self.problems
    }

    fn template(&self) -> Option<&Path> {
        self.template.as_deref()
    }

    fn lint_allowed(&self) -> &BTreeSet<String> {
        &self.lint_allowed
    }
}

#[test]
fn imported_real_apps_keep_their_functions_build_lint_clean_and_deploy_the_originals_types() {
    let apps = apps();
    let (_, failures) = support::run_corpus(&apps, MIN_APPS, run_app);
    assert!(
        failures.is_empty(),
        "{} problems over {} apps:\n  {}",
        failures.len(),
        apps.len(),
        failures.join("\n  ")
    );
}

/// The originals that are also hand ports in tests/real: imported to show how close the
/// import comes to the port (Amazon MSK, SAM's implicit role); every other app of the
/// corpus is none of them, so that the corpus is not tuned to the ports.
const ALSO_PORTED: &[&str] = &["msk-cfn-sasl-lambda", "msk-lambda"];

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
        let is_port = ported.contains(&without_commit(url.trim()));
        assert_eq!(
            is_port,
            ALSO_PORTED.contains(&app.as_str()),
            "{app}: one of the hand ports in tests/real exactly when ALSO_PORTED names it"
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
