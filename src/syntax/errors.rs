//! Syntax errors in people's words: pest's "expected rules" become "expected `=` or `{`
//! after attribute name, found `:`", pointed at the offending token.

use super::scan::{Open, OpenKind, Unterminated};
use super::{Rule, DECLARATION_KEYWORDS};
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// The byte offset (relative to the parsed slice) where pest gave up.
pub fn error_offset(e: &Error<Rule>) -> usize {
    match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// What is at `at`, in words, and where that token ends.
pub fn found(text: &str, at: usize) -> (String, usize) {
    let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) else {
        return ("end of file".to_string(), text.len().max(at));
    };
    let bytes = rest.as_bytes();
    let first = bytes[0];
    if first == b'\n' || first == b'\r' {
        return ("end of line".to_string(), at);
    }
    if first.is_ascii_alphanumeric() || first == b'_' {
        let len = bytes
            .iter()
            .position(|b| {
                !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.' && first.is_ascii_digit())
            })
            .unwrap_or(bytes.len());
        let word = &rest[..len];
        return (format!("`{word}`"), at + len);
    }
    if first == b'"' {
        return ("a string".to_string(), at + 1);
    }
    for two in [">=", "<=", "..", "${"] {
        if rest.starts_with(two) {
            return (format!("`{two}`"), at + 2);
        }
    }
    let c = rest.chars().next().unwrap_or(' ');
    (format!("`{c}`"), at + c.len_utf8())
}

/// A top-level token that cannot start a declaration (`}`, `=`, `42`, …).
pub fn expected_declaration(file: FileId, text: &str, at: usize) -> Diagnostic {
    let (what, end) = found(text, at);
    Diagnostic::new(
        Code::E0001,
        Span::new(file, at, end),
        format!("expected a declaration, found {what}"),
    )
    .label("a declaration cannot start here")
    .help(format!(
        "a declaration starts with one of: {}",
        DECLARATION_KEYWORDS.join(", ")
    ))
}

pub fn unterminated_string(file: FileId, u: &Unterminated) -> Diagnostic {
    let open = u.open;
    let len = open.kind.opener().len();
    let (message, help) = if open.kind == OpenKind::RawStr {
        (
            "unterminated raw string",
            "add the closing `\"\"\"`".to_string(),
        )
    } else {
        (
            "unterminated string",
            "add the closing `\"` on the same line (use `\"\"\"…\"\"\"` for text over several lines)"
                .to_string(),
        )
    };
    Diagnostic::new(
        Code::E0002,
        Span::new(file, open.pos, open.pos + len),
        message,
    )
    .label("this string is never closed")
    .secondary(Span::new(file, u.end, u.end), "the string is cut off here")
    .help(help)
}

pub fn unclosed(file: FileId, open: Open) -> Diagnostic {
    let opener = open.kind.opener();
    let closer = open.kind.closer();
    Diagnostic::new(
        Code::E0002,
        Span::new(file, open.pos, open.pos + opener.len()),
        format!("unclosed `{opener}`"),
    )
    .label(format!("this `{opener}` is never closed"))
    .help(format!("add the closing `{closer}`"))
}

/// How each rule reads in "expected …". Values collapse into one phrase.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::eq => "`=`",
        Rule::colon => "`:`",
        Rule::comma => "`,`",
        Rule::lbrace | Rule::block | Rule::body => "`{`",
        Rule::rbrace | Rule::interp_end => "`}`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::dotdot => "`..`",
        Rule::cmp_op => "a comparison (`>`, `>=`, `<`, `<=`)",
        Rule::name | Rule::key => "a name",
        Rule::path | Rule::notify => "a reference such as `topic.oncall`",
        Rule::int => "a whole number",
        Rule::string | Rule::plain_string | Rule::raw_string | Rule::existing_arn => "a string",
        Rule::range | Rule::number | Rule::list | Rule::map | Rule::call | Rule::trigger_source => {
            "a value"
        }
        Rule::param_type => "`string` or `number`",
        Rule::std_module => "`std.MODULE`",
        Rule::resource_kind => "a resource kind",
        Rule::entry => "an attribute",
        Rule::trigger | Rule::kw_on => "`on`",
        Rule::allow | Rule::kw_allow => "`allow`",
        Rule::alarm_member | Rule::kw_alarm => "`alarm`",
        Rule::extends | Rule::kw_extends => "`extends`",
        Rule::kw_from => "`from`",
        Rule::kw_via => "`via`",
        Rule::kw_over => "`over`",
        Rule::kw_for => "`for`",
        Rule::kw_of => "`of`",
        Rule::kw_notify => "`notify`",
        Rule::kw_at => "`at`",
        Rule::alarm_named | Rule::alarm_expr => "an alarm",
        _ => "something else",
    }
}

/// Join phrases as "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The phrase after "expected" for a set of rules, with the context when it is clear.
fn expectation(rules: &[Rule]) -> (String, &'static str) {
    let has = |r: Rule| rules.contains(&r);
    if has(Rule::eq) && (has(Rule::block) || has(Rule::lbrace)) && rules.len() == 2 {
        return (
            "`=` or `{` after attribute name".into(),
            "write `name = value` or `name { … }`",
        );
    }
    let in_body = has(Rule::key) && (has(Rule::trigger) || has(Rule::kw_on));
    if in_body && (has(Rule::rbrace)) {
        return (
            "an attribute, `on`, `allow`, `alarm` or `}`".into(),
            "a function body holds `name = value` lines, `on …` triggers, `allow …` and `alarm …` lines",
        );
    }
    if has(Rule::key) && has(Rule::rbrace) {
        return (
            "an attribute name or `}`".into(),
            "a block holds `name = value` lines, one per line or separated by `,`",
        );
    }
    let mut phrases: Vec<&str> = Vec::new();
    for r in rules {
        let p = describe(*r);
        if !phrases.contains(&p) {
            phrases.push(p);
        }
    }
    // Put punctuation last so "a value or `]`" reads naturally.
    phrases.sort_by_key(|p| p.starts_with('`'));
    let help = if phrases.contains(&"a value") {
        "a value is a string, a number or quantity (`512MB`, `30s`), `true`/`false`, a list `[…]`, a map `{ k = v }`, a call `rate(5m)` or a name such as `queue.orders`"
    } else {
        "check the syntax of this line against the language reference"
    };
    (or_list(&phrases), help)
}

/// E0001 from a pest failure at absolute offset `at`.
pub fn syntax_error(file: FileId, text: &str, at: usize, e: &Error<Rule>) -> Diagnostic {
    let (what, end) = found(text, at);
    let span = Span::new(file, at, end);
    match &e.variant {
        ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let (expected, help) = expectation(positives);
            Diagnostic::new(
                Code::E0001,
                span,
                format!("expected {expected}, found {what}"),
            )
            .label(format!("unexpected {what}"))
            .help(help)
        }
        ErrorVariant::ParsingError { .. } => {
            Diagnostic::new(Code::E0001, span, format!("unexpected {what}"))
                .label("not expected here")
                .help("check the syntax of this line against the language reference")
        }
        ErrorVariant::CustomError { .. } => Diagnostic::new(
            Code::E0001,
            span,
            "this declaration is too deeply nested to parse",
        )
        .label("parsing stopped here")
        .help("flatten the value: real configurations nest a few levels at most"),
    }
}
