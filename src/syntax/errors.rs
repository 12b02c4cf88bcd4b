//! Syntax errors in people's words: pest's "expected rules" become "expected `=` or `{`
//! after attribute name, found `:`", pointed at the offending token.

use super::foreign::Spelling;
use super::scan::{Open, OpenKind, Unterminated};
use super::{Rule, DECLARATION_KEYWORDS};
use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// The byte offset (relative to the parsed slice) where pest gave up.
/// Spaces before the offending token are skipped, so the span lands on the token (a line
/// end is not skipped: it is reported as the end of the line).
pub fn error_offset(e: &Error<Rule>, input: &str) -> usize {
    let at = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let spaces = input.get(at..).map_or(0, |rest| {
        rest.len() - rest.trim_start_matches([' ', '\t']).len()
    });
    at + spaces
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

/// Rules that mean "a value goes here" when several are expected at once.
fn is_value_rule(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::string
            | Rule::plain_string
            | Rule::raw_string
            | Rule::range
            | Rule::int
            | Rule::number
            | Rule::num_int
            | Rule::list
            | Rule::lbracket
            | Rule::map
            | Rule::call
            | Rule::path
            | Rule::trigger_source
    )
}

/// How each rule reads in "expected …".
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
        Rule::num_frac => "a fraction",
        Rule::num_suffix => "a unit",
        Rule::str_text | Rule::str_escape | Rule::raw_text => "more text",
        Rule::interp => "`${`",
        Rule::cmp_op => "a comparison (`>`, `>=`, `<`, `<=`)",
        Rule::name | Rule::key | Rule::path_digits => "a name",
        Rule::path | Rule::notify => "a reference such as `topic.oncall`",
        Rule::int | Rule::num_int => "a whole number",
        Rule::string | Rule::plain_string | Rule::raw_string => "a string",
        Rule::range | Rule::number | Rule::list | Rule::map | Rule::call | Rule::trigger_source => {
            "a value"
        }
        Rule::param_type => "a parameter type (`string`, `number`, `list`, …)",
        Rule::std_module => "`std.MODULE`",
        Rule::resource_kind => "a resource kind",
        Rule::entry => "an attribute",
        Rule::trigger | Rule::kw_on => "`on`",
        Rule::allow | Rule::kw_allow => "`allow`",
        Rule::alarm_member | Rule::kw_alarm => "`alarm`",
        Rule::extends | Rule::kw_extends => "`extends`",
        Rule::kw_from | Rule::existing_arn => "`from`",
        Rule::kw_via => "`via`",
        Rule::kw_over => "`over`",
        Rule::kw_for => "`for`",
        Rule::kw_of => "`of`",
        Rule::kw_notify => "`notify`",
        Rule::kw_at => "`at`",
        Rule::alarm_named | Rule::alarm_expr => "an alarm",
        Rule::decl_end => "the end of the line",
        _ => "more input",
    }
}

/// The keyword a rule stands for, for "did you mean" on a misspelt keyword.
fn keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::extends | Rule::kw_extends => "extends",
        Rule::kw_from | Rule::existing_arn => "from",
        Rule::kw_via => "via",
        Rule::kw_over => "over",
        Rule::kw_for => "for",
        Rule::kw_of => "of",
        Rule::notify | Rule::kw_notify => "notify",
        Rule::kw_at => "at",
        Rule::trigger | Rule::kw_on => "on",
        Rule::allow | Rule::kw_allow => "allow",
        Rule::alarm_member | Rule::kw_alarm => "alarm",
        _ => return None,
    })
}

/// Join phrases as "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

const VALUE_HELP: &str = "a value is a string, a number or quantity (`512MB`, `30s`), `true`/`false`, a list `[…]`, a map `{ k = v }`, a call such as `rate(5m)`, or a name such as `queue.orders`";

/// The phrase after "expected" for a set of rules (with the context when it is clear),
/// and a help line.
fn expectation(rules: &[Rule]) -> (String, &'static str) {
    if let Some(known) = known_shape(rules) {
        return known;
    }
    let is_value = several_values(rules);
    let phrases = expected_phrases(rules, is_value);
    (or_list(&phrases), generic_help(rules, is_value))
}

