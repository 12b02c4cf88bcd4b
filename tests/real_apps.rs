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

use crate::apps_support::{
    self as support, app_files, apps_in, check_github_url, compare_types, compare_warnings, read,
    AppRun, Declared,
};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use lamc::driver::CheckOptions;

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
    apps_in(&corpus(), "app.lam")
}

fn marks(app: &str) -> Vec<Symptom> {
    WAITING_ON
        .iter()
        .filter(|(a, _, _)| *a == app)
        .map(|(_, _, s)| *s)
        .collect()
}

/// The `# SOURCE:` line names a file of a GitHub repository at a full commit.
fn check_source_line(text: &str) -> Result<(), String> {
    let first = text.lines().next().unwrap_or_default();
    let url = first.strip_prefix("# SOURCE: ").ok_or(
        "the first line is not `# SOURCE: https://github.com/OWNER/REPO/blob/COMMIT/PATH`",
    )?;
    check_github_url(url)
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
        .and_then(|()| app_files(&dir));
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
    o.problems
        .extend(compare_types(&json, &expected, &declared));
    let path = out_dir.join(format!("{app}.json"));
    std::fs::write(&path, &json).expect("write template");
    o.emitted = Some(path);
    rebuild(&mut o, &dir, out_dir);
    o
}

/// Check and plan; the template's JSON when there is no error.
fn compile(o: &mut Outcome, path: &Path, declared: &Declared, out_dir: &Path) -> Option<String> {
    let c = match support::compile(path, &opts(), out_dir) {
        Ok(c) => c,
        Err(e) => {
            o.problems.push(e);
            return None;
        }
    };
    for (code, line, message) in &c.errors {
        let s = Symptom::Error(code.clone());
        if !o.waived(&s) {
            o.problems.push(format!("error {code} @ {line}: {message}"));
        }
        o.observed.insert(s);
    }
    o.problems.extend(compare_warnings(&c, declared));
    c.json
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

impl AppRun for Outcome {
    fn app(&self) -> &str {
        &self.app
    }

    fn problems(&mut self) -> &mut Vec<String> {
        &mut self.problems
    }

    fn template(&self) -> Option<&Path> {
        self.emitted.as_deref()
    }

    fn lint_allowed(&self) -> &BTreeSet<String> {
        &self.lint_allowed
    }

    fn waive_lint(&mut self, rule: &str) -> bool {
        let s = Symptom::Lint(rule.to_string());
        let waived = self.waived(&s);
        if waived {
            self.observed.insert(s);
        }
        waived
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
    let (outcomes, mut failures) = support::run_corpus(&apps, MIN_APPS, run_app);
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
fn source_lines_are_read_strictly() {
    assert!(check_source_line("# SOURCE: https://github.com/a/b/blob/main/t.yaml").is_err());
    assert!(check_source_line(
        "https://github.com/a/b/blob/0123456789abcdef0123456789abcdef01234567/t.yaml"
    )
    .is_err());
    assert!(check_source_line(
        "# SOURCE: https://github.com/a/b/blob/0123456789abcdef0123456789abcdef01234567/t.yaml"
    )
    .is_ok());
}
