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
        "param stage: strin = \"dev\"\nlet big = 2 GB\nfunction f {{\n{RUNTIME}{HANDLER}{CODE}  memory = big\n  env {{ STAGE = \"${{param.stage}}\", ST = param.stage }}\n}}\n"
    );
    // An unknown parameter type is reported where it is written (E0302); the parameter is
    // still declared, and read as a string.
    assert_eq!(reported(&src), [(Code::E0302, 1), (Code::E0001, 2)]);
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

#[test]
fn a_name_that_does_not_resolve_is_reported_once_with_every_use() {
    let src = format!(
        "queue jobs {{}}\n{}output a = queue.jbos.url\noutput b = queue.jbos.arn\n",
        worker("f")
    );
    let c = check(&src);
    let found = with_code(&c, Code::E0201);
    assert_eq!(found.len(), 1, "{}", render(&c));
    let (line, d) = found[0];
    assert_eq!(line, 8);
    assert_eq!(d.secondary.len(), 1);
    assert_eq!(d.secondary[0].message, "also used here");
    assert_eq!(d.help.as_deref(), Some("did you mean `queue.jobs`?"));
}

#[test]
fn a_misspelt_declaration_used_in_several_places_is_reported_where_it_is_declared() {
    let src = format!(
        "queue jbos {{}}\n{}output a = queue.jobs.url\noutput b = queue.jobs.arn\n",
        worker("f")
    );
    let c = check(&src);
    let d = match c.diagnostics.as_slice() {
        [d] => d,
        _ => panic!("{}", render(&c)),
    };
    assert_eq!((d.code, line_of(&c, d)), (Code::E0201, 1));
    assert_eq!(
        d.message,
        "queue `jbos` is never used, but `queue.jobs` is used 3 times"
    );
    assert_eq!(d.secondary.len(), 3);
    assert_eq!(d.help.as_deref(), Some("rename it to `jobs`"));
    assert_eq!(d.fixes[0].replacement, "jobs");
}

#[test]
fn an_unknown_template_is_reported_once_with_the_module_that_has_it() {
    let src = format!(
        "function f extends standard_alarms {{\n{RUNTIME}{HANDLER}{CODE}}}\nfunction g extends standard_alarms {{\n{RUNTIME}{HANDLER}{CODE}}}\n"
    );
    let c = check(&src);
    let d = match c.diagnostics.as_slice() {
        [d] => d,
        _ => panic!("{}", render(&c)),
    };
    assert_eq!((d.code, line_of(&c, d)), (Code::E0201, 1));
    assert_eq!(
        d.help.as_deref(),
        Some("`standard_alarms` is in the standard library: add `use std.alarms`")
    );
    assert_eq!(d.secondary.len(), 1);
}

#[test]
fn a_misspelt_template_extended_in_several_places_is_reported_where_it_is_declared() {
    let src = format!(
        "template bsae {{\n{RUNTIME}}}\nfunction f extends base {{\n{HANDLER}{CODE}}}\nfunction g extends base {{\n{HANDLER}{CODE}}}\n"
    );
    let c = check(&src);
    let d = match c.diagnostics.as_slice() {
        [d] => d,
        _ => panic!("{}", render(&c)),
    };
    assert_eq!((d.code, line_of(&c, d)), (Code::E0201, 1));
    assert_eq!(
        d.message,
        "template `bsae` is never extended, but `base` is extended 2 times"
    );
}

#[test]
fn nothing_is_reported_unused_while_the_program_has_errors() {
    // `async` is misspelt: the dead-letter queue and the parameter are used there.
    let src = function(&format!(
        "{RUNTIME}{HANDLER}{CODE}  aysnc {{ on_failure = queue.dlq }}\n  env {{ STAGE = param.stage }}\n"
    )) + "queue dlq {}\nparam stage: string\n";
    assert_eq!(reported(&src), [(Code::E0103, 5)]);
}

#[test]
fn rules_do_not_conclude_from_an_attribute_that_could_not_be_read() {
    // The table's `stream` is misspelt: it is not "a table without a stream" as well.
    let src = format!(
        "table t {{\n  key = {{ id = string }}\n  strem = new_and_old\n}}\n{}",
        function(&format!("{RUNTIME}{HANDLER}{CODE}  on dynamodb table.t\n"))
    );
    assert_eq!(reported(&src), [(Code::E0103, 3)]);
    // The queue's visibility is misspelt: it is not "30s, under 6 × the timeout".
    let src = format!(
        "queue q {{ visiblity = 10m }}\n{}",
        function(&format!(
            "{RUNTIME}{HANDLER}{CODE}  timeout = 1m\n  on sqs queue.q\n"
        ))
    );
    assert_eq!(reported(&src), [(Code::E0103, 1)]);
    // The timeout is misspelt: a duration alarm is not "never firing" against 3s.
    let src = function(&format!(
        "{RUNTIME}{HANDLER}{CODE}  timout = 1m\n  alarm duration.p99 > 10s\n"
    ));
    assert_eq!(reported(&src), [(Code::E0103, 5)]);
}

#[test]
fn a_declaration_cut_short_at_the_end_of_its_line_does_not_take_the_next_one() {
    let src = format!(
        "let retries =\nqueue jobs from\n{}output o =\n",
        worker("f")
    );
    assert_eq!(
        reported(&src),
        [(Code::E0001, 1), (Code::E0001, 2), (Code::E0001, 9)]
    );
    let c = check(&src);
    assert!(
        c.diagnostics
            .iter()
            .all(|d| d.message.ends_with("found end of line")),
        "{}",
        render(&c)
    );
}

#[test]
fn a_declaration_whose_keyword_was_lost_still_declares_its_name() {
    let src = format!("jobs {{ visibility = 1m }}\n{}", worker("f"));
    assert_eq!(reported(&src), [(Code::E0101, 1)]);
    let src = format!("\"shared/queues.lam\"\n{}", worker("f"));
    assert_eq!(reported(&src), [(Code::E0001, 1)]);
}
