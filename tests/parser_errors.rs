//! Syntax diagnostics: each code, its message, its span, and recovery after it.

use lamc::diag::{Code, Diagnostic};
use lamc::source::FileId;
use lamc::syntax::ast::{File, Item};
use lamc::syntax::parse;

fn diags(text: &str) -> (File, Vec<Diagnostic>) {
    parse(FileId(0), text)
}

/// The text under a diagnostic's primary span.
fn under<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
    &text[d.primary.span.start..d.primary.span.end]
}

fn single(text: &str) -> Diagnostic {
    let (_, mut ds) = diags(text);
    assert_eq!(ds.len(), 1, "expected one diagnostic, got {ds:#?}");
    ds.remove(0)
}

#[test]
fn e0001_names_expected_and_found_tokens() {
    let text = "function a {\n  memory: 512MB\n}\n";
    let d = single(text);
    assert_eq!(d.code, Code::E0001);
    assert_eq!(
        d.message,
        "expected `=` or `{` after attribute name, found `:`"
    );
    assert_eq!(under(text, &d), ":");
    assert!(d.help.is_some());
    // No pest rule names leak.
    assert!(!d.message.contains('_'), "{}", d.message);
}

#[test]
fn e0001_missing_value() {
    let text = "function a {\n  memory =\n}\n";
    let d = single(text);
    assert_eq!(d.code, Code::E0001);
    assert_eq!(d.message, "expected a value, found `}`");
    assert_eq!(under(text, &d), "}");
}

#[test]
fn e0001_bad_member_in_body() {
    let text = "function a {\n  42\n}\n";
    let d = single(text);
    assert_eq!(
        d.message,
        "expected an attribute, `on`, `allow`, `alarm` or `}`, found `42`"
    );
    assert_eq!(under(text, &d), "42");
}

#[test]
fn e0001_alarm_without_comparison() {
    let text = "function a {\n  alarm errors = 5\n}\n";
    let d = single(text);
    assert!(
        d.message.starts_with("expected a comparison"),
        "{}",
        d.message
    );
    assert_eq!(under(text, &d), "=");
}

#[test]
fn e0001_misspelt_keyword_gets_a_fix() {
    let text = "function a extendz b {\n}\n";
    let d = single(text);
    assert_eq!(d.message, "expected `{` or `extends`, found `extendz`");
    assert_eq!(under(text, &d), "extendz");
    assert_eq!(d.help.as_deref(), Some("did you mean `extends`?"));
    assert_eq!(d.fixes[0].replacement, "extends");
}

#[test]
fn e0001_two_attributes_on_one_line() {
    let text = "function a {\n  memory = 1GB timeout = 3s\n}\n";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    let d = &ds[0];
    assert_eq!(d.code, Code::E0001);
    assert_eq!(
        d.message,
        "expected a newline or `,` between attributes, found `timeout`"
    );
    assert_eq!(under(text, d), "timeout");
    // The fix inserts a comma right after the first attribute.
    assert_eq!(d.fixes[0].replacement, ",");
    assert_eq!(d.fixes[0].span.start, text.find(" timeout").unwrap_or(0));
    // The tree is still built.
    assert_eq!(file.items.len(), 1);
}

#[test]
fn e0001_two_map_entries_on_one_line() {
    let text = "bucket b {\n  tags = { a = \"1\" b = \"2\" }\n}\n";
    let d = single(text);
    assert_eq!(
        d.message,
        "expected a newline or `,` between map entries, found `b`"
    );
    assert_eq!(under(text, &d), "b");
}

#[test]
fn e0001_stray_token_at_top_level() {
    let text = "bucket a {}\n}\nbucket b {}\n";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].message, "expected a declaration, found `}`");
    assert_eq!(under(text, &ds[0]), "}");
    assert_eq!(file.items.len(), 2);
}

#[test]
fn e0001_unknown_escape() {
    let text = "bucket b { x = \"a\\qb\" }\n";
    let d = single(text);
    assert_eq!(d.code, Code::E0001);
    assert_eq!(under(text, &d), "\\q");
}

