//! `lamc check --lint`: cfn-lint over the templates a build would emit (the root and each
//! nested stack's), written to a temporary folder that is removed afterwards; its findings
//! become diagnostics at the `.lam` spans behind them ([`crate::insight::lint`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Compiled;
use crate::diag::Diagnostic;
use crate::insight::lint::{self, Context, Template};
use crate::source::Span;

/// The environment variable that names the cfn-lint to run.
pub const CFN_LINT_VAR: &str = "LAMC_CFN_LINT";

/// `$LAMC_CFN_LINT`, else `cfn-lint` on PATH; the error says how to get one.
pub fn find_cfn_lint() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(CFN_LINT_VAR).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "--lint: {CFN_LINT_VAR} names {}, which is not a file",
                p.display()
            ))
        };
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("cfn-lint"))
                .find(|p| p.is_file())
        })
        .ok_or_else(|| {
            format!(
                "--lint needs cfn-lint, and there is none on PATH: install it (`pip install \
                 cfn-lint`) or set {CFN_LINT_VAR} to its path"
            )
        })
}

/// cfn-lint's findings on `compiled`'s templates as diagnostics; none when the app was not
/// planned (it has errors). cfn-lint runs in `project` (the `.lam` file's folder), so that
/// a `.cfnlintrc` there configures it. `Err` when cfn-lint could not be run or read.
pub fn lint(compiled: &Compiled, exe: &Path, project: &Path) -> Result<Vec<Diagnostic>, String> {
    let (Some(stack), Some(model), Some(origins)) = (
        compiled.stack.as_ref(),
        compiled.model.as_ref(),
        compiled.origins.as_ref(),
    ) else {
        return Ok(Vec::new());
    };
    let dir = tempfile::tempdir().map_err(|e| format!("--lint: no temporary folder: {e}"))?;
    let root = crate::emit::json(stack);
    let mut files = vec![(
        "template.json".to_string(),
        Template::new("the template".into(), &root),
        root,
    )];
    for child in &stack.children {
        let text = String::from_utf8_lossy(&child.bytes).into_owned();
        let name = format!("nested stack {}", child.logical_id);
        files.push((child.key.clone(), Template::new(name, &text), text));
    }
    for (file, _, text) in &files {
        std::fs::write(dir.path().join(file), text)
            .map_err(|e| format!("--lint: cannot write {file}: {e}"))?;
    }
    let paths: Vec<PathBuf> = files.iter().map(|f| dir.path().join(&f.0)).collect();
    let findings = run(exe, project, &paths)?;
    let cx = Context {
        model,
        origins,
        fallback: Span::new(compiled.root, 0, 0),
    };
    let mut out = Vec::new();
    for finding in &findings {
        let file = file_name(&finding.filename);
        let template = files
            .iter()
            .find(|f| f.0 == file)
            .map_or(&files[0].1, |f| &f.1);
        out.push(lint::diagnostic(finding, &cx, template));
    }
    Ok(out)
}

/// Run cfn-lint in `dir` on `files`; its findings.
fn run(exe: &Path, dir: &Path, files: &[PathBuf]) -> Result<Vec<lint::Finding>, String> {
    let out = Command::new(exe)
        .current_dir(dir)
        .args(["--format", "json", "--"])
        .args(files)
        .output()
        .map_err(|e| format!("--lint: cannot run {}: {e}", exe.display()))?;
    // cfn-lint's exit status says which levels it found; its report says what.
    let stdout = String::from_utf8_lossy(&out.stdout);
    lint::parse(&stdout).map_err(|e| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        format!("--lint: {e}; cfn-lint said: {}", stderr.trim())
    })
}

/// The last part of a path cfn-lint reports (it echoes the argument).
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
