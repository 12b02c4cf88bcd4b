//! What can be wrong with a pattern, as data, and how each problem reads.

use super::filters::NumericWhy;
use super::{Key, Record};
use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::schema::limits::{
    ESM_FILTERS, ESM_FILTERS_DEFAULT, EVENT_PATTERN_CHARS, EVENT_PATTERN_DEFAULT_CHARS,
};
use crate::schema::patterns::{operator, ENVELOPE_KEYS, OPERATORS};
use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// E0107: a top-level key of a rule's pattern that no event has.
    UnknownEnvelopeKey { key: Key },
    /// E0487: a top-level key of a filter that the source's records do not have.
    UnknownRecordKey { key: Key, record: Record },
    /// E0304: a pattern (or a `$or` branch) that is not a map.
    NotAPattern { span: Span },
    /// E0304: a field written as a single value instead of a list.
    NotAList { key: String, span: Span },
    /// E0304: a list inside a field's list.
    NestedList { key: String, span: Span },
    /// E0305: an operator EventBridge does not have.
    UnknownFilter { key: Key },
    /// E0305: a content filter with no operator or several.
    FilterKeys { span: Span, count: usize },
    /// E0307: an operator given a value of the wrong kind.
    Operand { op: String, span: Span },
    /// E0306: a malformed numeric filter.
    Numeric { span: Span, why: NumericWhy },
    /// W0554: a numeric range no number is in.
    EmptyRange { span: Span, range: String },
    /// E0488: an empty list or map inside a pattern (EVP-01).
    Empty { span: Span },
    /// E0489: `$or` that is not a list of patterns.
    OrShape { span: Span },
    /// E0486: an operator Lambda's event filtering does not take (EVP-06).
    Unsupported { op: String, span: Span },
    /// W0552: a rule's pattern that does not say which source's events it wants.
    NoSource { span: Span },
    /// E0484 (above what EventBridge or Lambda accept) or W0555 (above a rule's default
    /// quota).
    TooLong {
        span: Span,
        len: usize,
        quota: Quota,
    },
    /// E0485 (above the most Lambda allows) or W0553 (above the default quota).
    TooManyFilters {
        span: Span,
        count: usize,
        quota: Quota,
    },
}

/// Which of two limits a length or a count is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// The most AWS accepts at all: an error.
    Most,
    /// The default quota, which can be raised: a warning.
    Default,
}

impl Problem {
    pub fn code(&self) -> Code {
        match self {
            Problem::UnknownEnvelopeKey { .. } => Code::E0107,
            Problem::UnknownRecordKey { .. } => Code::E0487,
            Problem::NotAPattern { .. } | Problem::NotAList { .. } | Problem::NestedList { .. } => {
                Code::E0304
            }
            Problem::UnknownFilter { .. } | Problem::FilterKeys { .. } => Code::E0305,
            Problem::Operand { .. } => Code::E0307,
            Problem::Numeric { .. } => Code::E0306,
            Problem::EmptyRange { .. } => Code::W0554,
            Problem::Empty { .. } => Code::E0488,
            Problem::OrShape { .. } => Code::E0489,
            Problem::Unsupported { .. } => Code::E0486,
            Problem::NoSource { .. } => Code::W0552,
            Problem::TooLong { quota, .. } => match quota {
                Quota::Most => Code::E0484,
                Quota::Default => Code::W0555,
            },
            Problem::TooManyFilters { quota, .. } => match quota {
                Quota::Most => Code::E0485,
                Quota::Default => Code::W0553,
            },
        }
    }

    pub fn is_error(&self) -> bool {
        self.code().as_str().starts_with('E')
    }

