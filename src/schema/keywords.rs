//! Keywords: top-level declarations, what a function body holds besides attributes, the
//! words inside expressions, the calls and the units.

use crate::syntax::ast::Unit;

/// A keyword with its meaning.
pub struct Keyword {
    pub word: &'static str,
    /// One line, for completion and hover.
    pub doc: &'static str,
}

const fn kw(word: &'static str, doc: &'static str) -> Keyword {
    Keyword { word, doc }
}

/// Top-level declaration keywords besides the resource kinds ([`super::RESOURCES`]): first
/// a function and its two fragments, after which completion lists the resource kinds, then
/// the rest.
pub const DECLARATIONS: &[Keyword] = &[
    kw("function", "a Lambda function"),
    kw(
        "template",
        "attributes several functions share (`function f extends t`)",
    ),
    kw(
        "defaults",
        "attributes every function of this file gets unless it sets its own",
    ),
    kw("alarm", "a CloudWatch alarm"),
    kw("output", "a stack output"),
    kw("param", "a stack parameter"),
    kw("let", "a constant"),
    kw("use", "another .lam file or a standard module"),
    kw("app", "the application's name, description and tags"),
];

/// What a function or template body holds besides attributes; none of them is allowed in
/// `defaults`. They accumulate through templates ([`super::Merge::Accumulate`]).
pub const BODY_KEYWORDS: &[Keyword] = &[
    kw(
        "on",
        "a trigger: `on http \"GET /path\"`, `on sqs queue.NAME`, `on schedule rate(5m)` …",
    ),
    kw(
        "alarm",
        "an alarm on this function's metrics: `alarm errors >= 1 over 5m`",
    ),
    kw(
        "allow",
        "an IAM permission: `allow [\"s3:GetObject\"] on bucket.NAME`",
    ),
];

/// Words inside declarations and expressions (`via`, `over 5m`, `for 3 of 5`, …).
pub const OPERATOR_WORDS: &[&str] = &[
    "on", "via", "allow", "over", "for", "of", "notify", "at", "from", "extends",
];

/// The calls of the language: schedules and code sources.
pub const CALLS: &[&str] = &["rate", "cron", "at", "s3", "image", "inline", "manual"];

/// Units after a number, longest spelling first where one is a prefix of another.
pub const UNITS: &[(&str, Unit)] = &[
    ("KB", Unit::Kb),
    ("MB", Unit::Mb),
    ("GB", Unit::Gb),
    ("ms", Unit::Ms),
    ("s", Unit::S),
    ("m", Unit::M),
    ("h", Unit::H),
    ("d", Unit::D),
    ("%", Unit::Percent),
];
