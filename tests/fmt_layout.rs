//! The canonical layout, case by case: what `lamc fmt` does to each construct.

use lamc::fmt::format_source;

fn fmt(src: &str) -> String {
    let out = format_source(src).unwrap_or_else(|d| panic!("refused {src:?}: {d:?}"));
    let again = format_source(&out).unwrap_or_else(|d| panic!("output refused: {d:?}"));
    assert_eq!(again, out, "not idempotent for {src:?}");
    out
}

#[test]
fn indentation_and_alignment_of_equals() {
    assert_eq!(
        fmt("function f {\nhandler=\"m.h\"\n      code = \"src\"\nmemory = 2GB\n}"),
        "function f {\n  handler = \"m.h\"\n  code    = \"src\"\n  memory  = 2GB\n}\n"
    );
}

#[test]
fn a_blank_line_or_another_member_ends_an_alignment_run() {
    let src = "function f {\n  a = 1\n  bbb = 2\n\n  cc = 3\n  on http \"GET /\"\n  dddd = 4\n  e = 5\n}\n";
    assert_eq!(
        fmt(src),
        "function f {\n  a   = 1\n  bbb = 2\n\n  cc = 3\n  on http \"GET /\"\n  dddd = 4\n  e    = 5\n}\n"
    );
}

#[test]
fn small_blocks_stay_inline_and_larger_ones_break() {
    assert_eq!(
        fmt("queue q {\n  retention = 14d\n  delay = 5s\n}\n"),
        "queue q { retention = 14d, delay = 5s }\n"
    );
    assert_eq!(
        fmt("queue q { visibility = 2m, retention = 4d, delay = 1s, max_receives = 3 }\n"),
        "queue q {\n  visibility   = 2m\n  retention    = 4d\n  delay        = 1s\n  max_receives = 3\n}\n"
    );
    // One level of nested braces is fine inline; two are not.
    assert_eq!(
        fmt("topic t {}\nfunction f {\n  on sns topic.t { filter = { type = [\"a\"] } }\n}\n"),
        "topic t {}\n\nfunction f {\n  on sns topic.t { filter = { type = [\"a\"] } }\n}\n"
    );
    assert_eq!(
        fmt("function f {\n  url { cors { x = { y = 1 } } }\n}\n"),
        "function f {\n  url {\n    cors { x = { y = 1 } }\n  }\n}\n"
    );
}

#[test]
fn bodies_and_app_always_take_one_member_per_line() {
    assert_eq!(
        fmt("app a { description = \"d\" }\ndefaults { memory = 1GB }\n"),
        "app a {\n  description = \"d\"\n}\n\ndefaults {\n  memory = 1GB\n}\n"
    );
    assert_eq!(fmt("function f {}\n"), "function f {}\n");
}

#[test]
fn a_block_too_wide_breaks() {
    let long = "x".repeat(80);
    assert_eq!(
        fmt(&format!("topic t {{ email = [\"{long}\"] }}\n")),
        format!("topic t {{\n  email = [\"{long}\"]\n}}\n")
    );
}

#[test]
fn long_lists_take_one_item_per_line_with_a_trailing_comma() {
    let a = "a".repeat(45);
    let b = "b".repeat(45);
    assert_eq!(
        fmt(&format!("let l = [\"{a}\", \"{b}\"]\n")),
        format!("let l = [\n  \"{a}\",\n  \"{b}\",\n]\n")
    );
    assert_eq!(fmt("let l = [\n  1,\n  2,\n]\n"), "let l = [1, 2]\n");
}

#[test]
fn blank_lines_between_declarations() {
    // Single-line declarations keep their grouping; a multi-line one is set apart.
    assert_eq!(
        fmt("bucket a {}\nbucket b {}\n\n\n\nbucket c {}\nfunction f {\n  memory = 1GB\n}\noutput o = 1\n"),
        "bucket a {}\nbucket b {}\n\nbucket c {}\n\nfunction f {\n  memory = 1GB\n}\n\noutput o = 1\n"
    );
}

#[test]
fn blank_lines_inside_bodies_are_kept_but_never_doubled() {
    assert_eq!(
        fmt("function f {\n\n  a = 1\n\n\n\n  b = 2\n\n}\n"),
        "function f {\n  a = 1\n\n  b = 2\n}\n"
    );
}

