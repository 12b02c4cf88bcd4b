//! The YAML lamc emits reads back, under cfn-lint's own YAML reader (YAML 1.1, as
//! CloudFormation reads it), as the same document as the JSON.

use crate::plan_builder;
use crate::tools;

use std::process::Command;

use lamc::model::{Model, Value};
use plan_builder::*;

/// Strings that a careless YAML writer leaves plain and a YAML 1.1 reader then turns into
/// booleans, nulls, numbers, dates — or that break the syntax.
const TRICKY: &[&str] = &[
    "yes", "no", "Yes", "NO", "on", "off", "On", "OFF", "y", "n", "Y", "N", "~", "null",
    "Null", "NULL", "true", "false", "True", "FALSE", "2010-09-09", "2001-12-14t21:59:43.10-05:00",
    "012", "0x1F", "0o17", "0b101", "1e3", "1_000", "1:20", "190:20:30", ".inf", "-.inf",
    ".NaN", "+1", "-1", "3.14", "1.", ".5", "a: b", "a:b", "key:", ": x", "# comment",
    "a #b", "a#b", "", " ", "  leading", "trailing  ", "multi\nline", "multi\nline\n",
    "tab\there", "quote\"d", "single'q", "back\\slash", "- dash", "-", "?", "? q", "!tag",
    "&anchor", "*alias", "|", ">", "%", "@at", "`tick", "{a}", "[a]", "a, b", "=",
    "<<", "é unicode ✓", "\u{1F600}", "line\r\nbreak", "nul\u{7}bell", "0", "00", "1e",
    "0.", "-0", "+.inf", "1__0", "12:30", "0777", "10:00:00", "~x",
    // Long strings (folded-style candidates): runs of spaces, trailing space, no spaces.
    "the quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column mark ok",
    "double  spaced  words  that  go  on  and  on  for  a  long  while  past  the  wrap  width  of  eighty",
    "long line with a trailing space at the very end that runs past the eighty column limit for sure ",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "  indented first line\nsecond line\n  third indented\n",
    "\nleading newline",
    "trailing newlines\n\n\n",
    "crlf\r\nline",
];

fn model() -> Model {
    let mut m = Model::default();
    let mut f = function("tricky");
    for (i, t) in TRICKY.iter().enumerate() {
        f.env
            .insert(format!("V{i:03}"), s(Value::Str(t.to_string())));
        f.tags.insert(format!("t{i:03}"), s((*t).into()));
    }
    f.set("description", s(lamc::model::Setting::Text("yes".into())));
    f.code = Some(s(lamc::model::CodeSource::Inline(
        "def handler(e, c):\n    # yes: no\n    return {'a': 'on'}\n\n".to_string(),
    )));
    m.functions.push(f);
    let mut out = Vec::new();
    for (i, t) in TRICKY.iter().enumerate() {
        out.push(lamc::model::Output {
            name: s(format!("o{i}")),
            value: s(Value::Str(t.to_string())),
            description: Some(t.to_string()),
            span: Default::default(),
        });
    }
    m.outputs = out;
    m.resources.push(queue("q"));
    m
}

fn python_compare(json: &str, yaml: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let (j, y) = (dir.path().join("t.json"), dir.path().join("t.yaml"));
    std::fs::write(&j, json).expect("write json");
    std::fs::write(&y, yaml).expect("write yaml");
    let script = r#"
import json, sys
from cfnlint.decode import cfn_yaml
j = json.load(open(sys.argv[1], encoding='utf-8'))
y = cfn_yaml.loads(open(sys.argv[2], encoding='utf-8').read())
def diff(a, b, path):
    # cfn-lint's reader returns str/dict/list subclasses that remember positions.
    def kind(v):
        for t in (bool, int, float, str, dict, list):
            if isinstance(v, t):
                return t
        return type(v)
    if kind(a) != kind(b) or (not isinstance(a, (dict, list)) and a != b):
        print(f"{path}: json={a!r} yaml={b!r}")
        return
    if isinstance(a, dict):
        if list(a) != list(b):
            print(f"{path}: keys differ")
        for k in a:
            if k in b:
                diff(a[k], b[k], path + "/" + k)
    elif isinstance(a, list):
        if len(a) != len(b):
            print(f"{path}: lengths differ")
        for i, (x, z) in enumerate(zip(a, b)):
            diff(x, z, f"{path}[{i}]")
diff(j, y, "")
print("same" if j == y else "different")
"#;
    let out = Command::new(tools::cfn_python())
        .arg("-c")
        .arg(script)
        .arg(&j)
        .arg(&y)
        .output()
        .expect("run python");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn yaml_reads_back_as_the_json_document_under_yaml_1_1() {
    let stack = lamc::driver::plan(&model(), &Default::default()).expect("plan");
    let (json, yaml) = (lamc::emit::json(&stack), lamc::emit::yaml(&stack));
    let report = python_compare(&json, &yaml);
    assert_eq!(
        report.trim(),
        "same",
        "YAML differs from JSON:\n{report}\n{yaml}"
    );
}

#[test]
fn rich_yaml_reads_back_as_the_json_document() {
    let stack = lamc::driver::plan(&rich_model(None), &Default::default()).expect("plan");
    let (json, yaml) = (lamc::emit::json(&stack), lamc::emit::yaml(&stack));
    let report = python_compare(&json, &yaml);
    assert_eq!(report.trim(), "same", "YAML differs from JSON:\n{report}");
}
