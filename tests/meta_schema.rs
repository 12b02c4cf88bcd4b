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
    let stack = lamc::driver::plan(&model, &lamc::driver::PlanOptions::default())
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
        (&schema::RECURSION, f("recursion = WORD")),
        (&schema::LOG_FORMAT, f("logging { format = WORD }")),
        (&schema::TENANCY, f("tenancy = WORD")),
        (
            &schema::LOG_LEVEL,
            f("logging { format = json, level = WORD }"),
        ),
        (
            &schema::SYSTEM_LOG_LEVEL,
            f("logging { format = json, system_level = WORD }"),
        ),
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

/// A value for each function attribute, for the inheritance test below. Adding an
/// attribute to the schema without one here fails that test: say how it is written, and
/// it is checked to pass through templates and `defaults`.
const EXAMPLES: &[(&str, &str)] = &[
    // A runtime every attribute takes (`capacity` needs Python 3.13 or later, LMI-07).
    ("runtime", "runtime = python3.13"),
    ("handler", "handler = \"other.handler\""),
    ("code", "code = s3(\"code-bucket\", \"other.zip\")"),
    ("memory", "memory = 512MB"),
    ("timeout", "timeout = 10s"),
    ("storage", "storage = 1GB"),
    ("architecture", "architecture = arm64"),
    ("name", "name = \"named-function\""),
    ("description", "description = \"what it does\""),
    (
        "layers",
        "layers = [layer.tools, \"arn:aws:lambda:us-east-1:123456789012:layer:tools:3\"]",
    ),
    ("tracing", "tracing = active"),
    ("recursion", "recursion = allow"),
    // Named with `publish` alongside, or there is no alias to see the name on.
    ("alias", "alias = \"prod\"\n  publish = true"),
    ("publish", "publish = true"),
    ("snap_start", "snap_start = true"),
    (
        "code_signing",
        "code_signing = \"arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0\"",
    ),
    ("tenancy", "tenancy = per_tenant"),
    ("dead_letter", "dead_letter = queue.failed"),
    (
        "runtime_updates",
        "runtime_updates = manual(\"arn:aws:lambda:us-east-1::runtime:0cdcfbdefbc5e7d3\")",
    ),
    (
        "logging",
        "logging { format = json, level = warn, group = \"/teams/f\" }",
    ),
    (
        "vpc",
        "vpc { subnets = [\"subnet-0123456789abcdef0\"], security_groups = [\"sg-0123456789abcdef0\"] }",
    ),
    // With the `vpc` a file system needs.
    (
        "files",
        "files { \"/mnt/data\" = \"arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0\" }\n  vpc { subnets = [\"subnet-0123456789abcdef0\"], security_groups = [\"sg-0123456789abcdef0\"] }",
    ),
    ("durable", "durable { timeout = 1h, retention = 7d }"),
    (
        "capacity",
        "capacity { provider = \"arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet\", concurrency = 8, max_environments = 4 }",
    ),
    ("log_retention", "log_retention = 7d"),
    ("env", "env { MODE = \"fast\" }"),
    ("tags", "tags = { team = \"core\" }"),
    ("concurrency", "concurrency { reserved = 5 }"),
    ("async", "async { retries = 1 }"),
    ("url", "url { auth = iam }"),
];

/// What the EXAMPLES refer to (`dead_letter = queue.failed`).
const DECLARED: &str =
    "queue failed {}\nlayer tools { code = s3(\"code-bucket\", \"tools.zip\") }\n";

/// The template lamc emits for `program`, as text.
fn template(program: &str) -> String {
    let opts = CheckOptions::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    let c = check_source("t.lam".into(), None, program.to_string(), &opts);
    assert!(!c.has_errors(), "{program}\n{:#?}", c.diagnostics);
    let stack = lamc::driver::plan(&c.model.clone().expect("a model"), &Default::default())
        .unwrap_or_else(|d| panic!("plan failed: {d:#?}"));
    lamc::emit::json(&stack)
}

/// Every function attribute set in a template or in `defaults` reaches the function as
/// if it were written in it (the schema's merge rule, carried out by `merge_function`).
#[test]
fn function_attributes_are_inherited_as_if_written() {
    let required = ["runtime", "handler", "code"];
    for attr in schema::FUNCTION.attrs {
        let (_, line) = EXAMPLES
            .iter()
            .find(|(k, _)| *k == attr.key)
            .unwrap_or_else(|| panic!("EXAMPLES has no `{}`", attr.key));
        let others: Vec<&str> = required
            .iter()
            .filter(|k| **k != attr.key)
            .map(|k| EXAMPLES.iter().find(|(e, _)| e == k).expect("required").1)
            .collect();
        let others = others.join("\n  ");
        let direct = template(&format!(
            "{DECLARED}function f {{\n  {others}\n  {line}\n}}\n"
        ));
        let templated = template(&format!(
            "{DECLARED}template t {{\n  {line}\n}}\nfunction f extends t {{\n  {others}\n}}\n"
        ));
        let defaulted = template(&format!(
            "{DECLARED}defaults {{\n  {line}\n}}\nfunction f {{\n  {others}\n}}\n"
        ));
        assert_eq!(direct, templated, "`{}` from a template", attr.key);
        assert_eq!(direct, defaulted, "`{}` from defaults", attr.key);
    }
}
