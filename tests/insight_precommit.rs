//! The hooks of `.pre-commit-hooks.yaml`, run by pre-commit itself (`pre-commit try-repo`
//! on this repository) in a temporary git repository with a good and a bad `.lam` file.
//! The `system` hooks run the lamc just built; the `rust` hooks, which build lamc for
//! users who have not installed it, are checked to run the same commands on the same files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `$LAMC_PRE_COMMIT` (set by `.ci/run`, which installs it in a cache folder), else
/// `pre-commit` on PATH. Missing, the test fails with how to install it.
fn pre_commit() -> PathBuf {
    if let Some(p) = std::env::var_os("LAMC_PRE_COMMIT").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("pre-commit"))
            .find(|p| p.is_file())
    });
    on_path.unwrap_or_else(|| {
        panic!(
            "pre-commit not found: run `.ci/run` (installs pre-commit 4.7.0 in a cache \
             folder), or `python3 -m venv /tmp/pc && /tmp/pc/bin/pip install pre-commit==4.7.0` \
             and point LAMC_PRE_COMMIT at /tmp/pc/bin/pre-commit"
        )
    })
}

const GOOD: &str = "\
function hello {
  runtime = \"python3.12\"
  handler = \"index.handler\"
  code    = inline(\"def handler(event, context):\\n    return 'hi'\\n\")
}
";

const BAD: &str = "function f {\n  memory = 1\n}\n";

/// A git repository with `files` added (pre-commit runs on git repositories).
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    dir
}

/// `pre-commit try-repo <this repository> HOOK --files FILES` in `dir`, with the lamc
/// just built first on PATH.
fn run_hook(dir: &Path, hook: &str, files: &[&str]) -> Output {
    let lamc = PathBuf::from(env!("CARGO_BIN_EXE_lamc"));
    let bin = lamc.parent().expect("the binary's folder").to_path_buf();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path)))
        .expect("a PATH");
    let home = dir.join(".pre-commit-home");
    Command::new(pre_commit())
        .arg("try-repo")
        .arg(root())
        .arg(hook)
        .arg("--files")
        .args(files)
        .current_dir(dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("LAMC_TODAY", "2026-11-26")
        .env("NO_COLOR", "1")
        // try-repo commits this repository's uncommitted changes to a shadow copy.
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("pre-commit runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_check_hook_passes_a_good_file_and_fails_a_bad_one_with_its_diagnostic() {
    let dir = repo(&[("good.lam", GOOD), ("bad.lam", BAD)]);
    let good = run_hook(dir.path(), "lamc-check-system", &["good.lam"]);
    assert!(good.status.success(), "{}", text(&good));
    assert!(text(&good).contains("lamc check....") && text(&good).contains("Passed"));

    let bad = run_hook(dir.path(), "lamc-check-system", &["good.lam", "bad.lam"]);
    let out = text(&bad);
    assert_eq!(bad.status.code(), Some(1), "{out}");
    assert!(out.contains("Failed"), "{out}");
    assert!(out.contains("error[E0301]: `memory` needs a unit"), "{out}");
    assert!(out.contains("bad.lam:2:12"), "{out}");
    assert!(out.contains("help: write 1MB"), "{out}");
    assert!(
        !out.contains("good.lam:"),
        "only the bad file is reported: {out}"
    );
}

#[test]
fn the_fmt_hook_fails_a_file_not_in_the_canonical_layout() {
    let messy = GOOD.replace("  runtime = ", "      runtime   =   ");
    let dir = repo(&[("good.lam", GOOD), ("messy.lam", &messy)]);
    let good = run_hook(dir.path(), "lamc-fmt-system", &["good.lam"]);
    assert!(good.status.success(), "{}", text(&good));
    let messy = run_hook(dir.path(), "lamc-fmt-system", &["good.lam", "messy.lam"]);
    let out = text(&messy);
    assert_eq!(messy.status.code(), Some(1), "{out}");
    assert!(out.contains("messy.lam"), "{out}");
    // --check changes nothing.
    let after = std::fs::read_to_string(dir.path().join("messy.lam")).expect("readable");
    assert!(after.contains("      runtime   =   "));
}

/// A YAML file of the repository, as JSON values.
fn yaml(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(name)).expect("readable");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

/// The hooks as `(id, entry, language, files)`.
fn hooks() -> Vec<(String, String, String, String)> {
    let field = |h: &serde_json::Value, key: &str| h[key].as_str().unwrap_or_default().to_string();
    yaml(".pre-commit-hooks.yaml")
        .as_array()
        .expect("a list of hooks")
        .iter()
        .map(|h| {
            (
                field(h, "id"),
                field(h, "entry"),
                field(h, "language"),
                field(h, "files"),
            )
        })
        .collect()
}

#[test]
fn the_rust_hooks_run_what_the_system_hooks_run() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "lamc-check",
            "lamc-fmt",
            "lamc-check-system",
            "lamc-fmt-system"
        ]
    );
    for (id, entry, language, files) in &hooks {
        let twin = format!("{id}-system");
        let Some(system) = hooks.iter().find(|h| h.0 == twin) else {
            assert_eq!(language, "system", "{id}");
            continue;
        };
        assert_eq!(language, "rust", "{id}");
        assert_eq!((entry, files), (&system.1, &system.3), "{id} and {twin}");
        assert_eq!(files, r"\.lam$");
    }
}

#[test]
fn the_action_checks_to_sarif_uploads_it_and_then_fails_on_errors() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    assert_eq!(action["inputs"]["files"]["required"], true);
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let position = |pred: &dyn Fn(&serde_json::Value) -> bool| {
        steps.iter().position(pred).expect("the step is there")
    };
    let run = |s: &serde_json::Value| s["run"].as_str().unwrap_or_default().to_string();
    let install = position(&|s| run(s).contains("cargo install"));
    let check = position(&|s| {
        run(s).contains("lamc check $FILES $ARGS --message-format sarif > lamc.sarif")
    });
    let upload = position(&|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    });
    let fail = position(&|s| run(s).contains("exit \"$STATUS\""));
    assert!(install < check && check < upload && upload < fail);
    assert_eq!(steps[upload]["with"]["sarif_file"], "lamc.sarif");
    // Inputs reach the shell through the environment, never pasted into the script.
    for s in steps {
        assert!(!run(s).contains("${{"), "{}", run(s));
    }
}
