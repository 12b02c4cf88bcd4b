//! What the two corpora of real apps share (`tests/real/`, hand ports, in `real_apps.rs`;
//! `tests/import/`, imports, in `import_apps.rs`): the per-app files (`expected-types.txt`,
//! `differences.txt`, a GitHub source URL), compiling one program into a template with its
//! diagnostics, comparing warnings and resource types with what is declared, and the
//! corpus loop itself, with one cfn-lint run over every template.

use crate::tools;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use lamc::diag::Severity;
use lamc::driver::{self, CheckOptions, PlanOptions};
use lamc::emit;

/// Signed count per resource type.
pub(crate) type Types = BTreeMap<String, i64>;

/// What an app's `differences.txt` declares.
#[derive(Default)]
pub(crate) struct Declared {
    /// lamc's count minus the original's, per type.
    pub(crate) types: Types,
    pub(crate) warnings: BTreeSet<(String, usize)>,
    pub(crate) lint: BTreeSet<String>,
}

/// The folders of `corpus` that hold `marker`, sorted.
pub(crate) fn apps_in(corpus: &Path, marker: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(corpus)
        .unwrap_or_else(|e| panic!("{} exists: {e}", corpus.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join(marker).is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    out.sort();
    out
}

pub(crate) fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// `url` names a file of a GitHub repository at a full commit.
pub(crate) fn check_github_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://github.com/")
        .ok_or_else(|| format!("SOURCE {url:?} is not a https://github.com/ URL"))?;
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
            "SOURCE {url:?} does not name OWNER/REPO/blob/COMMIT/PATH"
        )),
    }
}

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

pub(crate) fn parse_expected_types(text: &str) -> Result<Types, String> {
    let mut out = Types::new();
    for (n, line) in content_lines(text) {
        let (ty, count) = line
            .split_once(' ')
            .ok_or_else(|| format!("line {n}: expected `AWS::Type count`"))?;
        let count: i64 = count
            .trim()
            .parse()
            .map_err(|_| format!("line {n}: bad count in {line:?}"))?;
        *out.entry(ty.to_string()).or_default() += count;
    }
    Ok(out)
}

pub(crate) fn parse_differences(text: &str) -> Result<Declared, String> {
    let mut d = Declared::default();
    for (n, line) in content_lines(text) {
        let (what, why) = line
            .split_once(": ")
            .ok_or_else(|| format!("line {n}: every difference needs `: reason`"))?;
        if why.trim().len() < 10 {
            return Err(format!(
                "line {n}: the reason is too short to explain anything"
            ));
        }
        let words: Vec<&str> = what.split_whitespace().collect();
        match words.as_slice() {
            [sign @ ("+" | "-"), ty, count] => {
                let count: i64 = count
                    .parse()
                    .map_err(|_| format!("line {n}: bad count {count:?}"))?;
                let signed = if *sign == "+" { count } else { -count };
                *d.types.entry(ty.to_string()).or_default() += signed;
            }
            ["warning", code, "@", at] => {
                let at = at
                    .parse()
                    .map_err(|_| format!("line {n}: bad line number {at:?}"))?;
                d.warnings.insert((code.to_string(), at));
            }
            ["lint", rule] => {
                d.lint.insert(rule.to_string());
            }
            _ => return Err(format!("line {n}: cannot read {what:?}")),
        }
    }
    d.types.retain(|_, v| *v != 0);
    Ok(d)
}

/// `expected-types.txt` and `differences.txt` of the app folder `dir`.
pub(crate) fn app_files(dir: &Path) -> Result<(Types, Declared), String> {
    let expected = parse_expected_types(&read(&dir.join("expected-types.txt"))?)
        .map_err(|e| format!("expected-types.txt {e}"))?;
    let declared = parse_differences(&read(&dir.join("differences.txt"))?)
        .map_err(|e| format!("differences.txt {e}"))?;
    Ok((expected, declared))
}

// ---- one program -------------------------------------------------------------------------

/// A program checked and planned.
pub(crate) struct Compiled {
    /// `(code, line, message)` of every error.
    pub(crate) errors: Vec<(String, usize, String)>,
    pub(crate) warnings: BTreeSet<(String, usize)>,
    /// How many functions the checked model has (0 when it has errors).
    pub(crate) functions: usize,
    /// The template's JSON when the program planned without error.
    pub(crate) json: Option<String>,
}