    /// The problem as users read it.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            Problem::UnknownEnvelopeKey { key } => unknown_envelope_key(key),
            Problem::UnknownRecordKey { key, record } => unknown_record_key(key, *record),
            Problem::NotAPattern { span } => not_a_pattern(*span),
            Problem::NotAList { key, span } => not_a_list(key, *span),
            Problem::NestedList { key, span } => nested_list(key, *span),
            Problem::UnknownFilter { key } => unknown_filter(key),
            Problem::FilterKeys { span, count } => filter_keys(*span, *count),
            Problem::Operand { op, span } => operand(op, *span),
            Problem::Numeric { span, why } => numeric(*span, why),
            Problem::EmptyRange { span, range } => empty_range(*span, range),
            Problem::Empty { span } => empty(*span),
            Problem::OrShape { span } => or_shape(*span),
            Problem::Unsupported { op, span } => unsupported(op, *span),
            Problem::NoSource { span } => no_source(*span),
            Problem::TooLong { span, len, quota } => too_long(*quota, *span, *len),
            Problem::TooManyFilters { span, count, quota } => {
                too_many_filters(*quota, *span, *count)
            }
        }
    }
}

fn not_a_pattern(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0304, span, "a pattern is a map of fields")
        .label("not a map")
        .help("write the fields to match: `{ source = [\"aws.ec2\"] }`")
}

fn not_a_list(key: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0304,
        span,
        format!("`{key}` must be a list of values or filters"),
    )
    .label("a single value")
    .help(format!(
        "put it in a list: `{key} = [ … ]` (the list's items are alternatives)"
    ))
}

fn nested_list(key: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0304,
        span,
        format!("a list inside the list of `{key}`"),
    )
    .label("patterns do not nest lists")
    .help(format!("list the values once: `{key} = [\"a\", \"b\"]`"))
}

fn filter_keys(span: Span, count: usize) -> Diagnostic {
    Diagnostic::new(
        Code::E0305,
        span,
        format!("a content filter has one operator, this one has {count}"),
    )
    .label("one operator per map")
    .help("write one map per filter: `[{ prefix = \"a\" }, { suffix = \"b\" }]`")
}

fn operand(op: &str, span: Span) -> Diagnostic {
    let takes = operator(op).map_or("a string", |o| o.takes);
    Diagnostic::new(Code::E0307, span, format!("`{op}` cannot take this value"))
        .label("wrong kind of value")
        .help(format!("`{op}` takes {takes}"))
}

fn empty_range(span: Span, range: &str) -> Diagnostic {
    Diagnostic::new(Code::W0554, span, "this numeric filter matches no number")
        .label(format!("no number is {range}"))
        .help("put the lower bound below the upper one: `numeric = [\">\", 0, \"<=\", 5]`")
}

fn empty(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0488, span, "empty list or map in a pattern")
        .label("EventBridge refuses empty lists and maps in a pattern")
        .help("remove it, or give it what to match: `[\"value\"]`, `{ field = [\"value\"] }`")
}

fn or_shape(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0489, span, "`$or` takes a list of patterns")
        .label("not a list of maps")
        .help("write `\"$or\" = [{ a = [\"x\"] }, { b = [\"y\"] }]`")
}

fn unsupported(op: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0486,
        span,
        format!("Lambda event filters do not support `{op}`"),
    )
    .label("EventBridge rules have it, event source mappings do not")
    .help("use the operators Lambda filters take: values, prefix, suffix, equals-ignore-case, anything-but (values), numeric, exists")
}

fn no_source(span: Span) -> Diagnostic {
    Diagnostic::new(Code::W0552, span, "the pattern does not name a `source`")
        .label("matches events of every service and application")
        .help("name where the events come from: `source = [\"aws.ec2\"]`")
}

fn unknown_envelope_key(key: &Key) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0107,
        key.span,
        format!("events have no top-level field `{}`", key.name),
    )
    .label("not a field of the event envelope");
    match did_you_mean(&key.name, ENVELOPE_KEYS.iter().copied()) {
        Some(near) => d.help(format!("did you mean `{near}`?")).fix(
            format!("replace with `{near}`"),
            key.span,
            quoted(near),
        ),
        None => d.help(format!(
            "the top level has {}; an event's own fields are inside `detail = {{ {} = [ … ] }}`",
            ENVELOPE_KEYS.join(", "),
            key.name
        )),
    }
}

