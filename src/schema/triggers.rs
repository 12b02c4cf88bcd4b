//! Trigger kinds (`on KIND SOURCE { … }`) and their options.

use crate::model::{Kind, S3Event, StartPosition};

use super::limits::{
    ESM_BATCH, ESM_MAX_AGE_S, ESM_MAX_CONCURRENCY, ESM_PARALLELIZATION, ESM_RETRIES, ESM_WINDOW_S,
    KAFKA_MAX_POLLERS, SCHEDULE_MAX_AGE_S, SCHEDULE_RETRIES, SCHEDULE_WINDOW_S, SQS_MAX_POLLERS,
};
use super::types::{words, Attr, Block, Ty};

words! {
    /// Where reading a stream starts.
    START_POSITION, START_POSITIONS: StartPosition {
        "latest" => StartPosition::Latest, "LATEST";
        "trim_horizon" => StartPosition::TrimHorizon, "TRIM_HORIZON";
    }
}
words! {
    /// The S3 event families lamc names (S3-02: every event of the family).
    S3_EVENT, S3_EVENTS: S3Event {
        "created" => S3Event::Created, "s3:ObjectCreated:*";
        "removed" => S3Event::Removed, "s3:ObjectRemoved:*";
        "restored" => S3Event::Restored, "s3:ObjectRestore:*";
    }
}

/// How `on kafka` signs in when `auth` is a word (a secret is named by reference instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KafkaSignIn {
    /// IAM access control (MSK-AUTH).
    Iam,
}
words! {
    /// The words `auth` of `on kafka` takes.
    KAFKA_AUTH, KAFKA_AUTH_WORDS: KafkaSignIn {
        "iam" => KafkaSignIn::Iam, "iam";
    }
}

/// HTTP methods a route takes (`ANY`: every one).
pub const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

/// One trigger kind.
pub struct Trigger {
    /// The word after `on`.
    pub kind: &'static str,
    /// The kind of declaration its source names (`None`: a route, a schedule, an event
    /// rule).
    pub source: Option<Kind>,
    /// Whether something must follow the word (`on sqs queue.X`, `on schedule rate(…)`);
    /// `on event { … }` listens on the default bus without one.
    pub needs_source: bool,
    /// One line, for completion and hover.
    pub doc: &'static str,
    /// How it is written, as the docs show it.
    pub form: &'static str,
    /// A complete example, for the help of a trigger without a source.
    pub example: &'static str,
    /// What the options column of the docs adds to the options' own rules.
    pub note: &'static str,
    /// What it becomes in the template, as the docs say it.
    pub becomes: &'static str,
    pub block: &'static Block,
}

