//! `lamc lsp` over real stdio, fed raw bytes: malformed bodies, bad `Content-Length`
//! headers and lone surrogate escapes get JSON-RPC errors (-32700, -32600) and the server
//! keeps serving; `exit` without `shutdown` ends with status 1, as the protocol says.
//! Stack-level diagnostics (found by planning) are published on open and save.
//!
//! Every run is bounded: a server that stops answering fails the test, never hangs it.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

pub(crate) fn message(value: Value) -> Vec<u8> {
    frame(&value.to_string())
}

pub(crate) fn initialize() -> Vec<u8> {
    let mut out = message(json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "capabilities": {}, "processId": null, "rootUri": null },
    }));
    out.extend(message(
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    ));
    out
}

pub(crate) fn shutdown_and_exit() -> Vec<u8> {
    let mut out = message(json!({ "jsonrpc": "2.0", "id": 99, "method": "shutdown" }));
    out.extend(message(json!({ "jsonrpc": "2.0", "method": "exit" })));
    out
}

/// Run `lamc lsp` on `input` (stdin closed after it); its exit status and the messages it
/// wrote, parsed from their frames.
pub(crate) fn session(input: &[u8]) -> (Option<i32>, Vec<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lamc"))
        .arg("lsp")
        .env("LAMC_TODAY", "2026-11-26")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("lamc lsp starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait on lamc lsp") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lamc lsp did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    (status.code(), parse_frames(&out))
}

fn parse_frames(mut out: &[u8]) -> Vec<Value> {
    let mut messages = Vec::new();
    while let Some(end) = out.windows(4).position(|w| w == b"\r\n\r\n") {
        let header = String::from_utf8_lossy(&out[..end]);
        let length: usize = header
            .trim()
            .strip_prefix("Content-Length: ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("bad header from the server: {header:?}"));
        let body = &out[end + 4..end + 4 + length];
        messages.push(serde_json::from_slice(body).expect("the server writes JSON"));
        out = &out[end + 4 + length..];
    }
    messages
}

/// The response with this id.
pub(crate) fn response(messages: &[Value], id: Value) -> &Value {
    messages
        .iter()
        .find(|m| m["id"] == id && (m.get("result").is_some() || m.get("error").is_some()))
        .unwrap_or_else(|| panic!("no response with id {id} in {messages:#?}"))
}

fn error_code(m: &Value) -> Option<i64> {
    m["error"]["code"].as_i64()
}

#[test]
fn malformed_input_gets_errors_and_the_server_keeps_serving() {
    let uri = "file:///nowhere/app.lam";
    let mut input = initialize();
    // A body cut short: not JSON.
    input.extend(frame(r#"{"jsonrpc":"2.0","id":2,"#));
    // A Content-Length that is not a number, then one far over any sane size.
    input.extend(b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":3}");
    input.extend(b"Content-Length: 99999999999999999\r\n\r\n{}");
    // JSON that is no request: no method.
    input.extend(message(json!({ "jsonrpc": "2.0", "id": 5, "params": {} })));
    // A document whose text holds a lone surrogate escape (raw JSON: serde_json would
    // refuse to write one).
    let open = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"lam","version":1,"text":"queue q {{ visibility = \ud800 }}\n"}}}}}}"#
    );
    input.extend(frame(&open));
    // Still serving: a hover on that document.
    input.extend(message(json!({
        "jsonrpc": "2.0", "id": 6, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1 } },
    })));
    input.extend(shutdown_and_exit());

    let (status, messages) = session(&input);
    assert_eq!(status, Some(0), "{messages:#?}");
    let null_errors: Vec<i64> = messages
        .iter()
        .filter(|m| m["id"].is_null())
        .filter_map(error_code)
        .collect();
    assert_eq!(null_errors, [-32700, -32700, -32700], "{messages:#?}");
    assert_eq!(error_code(response(&messages, json!(5))), Some(-32600));
    assert!(response(&messages, json!(6)).get("result").is_some());
    assert!(response(&messages, json!(99)).get("result").is_some());
    // The document was read (the surrogate as U+FFFD) and checked.
    let published = messages
        .iter()
        .find(|m| m["method"] == "textDocument/publishDiagnostics")
        .unwrap_or_else(|| panic!("no diagnostics published: {messages:#?}"));
    assert_eq!(published["params"]["uri"], uri);
    let diags = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // The syntax error sits on the replaced character, one UTF-16 unit like the
    // surrogate was: column 23 of line 0.
    assert!(
        diags
            .iter()
            .any(|d| d["range"]["start"] == json!({ "line": 0, "character": 23 })),
        "{published}"
    );
}

