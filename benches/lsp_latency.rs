//! didChange → publishDiagnostics latency of `lamc lsp` on a 1,000-function document
//! (`cargo run --example synth -- 1000`): p50 / p95 over 50 edits, each a full-text change
//! as editors send them with full sync.
//!
//!     cargo bench --no-default-features --bench lsp_latency
//!
//! Each edit changes the first `memory = 256MB` (the `defaults` every function inherits)
//! to `20GB` (an error) and back to a valid value, as typing does. `LAMC_BENCH_EDIT=function`
//! edits a value inside one function in the middle of the document instead (the `INDEX`
//! of `worker_500`), the common case: the rest of the program does not change.
//!
//! `LAMC_BENCH_DOC=path.lam` uses that document instead of generating one;
//! `LAMC_BENCH_EDITS=N` changes the number of edits; `LAMC_BENCH_SERVER=path` runs that
//! `lamc` binary instead of this build's (to compare two builds under the same load).

use std::io::{BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;

fn document() -> String {
    if let Ok(path) = std::env::var("LAMC_BENCH_DOC") {
        return std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "run",
            "-q",
            "--release",
            "--no-default-features",
            "--example",
            "synth",
            "--",
            "1000",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run the synth example");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 document")
}

/// The document after edit `i`: alternately an error and a valid value, as typing does.
fn edited(text: &str, i: usize) -> String {
    if std::env::var("LAMC_BENCH_EDIT").is_ok_and(|e| e == "function") {
        let index = if i.is_multiple_of(2) {
            "INDEX = queue.nope.url".to_string()
        } else {
            format!("INDEX = \"{}\"", 500 + i)
        };
        return text.replacen("INDEX = \"500\"", &index, 1);
    }
    let memory = if i.is_multiple_of(2) {
        "20GB".to_string()
    } else {
        format!("{}MB", 256 + i)
    };
    text.replacen("memory = 256MB", &format!("memory = {memory}"), 1)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let edits: usize = std::env::var("LAMC_BENCH_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let text = document();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("synth.lam");
    std::fs::write(&path, &text).expect("write document");
    let uri = format!("file://{}", path.display());

    let server =
        std::env::var("LAMC_BENCH_SERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_lamc").into());
    let mut child = Command::new(server)
        .arg("lsp")
        .env("LAMC_TODAY", "2026-11-26")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start lamc lsp");
    let mut input = child.stdin.take().expect("stdin");
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |msg: Message| {
        msg.write(&mut input).expect("write to server");
        input.flush().expect("flush");
    };
    let mut next = |want: &dyn Fn(&Message) -> bool| loop {
        let msg = Message::read(&mut output)
            .expect("read from server")
            .expect("server closed its output");
        if want(&msg) {
            return msg;
        }
    };

    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({ "capabilities": {} }),
    )));
    next(&|m| matches!(m, Message::Response(_)));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));

    let published = |version: i32| {
        move |m: &Message| match m {
            Message::Notification(n) => {
                n.method == "textDocument/publishDiagnostics" && n.params["version"] == version
            }
            _ => false,
        }
    };
    let start = Instant::now();
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({ "textDocument": { "uri": uri, "languageId": "lam", "version": 1, "text": text } }),
    )));
    next(&published(1));
    let open = start.elapsed();

    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        let version = i as i32 + 2;
        let changed = edited(&text, i);
        let start = Instant::now();
        send(Message::Notification(Notification::new(
            "textDocument/didChange".into(),
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": changed }],
            }),
        )));
        next(&published(version));
        times.push(start.elapsed());
    }
    times.sort();
    let lines = text.lines().count();
    println!(
        "lsp_latency: {lines} lines, {} bytes; didOpen → diagnostics {:.1} ms",
        text.len(),
        open.as_secs_f64() * 1e3
    );
    println!(
        "lsp_latency: didChange → publishDiagnostics over {edits} edits: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );

    send(Message::Request(Request::new(
        RequestId::from(2),
        "shutdown".into(),
        json!(null),
    )));
    next(&|m| matches!(m, Message::Response(_)));
    send(Message::Notification(Notification::new(
        "exit".into(),
        json!(null),
    )));
    let status = child.wait().expect("wait for the server");
    assert!(status.success(), "server exited with {status}");
}