#[test]
fn e0002_unterminated_string_points_at_the_quote() {
    let text = "function a {\n  handler = \"main.handler\n}\nbucket b {}\n";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    let d = &ds[0];
    assert_eq!(d.code, Code::E0002);
    assert_eq!(d.message, "unterminated string");
    assert_eq!(d.primary.span.start, text.find('"').unwrap_or(0));
    assert_eq!(under(text, d), "\"");
    // Parsing resumes at the next declaration.
    assert!(matches!(file.items.as_slice(), [Item::Resource(r)] if r.name.name == "b"));
}

#[test]
fn e0002_unterminated_raw_string() {
    let text = "function a {\n  code = inline(\"\"\"print(1)\n";
    let d = single(text);
    assert_eq!(d.code, Code::E0002);
    assert_eq!(d.message, "unterminated raw string");
    assert_eq!(under(text, &d), "\"\"\"");
}

#[test]
fn e0002_unclosed_brace_at_end_of_file() {
    let text = "function a {\n  memory = 1GB\n";
    let d = single(text);
    assert_eq!(d.code, Code::E0002);
    assert_eq!(d.message, "unclosed `{`");
    assert_eq!(d.primary.span.start, 11);
    assert_eq!(d.help.as_deref(), Some("add the closing `}`"));
}

#[test]
fn e0002_unclosed_brace_before_next_declaration() {
    let text = "function a {\n  memory = 1GB\n\nbucket b {}\n";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, Code::E0002);
    assert_eq!(ds[0].primary.span.start, 11);
    assert_eq!(file.items.len(), 1);
}

#[test]
fn e0002_unclosed_bracket_and_paren() {
    let text = "function a {\n  layers = [\"x\", \"y\"\n}\n";
    let d = single(text);
    assert_eq!(d.code, Code::E0002);
    assert_eq!(d.message, "unclosed `[`");
    assert_eq!(under(text, &d), "[");
    assert_eq!(d.help.as_deref(), Some("add the closing `]`"));

    let text = "function a {\n  on schedule rate(5m\n";
    let (_, ds) = diags(text);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, Code::E0002);
    assert_eq!(under(text, &ds[0]), "(");
}

#[test]
fn e0003_unknown_units() {
    let text = "function a {\n  memory = 20gb\n  timeout = 5min\n  x = 3x\n}\n";
    let (file, ds) = diags(text);
    assert_eq!(file.items.len(), 1);
    let codes: Vec<_> = ds.iter().map(|d| (d.code, under(text, d))).collect();
    assert_eq!(
        codes,
        [
            (Code::E0003, "20gb"),
            (Code::E0003, "5min"),
            (Code::E0003, "3x")
        ]
    );
    assert_eq!(ds[0].message, "unknown unit `gb` in `20gb`");
    assert!(ds[0].help.as_deref().unwrap_or("").contains("`GB`"));
    assert_eq!(ds[0].fixes[0].replacement, "GB");
    assert!(ds[1].help.as_deref().unwrap_or("").contains("`m`"));
    assert!(ds[2].help.as_deref().unwrap_or("").contains("KB, MB, GB"));
}

#[test]
fn e0003_number_too_large() {
    let text = "function a {\n  memory = 999999999999999999999999999999999999999999MB\n}\n";
    let d = single(text);
    assert_eq!(d.code, Code::E0003);
    assert_eq!(d.message, "number is too large");
}

#[test]
fn e0101_unknown_declarations_are_reported_and_skipped() {
    let text = "lambda foo {}\nfucntion x {\n  memory = 1GB\n}\nqueu q {}\nbucket ok {}\n";
    let (file, ds) = diags(text);
    let got: Vec<_> = ds.iter().map(|d| (d.code, under(text, d))).collect();
    assert_eq!(
        got,
        [
            (Code::E0101, "lambda"),
            (Code::E0101, "fucntion"),
            (Code::E0101, "queu")
        ]
    );
    assert_eq!(ds[1].message, "unknown declaration kind `fucntion`");
    assert_eq!(ds[1].help.as_deref(), Some("did you mean `function`?"));
    assert_eq!(ds[1].fixes[0].replacement, "function");
    assert_eq!(under(text, &ds[1]), "fucntion");
    assert_eq!(ds[2].fixes[0].replacement, "queue");
    assert!(matches!(file.items.as_slice(), [Item::Resource(r)] if r.name.name == "ok"));
}

