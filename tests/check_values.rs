//! Names and values: chains of `extends` and `let`s of any length check without recursion
//! and in linear time, values have a size and depth budget while they are built, and every
//! bare name resolves (issue 11 items 2–4, issue 10 item 3).

use std::time::{Duration, Instant};

use crate::check_support::*;
use crate::synth::{extends_chain, let_chain};
use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::Code;
use lamc::driver::Compilation;
use lamc::model::Value;

/// A complete function body (three lines) that reports nothing.
const FN: &str = "runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")";

/// `let a0 = SEED`, each `aK` built from two `aK-1` by `pair`, and an output of the last.
fn doubling(seed: &str, levels: usize, pair: impl Fn(&str) -> String) -> String {
    let mut src = format!("let a0 = {seed}\n");
    for i in 1..=levels {
        src.push_str(&format!("let a{i} = {}\n", pair(&format!("a{}", i - 1))));
    }
    src.push_str(&format!("output o = a{levels}\n"));
    src
}

/// The rendered diagnostics, each run of whitespace made one space (the renderer wraps).
fn rendered(c: &Compilation) -> String {
    let text = render_human(&c.diagnostics, &c.sources, &HumanOptions::default());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn only(c: &Compilation, code: Code, line: usize) -> &lamc::diag::Diagnostic {
    assert_eq!(c.diagnostics.len(), 1, "one diagnostic:\n{}", render(c));
    expect_at(c, code, line)
}

#[test]
fn a_chain_of_12000_extends_checks_without_recursion() {
    let n = 12_000;
    let c = check(&extends_chain(n));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.expect("a model");
    let f = model.function("f").expect("function f");
    assert_eq!(f.memory.as_ref().map(|m| m.value), Some(256), "from t0");
    assert_eq!(f.templates.len(), n);
}

#[test]
fn a_cycle_closing_a_long_extends_chain_is_reported_once() {
    let n = 12_000;
    let src = extends_chain(n).replacen(
        "template t0 {",
        &format!("template t0 extends t{} {{", n - 1),
        1,
    );
    let c = check(&src);
    let found = with_code(&c, Code::E0204);
    assert_eq!(found.len(), 1, "{}", render(&c));
    assert_eq!(
        found[0].1.secondary.len(),
        n - 1,
        "every other edge labelled"
    );
}

#[test]
fn chained_lets_resolve_to_their_end() {
    // Past 64 lets the end of a chain used to be dropped without a word.
    let c = check(&let_chain(10_000));
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.expect("a model");
    let out = model.outputs.first().expect("output o");
    assert_eq!(out.value.value, Value::Number("1".into()));
}

/// The fastest of three runs.
fn best_of_three(src: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let c = check(src);
            let took = start.elapsed();
            assert!(c.diagnostics.is_empty(), "{}", render(&c));
            took
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn chained_lets_take_linear_time() {
    // Ten times the lets may take about ten times as long (quadratic took a hundred times:
    // 1,000 lets 0.5 s, 10,000 over a minute).
    let small = best_of_three(&let_chain(1_000));
    let large = best_of_three(&let_chain(10_000));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    assert!(
        ratio < 30.0,
        "1,000 lets: {small:?}, 10,000 lets: {large:?} (×{ratio:.1})"
    );
}

#[test]
fn a_list_doubled_until_too_large_stops_at_the_let_that_crosses() {
    let src = doubling("\"x\"", 24, |a| format!("[{a}, {a}]"));
    let start = Instant::now();
    let c = check(&src);
    assert!(start.elapsed() < Duration::from_secs(20), "quick");
    // a0 takes 3 bytes, aK = 2·aK-1 + 4: a17 = 917,500 fits, a18 crosses 1,000,000.
    let d = only(&c, Code::E0435, 19);
    assert_eq!(d.message, "`let a18` is too large");
    assert_eq!(d.secondary.len(), 1, "the let it doubles is labelled once");
    let text = rendered(&c);
    for part in [
        "error[E0435]: `let a18` is too large",
        "its value would take 1,835,004 bytes in the template; at most 1,000,000 fit",
        "`a17` is 917,500 bytes",
        "help: a value must fit in a template (1,000,000 bytes)",
    ] {
        assert!(text.contains(part), "{part:?} in:\n{text}");
    }
}

#[test]
fn a_string_doubled_until_too_large_stops_at_the_let_that_crosses() {
    let src = doubling("\"xxxxxxxx\"", 40, |a| format!("\"${{{a}}}${{{a}}}\""));
    let start = Instant::now();
    let c = check(&src);
    assert!(start.elapsed() < Duration::from_secs(20), "quick");
    // a0 takes 10 bytes, aK = 2·aK-1 + 2: a16 = 786,430 fits, a17 crosses.
    let d = only(&c, Code::E0435, 18);
    assert_eq!(d.message, "`let a17` is too large");
}

#[test]
fn one_value_using_a_large_let_many_times_is_too_large() {
    let big = "x".repeat(400_000);
    let src = format!(
        "let big = \"{big}\"\nfunction f {{\n  {FN}\n  env {{ DATA = \"${{big}}${{big}}${{big}}\" }}\n}}\n"
    );
    let c = check(&src);
    let d = only(&c, Code::E0435, 6);
    assert_eq!(d.message, "value too large for a template");
}

#[test]
fn the_outputs_share_one_budget() {
    // Outputs all go into the root template: three of 400 KB do not fit together.
    let big = "x".repeat(400_000);
    let src = format!("let big = \"{big}\"\noutput a = big\noutput b = big\noutput c = big\n");
    let c = check(&src);
    let d = only(&c, Code::E0435, 4);
    assert_eq!(
        d.message,
        "the values of this declaration are too large for a template"
    );
}

#[test]
fn lets_nested_deeper_than_a_literal_may_be_are_refused() {
    let mut src = String::from("let l0 = \"x\"\n");
    for i in 1..10_000 {
        src.push_str(&format!("let l{i} = [l{}]\n", i - 1));
    }
    src.push_str(&format!(
        "function f {{\n  {FN}\n  env {{ DEEP = \"${{l9999}}\" }}\n}}\n"
    ));
    let c = check(&src);
    let d = only(&c, Code::E0436, 66);
    assert_eq!(d.message, "`let l65` nests too deeply");
    let text = rendered(&c);
    assert!(
        text.contains("its value nests 65 levels once its lets are expanded; at most 64"),
        "{text}"
    );
}

#[test]
fn a_long_cycle_of_lets_is_reported_once() {
    let src = let_chain(10_000).replacen("let l0 = 1", "let l0 = l9999", 1);
    let c = check(&src);
    let found = with_code(&c, Code::E0204);
    assert_eq!(found.len(), 1, "{}", render(&c));
    assert_eq!(c.diagnostics.len(), 1, "uses stay quiet:\n{}", render(&c));
}

#[test]
fn misspelt_names_are_unknown_with_the_nearest_let() {
    let src = format!(
        "let service = \"orders\"\nfunction f {{\n  {FN}\n  env {{ QUEUE = \"${{sevice}}-x\", NAME = sevice, SAME = service }}\n}}\noutput o = sevice\n"
    );
    let c = check(&src);
    // One mistake, one diagnostic: at the first use, the others as secondary labels.
    let d = only(&c, Code::E0201, 6);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
    assert_eq!(d.message, "unknown name `sevice`");
    assert_eq!(d.help.as_deref(), Some("did you mean `service`?"));
    assert_eq!(d.fixes[0].replacement, "service");
    let spans = std::iter::once(d.primary.span).chain(d.secondary.iter().map(|l| l.span));
    let names: Vec<&str> = spans.map(|s| &src[s.start..s.end]).collect();
    assert_eq!(names, ["sevice"; 3], "the spans are the name itself");
    let text = rendered(&c);
    assert!(
        text.contains("error[E0201]: unknown name `sevice` ╭─[main.lam:6:")
            && text.contains("not a `let` constant, nor a value this place takes"),
        "{text}"
    );
}

#[test]
fn a_misspelt_let_that_nothing_uses_is_the_mistake() {
    let src = format!(
        "let sevrice = \"orders\"\nfunction f {{\n  {FN}\n  env {{ QUEUE = \"${{service}}-x\", NAME = service }}\n}}\n"
    );
    let c = check(&src);
    let d = only(&c, Code::E0201, 1);
    assert_eq!(
        d.message,
        "let `sevrice` is never used, but `service` is used 2 times"
    );
    assert_eq!(d.fixes[0].replacement, "service");
    assert_eq!(d.secondary.len(), 2);
}

#[test]
fn a_name_near_a_parameter_suggests_the_parameter() {
    let src = format!(
        "param stage: string = \"dev\"\nfunction f {{\n  {FN}\n  env {{ STAGE = stage }}\n}}\n"
    );
    let c = check(&src);
    let d = only(&c, Code::E0201, 6);
    assert_eq!(d.help.as_deref(), Some("did you mean `param.stage`?"));
    assert_eq!(d.fixes[0].replacement, "param.stage");
}

#[test]
fn names_with_nothing_near_say_how_to_declare_or_quote_them() {
    let src =
        format!("function f {{\n  {FN}\n  memory = big\n  env {{ RUNTIME = python3.12 }}\n}}\n");
    let c = check(&src);
    let memory = expect_at(&c, Code::E0201, 5);
    assert_eq!(
        memory.help.as_deref(),
        Some("declare it with `let big = …`, or write the text as a string: \"big\"")
    );
    let dotted = expect_at(&c, Code::E0201, 6);
    assert_eq!(dotted.message, "unknown name `python3.12`");
    assert_eq!(
        dotted.help.as_deref(),
        Some("to write the text, quote it: \"python3.12\"")
    );
    assert_eq!(c.diagnostics.len(), 2, "{}", render(&c));
}

#[test]
fn enum_values_stay_names_where_they_are_valid() {
    let src = format!(
        "let arch = arm64\nfunction f {{\n  {FN}\n  architecture = arch\n  tracing = active\n}}\nfunction g {{\n  {FN}\n  architecture = arm64\n  on s3 bucket.b {{ events = created }}\n}}\nbucket b {{}}\n"
    );
    let c = check(&src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
}

#[test]
fn a_let_standing_for_a_symbol_is_reported_once_where_it_is_written() {
    // `arm64` is a value where an architecture is expected, not in env; both functions use
    // the let, the mistake is in one place.
    let src = format!(
        "let arch = arm64\nfunction f {{\n  {FN}\n  env {{ ARCH = arch }}\n}}\nfunction g {{\n  {FN}\n  env {{ ARCH = arch }}\n}}\n"
    );
    let c = check(&src);
    let d = only(&c, Code::E0201, 1);
    assert_eq!(d.message, "unknown name `arm64`");
}

#[test]
fn a_wrong_enum_value_suggests_the_value_or_a_let() {
    let src = format!(
        "let archi = arm64\nfunction f {{\n  {FN}\n  architecture = arm65\n}}\nfunction g {{\n  {FN}\n  architecture = arhci\n}}\n"
    );
    let c = check(&src);
    let value = expect_at(&c, Code::E0302, 6);
    assert!(value
        .help
        .as_deref()
        .unwrap_or("")
        .starts_with("did you mean `arm64`?"));
    let named = expect_at(&c, Code::E0302, 12);
    assert!(named
        .help
        .as_deref()
        .unwrap_or("")
        .starts_with("did you mean `archi`?"));
}

/// The diagnostics `lamc lsp` publishes for a document with `text`, the server running on
/// a thread with the default (small) stack: deep recursion would abort the whole process.
fn published_diagnostics(text: String) -> serde_json::Value {
    use lsp_server::{Connection, Message, Notification, Request, RequestId};
    let (server, client) = Connection::memory();
    let opts = opts();
    let serving = std::thread::spawn(move || lamc::lsp::serve(&server, opts));
    let send = |m: Message| client.sender.send(m).expect("server is listening");
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        serde_json::json!({ "capabilities": {} }),
    )));
    let _ = client.receiver.recv_timeout(Duration::from_secs(60));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        serde_json::json!({}),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        serde_json::json!({ "textDocument": {
            "uri": "file:///tmp/lamc-values-test/app.lam",
            "languageId": "lam",
            "version": 1,
            "text": text,
        }}),
    )));
    let published = client
        .receiver
        .recv_timeout(Duration::from_secs(120))
        .expect("diagnostics are published");
    let Message::Notification(n) = published else {
        panic!("expected a notification, got {published:?}");
    };
    assert_eq!(n.method, "textDocument/publishDiagnostics");
    send(Message::Request(Request::new(
        RequestId::from(2),
        "shutdown".into(),
        serde_json::Value::Null,
    )));
    let _ = client.receiver.recv_timeout(Duration::from_secs(60));
    send(Message::Notification(Notification::new(
        "exit".into(),
        serde_json::Value::Null,
    )));
    assert!(serving.join().expect("the server thread ends").is_ok());
    n.params["diagnostics"].clone()
}

