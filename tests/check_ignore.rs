//! `# lamc: ignore CODE, …` (docs/language.md, "Silencing a warning"): which warnings it
//! silences and where, what it reports about itself (W0542, W0543, W0544), and that
//! `check`, `build`, the SARIF log and the language server all see the same thing.

use crate::check_support::{check, expect_at, line_of};
use crate::lsp_transport::{
    initialize, message, published_codes, response, session, shutdown_and_exit,
};

use assert_cmd::Command;
use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::Code;
use serde_json::{json, Value};

/// W0506 (line 1), W0502 (line 10, on the trigger) and W0509 (line 11), unsilenced.
const WARNED: &str = r#"queue spare {}
queue jobs {}

function worker {
  runtime = nodejs24.x
  handler = "index.handler"
  code    = inline("""exports.handler = async (event) => ({ ok: true });""")
  timeout = 10s
  # a plain comment
  on sqs queue.jobs
  concurrency { reserved = 0 }
}
"#;

/// [`WARNED`] with each warning silenced where it points, and one ignore left over.
fn silenced() -> String {
    WARNED
        .replace(
            "queue spare {}",
            "# lamc: ignore W0506 # kept for the launch\nqueue spare {}",
        )
        .replace(
            "  on sqs queue.jobs",
            "  on sqs queue.jobs  # lamc: ignore W0502,W0509",
        )
        .replace("reserved = 0 }", "reserved = 0 }  # lamc: ignore W0509")
}

fn codes(c: &lamc::driver::Compilation) -> Vec<(Code, usize)> {
    c.diagnostics
        .iter()
        .map(|d| (d.code, line_of(c, d)))
        .collect()
}

#[test]
fn each_warning_is_silenced_where_it_points_and_a_leftover_code_warns() {
    assert_eq!(
        codes(&check(WARNED)),
        [(Code::W0506, 1), (Code::W0502, 10), (Code::W0509, 11)]
    );
    let c = check(&silenced());
    // W0509 is reported on line 12, not 11: the `W0509` of line 11 silences nothing.
    assert_eq!(codes(&c), [(Code::W0542, 11)]);
    let d = expect_at(&c, Code::W0542, 11);
    assert_eq!(
        d.message,
        "no W0509 is reported on this line: this ignore silences nothing"
    );
    let fix = &d.fixes[0];
    assert_eq!(fix.title, "remove W0509");
    let text = silenced();
    let fixed = format!(
        "{}{}{}",
        &text[..fix.span.start],
        fix.replacement,
        &text[fix.span.end..]
    );
    assert!(
        fixed.contains("  on sqs queue.jobs  # lamc: ignore W0502\n"),
        "{fixed}"
    );
    assert_eq!(codes(&check(&fixed)), []);
}

#[test]
fn the_report_shows_the_code_where_it_is_written() {
    let c = check(&silenced());
    let text = render_human(&c.diagnostics, &c.sources, &HumanOptions::default());
    let expected =
        "  ⚠ warning[W0542]: no W0509 is reported on this line: this ignore silences nothing
    ╭─[main.lam:11:43]
 10 │   # a plain comment
 11 │   on sqs queue.jobs  # lamc: ignore W0502,W0509
    ·                                           ──┬──
    ·                                             ╰── nothing to silence on this line
 12 │   concurrency { reserved = 0 }  # lamc: ignore W0509
    ╰────
  help: delete `W0509` from the comment, or move the comment to the line the warning points at (at
        its end, or alone on the line above it)

";
    assert_eq!(text, expected);
}

#[test]
fn an_error_is_never_silenced() {
    let src = WARNED.replace(
        "timeout = 10s",
        "timeout = 20m  # lamc: ignore E0402, W0502",
    );
    let c = check(&src);
    expect_at(&c, Code::E0402, 8);
    let d = expect_at(&c, Code::W0543, 8);
    assert_eq!(d.message, "E0402 is an error, and errors cannot be ignored");
    // While there are errors, an ignore that finds nothing is not reported: the warning
    // it waits for may not have been looked for.
    assert!(!c.diagnostics.iter().any(|d| d.code == Code::W0542));
}

#[test]
fn warnings_of_a_used_file_are_silenced_by_that_files_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("lib.lam"),
        "queue spare {}  # lamc: ignore W0506\n",
    )
    .expect("write lib.lam");
    std::fs::write(
        dir.path().join("app.lam"),
        "use \"lib.lam\"\n\nqueue spare2 {}\n",
    )
    .expect("write app.lam");
    let c = crate::check_support::check_file(&dir.path().join("app.lam"));
    assert_eq!(codes(&c), [(Code::W0506, 3)]);
}

fn lamc(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("lamc").expect("the lamc binary is built");
    cmd.env("LAMC_TODAY", "2026-11-26").current_dir(dir);
    cmd
}

fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.lam"), text).expect("write app.lam");
    dir
}

#[test]
fn deny_warnings_passes_once_every_warning_is_silenced() {
    let dir = project(WARNED);
    let out = lamc(dir.path())
        .args(["build", "app.lam", "--deny-warnings"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "a denied build prints no template");

    let fixed = silenced().replace(",W0509", "");
    let dir = project(&fixed);
    let out = lamc(dir.path())
        .args(["build", "app.lam", "--deny-warnings"])
        .output()
        .expect("lamc runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let template: Value = serde_json::from_slice(&out.stdout).expect("a template");
    assert!(template["Resources"]["SpareQueue"].is_object());
}

#[test]
fn the_sarif_log_holds_what_check_reports() {
    let dir = project(&silenced());
    let out = lamc(dir.path())
        .args(["check", "app.lam", "--message-format", "sarif"])
        .output()
        .expect("lamc runs");
    assert_eq!(out.status.code(), Some(0));
    let log: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let found: Vec<(&str, u64)> = results
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            (
                r["ruleId"].as_str().unwrap_or_default(),
                region["startLine"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(found, [("W0542", 11)]);
}

#[test]
fn the_language_server_publishes_the_same_and_offers_the_fix() {
    let dir = project(&silenced());
    let path = dir.path().join("app.lam");
    let uri = format!("file://{}", path.display());
    let mut input = initialize();
    input.extend(message(json!({
        "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": { "textDocument": {
            "uri": uri, "languageId": "lam", "version": 1, "text": silenced() } },
    })));
    input.extend(message(json!({
        "jsonrpc": "2.0", "id": 7, "method": "textDocument/codeAction",
        "params": {
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 10, "character": 44 }, "end": { "line": 10, "character": 44 } },
            "context": { "diagnostics": [] },
        },
    })));
    input.extend(shutdown_and_exit());
    let (status, messages) = session(&input);
    assert_eq!(status, Some(0), "{messages:#?}");
    // Lines are 0-based in the protocol.
    assert_eq!(
        published_codes(&messages, &uri, 0),
        [("W0542".to_string(), 10)]
    );
    let actions = response(&messages, json!(7))["result"].clone();
    let titles: Vec<&str> = actions
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(titles, ["remove W0509"]);
}
