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

/// A complete function that triggers on `queue.jobs` (the queue is then used).
fn worker(name: &str) -> String {
    function(&format!("{RUNTIME}{HANDLER}{CODE}  on sqs queue.jobs\n"))
        .replace("function f", &format!("function {name}"))
}

#[test]
fn a_resource_whose_body_did_not_parse_is_not_unresolved_elsewhere() {
    let src = format!("queue jobs {{ visibility = }}\n{}", worker("f"));
    assert_eq!(reported(&src), [(Code::E0001, 1)]);
}

#[test]
fn a_function_whose_body_did_not_parse_is_not_unresolved_elsewhere() {
    let src = format!(
        "param stage: string\nqueue jobs {{}}\nfunction f {{\n{RUNTIME}  on schedule rate(1 minute)\n  on sqs queue.jobs\n  env {{ STAGE = param.stage }}\n}}\noutput arn = function.f.arn\nalarm function.f.errors > 1\n"
    );
    // Not "unresolved `function.f`" in the output and the alarm, and the queue and the
    // parameter that only the broken function uses are not "never used".
    assert_eq!(reported(&src), [(Code::E0001, 5)]);
}

#[test]
fn a_misspelt_declaration_keyword_still_declares_its_name() {
    let src = format!("fucntion f {{\n{RUNTIME}{HANDLER}{CODE}}}\noutput arn = function.f.arn\n");
    assert_eq!(reported(&src), [(Code::E0101, 1)]);
}

#[test]
fn a_template_that_did_not_parse_leaves_its_functions_unchecked_for_missing_attributes() {
    let src = format!(
        "template base {{\n{RUNTIME}{HANDLER}  memory = 512\n  timeout = \n}}\nfunction f extends base {{\n{CODE}}}\n"
    );
    // `timeout =` is missing its value: the error is at the `}` after it.
    assert_eq!(reported(&src), [(Code::E0001, 6)]);
}

#[test]
fn defaults_that_did_not_parse_leave_the_functions_unchecked_for_missing_attributes() {
    let src = format!(
        "defaults {{\n{RUNTIME}{HANDLER}  memory: 512MB\n}}\nfunction f {{\n{CODE}}}\nfunction g {{\n{CODE}}}\n"
    );
    assert_eq!(reported(&src), [(Code::E0001, 4)]);
}

#[test]
fn a_module_that_did_not_load_is_not_followed_by_unknown_templates() {
    let src = format!(
        "use std.alarm\nfunction f extends standard_alarms {{\n{RUNTIME}{HANDLER}{CODE}}}\n"
    );
    assert_eq!(reported(&src), [(Code::E0203, 1)]);
}

#[test]
fn a_param_or_let_that_did_not_parse_is_not_unresolved_where_used() {
    let src = format!(
        "param stage: strin = \"dev\"\nlet big = 2 GB\nfunction f {{\n{RUNTIME}{HANDLER}{CODE}  memory = big\n  env {{ STAGE = \"${{param.stage}}\", S = param.stage }}\n}}\n"
    );
    assert_eq!(reported(&src), [(Code::E0001, 1), (Code::E0001, 2)]);
}

#[test]
fn unresolved_names_are_still_reported_beside_a_declaration_that_did_not_parse() {
    let src = format!(
        "queue jobs {{ visibility = }}\n{}output o = queue.jbos.url\n",
        worker("f")
    );
    assert_eq!(reported(&src), [(Code::E0001, 1), (Code::E0201, 8)]);
}

#[test]
fn a_file_that_could_not_be_read_may_declare_and_use_anything() {
    let src = format!(
        "use \"shared/missing.lam\"\nqueue spare {{}}\nfunction f extends shared {{\n{CODE}  on sqs queue.jobs\n}}\n"
    );
    assert_eq!(reported(&src), [(Code::E0203, 1)]);
}
