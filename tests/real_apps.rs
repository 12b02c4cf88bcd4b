//! The corpus of real public serverless apps ported to `.lam` (`tests/real/`, described in
//! `docs/real-apps.md`).
//!
//! Each `tests/real/APP/` holds
//! - `app.lam`, whose first line is `# SOURCE: https://github.com/OWNER/REPO/blob/COMMIT/PATH`
//!   (the original it was ported from), with the placeholder handler folders it names;
//! - `expected-types.txt`: the multiset of resource types the original deploys, one
//!   `AWS::Type count` per line (made by `scripts/expected_types.py`);
//! - `differences.txt`: every way lamc's build may differ, each line with its reason:
//!   `+ TYPE N: why` (lamc creates N more of TYPE), `- TYPE N: why` (N fewer),
//!   `warning CODE @ LINE: why` (a warning lamc reports on purpose), and
//!   `lint RULE: why` (a cfn-lint warning allowed: a deprecated runtime kept from the
//!   original).
//!
//! Every app compiles with exactly its declared warnings and no error, passes cfn-lint (one
//! run for the whole corpus) but for its allowed rules, deploys the original's resource
//! types up to its declared differences, and builds byte-identically twice in a copy of its
//! folder with the CLI's defaults. Nothing declared may go unused, so a difference that
//! disappears must leave the list too.
//!
//! Apps that cannot pass yet because of an open issue stay in the corpus and are marked in
//! [`WAITING_ON`] with the symptom that stands in their way; the test asserts each mark's
//! symptom is still there (unless an earlier stage stopped the app), so a fixed issue
//! fails the test until its marks are removed.

use crate::tools;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use lamc::diag::Severity;
use lamc::driver::PlanOptions;
use lamc::driver::{self, CheckOptions};
use lamc::emit;

/// What stops an app today (`S` is `String` for what a run observed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Symptom<S = &'static str> {
    /// lamc reports this error code.
    Error(S),
    /// cfn-lint reports this rule on the emitted template.
    Lint(S),
    /// The emitted template contains this text (a value misread as a literal).
    #[allow(dead_code)] // no app waits on one today; kept for the next such mark
    Emits(S),
    /// Two builds in a copy of the app's folder, with the CLI's defaults, differ.
    Rebuild,
}

impl Symptom {
    fn owned(&self) -> Symptom<String> {
        match *self {
            Symptom::Error(c) => Symptom::Error(c.to_string()),
            Symptom::Lint(r) => Symptom::Lint(r.to_string()),
            Symptom::Emits(t) => Symptom::Emits(t.to_string()),
            Symptom::Rebuild => Symptom::Rebuild,
        }
    }
}

/// Apps waiting on an open issue: `(app, issue and item, symptom)`. Remove a mark when the
/// fix merges (the test then says which marks went stale).
const WAITING_ON: &[(&str, &str, Symptom)] = &[];

const MIN_APPS: usize = 15;
const TODAY: &str = "2026-11-26";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> PathBuf {
    root().join("tests/real")
}

fn opts() -> CheckOptions {
    CheckOptions::on(NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("valid date"))
}

/// The apps: every folder of `tests/real/` with an `app.lam`, sorted.
fn apps() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(corpus())
        .expect("tests/real exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("app.lam").is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    out.sort();
    out
}

fn marks(app: &str) -> Vec<Symptom> {
    WAITING_ON
        .iter()
        .filter(|(a, _, _)| *a == app)
        .map(|(_, _, s)| *s)
        .collect()
}

// ---- the per-app files ---------------------------------------------------------------------

/// Signed count per resource type.
pub(crate) type Types = BTreeMap<String, i64>;