/// The trigger kinds, in the order completion offers them and the docs list them.
pub const TRIGGERS: &[Trigger] = &[
    Trigger {
        kind: "http",
        source: None,
        needs_source: true,
        doc: "an HTTP route: `on http \"GET /path\"`",
        form: "`on http \"METHOD /path\" \\| \"$default\" [via api.NAME]`",
        example: "on http \"GET /path\"",
        note: "`public = true` when a route without authorization is intended, on the route or on its API (the route's own `public` wins), else W0522 — one warning per API, on its first such route. METHOD ∈ {methods}; `{param}` and `{proxy+}` segments (a `:param` segment is literal text to API Gateway and warns, W0529); `auth = none` on an API whose `auth` is an authorizer is an exception that `lamc check` lists instead; `\"$default\"` alone is the catch-all route (AGR-01); one route key per API (E0492)",
        becomes: "HTTP API route + Lambda integration + permission. Warns (W0503) when the function's timeout exceeds the API's {http_timeout} s cap",
        block: &ON_HTTP,
    },
    Trigger {
        kind: "sqs",
        needs_source: true,
        source: Some(Kind::Queue),
        doc: "messages from an SQS queue",
        form: "`on sqs queue.X`",
        example: "on sqs queue.NAME",
        note: "",
        becomes: "event source mapping + IAM to receive. Warns (W0502) when the queue's visibility is under 6 × timeout + window",
        block: &ON_SQS,
    },
    Trigger {
        kind: "sns",
        needs_source: true,
        source: Some(Kind::Topic),
        doc: "notifications from an SNS topic",
        form: "`on sns topic.X`",
        example: "on sns topic.NAME",
        note: "",
        becomes: "subscription + permission. FIFO topics cannot deliver to Lambda (E0421)",
        block: &ON_SNS,
    },
    Trigger {
        kind: "s3",
        needs_source: true,
        source: Some(Kind::Bucket),
        doc: "object events of an S3 bucket",
        form: "`on s3 bucket.X`",
        example: "on s3 bucket.NAME",
        note: "",
        becomes: "bucket notification + permission, without a dependency cycle. Overlapping filters on one bucket are E0422",
        block: &ON_S3,
    },
    Trigger {
        kind: "dynamodb",
        needs_source: true,
        source: Some(Kind::Table),
        doc: "the change stream of a DynamoDB table",
        form: "`on dynamodb table.X`",
        example: "on dynamodb table.NAME",
        note: "",
        becomes: "event source mapping on the table's stream; the table needs `stream` (E0421)",
        block: &ON_DYNAMODB,
    },
    Trigger {
        kind: "kinesis",
        needs_source: true,
        source: Some(Kind::Stream),
        doc: "records of a Kinesis stream",
        form: "`on kinesis stream.X`",
        example: "on kinesis stream.NAME",
        note: "",
        becomes: "event source mapping",
        block: &ON_KINESIS,
    },
    Trigger {
        kind: "kafka",
        needs_source: true,
        source: Some(Kind::Cluster),
        doc: "records of a topic of an existing Amazon MSK cluster",
        form: "`on kafka cluster.X { topic = \"…\" }`",
        example: "on kafka cluster.NAME { topic = \"orders\" }",
        note: "",
        becomes: "event source mapping (`Topics`, `ConsumerGroupId`, SASL/SCRAM with `auth = secret.X`) + the role's MSK access: the `AWSLambdaMSKExecutionRole` managed policy, and with `auth = iam` the `kafka-cluster` actions on the cluster, topic and group",
        block: &ON_KAFKA,
    },
    Trigger {
        kind: "schedule",
        source: None,
        needs_source: true,
        doc: "a timer: `rate(5m)`, `cron(\"0 3 * * ? *\")`, `at(\"…\")`",
        form: "`on schedule rate(5m) \\| cron(\"m h dom mon dow year\") \\| at(\"YYYY-MM-DDThh:mm:ss\")`",
        example: "on schedule rate(5m)",
        note: "",
        becomes: "an EventBridge rule + permission; with `timezone`, `at` or an option only the Scheduler has (`window`, `retries`, `max_age`, `on_failure`, `start`, `end`, `group`), an EventBridge Scheduler schedule + its role. Rates are ≥ 1 minute, cron has 6 fields with `?` in day-of-month or day-of-week (E0408)",
        block: &ON_SCHEDULE,
    },
    Trigger {
        kind: "event",
        source: Some(Kind::Bus),
        needs_source: false,
        doc: "events on an EventBridge bus (the default one unless `bus.X` is given) that match a pattern",
        form: "`on event [bus.X] { pattern = { … } }`",
        example: "on event { pattern = { source = [\"aws.ec2\"] } }",
        note: "",
        becomes: "an EventBridge rule on the default bus or on `bus.X` (EventPattern, EventBusName, the function as target) + permission. The pattern is checked as EventBridge would (E0107, E0304–E0307, E0484, E0488, E0489, W0552, W0554, W0555)",
        block: &ON_EVENT,
    },
];

/// The trigger kind written `kind`.
pub fn trigger(kind: &str) -> Option<&'static Trigger> {
    TRIGGERS.iter().find(|t| t.kind == kind)
}

const ON_HTTP: Block = Block {
    id: "on.http",
    owner: "an `on http` trigger",
    attrs: &[
        Attr::new(
            "auth",
            Ty::Other("iam | none | auth.NAME"),
            "who may call this route",
        )
        .refs(&[Kind::Auth])
        .default("the API's `auth`, else none"),
        Attr::new(
            "scopes",
            Ty::Strings,
            "the scopes a JWT must grant to call this route",
        )
        .rule("only with a `jwt` authorizer (E0109); at most 10 (AG-05, E0433), none empty or with a space (E0320); a list parameter stands for all"),
        Attr::new(
            "public",
            Ty::Bool,
            "no authorization is intended: anyone may call the route (no W0522)",
        )
        .default("the api's public"),
    ],
};