#[test]
fn exit_without_shutdown_exits_with_status_1() {
    let mut input = initialize();
    input.extend(message(json!({ "jsonrpc": "2.0", "method": "exit" })));
    assert_eq!(session(&input).0, Some(1));
    // Before `initialize` too.
    let exit = message(json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(session(&exit).0, Some(1));
    // After `shutdown`: status 0.
    let mut input = initialize();
    input.extend(shutdown_and_exit());
    assert_eq!(session(&input).0, Some(0));
}

#[test]
fn requests_before_initialize_are_refused_not_fatal() {
    let mut input = message(json!({
        "jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {},
    }));
    input.extend(initialize());
    input.extend(shutdown_and_exit());
    let (status, messages) = session(&input);
    assert_eq!(status, Some(0));
    assert_eq!(error_code(response(&messages, json!(7))), Some(-32002));
    assert!(response(&messages, json!(1)).get("result").is_some());
}

/// The `(code, line)` of each diagnostic in the `n`th publishDiagnostics for `uri`.
pub(crate) fn published_codes(messages: &[Value], uri: &str, n: usize) -> Vec<(String, u64)> {
    let published: Vec<&Value> = messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter(|m| m["params"]["uri"] == uri)
        .collect();
    let p = published
        .get(n)
        .unwrap_or_else(|| panic!("no publishDiagnostics #{n} for {uri}: {messages:#?}"));
    p["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or_default().to_string();
            (
                code,
                d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect()
}

/// Stack-level diagnostics reach the editor: E0413 (a template over CloudFormation's
/// limits) and E0439 (a dependency cycle) are found by planning, which the server does
/// when a document is opened or saved (not on every change: docs/performance.md).
#[test]
fn stack_level_diagnostics_are_published_on_open_and_save() {
    let cases = [
        ("E0413_too_many_parameters.lam", "E0413", 412),
        ("E0439_dead_letter_loop.lam", "E0439", 3),
    ];
    for (file, code, line) in cases {
        // The real file: its `code` folder resolves beside it.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/ui/fail")
            .join(file);
        let text = std::fs::read_to_string(&path).expect("ui case");
        let uri = format!("file://{}", path.display());
        let uri = uri.as_str();
        let mut input = initialize();
        input.extend(message(json!({
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": { "textDocument": {
                "uri": uri, "languageId": "lam", "version": 1, "text": text } },
        })));
        input.extend(message(json!({
            "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {
                "textDocument": { "uri": uri, "version": 2 },
                "contentChanges": [{ "text": format!("{text}\n# edited\n") }],
            },
        })));
        input.extend(message(json!({
            "jsonrpc": "2.0", "method": "textDocument/didSave",
            "params": { "textDocument": { "uri": uri } },
        })));
        input.extend(shutdown_and_exit());
        let (status, messages) = session(&input);
        assert_eq!(status, Some(0), "{messages:#?}");
        let expected = vec![(code.to_string(), line)];
        assert_eq!(published_codes(&messages, uri, 0), expected, "on open");
        // While the text changes only the checker runs: the program itself is fine.
        assert_eq!(published_codes(&messages, uri, 1), Vec::new(), "on change");
        assert_eq!(published_codes(&messages, uri, 2), expected, "on save");
    }
}
