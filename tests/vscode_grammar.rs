//! The VS Code extension in `editors/vscode/`: its manifest declares the language, the
//! grammar and the server setting; the TextMate grammar passes its scope tests
//! (`vscode-tmgrammar-test` on `editors/vscode/test/*.lam`); the client type-checks.
//!
//! Needs the extension's npm packages: `(cd editors/vscode && npm ci --no-audit --no-fund)`
//! (`.ci/run` does it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn ext_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("editors/vscode")
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The path of an npm-installed tool, or a failure that says how to install it.
fn npm_bin(name: &str) -> PathBuf {
    let bin = ext_dir().join("node_modules/.bin").join(name);
    assert!(
        bin.exists(),
        "{} is missing: install the VS Code extension's packages with\n    \
         (cd editors/vscode && npm ci --no-audit --no-fund)\n\
         (needs Node.js 18+ and npm; `.ci/run` does this)",
        bin.display()
    );
    bin
}

/// Run `cmd` with a time limit; returns (success, stdout + stderr).
fn run_with_timeout(mut cmd: Command, limit: Duration) -> (bool, String) {
    let mut child = cmd
        .current_dir(ext_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (is Node.js installed?)"));
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{cmd:?} did not finish within {limit:?}");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("waiting for {cmd:?}: {e}"),
        }
    }
    let out = child.wait_with_output().expect("collect output");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn manifest_declares_the_language_grammar_and_server_setting() {
    let pkg = json(&ext_dir().join("package.json"));
    let lang = &pkg["contributes"]["languages"][0];
    assert_eq!(lang["id"], "lam");
    assert_eq!(lang["extensions"][0], ".lam");
    let grammar = &pkg["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "lam");
    assert_eq!(grammar["scopeName"], "source.lam");
    for file in [
        lang["configuration"]
            .as_str()
            .expect("language configuration"),
        grammar["path"].as_str().expect("grammar path"),
    ] {
        json(&ext_dir().join(file));
    }
    assert!(pkg["activationEvents"]
        .as_array()
        .expect("activation events")
        .iter()
        .any(|e| e == "onLanguage:lam"));
    assert_eq!(
        pkg["contributes"]["configuration"]["properties"]["lamc.serverPath"]["default"],
        "lamc"
    );
    assert!(pkg["dependencies"]["vscode-languageclient"].is_string());
    let client = std::fs::read_to_string(ext_dir().join("src/extension.ts")).expect("client");
    assert!(client.contains("\"lsp\"") && client.contains("serverPath"));
}

#[test]
fn language_configuration_knows_comments_and_strings() {
    let conf = json(&ext_dir().join("language-configuration.json"));
    assert_eq!(conf["comments"]["lineComment"], "#");
    let pairs = conf["autoClosingPairs"].as_array().expect("pairs");
    for open in ["{", "[", "(", "\""] {
        assert!(
            pairs.iter().any(|p| p["open"] == open),
            "no auto-closing {open}"
        );
    }
}

#[test]
fn grammar_names_every_declaration_keyword() {
    let text =
        std::fs::read_to_string(ext_dir().join("syntaxes/lam.tmLanguage.json")).expect("grammar");
    for kw in lamc::syntax::DECLARATION_KEYWORDS {
        assert!(text.contains(kw), "the grammar does not mention `{kw}`");
    }
}

#[test]
fn grammar_scope_tests_pass() {
    let mut cmd = Command::new(npm_bin("vscode-tmgrammar-test"));
    cmd.args(["-g", "syntaxes/lam.tmLanguage.json", "test/*.lam"]);
    let (ok, out) = run_with_timeout(cmd, Duration::from_secs(120));
    assert!(ok, "vscode-tmgrammar-test failed:\n{out}");
    assert!(out.matches("successfuly").count() >= 2, "{out}");
}

#[test]
fn client_type_checks() {
    let mut cmd = Command::new(npm_bin("tsc"));
    cmd.args(["-p", ".", "--noEmit"]);
    let (ok, out) = run_with_timeout(cmd, Duration::from_secs(120));
    assert!(ok, "tsc found errors:\n{out}");
}