/// Check and plan the program at `path` (artifacts under `out_dir`).
pub(crate) fn compile(
    path: &Path,
    opts: &CheckOptions,
    out_dir: &Path,
) -> Result<Compiled, String> {
    let c = driver::check_path(path, opts).map_err(|e| format!("cannot read the program: {e}"))?;
    let mut diags = c.diagnostics.clone();
    let mut out = Compiled {
        errors: Vec::new(),
        warnings: BTreeSet::new(),
        functions: 0,
        json: None,
    };
    if let Some(model) = c.model.as_ref().filter(|_| !c.has_errors()) {
        out.functions = model.functions.len();
        let po = PlanOptions {
            artifacts_dir: Some(out_dir.join("artifacts")),
            ..PlanOptions::default()
        };
        match driver::plan(model, &po) {
            Ok(s) => out.json = Some(emit::json(&s)),
            Err(mut more) => diags.append(&mut more),
        }
    }
    for d in &diags {
        let file = c.sources.get(d.primary.span.file);
        let line = file.line_col(d.primary.span.start).line;
        let code = d.code.to_string();
        if d.severity == Severity::Error {
            out.errors.push((code, line, d.message.clone()));
        } else {
            out.warnings.insert((code, line));
        }
    }
    Ok(out)
}

/// Warnings reported but not declared, and (once the program planned) declared but not
/// reported.
pub(crate) fn compare_warnings(c: &Compiled, declared: &Declared) -> Vec<String> {
    let mut out = Vec::new();
    for (code, line) in c.warnings.difference(&declared.warnings) {
        out.push(format!(
            "warning {code} @ {line} is not declared in differences.txt"
        ));
    }
    if c.json.is_some() {
        for (code, line) in declared.warnings.difference(&c.warnings) {
            out.push(format!("declared warning {code} @ {line} was not reported"));
        }
    }
    out
}

pub(crate) fn template_types(json: &str) -> Result<Types, String> {
    let doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("template is not JSON: {e}"))?;
    let resources = doc
        .get("Resources")
        .and_then(|r| r.as_object())
        .ok_or("template has no Resources")?;
    let mut out = Types::new();
    for r in resources.values() {
        let ty = r.get("Type").and_then(|t| t.as_str()).unwrap_or("?");
        *out.entry(ty.to_string()).or_default() += 1;
    }
    Ok(out)
}

/// The template's resource types against the original's, up to the declared differences.
pub(crate) fn compare_types(json: &str, expected: &Types, declared: &Declared) -> Vec<String> {
    let got = match template_types(json) {
        Ok(t) => t,
        Err(e) => return vec![e],
    };
    let keys: BTreeSet<&String> = got
        .keys()
        .chain(expected.keys())
        .chain(declared.types.keys())
        .collect();
    let mut out = Vec::new();
    for ty in keys {
        let actual = got.get(ty).copied().unwrap_or(0) - expected.get(ty).copied().unwrap_or(0);
        let allowed = declared.types.get(ty).copied().unwrap_or(0);
        if actual != allowed {
            out.push(format!(
                "{ty}: lamc creates {actual:+} compared with the original, differences.txt explains {allowed:+}"
            ));
        }
    }
    out
}

// ---- the corpus ----------------------------------------------------------------------------

/// One app's run, as the corpus loop sees it.
pub(crate) trait AppRun {
    fn app(&self) -> &str;
    fn problems(&mut self) -> &mut Vec<String>;
    /// The template written for it, when it got that far.
    fn template(&self) -> Option<&Path>;
    /// The cfn-lint rules its `differences.txt` allows.
    fn lint_allowed(&self) -> &BTreeSet<String>;
    /// Whether `rule` is a symptom the app is marked as waiting on (recorded, not a
    /// problem).
    fn waive_lint(&mut self, _rule: &str) -> bool {
        false
    }
}