/// The sets of rules that only ever come up at one place in the grammar, where a sentence
/// about that place helps more than the list of tokens.
fn known_shape(rules: &[Rule]) -> Option<(String, &'static str)> {
    let has = |r: Rule| rules.contains(&r);
    if has(Rule::eq) && (has(Rule::block) || has(Rule::lbrace)) && rules.len() == 2 {
        return Some((
            "`=` or `{` after attribute name".into(),
            "write `name = value` or `name { … }`",
        ));
    }
    if has(Rule::key) && (has(Rule::trigger) || has(Rule::kw_on)) {
        return Some((
            "an attribute, `on`, `allow`, `alarm` or `}`".into(),
            "a function body holds `name = value` lines, `name { … }` blocks, `on …` triggers, and `allow …` and `alarm …` lines",
        ));
    }
    if has(Rule::key) && has(Rule::rbrace) {
        return Some((
            "an attribute name or `}`".into(),
            "a block holds `name = value` entries, one per line or separated by `,`",
        ));
    }
    if has(Rule::cmp_op) {
        return Some((
            describe(Rule::cmp_op).into(),
            "an alarm reads `METRIC OP THRESHOLD`, e.g. `errors >= 5 over 5m`",
        ));
    }
    None
}

/// Several kinds of value at once read as "a value"; one alone keeps its own name.
fn several_values(rules: &[Rule]) -> bool {
    rules
        .iter()
        .filter(|r| is_value_rule(**r) && **r != Rule::lbracket)
        .count()
        >= 2
}

/// What the rules describe, each phrase once, words first and punctuation last: "a value
/// or `]`".
fn expected_phrases(rules: &[Rule], is_value: bool) -> Vec<&'static str> {
    let mut phrases: Vec<&'static str> = Vec::new();
    for r in rules {
        // `..` is only ever a possible continuation of a number; it confuses more than it helps.
        // So are the optional tails of a token (`.5`, a unit, more string text).
        if rules.len() > 1
            && matches!(
                r,
                Rule::dotdot
                    | Rule::num_frac
                    | Rule::num_suffix
                    | Rule::str_text
                    | Rule::str_escape
                    | Rule::raw_text
                    | Rule::interp
            )
        {
            continue;
        }
        let p = if is_value && (is_value_rule(*r) || matches!(r, Rule::name | Rule::lbrace)) {
            "a value"
        } else {
            describe(*r)
        };
        if !phrases.contains(&p) {
            phrases.push(p);
        }
    }
    phrases.sort_by_key(|p| p.starts_with('`'));
    phrases
}

fn generic_help(rules: &[Rule], is_value: bool) -> &'static str {
    if is_value {
        VALUE_HELP
    } else if rules.contains(&Rule::rbracket) || rules.contains(&Rule::rparen) {
        "separate the items with `,` and close the list"
    } else {
        "check this line against the grammar in the language reference"
    }
}

/// A syntax error at something another tool's spelling: the help shows lamc's, and the
/// fix (when there is one) replaces any other.
pub fn in_our_spelling(mut d: Diagnostic, ours: Spelling) -> Diagnostic {
    d.fixes.clear();
    d = d.help(ours.help);
    match ours.fix {
        Some((start, end, with)) => {
            let span = Span::new(d.primary.span.file, start, end);
            d.fix(format!("write `{with}`"), span, with)
        }
        None => d,
    }
}

/// E0001 from a pest failure at absolute offset `at`.
pub fn syntax_error(file: FileId, text: &str, at: usize, e: &Error<Rule>) -> Diagnostic {
    let (what, end) = found(text, at);
    let span = Span::new(file, at, end);
    match &e.variant {
        ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let (expected, help) = expectation(positives);
            let word = text.get(at..end).unwrap_or("");
            let near = did_you_mean(word, positives.iter().filter_map(|r| keyword(*r)))
                .filter(|_| word.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()));
            let d = Diagnostic::new(
                Code::E0001,
                span,
                format!("expected {expected}, found {what}"),
            )
            .label(format!("unexpected {what}"));
            match near {
                Some(k) => d.help(format!("did you mean `{k}`?")).fix(
                    format!("replace with `{k}`"),
                    span,
                    k,
                ),
                None => d.help(help),
            }
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