#[test]
fn one_error_per_broken_item_and_good_items_kept() {
    let text = "\
bucket one {}
function a {
  memory: 1GB
  alarm errors >= 1
}
bucket two {}
function b {
  timeout = = 3s
}
bucket three {}
";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 2, "{ds:#?}");
    assert_eq!(under(text, &ds[0]), ":");
    assert_eq!(under(text, &ds[1]), "=");
    let names: Vec<_> = file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Resource(r) => Some(r.name.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["one", "two", "three"]);
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let text = format!(
        "let x = {}{}\nbucket b {{}}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let (file, ds) = diags(&text);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].code, Code::E0001);
    assert_eq!(ds[0].message, "nesting is too deep");
    assert_eq!(file.items.len(), 1);
}

#[test]
fn moderate_nesting_parses() {
    let text = format!("let x = {}1{}\n", "[".repeat(40), "]".repeat(40));
    let (_, ds) = diags(&text);
    assert!(ds.is_empty(), "{ds:#?}");
}

#[test]
fn deepest_allowed_nesting_of_every_kind_parses() {
    // 64 levels: maps in lists, blocks in blocks, interpolations in strings.
    let mut value = String::from("1");
    for _ in 0..32 {
        value = format!("[{{ a = {value} }}]");
    }
    let mut block = String::from("x = 1");
    for _ in 0..63 {
        block = format!("k {{ {block} }}");
    }
    let mut interp = String::from("NAME");
    for _ in 0..31 {
        interp = format!("\"${{{interp}}}\"");
    }
    let text = format!("let v = {value}\nbucket b {{ {block} }}\nlet s = {interp}\n");
    let (file, ds) = diags(&text);
    assert!(ds.is_empty(), "{ds:#?}");
    assert_eq!(file.items.len(), 3);
}

#[test]
fn e0001_broken_optional_clause_is_reported_where_it_breaks() {
    // Top level: the line must end after a declaration, so `for three` is the error.
    let text = "alarm queue.q.visible > 5 for three\nbucket b {}\n";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].message, "expected a whole number, found `three`");
    assert_eq!(under(text, &ds[0]), "three");
    assert_eq!(file.items.len(), 1);

    // In a body: `via` without a reference.
    let text = "function f {\n  on http \"GET /\" via { auth = iam }\n}\n";
    let d = single(text);
    assert_eq!(
        d.message,
        "expected a reference such as `api.web` or `topic.oncall` after `via`, found `{`"
    );
    assert_eq!(under(text, &d), "{");
}

#[test]
fn e0001_junk_after_a_declaration() {
    let text = "bucket b {} junk\nqueue q {}\n";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].message, "expected the end of the line, found `junk`");
    assert_eq!(under(text, &ds[0]), "junk");
    assert_eq!(file.items.len(), 1);
}

#[test]
fn declarations_may_share_a_line() {
    let (file, ds) = diags("bucket a {} bucket b {} # two\n");
    assert!(ds.is_empty(), "{ds:#?}");
    assert_eq!(file.items.len(), 2);
}

/// A declaration that does not parse leaves its keyword and name behind, so that the
/// checker does not report references to it as unresolved.
#[test]
fn unparsable_declarations_keep_their_keyword_and_name() {
    let text = "queue jobs { visibility = }\nfucntion worker {\n  memory = 1GB\n}\ndefaults {\n  memory: 1GB\n}\nqueue ok {}\n";
    let (file, ds) = diags(text);
    assert_eq!(ds.len(), 3, "{ds:#?}");
    let seen: Vec<(&str, Option<&str>, &str)> = file
        .unreadable
        .iter()
        .map(|u| {
            (
                u.keyword.as_str(),
                u.name.as_ref().map(|n| n.name.as_str()),
                &text[u.span.start..u.span.end],
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("queue", Some("jobs"), "queue jobs { visibility = }"),
            (
                "function",
                Some("worker"),
                "fucntion worker {\n  memory = 1GB\n}"
            ),
            ("defaults", None, "defaults {\n  memory: 1GB\n}"),
        ]
    );
    assert_eq!(file.items.len(), 1, "the declaration after them is parsed");
}