/// Run `run` on every app (at least `min` of them) in a temporary folder, cfn-lint every
/// template once, and return every problem, each with its app's name.
pub(crate) fn run_corpus<R: AppRun>(
    apps: &[String],
    min: usize,
    run: impl Fn(&str, &Path) -> R,
) -> (Vec<R>, Vec<String>) {
    let mut failures = Vec::new();
    if apps.len() < min {
        failures.push(format!(
            "the corpus has {} apps, at least {min} expected",
            apps.len()
        ));
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut runs: Vec<R> = apps.iter().map(|a| run(a, tmp.path())).collect();
    let templates: Vec<PathBuf> = runs
        .iter()
        .filter_map(|r| r.template().map(Path::to_path_buf))
        .collect();
    let refs: Vec<&Path> = templates.iter().map(PathBuf::as_path).collect();
    match lint_all(&refs) {
        Ok(found) => {
            for r in runs.iter_mut() {
                apply_lint(r, &found);
            }
        }
        Err(e) => failures.push(e),
    }
    for r in runs.iter_mut() {
        let app = r.app().to_string();
        failures.extend(r.problems().iter().map(|p| format!("{app}: {p}")));
    }
    (runs, failures)
}

fn apply_lint<R: AppRun>(r: &mut R, found: &[(PathBuf, String, String)]) {
    let Some(path) = r.template().map(Path::to_path_buf) else {
        return;
    };
    let mut seen = BTreeSet::new();
    for (_, rule, message) in found.iter().filter(|(p, _, _)| *p == path) {
        seen.insert(rule.clone());
        if !r.waive_lint(rule) && !r.lint_allowed().contains(rule) {
            r.problems().push(format!("cfn-lint {rule}: {message}"));
        }
    }
    let stale: Vec<String> = r.lint_allowed().difference(&seen).cloned().collect();
    for rule in stale {
        r.problems().push(format!(
            "cfn-lint rule {rule} is allowed in differences.txt but no longer reported"
        ));
    }
}

/// `(template path, rule, message)` of every error or warning cfn-lint reports.
pub(crate) fn lint_all(templates: &[&Path]) -> Result<Vec<(PathBuf, String, String)>, String> {
    if templates.is_empty() {
        return Ok(Vec::new());
    }
    let exe = tools::try_cfn_lint()?;
    let out = Command::new(&exe)
        .args(["--format", "parseable", "--regions", "us-east-1", "--"])
        .args(templates)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut found = Vec::new();
    for line in stdout.lines() {
        let fields: Vec<&str> = line.splitn(7, ':').collect();
        let (Some(rule), Some(message)) = (fields.get(5), fields.get(6)) else {
            return Err(format!("unparsed cfn-lint output: {line}"));
        };
        if rule.starts_with('E') || rule.starts_with('W') {
            let path = templates
                .iter()
                .find(|t| line.starts_with(&*t.to_string_lossy()))
                .map(|t| t.to_path_buf())
                .unwrap_or_default();
            found.push((path, rule.to_string(), message.to_string()));
        }
    }
    let code = out.status.code().unwrap_or(1);
    if code & 1 == 1 && found.is_empty() {
        return Err(format!(
            "cfn-lint failed (status {code}): {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(found)
}

#[test]
fn difference_lists_and_sources_are_read_strictly() {
    let d = parse_differences(
        "# comment\n+ AWS::Logs::LogGroup 2: lamc creates each log group\n\
         - AWS::Logs::LogGroup 1: one of them the original creates too\n\
         warning W0501 @ 7: the original's runtime, kept on purpose\n\
         lint W2531: the deprecated runtime kept from the original\n",
    )
    .expect("valid");
    assert_eq!(d.types.get("AWS::Logs::LogGroup"), Some(&1));
    assert!(d.warnings.contains(&("W0501".to_string(), 7)));
    assert!(d.lint.contains("W2531"));
    assert!(
        parse_differences("+ AWS::SQS::Queue 1\n").is_err(),
        "a reason is required"
    );
    assert!(parse_differences("+ AWS::SQS::Queue x: a bad count here\n").is_err());
    assert!(parse_differences("+ AWS::SQS::Queue 1: short\n").is_err());
    assert!(check_github_url("https://github.com/a/b/blob/main/t.yaml").is_err());
    assert!(check_github_url(
        "https://github.com/a/b/blob/0123456789abcdef0123456789abcdef01234567/t.yaml"
    )
    .is_ok());
}

#[test]
fn types_are_compared_up_to_the_declared_differences() {
    let json = r#"{"Resources": {"A": {"Type": "AWS::SQS::Queue"}, "B": {"Type": "AWS::Logs::LogGroup"}}}"#;
    let expected = parse_expected_types("AWS::SQS::Queue 1\nAWS::IAM::Role 1\n").expect("valid");
    let declared =
        parse_differences("+ AWS::Logs::LogGroup 1: lamc creates the function's log group\n")
            .expect("valid");
    assert_eq!(
        compare_types(json, &expected, &declared),
        ["AWS::IAM::Role: lamc creates -1 compared with the original, differences.txt explains +0"]
    );
}