fn unknown_record_key(key: &Key, record: Record) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0487,
        key.span,
        format!("{} records have no field `{}`", record.word(), key.name),
    )
    .label("Lambda would never match this filter");
    let data = record.data_key();
    let other = [
        Record::Sqs,
        Record::DynamoDb,
        Record::Kinesis,
        Record::Kafka,
    ]
    .into_iter()
    .find(|r| r.data_key() == key.name);
    match did_you_mean(&key.name, record.keys().iter().copied()) {
        _ if other.is_some() => d.help(format!(
            "`{}` is where {} records carry the message; {} records carry it in `{data}`",
            key.name,
            other.map_or("", Record::word),
            record.word(),
        )),
        Some(near) => d
            .help(format!("did you mean `{near}`?"))
            .fix(format!("replace with `{near}`"), key.span, quoted(near)),
        None => d.help(format!(
            "the message's own fields are inside `{data}`: `{data} = {{ {key} = [ … ] }}` (record fields: {all})",
            data = record.data_key(),
            key = key.name,
            all = record.keys().join(", "),
        )),
    }
}

fn unknown_filter(key: &Key) -> Diagnostic {
    let names = || OPERATORS.iter().map(|o| o.name);
    let d = Diagnostic::new(
        Code::E0305,
        key.span,
        format!("unknown content filter `{}`", key.name),
    )
    .label("not an event pattern operator");
    match did_you_mean(&key.name, names()) {
        Some(near) => d.help(format!("did you mean `{near}`?")).fix(
            format!("replace with `{near}`"),
            key.span,
            quoted(near),
        ),
        None => d.help(format!(
            "content filters are {}",
            names().collect::<Vec<_>>().join(", ")
        )),
    }
}

fn numeric(span: Span, why: &NumericWhy) -> Diagnostic {
    let label = match why {
        NumericWhy::NotAList => "not a list".to_string(),
        NumericWhy::Pairs => "not one or two comparisons, each an operator and a number".into(),
        NumericWhy::UnknownOperator(op) => format!("`{op}` is not a comparison"),
        NumericWhy::NotANumber => "a comparison with something else than a number".into(),
        NumericWhy::TwoBounds(side) => format!("two {side} bounds"),
        NumericWhy::EqualsWithRange => "`=` with another comparison".into(),
    };
    Diagnostic::new(Code::E0306, span, "malformed numeric filter")
        .label(label)
        .help("write `[\"=\", 100]`, or at most one of `>`/`>=` and one of `<`/`<=`, each with a number: `[\">\", 0, \"<=\", 5]`")
}

fn too_long(quota: Quota, span: Span, len: usize) -> Diagnostic {
    let (code, label, help) = if quota == Quota::Most {
        (
            Code::E0484,
            format!(
                "EventBridge and Lambda take at most {} characters",
                EVENT_PATTERN_CHARS.hi
            ),
            "split it: several rules or several filters, each with part of the alternatives"
                .to_string(),
        )
    } else {
        (
            Code::W0555,
            format!(
                "a rule's default quota is {} characters",
                EVENT_PATTERN_DEFAULT_CHARS.hi
            ),
            format!(
                "the quota can be raised to {} characters (EventBridge quotas), or split the rule",
                EVENT_PATTERN_CHARS.hi
            ),
        )
    };
    Diagnostic::new(
        code,
        span,
        format!("the pattern is at least {len} characters of JSON"),
    )
    .label(label)
    .help(help)
}

fn too_many_filters(quota: Quota, span: Span, count: usize) -> Diagnostic {
    let (code, label, help) = if quota == Quota::Most {
        (
            Code::E0485,
            format!(
                "Lambda takes at most {} filters per event source, even with a quota increase",
                ESM_FILTERS.hi
            ),
            "merge filters: one filter's field lists already match any of their values".to_string(),
        )
    } else {
        (
            Code::W0553,
            format!(
                "the default quota is {} filters per event source",
                ESM_FILTERS_DEFAULT.hi
            ),
            format!(
                "request a quota increase (up to {}) before deploying, or merge filters; the CloudFormation schema allows 20, the Lambda guide's quota is what applies",
                ESM_FILTERS.hi
            ),
        )
    };
    Diagnostic::new(code, span, format!("{count} filters on one event source"))
        .label(label)
        .help(help)
}

/// A key as lamc writes it: bare when it is a name, else quoted (`"detail-type"`).
fn quoted(key: &str) -> String {
    let bare = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if bare {
        key.to_string()
    } else {
        format!("\"{key}\"")
    }
}
