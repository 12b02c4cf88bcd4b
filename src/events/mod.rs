//! Static validation of EventBridge event patterns (`on event { pattern = … }`) and of
//! Lambda event filters (`filter = …` on sqs, dynamodb and kinesis), which share the
//! syntax: nested maps whose leaves are lists of values or content filters.
//!
//! The checker turns what was written into a [`Tree`] (keeping every span), [`check`]
//! returns the [`Problem`]s found, and each problem words itself as a diagnostic
//! (`problem.rs`). The rules come from the EventBridge User Guide ("Event patterns",
//! "Content filtering", "Comparison operators") and the Lambda Developer Guide ("Event
//! filtering"), facts EVP-01…EVP-07 in docs/aws-facts.md; docs/event-patterns.md has the
//! table of documented patterns the unit tests check.

mod filters;
mod problem;
#[cfg(test)]
mod tests;
mod walk;

pub use problem::{Problem, Quota};

use crate::schema::limits::{Bounds, EVENT_PATTERN_CHARS, EVENT_PATTERN_DEFAULT_CHARS};
use crate::schema::patterns::{
    DYNAMODB_RECORD_KEYS, KAFKA_RECORD_KEYS, KINESIS_RECORD_KEYS, SQS_RECORD_KEYS,
};
use crate::source::Span;

/// A pattern as written, every part with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub node: Node,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Map(Vec<(Key, Tree)>),
    List(Vec<Tree>),
    Str(String),
    /// A number, as its decimal text.
    Num(String),
    Bool(bool),
    Null,
    /// A string known only when the stack is deployed (`aws.account_id`, a parameter).
    Deploy,
}

/// A map's key with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// Which service reads the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// An EventBridge rule: every operator, the event envelope's keys at the top.
    Rule,
    /// A Lambda event filter on an event source mapping of this source.
    Filter(Record),
}

/// The event sources whose mappings take filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Sqs,
    DynamoDb,
    Kinesis,
    Kafka,
}

impl Record {
    /// The trigger word (`on sqs`).
    pub fn word(self) -> &'static str {
        match self {
            Record::Sqs => "sqs",
            Record::DynamoDb => "dynamodb",
            Record::Kinesis => "kinesis",
            Record::Kafka => "kafka",
        }
    }

    /// The top-level keys of its records (EVP-07).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Record::Sqs => SQS_RECORD_KEYS,
            Record::DynamoDb => DYNAMODB_RECORD_KEYS,
            Record::Kinesis => KINESIS_RECORD_KEYS,
            Record::Kafka => KAFKA_RECORD_KEYS,
        }
    }

    /// The key that holds the message's own fields.
    pub fn data_key(self) -> &'static str {
        match self {
            Record::Sqs => "body",
            Record::DynamoDb => "dynamodb",
            Record::Kinesis => "data",
            Record::Kafka => "value",
        }
    }
}

/// Every problem of one pattern, in source order.
pub fn check(pattern: &Tree, dialect: Dialect) -> Vec<Problem> {
    let mut out = Vec::new();
    walk::pattern(pattern, dialect, &mut out);
    if out.iter().any(Problem::is_error) {
        // The length of a pattern that must change anyway says nothing more.
        return out;
    }
    length(pattern, dialect, &mut out);
    out
}

/// EVP-02 / ESM-15: the pattern's JSON text has a length limit, and rules a lower default
/// quota.
fn length(pattern: &Tree, dialect: Dialect, out: &mut Vec<Problem>) {
    let len = json_len(pattern);
    let over = |b: &Bounds, quota| (len > b.hi as usize).then_some(quota);
    let quota = over(&EVENT_PATTERN_CHARS, Quota::Most).or(match dialect {
        Dialect::Rule => over(&EVENT_PATTERN_DEFAULT_CHARS, Quota::Default),
        Dialect::Filter(_) => None,
    });
    if let Some(quota) = quota {
        out.push(Problem::TooLong {
            span: pattern.span,
            len,
            quota,
        });
    }
}

/// The length of the pattern as compact JSON text, deploy-time strings counted empty (so
/// the figure is a lower bound).
pub fn json_len(t: &Tree) -> usize {
    match &t.node {
        Node::Map(entries) => {
            2 + entries.len().saturating_sub(1)
                + entries
                    .iter()
                    .map(|(k, v)| quoted_len(&k.name) + 1 + json_len(v))
                    .sum::<usize>()
        }
        Node::List(items) => {
            2 + items.len().saturating_sub(1) + items.iter().map(json_len).sum::<usize>()
        }
        Node::Str(s) => quoted_len(s),
        Node::Num(n) => n.len(),
        Node::Bool(true) | Node::Null => 4,
        Node::Bool(false) => 5,
        Node::Deploy => 2,
    }
}

fn quoted_len(s: &str) -> usize {
    serde_json::to_string(s).map_or(s.len() + 2, |q| q.len())
}
