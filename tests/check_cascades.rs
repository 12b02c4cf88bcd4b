//! One mistake, one diagnostic: a mistake is reported where it was made and nowhere else.

use crate::check_support;

use check_support::*;
use lamc::diag::Code;

/// The (code, line) of every diagnostic, in order.
fn reported(src: &str) -> Vec<(Code, usize)> {
    let c = check(src);
    c.diagnostics
        .iter()
        .map(|d| (d.code, line_of(&c, d)))
        .collect()
}

const RUNTIME: &str = "  runtime = python3.12\n";
const HANDLER: &str = "  handler = \"index.handler\"\n";
const CODE: &str = "  code    = inline(\"\"\"def handler(e, c): pass\"\"\")\n";

fn function(body: &str) -> String {
    format!("function f {{\n{body}}}\n")
}

#[test]
fn a_misspelt_required_attribute_is_not_also_missing() {
    let src = function(&format!("{RUNTIME}  hander = \"index.handler\"\n{CODE}"));
    assert_eq!(reported(&src), [(Code::E0103, 3)]);
    let src = function(&format!("  Runtime = python3.12\n{HANDLER}{CODE}"));
    assert_eq!(reported(&src), [(Code::E0103, 2)]);
    let src = function(&format!("{RUNTIME}{HANDLER}  cod = \"src\"\n"));
    assert_eq!(reported(&src), [(Code::E0103, 4)]);
}

#[test]
fn a_misspelt_attribute_in_a_template_is_not_missing_in_its_functions() {
    let src = format!(
        "template base {{\n  hander = \"index.handler\"\n}}\nfunction f extends base {{\n{RUNTIME}{CODE}}}\nfunction g extends base {{\n{RUNTIME}{CODE}}}\n"
    );
    assert_eq!(reported(&src), [(Code::E0103, 2)]);
}

#[test]
fn an_unreadable_required_attribute_is_not_also_missing() {
    let src = function(&format!("{RUNTIME}  handler = main.handler\n{CODE}"));
    assert_eq!(reported(&src), [(Code::E0301, 3)]);
    let src = function(&format!("  runtime = 3.12\n{HANDLER}{CODE}"));
    assert_eq!(reported(&src), [(Code::E0301, 2)]);
}

#[test]
fn an_unreadable_code_source_does_not_ask_for_runtime_and_handler() {
    // It may have been meant as an image, which needs neither.
    let src = function("  code = imag(\"123456789012.dkr.ecr.us-east-1.amazonaws.com/r:1\")\n");
    assert_eq!(reported(&src), [(Code::E0302, 2)]);
}

#[test]
fn a_missing_attribute_is_still_reported() {
    let src = function(&format!("{RUNTIME}{CODE}"));
    assert_eq!(reported(&src), [(Code::E0105, 1)]);
}

#[test]
fn a_misspelt_table_key_is_not_also_missing() {
    let src = "table t {\n  kye = { id = string }\n}\nfunction f {\n  on dynamodb table.t\n}\n";
    let src = src.replace(
        "function f {\n",
        &format!("function f {{\n{RUNTIME}{HANDLER}{CODE}"),
    );
    assert_eq!(reported(&src), [(Code::E0103, 2)]);
}

#[test]
fn a_misspelt_alarm_key_is_not_also_missing() {
    let src = function(&format!("{RUNTIME}{HANDLER}{CODE}"))
        + "alarm slow {\n  metric = function.f.errors\n  op = \">=\"\n  threshhold = 5\n}\n";
    assert_eq!(reported(&src), [(Code::E0103, 9)]);
}