const ON_SQS: Block = Block {
    id: "on.sqs",
    owner: "an `on sqs` trigger",
    attrs: &[
        Attr::new("batch", Ty::Count, "messages per invocation")
            .bounds(&ESM_BATCH)
            .rule("{range}; ≤ 10 on FIFO")
            .default("10"),
        Attr::new("window", Ty::Duration, "how long to gather a batch")
            .bounds(&ESM_WINDOW_S)
            .rule("{range}; needed when batch > 10 on a standard queue")
            .default("0s"),
        Attr::new(
            "max_concurrency",
            Ty::Count,
            "the most concurrent invocations this source drives",
        )
        .bounds(&ESM_MAX_CONCURRENCY)
        .rule("{range}; not with `pollers` (E0491)"),
        Attr::new(
            "report_failures",
            Ty::Bool,
            "partial batch responses (ReportBatchItemFailures)",
        )
        .default("false"),
        Attr::new(
            "pollers",
            Ty::Other("MIN..MAX"),
            "provisioned mode: the fewest and most event pollers kept for this source",
        )
        .bounds(&SQS_MAX_POLLERS)
        .rule("`MIN..MAX` within {range}, MIN no more than its own cap (ESM-14, E0417); MIN ≤ MAX (E0309); not with `max_concurrency` (E0491)")
        .default("on-demand polling"),
        FILTER,
    ],
};

const ON_SNS: Block = Block {
    id: "on.sns",
    owner: "an `on sns` trigger",
    attrs: &[Attr::new(
        "filter",
        Ty::Other("{ attribute = [values] }"),
        "the subscription's filter policy",
    )
    .rule("`filter = { attr = [\"v1\", \"v2\"] }`")],
};

const ON_S3: Block = Block {
    id: "on.s3",
    owner: "an `on s3` trigger",
    attrs: &[
        Attr::new("events", Ty::WordList(&S3_EVENT), "which object events")
            .rule("S3's own names as strings, `\"s3:ObjectCreated:*\"` being `created`")
            .default("[created]"),
        Attr::new("prefix", Ty::Str, "only keys starting with this"),
        Attr::new("suffix", Ty::Str, "only keys ending with this"),
    ],
};

/// The options of both stream triggers (`on dynamodb`, `on kinesis`).
const STREAM_OPTIONS: &[Attr] = &[
    Attr::new(
        "start",
        Ty::Word(&START_POSITION),
        "where reading starts (ESM-05)",
    )
    .default("latest"),
    Attr::new("batch", Ty::Count, "records per invocation")
        .bounds(&ESM_BATCH)
        .default("100"),
    Attr::new("window", Ty::Duration, "how long to gather a batch")
        .bounds(&ESM_WINDOW_S)
        .default("0s"),
    Attr::new("retries", Ty::Count, "retries of a failed batch")
        .bounds(&ESM_RETRIES)
        .default("until the record expires"),
    Attr::new("bisect", Ty::Bool, "split a failing batch in two").default("false"),
    Attr::new("max_age", Ty::Duration, "skip records older than this")
        .bounds(&ESM_MAX_AGE_S)
        .default("no limit"),
    Attr::new(
        "parallelization",
        Ty::Count,
        "batches per shard processed at once",
    )
    .bounds(&ESM_PARALLELIZATION)
    .default("1"),
    Attr::new(
        "on_failure",
        Ty::Ref,
        "where records of discarded batches go",
    )
    .refs(&[Kind::Queue, Kind::Topic]),
    Attr::new(
        "report_failures",
        Ty::Bool,
        "partial batch responses (ReportBatchItemFailures)",
    )
    .default("false"),
    FILTER,
];

/// `filter` of the event source mappings (`on sqs`, `on dynamodb`, `on kinesis`).
const FILTER: Attr = Attr::new(
    "filter",
    Ty::Other("map or list of maps"),
    "Lambda event filtering: only records matching one of these patterns invoke the function",
)
.rule("event-pattern syntax with Lambda's operators, keys of the source's records (E0486, E0487); at most 10 filters, 5 without a quota increase (E0485, W0553)")
.default("every record");

const ON_DYNAMODB: Block = Block {
    id: "on.dynamodb",
    owner: "an `on dynamodb` trigger",
    attrs: STREAM_OPTIONS,
};

const ON_KINESIS: Block = Block {
    id: "on.kinesis",
    owner: "an `on kinesis` trigger",
    attrs: STREAM_OPTIONS,
};

