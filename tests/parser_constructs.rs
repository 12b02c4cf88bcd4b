//! Each construct of the language parses to the expected tree, with exact spans.

use lamc::source::{FileId, Span};
use lamc::syntax::ast::*;
use lamc::syntax::parse;

fn parse_ok(text: &str) -> File {
    let (file, diags) = parse(FileId(0), text);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
    file
}

/// The text a span covers.
fn at(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

fn only_function(file: &File) -> &FunctionDecl {
    match file.items.as_slice() {
        [Item::Function(f)] => f,
        other => panic!("expected one function, got {other:#?}"),
    }
}

/// The value of `x = …` in `function f { x = … }`.
fn value(src: &str) -> Expr {
    let text = format!("function f {{\n  x = {src}\n}}\n");
    let file = parse_ok(&text);
    match &only_function(&file).body.members[..] {
        [Member::Entry(Entry {
            value: EntryValue::Expr(e),
            ..
        })] => e.clone(),
        other => panic!("unexpected members {other:#?}"),
    }
}

fn dec(digits: u128, scale: u32) -> Decimal {
    Decimal { digits, scale }
}

#[test]
fn numbers_are_exact() {
    assert_eq!(value("42").kind, ExprKind::Number(dec(42, 0)));
    assert_eq!(value("1_000").kind, ExprKind::Number(dec(1000, 0)));
    assert_eq!(value("0.5").kind, ExprKind::Number(dec(5, 1)));
}

#[test]
fn quantities_take_every_unit() {
    let q = |d, s, unit| {
        ExprKind::Quantity(Quantity {
            value: dec(d, s),
            unit,
        })
    };
    assert_eq!(value("512MB").kind, q(512, 0, Unit::Mb));
    assert_eq!(value("1.5GB").kind, q(15, 1, Unit::Gb));
    assert_eq!(value("64KB").kind, q(64, 0, Unit::Kb));
    assert_eq!(value("100ms").kind, q(100, 0, Unit::Ms));
    assert_eq!(value("30s").kind, q(30, 0, Unit::S));
    assert_eq!(value("2m").kind, q(2, 0, Unit::M));
    assert_eq!(value("48h").kind, q(48, 0, Unit::H));
    assert_eq!(value("14d").kind, q(14, 0, Unit::D));
    assert_eq!(value("70%").kind, q(70, 0, Unit::Percent));
}

#[test]
fn ranges_with_and_without_target() {
    let e = value("5..50 at 70%");
    let ExprKind::Range {
        lo,
        hi,
        at: Some(t),
    } = &e.kind
    else {
        panic!("not a range: {e:#?}");
    };
    assert_eq!((lo.node, hi.node), (5, 50));
    assert_eq!(
        t.kind,
        ExprKind::Quantity(Quantity {
            value: dec(70, 0),
            unit: Unit::Percent
        })
    );
    let e = value("1..10");
    assert!(
        matches!(e.kind, ExprKind::Range { lo, hi, at: None } if lo.node == 1 && hi.node == 10)
    );
}

#[test]
fn range_spans_cover_the_bounds() {
    let text = "function f {\n  x = 5..50 at 70%\n}\n";
    let file = parse_ok(text);
    let Member::Entry(Entry {
        value: EntryValue::Expr(e),
        ..
    }) = &only_function(&file).body.members[0]
    else {
        panic!()
    };
    assert_eq!(at(text, e.span), "5..50 at 70%");
    let ExprKind::Range { lo, hi, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(at(text, lo.span), "5");
    assert_eq!(at(text, hi.span), "50");
}

#[test]
fn booleans_lists_and_maps() {
    assert_eq!(value("true").kind, ExprKind::Bool(true));
    assert_eq!(value("false").kind, ExprKind::Bool(false));
    let ExprKind::List(items) = value("[1, 2, 3,]").kind else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    assert_eq!(value("[]").kind, ExprKind::List(vec![]));
    let ExprKind::Map(entries) = value("{ a = 1, \"cost-center\" = \"42\"\n b = [x] }").kind else {
        panic!()
    };
    let keys: Vec<_> = entries.iter().map(|e| e.key.name.as_str()).collect();
    assert_eq!(keys, ["a", "cost-center", "b"]);
}

#[test]
fn paths_split_on_dots_and_digits() {
    let seg = |e: Expr| match e.kind {
        ExprKind::Path(p) => p.segments.into_iter().map(|s| s.name).collect::<Vec<_>>(),
        other => panic!("not a path: {other:#?}"),
    };
    assert_eq!(seg(value("python3.12")), ["python3", "12"]);
    assert_eq!(seg(value("nodejs22.x")), ["nodejs22", "x"]);
    assert_eq!(seg(value("duration.p99.9")), ["duration", "p99", "9"]);
    assert_eq!(
        seg(value("bucket.thumbs.name")),
        ["bucket", "thumbs", "name"]
    );
    // Keywords are contextual: fine as path segments.
    assert_eq!(
        seg(value("function.resize.errors")),
        ["function", "resize", "errors"]
    );
    assert_eq!(seg(value("stream.clicks")), ["stream", "clicks"]);
}

#[test]
fn calls_take_any_arguments() {
    let ExprKind::Call { name, args } = value("s3(\"bucket\", \"key\")").kind else {
        panic!()
    };
    assert_eq!(name.name, "s3");
    assert_eq!(args.len(), 2);
    let ExprKind::Call { name, args } = value("rate(5m)").kind else {
        panic!()
    };
    assert_eq!(name.name, "rate");
    assert!(matches!(
        args[0].kind,
        ExprKind::Quantity(Quantity { unit: Unit::M, .. })
    ));
}

#[test]
fn strings_decode_escapes_and_interpolations() {
    let ExprKind::Str(s) = value(r#""a\"b\\c\nd\te\$f $g""#).kind else {
        panic!()
    };
    assert_eq!(s.as_plain().as_deref(), Some("a\"b\\c\nd\te$f $g"));
    assert!(!s.raw);

    let text = "function f {\n  x = \"pre-${param.stage}-${ NAME }\"\n}\n";
    let file = parse_ok(text);
    let Member::Entry(Entry {
        value: EntryValue::Expr(Expr {
            kind: ExprKind::Str(s),
            ..
        }),
        ..
    }) = &only_function(&file).body.members[0]
    else {
        panic!()
    };
    assert_eq!(s.parts.len(), 4);
    assert_eq!(s.parts[0], StrPart::Lit("pre-".into()));
    let StrPart::Interp(e) = &s.parts[1] else {
        panic!()
    };
    assert_eq!(at(text, e.span), "param.stage");
    let StrPart::Interp(e) = &s.parts[3] else {
        panic!()
    };
    assert_eq!(at(text, e.span), "NAME");
}

#[test]
fn raw_strings_keep_everything() {
    let ExprKind::Call { args, .. } =
        value("inline(\"\"\"def h(e, c):\n  return \"${x}\\n\"\n\"\"\")").kind
    else {
        panic!()
    };
    let ExprKind::Str(s) = &args[0].kind else {
        panic!()
    };
    assert!(s.raw);
    assert_eq!(
        s.as_plain().as_deref(),
        Some("def h(e, c):\n  return \"${x}\\n\"\n")
    );
}

#[test]
fn empty_string_is_one_empty_part() {
    let ExprKind::Str(s) = value("\"\"").kind else {
        panic!()
    };
    assert_eq!(s.parts, vec![StrPart::Lit(String::new())]);
}

#[test]
fn top_level_declarations() {
    let text = r#"use std.alarms
use "shared/queues.lam"
param stage: string = "dev" { allowed = ["dev", "prod"] }
param count: number
let prefix = "img"
app thumbs { description = "x" }
defaults { memory = 512MB }
template base extends a, b { timeout = 3s }
queue q { fifo = true }
topic t {}
bucket b {}
table tb { key = { id = string } }
stream s { shards = 2 }
api web { auth = iam }
queue ext from "arn:aws:sqs:eu-west-1:123456789012:ext"
alarm high { metric = queue.q.visible, op = ">=", threshold = 5 }
alarm queue.q.age > 5m over 5m notify topic.t
output bucket_name = bucket.b.name
"#;
    let file = parse_ok(text);
    let kinds: Vec<&str> = file
        .items
        .iter()
        .map(|i| match i {
            Item::Use(_) => "use",
            Item::Param(_) => "param",
            Item::Let(_) => "let",
            Item::App(_) => "app",
            Item::Defaults(_) => "defaults",
            Item::Template(_) => "template",
            Item::Function(_) => "function",
            Item::Resource(_) => "resource",
            Item::Existing(_) => "existing",
            Item::Alarm(AlarmDecl::Named { .. }) => "alarm-named",
            Item::Alarm(AlarmDecl::Expr(_)) => "alarm-expr",
            Item::Output(_) => "output",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "use",
            "use",
            "param",
            "param",
            "let",
            "app",
            "defaults",
            "template",
            "resource",
            "resource",
            "resource",
            "resource",
            "resource",
            "resource",
            "existing",
            "alarm-named",
            "alarm-expr",
            "output"
        ]
    );
    let Item::Use(UseDecl {
        target: UseTarget::Std(m),
        ..
    }) = &file.items[0]
    else {
        panic!()
    };
    assert_eq!(m.name, "alarms");
    let Item::Use(UseDecl {
        target: UseTarget::File(f),
        ..
    }) = &file.items[1]
    else {
        panic!()
    };
    assert_eq!(f.node, "shared/queues.lam");
    let Item::Param(p) = &file.items[2] else {
        panic!()
    };
    assert_eq!(p.ty.node, "string");
    assert!(p.default.is_some() && p.block.is_some());
    assert_eq!(
        at(text, p.span),
        "param stage: string = \"dev\" { allowed = [\"dev\", \"prod\"] }"
    );
    let Item::Param(p) = &file.items[3] else {
        panic!()
    };
    assert_eq!(p.ty.node, "number");
    assert_eq!(at(text, p.span), "param count: number");
    let Item::Template(t) = &file.items[7] else {
        panic!()
    };
    let ext: Vec<_> = t.extends.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(ext, ["a", "b"]);
    let Item::Resource(r) = &file.items[12] else {
        panic!()
    };
    assert_eq!(
        (r.kind.name.as_str(), r.name.name.as_str()),
        ("stream", "s")
    );
    let Item::Existing(e) = &file.items[14] else {
        panic!()
    };
    let ExprKind::Str(arn) = &e.arn.kind else {
        panic!("the ARN is a string: {:?}", e.arn)
    };
    assert_eq!(
        arn.as_plain().as_deref(),
        Some("arn:aws:sqs:eu-west-1:123456789012:ext")
    );
    assert_eq!(
        at(text, e.arn.span),
        "\"arn:aws:sqs:eu-west-1:123456789012:ext\""
    );
    let Item::Alarm(AlarmDecl::Expr(a)) = &file.items[16] else {
        panic!()
    };
    assert_eq!(a.metric.text(), "queue.q.age");
    assert_eq!(
        at(text, a.span),
        "alarm queue.q.age > 5m over 5m notify topic.t"
    );
    let Item::Output(o) = &file.items[17] else {
        panic!()
    };
    assert_eq!(at(text, o.span), "output bucket_name = bucket.b.name");
}

#[test]
fn keywords_are_contextual_keys() {
    let file = parse_ok("table t { stream = new, function = 1, on = 2, for = 3 }\n");
    let Item::Resource(r) = &file.items[0] else {
        panic!()
    };
    let keys: Vec<_> = r
        .block
        .entries
        .iter()
        .map(|e| e.key.name.as_str())
        .collect();
    assert_eq!(keys, ["stream", "function", "on", "for"]);
}

#[test]
fn function_body_members() {
    let text = r#"function f extends standard_alarms {
  handler = "h.main"   # trailing comment
  env { A = "1", B = bucket.b.name }
  allow ["s3:PutObject"] on bucket.thumbs
  allow "sqs:SendMessage" on queue.q
  on http "GET /users/{id}" via api.web { auth = iam }
  on sqs queue.orders { batch = 10 }
  on schedule rate(5m)
  on schedule cron("0 3 * * ? *") { timezone = "Europe/Berlin" }
  alarm errors >= 5 over 5m notify topic.oncall
  alarm duration.p99 > 90s over 5m for 3 of 5 notify topic.a, topic.b { missing = ignore }
}
"#;
    let file = parse_ok(text);
    let f = only_function(&file);
    assert_eq!(f.extends[0].name, "standard_alarms");
    let m = &f.body.members;
    assert_eq!(m.len(), 10);
    let Member::Entry(e) = &m[0] else { panic!() };
    assert_eq!(at(text, e.span), "handler = \"h.main\"");
    let Member::Entry(Entry {
        value: EntryValue::Block(env),
        ..
    }) = &m[1]
    else {
        panic!()
    };
    assert_eq!(env.entries.len(), 2);
    let Member::Allow(a) = &m[2] else { panic!() };
    let ExprKind::Path(target) = &a.target.kind else {
        panic!("allow on a path")
    };
    assert_eq!(target.text(), "bucket.thumbs");
    assert!(matches!(a.actions.kind, ExprKind::List(_)));
    assert_eq!(
        at(text, a.span),
        "allow [\"s3:PutObject\"] on bucket.thumbs"
    );
    let Member::Trigger(t) = &m[4] else { panic!() };
    assert_eq!(t.kind.name, "http");
    assert_eq!(t.via.as_ref().map(Path::text).as_deref(), Some("api.web"));
    assert!(t.block.is_some());
    assert_eq!(
        at(text, t.span),
        "on http \"GET /users/{id}\" via api.web { auth = iam }"
    );
    let Member::Trigger(t) = &m[6] else { panic!() };
    assert_eq!(at(text, t.span), "on schedule rate(5m)");
    assert!(t.block.is_none());
    let Member::Alarm(a) = &m[8] else { panic!() };
    assert_eq!(a.metric.text(), "errors");
    assert_eq!(a.op.node, CmpOp::Ge);
    assert_eq!(a.notify.len(), 1);
    assert_eq!(
        at(text, a.span),
        "alarm errors >= 5 over 5m notify topic.oncall"
    );
    let Member::Alarm(a) = &m[9] else { panic!() };
    assert_eq!(a.metric.text(), "duration.p99");
    assert_eq!(a.op.node, CmpOp::Gt);
    assert_eq!(a.for_n.as_ref().map(|n| n.node), Some(3));
    assert_eq!(a.of_m.as_ref().map(|n| n.node), Some(5));
    let targets: Vec<_> = a.notify.iter().map(Path::text).collect();
    assert_eq!(targets, ["topic.a", "topic.b"]);
    assert!(a.block.is_some());
    assert_eq!(file.comments.len(), 1);
    assert_eq!(at(text, file.comments[0]), "# trailing comment");
}

#[test]
fn members_separated_by_commas_on_one_line() {
    let file = parse_ok("function f { memory = 1GB, timeout = 3s, on schedule rate(1h) }\n");
    assert_eq!(only_function(&file).body.members.len(), 3);
}

#[test]
fn notify_list_ends_before_the_next_attribute() {
    let file = parse_ok("function f { alarm errors > 1 notify topic.a, memory = 1GB }\n");
    let m = &only_function(&file).body.members;
    assert_eq!(m.len(), 2);
    assert!(matches!(&m[1], Member::Entry(e) if e.key.name == "memory"));
}

#[test]
fn trigger_source_stops_at_the_next_line_attribute() {
    let file = parse_ok("function f {\n  on http\n  memory = 1GB\n}\n");
    let m = &only_function(&file).body.members;
    assert_eq!(m.len(), 2);
    assert!(matches!(&m[0], Member::Trigger(t) if t.source.is_none()));
}

#[test]
fn comments_are_collected_everywhere() {
    let text = "# head\nbucket b { # inside\n  versioning = true # after\n}\n# tail";
    let file = parse_ok(text);
    let got: Vec<_> = file.comments.iter().map(|c| at(text, *c)).collect();
    assert_eq!(got, ["# head", "# inside", "# after", "# tail"]);
}

#[test]
fn stdlib_modules_parse_cleanly() {
    for entry in std::fs::read_dir("stdlib").expect("stdlib folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let (file, diags) = parse(FileId(0), &text);
        assert!(diags.is_empty(), "{}: {diags:#?}", path.display());
        assert!(!file.items.is_empty());
    }
}

const EXAMPLE: &str = include_str!("parser_example.lam");

#[test]
fn language_example_has_the_expected_shape() {
    let file = parse_ok(EXAMPLE);
    assert_eq!(file.items.len(), 11);
    let Item::App(app) = &file.items[0] else {
        panic!()
    };
    assert_eq!(app.name.name, "thumbnails");
    assert!(matches!(file.items[1], Item::Use(_)));
    assert!(matches!(file.items[2], Item::Param(_)));
    let Item::Defaults(d) = &file.items[3] else {
        panic!()
    };
    assert_eq!(d.body.members.len(), 5);
    let Item::Function(resize) = &file.items[8] else {
        panic!()
    };
    assert_eq!(resize.name.name, "resize");
    assert_eq!(resize.extends[0].name, "standard_alarms");
    let counts = resize.body.members.iter().fold([0; 4], |mut c, m| {
        c[match m {
            Member::Entry(_) => 0,
            Member::Trigger(_) => 1,
            Member::Alarm(_) => 2,
            Member::Allow(_) => 3,
        }] += 1;
        c
    });
    assert_eq!(counts, [7, 1, 2, 1]);
    let Item::Function(cleanup) = &file.items[9] else {
        panic!()
    };
    let Member::Trigger(t) = &cleanup.body.members[2] else {
        panic!()
    };
    assert_eq!(t.kind.name, "schedule");
    assert!(
        matches!(&t.source, Some(Expr { kind: ExprKind::Call { name, .. }, .. }) if name.name == "cron")
    );
    assert!(matches!(file.items[10], Item::Output(_)));
    // Every item span starts at its keyword and ends at its last character.
    for item in &file.items {
        let s = at(EXAMPLE, item.span());
        assert!(!s.ends_with(char::is_whitespace), "{s:?}");
        assert!(s.starts_with(char::is_alphabetic), "{s:?}");
    }
    assert_eq!(file.comments.len(), 4);
}

#[test]
fn crlf_line_endings_and_byte_order_mark() {
    let text = "\u{feff}# top\r\nfunction f {\r\n  memory = 1GB\r\n  timeout = 3s # short\r\n}\r\n";
    let file = parse_ok(text);
    assert_eq!(only_function(&file).body.members.len(), 2);
    let got: Vec<_> = file.comments.iter().map(|c| at(text, *c)).collect();
    assert_eq!(got, ["# top", "# short"]);
}
