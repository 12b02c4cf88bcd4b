//! External tools the tests run: cfn-lint, and the Python interpreter of its virtualenv
//! (for cfn-lint's own YAML reader). A missing tool fails the test with install
//! instructions; it is never silently skipped.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

const INSTALL: &str = "install it with `.ci/run` (creates .venv with cfn-lint 1.58.0), or \
     `python3 -m venv .venv && .venv/bin/pip install cfn-lint==1.58.0`, or point \
     LAMC_CFN_LINT at an existing cfn-lint executable";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cfn-lint executable: `$LAMC_CFN_LINT`, else the pinned `.venv/bin/cfn-lint`, else
/// `cfn-lint` on PATH. The pinned one comes before PATH: another version judges runtime
/// deprecation dates from its own table, so the same template could pass or fail.
pub fn try_cfn_lint() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("LAMC_CFN_LINT").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let venv = root().join(".venv/bin/cfn-lint");
    if venv.is_file() {
        return Ok(venv);
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let c = dir.join("cfn-lint");
            if c.is_file() {
                return Ok(c);
            }
        }
    }
    Err(format!("cfn-lint not found: {INSTALL}"))
}

pub fn cfn_lint() -> PathBuf {
    try_cfn_lint().unwrap_or_else(|e| panic!("{e}"))
}

/// The Python that runs cfn-lint (the `python` beside it in its virtualenv), so that its
/// `cfnlint` package — and the YAML 1.1 reader CloudFormation-compatible tools use — can be
/// imported.
pub fn cfn_python() -> PathBuf {
    let lint = cfn_lint();
    let dir = lint.parent().unwrap_or(Path::new("."));
    for name in ["python", "python3"] {
        let p = dir.join(name);
        if p.exists() {
            return p;
        }
    }
    panic!(
        "no python beside {}: cfn-lint must be installed in a virtualenv; {INSTALL}",
        lint.display()
    )
}

/// The Python of the repository's `.venv`, which `.ci/run` gives the packages the tests
/// import (jsonschema, for the SARIF schema).
pub fn venv_python() -> PathBuf {
    let python = root().join(".venv/bin/python");
    assert!(python.exists(), "no {}: {INSTALL}", python.display());
    python
}

/// Lint one template file; returns cfn-lint's JSON report (`[]` when clean).
pub fn lint_file(file: &Path) -> String {
    let exe = cfn_lint();
    let out = std::process::Command::new(&exe)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .args(["--format", "json", "--regions", "us-east-1", "--"])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

const CHECKOV_INSTALL: &str = "install it with `.ci/run` (creates .venv-checkov with checkov \
     3.3.30), or `python3 -m venv .venv-checkov && .venv-checkov/bin/pip install \
     checkov==3.3.30` (its own virtualenv: it pins other versions of cfn-lint's \
     dependencies), or point LAMC_CHECKOV at an existing checkov executable";

/// The checkov executable: `$LAMC_CHECKOV`, else `.venv-checkov/bin/checkov`.
pub fn try_checkov() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("LAMC_CHECKOV").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let venv = root().join(".venv-checkov/bin/checkov");
    if venv.is_file() {
        return Ok(venv);
    }
    Err(format!("checkov not found: {CHECKOV_INSTALL}"))
}
