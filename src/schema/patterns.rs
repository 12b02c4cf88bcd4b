//! The vocabulary of EventBridge event patterns and of Lambda's event filters (which use
//! the same syntax with fewer operators): the envelope's keys, the content filters, and the
//! keys of each event source's records. `src/events/` validates patterns against it; the
//! docs (docs/event-patterns.md) list it.

/// The top-level fields of an EventBridge event (EVP-03): a rule's pattern may only name
/// these at its top level (anything else is inside `detail`).
pub const ENVELOPE_KEYS: &[&str] = &[
    "source",
    "detail-type",
    "detail",
    "account",
    "region",
    "resources",
    "time",
    "id",
    "version",
];

/// One content filter: `{ prefix = "us-" }` inside a field's list (EVP-04).
pub struct Operator {
    /// The key as EventBridge spells it.
    pub name: &'static str,
    /// What it takes, as the help says it.
    pub takes: &'static str,
    /// Whether Lambda's event filtering supports it (EVP-06).
    pub lambda: bool,
}

/// The content filters of EventBridge event patterns (EVP-04), with whether Lambda's event
/// filtering accepts them (EVP-06).
pub const OPERATORS: &[Operator] = &[
    Operator {
        name: "prefix",
        takes: "a string, or `{ equals-ignore-case = \"…\" }`",
        lambda: true,
    },
    Operator {
        name: "suffix",
        takes: "a string, or `{ equals-ignore-case = \"…\" }`",
        lambda: true,
    },
    Operator {
        name: "anything-but",
        takes: "a string, a number, a list of strings or of numbers, or `{ prefix | suffix | equals-ignore-case | wildcard = \"…\" }`",
        lambda: true,
    },
    Operator {
        name: "numeric",
        takes: "a list of comparisons: `[\">\", 0, \"<=\", 5]`",
        lambda: true,
    },
    Operator {
        name: "exists",
        takes: "true or false",
        lambda: true,
    },
    Operator {
        name: "equals-ignore-case",
        takes: "a string",
        lambda: true,
    },
    Operator {
        name: "wildcard",
        takes: "a string with `*` wildcards",
        lambda: false,
    },
    Operator {
        name: "cidr",
        takes: "an IPv4 or IPv6 block in CIDR notation: \"10.0.0.0/24\"",
        lambda: false,
    },
];

/// The operator written `name`.
pub fn operator(name: &str) -> Option<&'static Operator> {
    OPERATORS.iter().find(|o| o.name == name)
}

/// The comparisons of a numeric filter (EVP-05): `=` alone, else at most one lower bound
/// (`>`, `>=`) and one upper bound (`<`, `<=`).
pub const NUMERIC_OPERATORS: &[&str] = &["=", ">", ">=", "<", "<="];

/// `$or`: alternatives, each a pattern of its own (EVP-04).
pub const OR: &str = "$or";

/// The fields of the records Lambda filters for each event source (EVP-07): a filter's
/// top-level keys are these; the message's own fields are inside `body` (SQS), `data`
/// (Kinesis) or `dynamodb` (DynamoDB).
pub const SQS_RECORD_KEYS: &[&str] = &[
    "messageId",
    "receiptHandle",
    "body",
    "attributes",
    "messageAttributes",
    "md5OfBody",
    "md5OfMessageAttributes",
    "eventSource",
    "eventSourceARN",
    "awsRegion",
];

/// See [`SQS_RECORD_KEYS`].
pub const DYNAMODB_RECORD_KEYS: &[&str] = &[
    "eventID",
    "eventName",
    "eventVersion",
    "eventSource",
    "awsRegion",
    "dynamodb",
    "eventSourceARN",
    "userIdentity",
];

/// See [`SQS_RECORD_KEYS`]: the fields of a record's `kinesis` object.
pub const KINESIS_RECORD_KEYS: &[&str] = &[
    "kinesisSchemaVersion",
    "partitionKey",
    "sequenceNumber",
    "data",
    "approximateArrivalTimestamp",
];

/// EVP-08: the one field of an Amazon MSK record a filter may name: `value`, the message
/// (its own fields inside it when it is JSON).
pub const KAFKA_RECORD_KEYS: &[&str] = &["value"];