const ON_KAFKA: Block = Block {
    id: "on.kafka",
    owner: "an `on kafka` trigger",
    attrs: &[
        Attr::new("topic", Ty::Str, "the Kafka topic it reads")
            .rule("1–249 letters, digits, `.`, `_`, `-`, not starting with `.` (ESM-20, E0317)")
            .required(),
        Attr::new("batch", Ty::Count, "records per invocation")
            .bounds(&ESM_BATCH)
            .default("100"),
        Attr::new("window", Ty::Duration, "how long to gather a batch")
            .bounds(&ESM_WINDOW_S)
            .default("500 ms, Lambda's own for MSK"),
        Attr::new(
            "start",
            Ty::Word(&START_POSITION),
            "where reading starts when the consumer group has no offset yet (ESM-05)",
        )
        .default("latest"),
        Attr::new(
            "consumer_group",
            Ty::Str,
            "the Kafka consumer group the mapping joins",
        )
        .rule("1–200 of letters, digits and `-/*:_+=.@` (ESM-22, E0318); one mapping per group (E0424); changing it replaces the mapping")
        .default("generated by Lambda"),
        Attr::new(
            "auth",
            Ty::Other("iam | secret.NAME"),
            "how Lambda signs in to the cluster: IAM access control, or SASL/SCRAM with the user and password in a secret",
        )
        .refs(&[Kind::Secret])
        .default("iam"),
        Attr::new(
            "pollers",
            Ty::Other("MIN..MAX"),
            "provisioned mode: the fewest and most event pollers kept for this source",
        )
        .bounds(&KAFKA_MAX_POLLERS)
        .rule("`MIN..MAX` within {range}, MIN no more than its own cap (ESM-14, E0417); MIN ≤ MAX (E0309)")
        .default("on-demand polling"),
        FILTER,
    ],
};

const ON_SCHEDULE: Block = Block {
    id: "on.schedule",
    owner: "an `on schedule` trigger",
    attrs: &[
        Attr::new(
            "timezone",
            Ty::Str,
            "the IANA time zone cron() is evaluated in",
        )
        .rule("an IANA zone name, e.g. \"Europe/Paris\" (SCH-03)")
        .default("UTC"),
        Attr::new(
            "input",
            Ty::Other("map"),
            "the JSON event passed to the function",
        ),
        Attr::new("enabled", Ty::Bool, "whether the schedule runs").default("true"),
        Attr::new("name", Ty::Str, "the rule's or schedule's name")
            .rule("1–64 of letters, digits, `.`, `-`, `_` (EVR-01, SCH-05; E0447); one schedule per name in a group, one rule per name (E0493); changing it replaces the schedule")
            .default("generated"),
        Attr::new(
            "window",
            Ty::Duration,
            "flexible time window: invoke at some point this long after the time",
        )
        .bounds(&SCHEDULE_WINDOW_S)
        .rule("whole minutes, {range} (SCH-04, E0417)")
        .default("off"),
        Attr::new("retries", Ty::Count, "retries of a failed invocation")
            .bounds(&SCHEDULE_RETRIES)
            .default("the Scheduler's retry policy"),
        Attr::new(
            "max_age",
            Ty::Duration,
            "how long to keep retrying an invocation",
        )
        .bounds(&SCHEDULE_MAX_AGE_S)
        .default("the Scheduler's retry policy"),
        Attr::new(
            "on_failure",
            Ty::Ref,
            "the dead-letter queue for invocations that failed every retry",
        )
        .refs(&[Kind::Queue])
        .rule("a standard queue, not FIFO (SCH-09, E0414)"),
        Attr::new(
            "start",
            Ty::Str,
            "the UTC date-time from which a recurring schedule may fire",
        )
        .rule("`\"yyyy-mm-ddThh:mm:ss\"` in UTC (SCH-06, E0308); before `end` (E0490); no effect on `at(…)` (W0557)"),
        Attr::new(
            "end",
            Ty::Str,
            "the UTC date-time after which a recurring schedule stops",
        )
        .rule("`\"yyyy-mm-ddThh:mm:ss\"` in UTC (SCH-06, E0308); no effect on `at(…)` (W0557)"),
        Attr::new(
            "group",
            Ty::Str,
            "the schedule group, which must exist",
        )
        .rule("1–64 of letters, digits, `.`, `-`, `_` (SCH-05; E0447)")
        .default("default"),
    ],
};

const ON_EVENT: Block = Block {
    id: "on.event",
    owner: "an `on event` trigger",
    attrs: &[
        Attr::new(
            "pattern",
            Ty::Other("map"),
            "the event pattern: which events of the bus invoke the function",
        )
        .rule("a map with at least one field (E0452), e.g. `{ source = [\"aws.ec2\"] }`")
        .required(),
        Attr::new(
            "input",
            Ty::Other("map"),
            "a constant JSON event passed to the function instead of the matched one",
        ),
        Attr::new("enabled", Ty::Bool, "whether the rule runs").default("true"),
    ],
};