#[test]
fn the_language_server_survives_a_chain_of_12000_extends() {
    assert_eq!(
        published_diagnostics(extends_chain(12_000)),
        serde_json::json!([])
    );
}

/// Values nested 100,000 levels deep: brackets, interpolations, `at` chains.
fn deep_values() -> Vec<(&'static str, String)> {
    let n = 100_000;
    vec![
        (
            "lists",
            format!("let x = {}1{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "interpolations",
            format!("let x = {}x{}\n", "\"${".repeat(n), "}\"".repeat(n)),
        ),
        ("ranges", format!("let x = {}5%\n", "1..2 at ".repeat(n))),
    ]
}

#[test]
fn deep_nesting_is_an_error_for_every_command() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (what, text) in deep_values() {
        let path = dir.path().join(format!("{what}.lam"));
        std::fs::write(&path, text).expect("written");
        for args in [&["check"][..], &["build"], &["fmt", "--check"]] {
            let out = assert_cmd::Command::cargo_bin("lamc")
                .expect("the lamc binary is built")
                .args(args)
                .arg(&path)
                .env("LAMC_TODAY", "2026-11-26")
                .timeout(Duration::from_secs(120))
                .output()
                .expect("lamc runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{what}, lamc {args:?}: {}",
                stderr.chars().take(600).collect::<String>()
            );
            assert!(stderr.contains("error[E0001]"), "{what}, lamc {args:?}");
            assert!(
                out.stdout.is_empty(),
                "{what}, lamc {args:?}: nothing printed"
            );
        }
    }
}

#[test]
fn deep_nesting_is_an_error_in_the_language_server() {
    for (what, text) in deep_values() {
        let diags = published_diagnostics(text);
        let codes: Vec<&str> = diags
            .as_array()
            .map(|a| a.iter().filter_map(|d| d["code"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(codes, ["E0001"], "{what}: {diags}");
    }
}
