//! The language server's code lenses: a schedule's next firings, the monthly cost of
//! provisioned concurrency. The server runs in this process on an in-memory connection,
//! with the date pinned as `LAMC_TODAY` pins it.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use lamc::driver::CheckOptions;
use lamc::insight::cost::{range_text, Range};
use lamc::insight::prices::{region, SECONDS_PER_MONTH, TABLE_DATE};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

const APP: &str = "\
function nightly {
  runtime = \"python3.12\"
  handler = \"index.handler\"
  code    = inline(\"def handler(event, context):\\n    return 1\\n\")
  memory  = 1GB
  architecture = arm64

  on schedule cron(\"30 2 * * ? *\") { timezone = \"Europe/Berlin\" }
  on schedule rate(6h)

  concurrency { reserved = 20, provisioned = 2..10 at 70% }
}
";

/// Start the server on `today`, open `file` with `text`, ask for its lenses; returns the
/// `initialize` result and the lenses.
fn lenses(file: &Path, text: &str, today: NaiveDate) -> (Value, Value) {
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || lamc::lsp::serve(&server, CheckOptions::on(today)));
    let uri = format!("file://{}", file.display());
    let request = |id: i32, method: &str, params: Value| {
        Message::Request(Request::new(RequestId::from(id), method.into(), params))
    };
    let send = |m: Message| client.sender.send(m).expect("the server listens");
    send(request(1, "initialize", json!({ "capabilities": {} })));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({ "textDocument": { "uri": uri, "languageId": "lam", "version": 1, "text": text } }),
    )));
    send(request(
        2,
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": uri } }),
    ));
    send(request(3, "shutdown", Value::Null));
    let mut results = std::collections::BTreeMap::new();
    while results.len() < 3 {
        let msg = client
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers");
        if let Message::Response(r) = msg {
            let result = r.response_result.expect("an answer, not an error");
            results.insert(r.id.to_string(), result);
        }
    }
    send(Message::Notification(Notification::new(
        "exit".into(),
        Value::Null,
    )));
    let _ = handle.join();
    (results["1"].clone(), results["2"].clone())
}

fn titles(lenses: &Value) -> Vec<(u64, String)> {
    lenses
        .as_array()
        .expect("a list of lenses")
        .iter()
        .map(|l| {
            let line = l["range"]["start"]["line"].as_u64().expect("a line");
            let title = l["command"]["title"].as_str().expect("a title");
            (line, title.to_string())
        })
        .collect()
}

#[test]
fn schedules_show_their_next_firings_and_provisioned_concurrency_its_cost() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("app.lam");
    std::fs::write(&file, APP).expect("written");
    let day = NaiveDate::from_ymd_opt(2027, 3, 27).expect("a date");
    let (init, lenses) = lenses(&file, APP, day);
    assert_eq!(
        init["capabilities"]["codeLensProvider"],
        json!({ "resolveProvider": false })
    );
    let titles = titles(&lenses);
    assert_eq!(titles.len(), 3, "{titles:?}");

    // Counted from the pinned day's midnight (UTC); the spring-forward night is marked.
    let (line, berlin) = &titles[0];
    assert_eq!(*line, 7);
    assert_eq!(
        berlin,
        "next: Sat 2027-03-27 02:30 CET · Sun 2027-03-28 02:30 skipped (clocks go forward) · \
         Mon 2027-03-29 02:30 CEST · Tue 2027-03-30 02:30 CEST"
    );
    let (line, rate) = &titles[1];
    assert_eq!(*line, 8);
    assert!(
        rate.starts_with("next: Sat 2027-03-27 06:00 UTC · "),
        "{rate}"
    );

    // 2..10 instances of 1 GB, arm64, at us-east-1's rate, for a 730-hour month.
    let rate = region("us-east-1")
        .expect("priced")
        .arm64
        .provisioned
        .expect("known");
    let one = SECONDS_PER_MONTH * rate;
    let range = range_text(Range {
        min: 2.0 * one,
        max: 10.0 * one,
    });
    let (line, cost) = &titles[2];
    assert_eq!(*line, 10);
    assert_eq!(
        cost,
        &format!(
            "provisioned concurrency ≈ {range} a month (estimate: us-east-1 list prices of {TABLE_DATE})"
        )
    );
}

#[test]
fn the_same_pinned_day_gives_the_same_lenses() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("app.lam");
    std::fs::write(&file, APP).expect("written");
    let day = NaiveDate::from_ymd_opt(2027, 10, 30).expect("a date");
    let first = lenses(&file, APP, day).1;
    assert_eq!(first, lenses(&file, APP, day).1);
    assert!(titles(&first)[0].1.contains("(occurs twice, fires once)"));
}

#[test]
fn a_function_without_provisioned_concurrency_or_schedules_has_no_lens() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("app.lam");
    let text = APP
        .replace(
            "  on schedule cron(\"30 2 * * ? *\") { timezone = \"Europe/Berlin\" }\n",
            "",
        )
        .replace("  on schedule rate(6h)\n", "")
        .replace(", provisioned = 2..10 at 70%", "");
    std::fs::write(&file, &text).expect("written");
    let day = NaiveDate::from_ymd_opt(2027, 3, 27).expect("a date");
    assert_eq!(lenses(&file, &text, day).1, json!([]));
}
