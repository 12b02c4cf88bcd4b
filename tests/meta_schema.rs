//! The schema (`src/schema`) is the one source of the language's words: the committed
//! tables of docs/language.md and the editor grammar's keyword lists are what it generates,
//! and each enum word's CloudFormation spelling is what lamc emits for it.

use std::path::PathBuf;

use lamc::driver::{check_source, CheckOptions};
use lamc::schema::render::{rewrite_docs, rewrite_grammar, COMMAND};
use lamc::schema::{self, Words};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed `path` equals what `render` makes of it.
fn assert_generated(path: &str, render: fn(&str) -> Result<String, String>) {
    let file = root().join(path);
    let committed = std::fs::read_to_string(&file).expect("read");
    let generated = render(&committed).unwrap_or_else(|e| panic!("{path}: {e}"));
    if generated != committed {
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or(0, |n| n + 1);
        panic!("{path} is stale (first difference at line {first}): run `{COMMAND}`");
    }
}

#[test]
fn docs_tables_are_generated_from_the_schema() {
    assert_generated("docs/language.md", rewrite_docs);
}

#[test]
fn grammar_lists_are_generated_from_the_schema() {
    assert_generated(
        "editors/vscode/syntaxes/lam.tmLanguage.json",
        rewrite_grammar,
    );
}

#[test]
fn a_stale_copy_is_noticed() {
    let docs = std::fs::read_to_string(root().join("docs/language.md")).expect("read");
    let stale = docs.replacen("| `memory` |", "| `memroy` |", 1);
    assert_ne!(rewrite_docs(&stale).expect("markers"), stale);
    let unmarked = docs.replace("<!-- schema:function -->", "");
    assert!(rewrite_docs(&unmarked).is_err());
}

/// Every string in the template lamc builds from `program`.
fn template_strings(program: &str) -> Vec<String> {
    let opts = CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    let c = check_source("t.lam".into(), None, program.to_string(), &opts);
    assert!(!c.has_errors(), "{program}\n{:#?}", c.diagnostics);
    let model = c.model.clone().expect("a model");
    let stack = lamc::plan::plan(&model, &lamc::plan::PlanOptions::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    let doc: serde_json::Value = serde_json::from_str(&lamc::emit::json(&stack)).expect("json");
    let mut out = Vec::new();
    let mut stack = vec![&doc];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    out
}

const FUNCTION: &str =
    "runtime = python3.13\n  handler = \"m.handler\"\n  code = s3(\"code-bucket\", \"k.zip\")";

#[test]
fn enum_words_become_their_cloudformation_spelling() {
    let f = |body: &str| format!("function f {{\n  {FUNCTION}\n  {body}\n}}\n");
    let cases: Vec<(&Words, String)> = vec![
        (&schema::ARCHITECTURE, f("architecture = WORD")),
        (&schema::TRACING, f("tracing = WORD")),
        (
            &schema::STREAM_VIEW,
            "table t { key = { id = string }, stream = WORD }\n".into(),
        ),
        (
            &schema::KEY_TYPE,
            "table t { key = { id = WORD } }\n".into(),
        ),
        (
            &schema::START_POSITION,
            format!(
                "stream s {{}}\n{}",
                f("on kinesis stream.s { start = WORD }")
            ),
        ),
        (
            &schema::AUTH,
            format!(
                "api a {{ auth = WORD }}\n{}",
                f("on http \"GET /x\" via api.a { public = true }")
            ),
        ),
        (
            &schema::MISSING_DATA,
            f("alarm errors > 1 { missing = WORD }"),
        ),
        (&schema::COMPARISON, f("alarm errors WORD 1")),
        (&schema::STATISTIC, f("alarm duration.WORD > 1s")),
        (
            &schema::S3_EVENT,
            format!("bucket b {{}}\n{}", f("on s3 bucket.b { events = [WORD] }")),
        ),
        (
            &schema::PARAM_TYPES,
            "param p: WORD\noutput o = param.p\n".into(),
        ),
    ];
    for (words, program) in cases {
        for w in words.0.iter().filter(|w| !w.cfn.is_empty()) {
            let program = program.replace("WORD", w.word);
            let strings = template_strings(&program);
            assert!(
                strings.iter().any(|s| s == w.cfn),
                "`{}` should become \"{}\":\n{program}",
                w.word,
                w.cfn
            );
        }
    }
}