#[derive(Default)]
pub(crate) struct Declared {
    /// lamc's count minus the original's, per type.
    pub(crate) types: Types,
    pub(crate) warnings: BTreeSet<(String, usize)>,
    pub(crate) lint: BTreeSet<String>,
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

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The `# SOURCE:` line names a file of a GitHub repository at a full commit.
fn check_source_line(text: &str) -> Result<(), String> {
    let first = text.lines().next().unwrap_or_default();
    let url = first.strip_prefix("# SOURCE: https://github.com/").ok_or(
        "the first line is not `# SOURCE: https://github.com/OWNER/REPO/blob/COMMIT/PATH`",
    )?;
    let parts: Vec<&str> = url.splitn(5, '/').collect();
    match parts.as_slice() {
        [_, _, "blob", commit, path]
            if commit.len() == 40
                && commit.chars().all(|c| c.is_ascii_hexdigit())
                && !path.is_empty() =>
        {
            Ok(())
        }
        _ => Err(format!(
            "SOURCE {first:?} does not name OWNER/REPO/blob/COMMIT/PATH"
        )),
    }
}

// ---- one app through check, plan, types and a rebuild ------------------------------------

struct Outcome {
    app: String,
    problems: Vec<String>,
    observed: BTreeSet<Symptom<String>>,
    /// Whether a template came out (the later stages ran).
    emitted: Option<PathBuf>,
    lint_allowed: BTreeSet<String>,
}

impl Outcome {
    fn waived(&self, s: &Symptom<String>) -> bool {
        marks(&self.app).iter().any(|m| m.owned() == *s)
    }
}

fn run_app(app: &str, out_dir: &Path) -> Outcome {
    let mut o = Outcome {
        app: app.to_string(),
        problems: Vec::new(),
        observed: BTreeSet::new(),
        emitted: None,
        lint_allowed: BTreeSet::new(),
    };
    let dir = corpus().join(app);
    let parsed = read(&dir.join("app.lam"))
        .and_then(|t| check_source_line(&t))
        .and_then(|()| read(&dir.join("expected-types.txt")))
        .and_then(|t| parse_expected_types(&t).map_err(|e| format!("expected-types.txt {e}")))
        .and_then(|expected| {
            read(&dir.join("differences.txt"))
                .and_then(|t| parse_differences(&t).map_err(|e| format!("differences.txt {e}")))
                .map(|declared| (expected, declared))
        });
    let (expected, declared) = match parsed {
        Ok(x) => x,
        Err(e) => {
            o.problems.push(e);
            return o;
        }
    };
    o.lint_allowed = declared.lint.clone();
    let Some(json) = compile(&mut o, &dir.join("app.lam"), &declared, out_dir) else {
        return o;
    };
    for mark in marks(app) {
        if let Symptom::Emits(text) = mark {
            if json.contains(text) {
                o.observed.insert(mark.owned());
            }
        }
    }
    compare_types(&mut o, &json, &expected, &declared);
    let path = out_dir.join(format!("{app}.json"));
    std::fs::write(&path, &json).expect("write template");
    o.emitted = Some(path);
    rebuild(&mut o, &dir, out_dir);
    o
}

/// Check and plan; the template's JSON when there is no error.
fn compile(o: &mut Outcome, path: &Path, declared: &Declared, out_dir: &Path) -> Option<String> {
    let c = match driver::check_path(path, &opts()) {
        Ok(c) => c,
        Err(e) => {
            o.problems.push(format!("cannot read app.lam: {e}"));
            return None;
        }
    };
    let mut diags = c.diagnostics.clone();
    let mut stack = None;
    if !c.has_errors() {
        if let Some(model) = &c.model {
            let po = PlanOptions {
                artifacts_dir: Some(out_dir.join("artifacts")),
                ..PlanOptions::default()
            };
            match driver::plan(model, &po) {
                Ok(s) => stack = Some(s),
                Err(mut more) => diags.append(&mut more),
            }
        }
    }
    let mut warnings = BTreeSet::new();
    for d in &diags {
        let file = c.sources.get(d.primary.span.file);
        let line = file.line_col(d.primary.span.start).line;
        let code = d.code.to_string();
        if d.severity == Severity::Error {
            let s = Symptom::Error(code.clone());
            if !o.waived(&s) {
                o.problems
                    .push(format!("error {code} @ {line}: {}", d.message));
            }
            o.observed.insert(s);
        } else {
            warnings.insert((code, line));
        }
    }
    for (code, line) in warnings.difference(&declared.warnings) {
        o.problems.push(format!(
            "warning {code} @ {line} is not declared in differences.txt"
        ));
    }
    if stack.is_some() {
        for (code, line) in declared.warnings.difference(&warnings) {
            o.problems
                .push(format!("declared warning {code} @ {line} was not reported"));
        }
    }
    stack.map(|s| emit::json(&s))
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

fn compare_types(o: &mut Outcome, json: &str, expected: &Types, declared: &Declared) {
    let got = match template_types(json) {
        Ok(t) => t,
        Err(e) => {
            o.problems.push(e);
            return;
        }
    };
    let keys: BTreeSet<&String> = got.keys().chain(expected.keys()).collect();
    let mut diff = Types::new();
    for k in keys {
        let d = got.get(k).copied().unwrap_or(0) - expected.get(k).copied().unwrap_or(0);
        if d != 0 {
            diff.insert(k.clone(), d);
        }
    }
    let all: BTreeSet<&String> = diff.keys().chain(declared.types.keys()).collect();
    for ty in all {
        let actual = diff.get(ty).copied().unwrap_or(0);
        let allowed = declared.types.get(ty).copied().unwrap_or(0);
        if actual != allowed {
            o.problems.push(format!(
                "{ty}: lamc creates {} compared with the original, differences.txt explains {}",
                signed(actual),
                signed(allowed)
            ));
        }
    }
}

fn signed(n: i64) -> String {
    if n >= 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Build twice in a copy of the app's folder, as a user would (`-o` and the artifacts
/// folder beside the program): the two templates must be the same bytes.
fn rebuild(o: &mut Outcome, dir: &Path, out_dir: &Path) {
    let copy = out_dir.join(format!("{}-copy", o.app));
    if let Err(e) = copy_dir(dir, &copy) {
        o.problems.push(format!("cannot copy the app: {e}"));
        return;
    }
    let mut outputs = Vec::new();
    for name in ["first.json", "second.json"] {
        let run = Command::new(env!("CARGO_BIN_EXE_lamc"))
            .current_dir(&copy)
            .env("LAMC_TODAY", TODAY)
            .args(["build", "app.lam", "-o", name])
            .output();
        match run {
            Ok(r) if r.status.success() => {}
            Ok(r) => {
                o.problems.push(format!(
                    "`lamc build` failed in the copy: {}",
                    String::from_utf8_lossy(&r.stderr)
                ));
                return;
            }
            Err(e) => {
                o.problems.push(format!("cannot run lamc: {e}"));
                return;
            }
        }
        outputs.push(std::fs::read(copy.join(name)).unwrap_or_default());
    }
    if outputs[0] != outputs[1] {
        o.observed.insert(Symptom::<String>::Rebuild);
        if !o.waived(&Symptom::Rebuild) {
            o.problems
                .push("a second build of the unchanged app differs from the first".into());
        }
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

// ---- cfn-lint, once for the whole corpus ---------------------------------------------------

/// `(template path, rule, message)` of every error or warning cfn-lint reports.
pub(crate) fn lint_all(templates: &[&Path]) -> Result<Vec<(PathBuf, String, String)>, String> {
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

fn apply_lint(outcomes: &mut [Outcome], found: &[(PathBuf, String, String)]) {
    for o in outcomes.iter_mut() {
        let Some(path) = o.emitted.clone() else {
            continue;
        };
        let mut seen = BTreeSet::new();
        for (_, rule, message) in found.iter().filter(|(p, _, _)| *p == path) {
            seen.insert(rule.clone());
            let s = Symptom::Lint(rule.clone());
            if o.waived(&s) {
                o.observed.insert(s);
            } else if !o.lint_allowed.contains(rule) {
                o.problems.push(format!("cfn-lint {rule}: {message}"));
            }
        }
        for rule in o.lint_allowed.difference(&seen) {
            o.problems.push(format!(
                "cfn-lint rule {rule} is allowed in differences.txt but no longer reported"
            ));
        }
    }
}

/// Each mark's symptom is still there, unless the app stopped before the stage that shows it.
fn stale_marks(outcomes: &[Outcome]) -> Vec<String> {
    let mut out = Vec::new();
    for (app, why, s) in WAITING_ON {
        let Some(o) = outcomes.iter().find(|o| o.app == *app) else {
            out.push(format!(
                "WAITING_ON names {app}, which is not in tests/real"
            ));
            continue;
        };
        let reached = matches!(s, Symptom::Error(_)) || o.emitted.is_some();
        if reached && !o.observed.contains(&s.owned()) {
            out.push(format!(
                "{app}: no longer shows {s:?} ({why}): remove the mark from WAITING_ON"
            ));
        }
    }
    out
}

#[test]
fn real_apps_compile_lint_clean_and_deploy_the_originals_resource_types() {
    let apps = apps();
    assert!(
        apps.len() >= MIN_APPS,
        "the corpus has {} apps, at least {MIN_APPS} expected",
        apps.len()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut outcomes: Vec<Outcome> = apps.iter().map(|a| run_app(a, tmp.path())).collect();
    let templates: Vec<&Path> = outcomes
        .iter()
        .filter_map(|o| o.emitted.as_deref())
        .collect();
    let mut failures = Vec::new();
    match lint_all(&templates) {
        Ok(found) => apply_lint(&mut outcomes, &found),
        Err(e) => failures.push(e),
    }
    for o in &outcomes {
        failures.extend(o.problems.iter().map(|p| format!("{}: {p}", o.app)));
    }
    failures.extend(stale_marks(&outcomes));
    assert!(
        failures.is_empty(),
        "{} problems over {} apps:\n  {}",
        failures.len(),
        apps.len(),
        failures.join("\n  ")
    );
}

#[test]
fn every_app_is_described_in_the_docs() {
    let doc = read(&root().join("docs/real-apps.md")).expect("docs/real-apps.md exists");
    let missing: Vec<String> = apps()
        .into_iter()
        .filter(|a| !doc.contains(&format!("### {a}")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/real-apps.md has no `### APP` section for: {}",
        missing.join(", ")
    );
}

#[test]
fn no_original_template_is_committed() {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(corpus()).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if [
            "template.yaml",
            "template.yml",
            "serverless.yml",
            "serverless.yaml",
        ]
        .contains(&name.as_str())
        {
            found.push(entry.path().display().to_string());
        }
    }
    assert!(
        found.is_empty(),
        "originals must not be committed: {found:?}"
    );
}

#[test]
fn difference_lists_are_read_strictly() {
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
    assert!(check_source_line("# SOURCE: https://github.com/a/b/blob/main/t.yaml").is_err());
    assert!(check_source_line(
        "# SOURCE: https://github.com/a/b/blob/0123456789abcdef0123456789abcdef01234567/t.yaml"
    )
    .is_ok());
}