#[test]
fn consecutive_lets_outputs_and_resources_line_up() {
    assert_eq!(
        fmt("let a = 1\nlet long_name = 2\noutput x = a\noutput yy = a\n"),
        "let a         = 1\nlet long_name = 2\noutput x  = a\noutput yy = a\n"
    );
    assert_eq!(
        fmt("queue q from \"arn:aws:sqs:us-east-1:123456789012:q\"\nbucket archive from \"arn:aws:s3:::b\"\ntopic t {}\n"),
        "queue  q       from \"arn:aws:sqs:us-east-1:123456789012:q\"\nbucket archive from \"arn:aws:s3:::b\"\ntopic  t {}\n"
    );
}

#[test]
fn comments_stay_where_they_are() {
    let src = "\
# header

# about f
function f { # opens
  # first
  memory = 512MB # mem

  # env comes next
  env {
    A = \"1\" # a
    # before B
    B = \"2\"
    # dangling
  }
  layers = [ # open
    \"x\", # one
    # own
    \"y\"
  ]
  # last
}
# tail
";
    let expected = "\
# header

# about f
function f { # opens
  # first
  memory = 512MB # mem

  # env comes next
  env {
    A = \"1\" # a
    # before B
    B = \"2\"
    # dangling
  }
  layers = [ # open
    \"x\",     # one
    # own
    \"y\",
  ]
  # last
}
# tail
";
    assert_eq!(fmt(src), expected);
}

#[test]
fn a_comment_forces_its_block_onto_several_lines() {
    assert_eq!(
        fmt("queue q { retention = 14d # two weeks\n}\n"),
        "queue q {\n  retention = 14d # two weeks\n}\n"
    );
}

#[test]
fn trailing_comments_on_consecutive_lines_line_up() {
    assert_eq!(
        fmt("function f {\n  memory = 1GB # a\n  timeout = 30s        # b\n}\n"),
        "function f {\n  memory  = 1GB # a\n  timeout = 30s # b\n}\n"
    );
}

#[test]
fn literals_are_copied_byte_for_byte() {
    let src = "function f {\n  code = inline(\"\"\"\ndef h(e, c):   \n    return 1\n\"\"\")\n  description = \"tab\\t \\\"q\\\" \\$ ${x}\"\n  memory = 1.5GB\n  reserved_like = 1_000\n}\n";
    let out = fmt(src);
    assert!(
        out.contains("\"\"\"\ndef h(e, c):   \n    return 1\n\"\"\""),
        "{out}"
    );
    assert!(out.contains("\"tab\\t \\\"q\\\" \\$ ${x}\""), "{out}");
    assert!(out.contains("1.5GB") && out.contains("1_000"), "{out}");
}

#[test]
fn alarms_triggers_and_allow_lines() {
    assert_eq!(
        fmt("function f {\n  alarm   duration.p99>90s over 5m for 3 of 5 notify topic.a ,topic.b\n  allow [ \"s3:GetObject\" ] on bucket.b\n  on http \"GET /x\" via api.web { auth = iam }\n  concurrency { provisioned = 5..50   at 70% }\n}\n"),
        "function f {\n  alarm duration.p99 > 90s over 5m for 3 of 5 notify topic.a, topic.b\n  allow [\"s3:GetObject\"] on bucket.b\n  on http \"GET /x\" via api.web { auth = iam }\n  concurrency { provisioned = 5..50 at 70% }\n}\n"
    );
}

#[test]
fn commas_between_attributes_become_newlines() {
    assert_eq!(
        fmt("function f { a = 1, b = 2,\n c = 3, }\n"),
        "function f {\n  a = 1\n  b = 2\n  c = 3\n}\n"
    );
}

#[test]
fn crlf_and_byte_order_mark() {
    assert_eq!(
        fmt("\u{feff}# c\r\nqueue q {\r\n  retention = 14d # r\r\n}\r\n"),
        "# c\nqueue q {\n  retention = 14d # r\n}\n"
    );
}

#[test]
fn syntax_errors_are_refused_with_their_diagnostics() {
    let err = format_source("function f {\n  memory = \n}\n").expect_err("broken input");
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].code.to_string(), "E0001");
    let err = format_source("queue q { memory = 20gb }\n").expect_err("bad unit");
    assert_eq!(err[0].code.to_string(), "E0003");
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("  \n\n"), "");
    assert_eq!(fmt("# only\n\n\n# comments"), "# only\n\n# comments\n");
}

#[test]
fn minimal_edit_for_editors() {
    let edit = lamc::fmt::format_edit("queue q {  }\n")
        .expect("parses")
        .expect("changes");
    assert_eq!((edit.start, edit.end, edit.new_text.as_str()), (9, 11, ""));
    assert_eq!(
        lamc::fmt::format_edit("queue q {}\n").expect("parses"),
        None
    );
}
