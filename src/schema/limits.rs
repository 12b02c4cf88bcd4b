//! The numeric limits the rules enforce, one named constant per number, each with the
//! fact it comes from (docs/limits.md, docs/aws-facts.md). Messages and the docs format
//! the numbers from here.

/// A closed range `lo..=hi` in one measure.
pub struct Bounds {
    pub lo: u64,
    pub hi: u64,
    pub measure: Measure,
    /// The fact's ID in docs/limits.md or docs/aws-facts.md.
    pub fact: &'static str,
}

impl Bounds {
    const fn new(lo: u64, hi: u64, measure: Measure, fact: &'static str) -> Bounds {
        Bounds {
            lo,
            hi,
            measure,
            fact,
        }
    }

    /// `0s–12h`, `1–1000`, `at least 1d`.
    pub fn text(&self) -> String {
        let show = self.measure.format();
        if self.hi == u64::MAX {
            return format!("at least {}", show(self.lo));
        }
        format!("{}–{}", show(self.lo), show(self.hi))
    }

    /// `1s to 900s`: both ends in the measure's own unit.
    pub fn in_unit(&self) -> String {
        let unit = self.measure.unit();
        if self.hi == u64::MAX {
            return format!("at least {}{unit}", self.lo);
        }
        format!("{}{unit} to {}{unit}", self.lo, self.hi)
    }
}

/// The unit a limit is counted in, and how its numbers are written.
#[derive(Clone, Copy)]
pub enum Measure {
    Count,
    Seconds,
    Hours,
    Days,
    Megabytes,
}

impl Measure {
    /// The unit's suffix as the language writes it.
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Count => "",
            Measure::Seconds => "s",
            Measure::Hours => "h",
            Measure::Days => "d",
            Measure::Megabytes => "MB",
        }
    }

    pub fn format(self) -> fn(u64) -> String {
        match self {
            Measure::Count => fmt_plain,
            Measure::Seconds => fmt_seconds,
            Measure::Hours => fmt_hours,
            Measure::Days => fmt_days,
            Measure::Megabytes => fmt_mb,
        }
    }
}

/// Seconds in the largest unit that divides them exactly: `900` → `15m`, `90` → `90s`.
pub fn fmt_seconds(s: u64) -> String {
    if s == 0 {
        "0s".to_string()
    } else if s.is_multiple_of(86_400) {
        format!("{}d", s / 86_400)
    } else if s.is_multiple_of(3_600) {
        format!("{}h", s / 3_600)
    } else if s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

pub fn fmt_mb(mb: u64) -> String {
    format!("{mb}MB")
}

pub fn fmt_plain(n: u64) -> String {
    n.to_string()
}

pub fn fmt_days(d: u64) -> String {
    format!("{d}d")
}

pub fn fmt_hours(h: u64) -> String {
    format!("{h}h")
}

use Measure::*;

// Functions.
/// FN-05: standard functions (the schema's 32,768 is for Managed Instances, §18 D-1).
pub const MEMORY_MB: Bounds = Bounds::new(128, 10_240, Megabytes, "FN-05");
/// LMI-02: a function on Lambda Managed Instances has at least 2 GB (one vCPU) and up to
/// the schema's 32,768 MB (§18 D-1).
pub const LMI_MEMORY_MB: Bounds = Bounds::new(2_048, 32_768, Megabytes, "LMI-02");
/// LMI-01: `ExecutionEnvironmentMemoryGiBPerVCpu`, GiB of memory per vCPU.
pub const LMI_MEMORY_PER_VCPU: Bounds = Bounds::new(2, 8, Count, "LMI-01");
/// LMI-01: `PerExecutionEnvironmentMaxConcurrency`.
pub const LMI_CONCURRENCY: Bounds = Bounds::new(1, 1_600, Count, "LMI-01");
/// LMI-03: `FunctionScalingConfig` `MinExecutionEnvironments`, `MaxExecutionEnvironments`.
pub const LMI_ENVIRONMENTS: Bounds = Bounds::new(0, 15_000, Count, "LMI-03");
/// LMI-05: a capacity provider's `CapacityProviderScalingConfig.MaxVCpuCount`.
pub const LMI_MAX_VCPUS: Bounds = Bounds::new(2, 15_000, Count, "LMI-05");
/// FN-06
pub const TIMEOUT_S: Bounds = Bounds::new(1, 900, Seconds, "FN-06");
/// FN-07
pub const STORAGE_MB: Bounds = Bounds::new(512, 10_240, Megabytes, "FN-07");
/// FN-12 / QT-10
pub const MAX_LAYERS: usize = 5;
/// FN-29: subnets and security groups of a function's `VpcConfig`.
pub const MAX_VPC_SUBNETS: usize = 16;
pub const MAX_VPC_SECURITY_GROUPS: usize = 5;
/// FN-30: file systems a function mounts, and the mount path's length.
pub const MAX_FILE_SYSTEMS: usize = 1;
pub const MAX_MOUNT_PATH: usize = 160;
/// DUR-01: a durable execution's timeout and how long its history is kept.
pub const DURABLE_TIMEOUT_S: Bounds = Bounds::new(1, 31_622_400, Seconds, "DUR-01");
pub const DURABLE_RETENTION_DAYS: Bounds = Bounds::new(1, 90, Days, "DUR-01");
/// FN-17: a function's description, in characters.
pub const MAX_DESCRIPTION: usize = 256;
/// FN-32: a tag key, in characters (at least one).
pub const MAX_TAG_KEY: usize = 128;
/// FN-32: a tag value, in characters.
pub const MAX_TAG_VALUE: usize = 256;
/// LOG-01 (docs/aws-facts.md): CloudWatch Logs `RetentionInDays` values.
pub const LOG_RETENTION_DAYS: &[u64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
/// AI-02: retries of a failed asynchronous invocation.
pub const ASYNC_RETRIES: Bounds = Bounds::new(0, 2, Count, "AI-02");
/// AI-03: the age of an asynchronous event.
pub const ASYNC_MAX_AGE_S: Bounds = Bounds::new(60, 21_600, Seconds, "AI-03");
/// URL-05: the methods a function URL's CORS allows (`*`: all of them).
pub const URL_CORS_METHODS: &[&str] = &["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"];
/// URL-05: how many methods a function URL's CORS lists.
pub const MAX_URL_CORS_METHODS: usize = 6;
/// URL-05: how many origins a function URL's CORS lists.
pub const MAX_URL_CORS_ORIGINS: usize = 100;
/// URL-05: how long browsers may cache a function URL's preflight answer.
pub const CORS_MAX_AGE_S: Bounds = Bounds::new(0, 86_400, Seconds, "URL-05");

// Resources.
/// SQS-01
pub const QUEUE_VISIBILITY_S: Bounds = Bounds::new(0, 43_200, Seconds, "SQS-01");
/// SQS-02
pub const QUEUE_RETENTION_S: Bounds = Bounds::new(60, 1_209_600, Seconds, "SQS-02");
/// SQS-03
pub const QUEUE_DELAY_S: Bounds = Bounds::new(0, 900, Seconds, "SQS-03");
/// SQS-10
pub const QUEUE_MAX_RECEIVES: Bounds = Bounds::new(1, 1_000, Count, "SQS-10");
/// S3L-01 (docs/aws-facts.md): lifecycle expiration is at least one day.
pub const BUCKET_EXPIRE_DAYS: Bounds = Bounds::new(1, u64::MAX, Days, "S3L-01");
/// KIN-03: provisioned shards.
pub const STREAM_SHARDS: Bounds = Bounds::new(1, 100_000, Count, "KIN-03");
/// KIN-02 (the language takes the API's 24 h minimum).
pub const STREAM_RETENTION_H: Bounds = Bounds::new(24, 8_760, Hours, "KIN-02");

// Physical names (`name = "…"` on a resource, E0494/E0495).
/// A service's rule for the names of its resources: `min..=max` characters, each an ASCII
/// letter or digit or one of `extra`; `lowercase`: no capital letters; `fifo_suffix`: the
/// name of a FIFO one ends with `.fifo` (and only that one's), the suffix counted in `max`.
pub struct NameRule {
    pub min: usize,
    pub max: usize,
    pub extra: &'static str,
    pub lowercase: bool,
    pub fifo_suffix: bool,
    /// The fact's ID in docs/aws-facts.md.
    pub fact: &'static str,
}

/// SQS-07: `QueueName`.
pub const QUEUE_NAME: NameRule = NameRule {
    min: 1,
    max: 80,
    extra: "-_",
    lowercase: false,
    fifo_suffix: true,
    fact: "SQS-07",
};
/// SNS-NAME: `TopicName`.
pub const TOPIC_NAME: NameRule = NameRule {
    min: 1,
    max: 256,
    extra: "-_",
    lowercase: false,
    fifo_suffix: true,
    fact: "SNS-NAME",
};
/// S3-NAME: `BucketName` (its other rules: [`BUCKET_RESERVED_PREFIXES`], …).
pub const BUCKET_NAME: NameRule = NameRule {
    min: 3,
    max: 63,
    extra: ".-",
    lowercase: true,
    fifo_suffix: false,
    fact: "S3-NAME",
};
/// S3-NAME: prefixes S3 keeps for itself.
pub const BUCKET_RESERVED_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
/// S3-NAME: suffixes S3 keeps for itself.
pub const BUCKET_RESERVED_SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3"];
/// DDB-NAME: `TableName`.
pub const TABLE_NAME: NameRule = NameRule {
    min: 3,
    max: 255,
    extra: "_.-",
    lowercase: false,
    fifo_suffix: false,
    fact: "DDB-NAME",
};
/// KIN-NAME: a stream's `Name`.
pub const STREAM_NAME: NameRule = NameRule {
    min: 1,
    max: 128,
    extra: "_.-",
    lowercase: false,
    fifo_suffix: false,
    fact: "KIN-NAME",
};
/// EVB-01: a custom event bus's `Name` (a partner bus's `/` is not a custom bus's;
/// [`BUS_RESERVED_NAME`] is the account's own bus).
pub const BUS_NAME: NameRule = NameRule {
    min: 1,
    max: 256,
    extra: "._-",
    lowercase: false,
    fifo_suffix: false,
    fact: "EVB-01",
};
/// EVB-01: the name of every account's default bus, which no custom bus may take.
pub const BUS_RESERVED_NAME: &str = "default";
/// KMS-ID: an alias name is `alias/` and then letters, digits, `/`, `_` and `-`, at most
/// 256 characters in all.
pub const MAX_KMS_ALIAS: usize = 256;

// Triggers.
/// ESM-03: records or messages per batch.
pub const ESM_BATCH: Bounds = Bounds::new(1, 10_000, Count, "ESM-03");
/// XR-07 / §9.2: a FIFO queue's batches.
pub const FIFO_BATCH: Bounds = Bounds::new(1, 10, Count, "XR-07");
/// ESM-04: the batching window.
pub const ESM_WINDOW_S: Bounds = Bounds::new(0, 300, Seconds, "ESM-04");
/// ESM-08: retries of a failed stream batch.
pub const ESM_RETRIES: Bounds = Bounds::new(0, 10_000, Count, "ESM-08");
/// ESM-09: the age of a stream record.
pub const ESM_MAX_AGE_S: Bounds = Bounds::new(60, 604_800, Seconds, "ESM-09");
/// ESM-10: batches per shard at once.
pub const ESM_PARALLELIZATION: Bounds = Bounds::new(1, 10, Count, "ESM-10");
/// ESM-13: the concurrency an SQS source drives.
pub const ESM_MAX_CONCURRENCY: Bounds = Bounds::new(2, 1_000, Count, "ESM-13");
/// ESM-14: the most event pollers of an SQS source in provisioned mode.
pub const SQS_MAX_POLLERS: Bounds = Bounds::new(2, 10_000, Count, "ESM-14");
/// ESM-14: the fewest event pollers of an SQS source in provisioned mode.
pub const SQS_MIN_POLLERS: Bounds = Bounds::new(2, 200, Count, "ESM-14");
/// ESM-14: the most event pollers of an Amazon MSK source in provisioned mode.
pub const KAFKA_MAX_POLLERS: Bounds = Bounds::new(1, 2_000, Count, "ESM-14");
/// ESM-14: the fewest event pollers of an Amazon MSK source in provisioned mode.
pub const KAFKA_MIN_POLLERS: Bounds = Bounds::new(1, 200, Count, "ESM-14");
/// ESM-20: a Kafka topic's name, in characters.
pub const KAFKA_TOPIC: Bounds = Bounds::new(1, 249, Count, "ESM-20");
/// ESM-22: a Kafka consumer group id, in characters.
pub const KAFKA_CONSUMER_GROUP: Bounds = Bounds::new(1, 200, Count, "ESM-22");
/// SCH-04: a Scheduler flexible time window, whole minutes.
pub const SCHEDULE_WINDOW_S: Bounds = Bounds::new(60, 86_400, Seconds, "SCH-04");
/// SCH-08: retries of a failed Scheduler invocation.
pub const SCHEDULE_RETRIES: Bounds = Bounds::new(0, 185, Count, "SCH-08");
/// SCH-08: how long Scheduler keeps retrying an invocation.
pub const SCHEDULE_MAX_AGE_S: Bounds = Bounds::new(60, 86_400, Seconds, "SCH-08");
/// EVR-01 / SCH-05: a rule's, schedule's or schedule group's name, in characters.
pub const MAX_SCHEDULE_NAME: usize = 64;
/// AG-02: HTTP APIs wait at most 30 s for an integration.
pub const HTTP_API_TIMEOUT_S: u64 = 30;
/// VA-03: an alias name is 1–128 characters.
pub const MAX_ALIAS_NAME: usize = 128;
/// FN-25: a log group name is 1–512 characters.
pub const MAX_LOG_GROUP_NAME: usize = 512;
/// LMI-07: the runtimes Lambda Managed Instances runs: Java 21+, Python 3.13+, Node.js 22+,
/// .NET 8+, and the OS-only `provided.al2023`.
pub const LMI_RUNTIMES: &[&str] = &[
    "java21",
    "java25",
    "python3.13",
    "python3.14",
    "nodejs22.x",
    "nodejs24.x",
    "dotnet8",
    "dotnet9",
    "dotnet10",
    "provided.al2023",
];

/// SS-01: the runtimes SnapStart supports (Java 11+, Python 3.12+, .NET 8+).
pub const SNAP_START_RUNTIMES: &[&str] = &[
    "java11",
    "java17",
    "java21",
    "java25",
    "python3.12",
    "python3.13",
    "python3.14",
    "dotnet8",
    "dotnet10",
];
/// SS-03: SnapStart allows no more ephemeral storage than the default.
pub const SNAP_START_MAX_STORAGE_MB: u64 = 512;

/// EVP-02 / ESM-15: an event pattern's JSON text, the most EventBridge (after a quota
/// increase) and Lambda (a filter's `Pattern`) accept.
pub const EVENT_PATTERN_CHARS: Bounds = Bounds::new(1, 4096, Count, "EVP-02");
/// EVP-02: a rule's pattern under EventBridge's default quota.
pub const EVENT_PATTERN_DEFAULT_CHARS: Bounds = Bounds::new(1, 2048, Count, "EVP-02");
/// ESM-15 / D-6: filters of one event source mapping, with the quota raised as far as the
/// Lambda guide allows.
pub const ESM_FILTERS: Bounds = Bounds::new(1, 10, Count, "ESM-15");
/// ESM-15: filters of one event source mapping under the default quota.
pub const ESM_FILTERS_DEFAULT: Bounds = Bounds::new(1, 5, Count, "ESM-15");

// HTTP API authorizers and stages.
/// HAPI-01: how long a Lambda authorizer's answer is cached (0 turns caching off).
pub const AUTH_CACHE_S: Bounds = Bounds::new(0, 3_600, Seconds, "HAPI-01");
/// AG-06: how long API Gateway waits for a Lambda authorizer's answer.
pub const AUTHORIZER_TIMEOUT_S: u64 = 10;
/// AG-12: a stage's default route rate cannot exceed the account's (default quota).
pub const THROTTLE_RATE: Bounds = Bounds::new(0, 10_000, Count, "AG-12");
/// AG-12: a stage's default route burst cannot exceed the account's (default quota).
pub const THROTTLE_BURST: Bounds = Bounds::new(0, 5_000, Count, "AG-12");
/// AG-05: the scopes one route may require (not adjustable).
pub const MAX_ROUTE_SCOPES: usize = 10;
/// HAPI-07: the audiences one JWT authorizer may accept (not adjustable).
pub const MAX_JWT_AUDIENCES: usize = 50;

// Names, code and handlers (moved here from the rules that enforce them).
/// FN-01: function names are 1–64 characters.
pub const MAX_FUNCTION_NAME: usize = 64;
/// FN-03: a handler is at most 128 characters.
pub const MAX_HANDLER_LEN: usize = 128;
/// FN-08 / QT-08: a function's environment variables, keys and values together, in bytes.
pub const MAX_ENV_BYTES: usize = 4096;
/// FN-16: an S3 object key of the deployment package is 1–1024 characters.
pub const MAX_S3_KEY: usize = 1024;
/// QT-04 / PKG-01: the unzipped deployment package "must be smaller than 262144000 bytes"
/// (Lambda's `CreateFunction` error; the quotas page says 250 MB).
pub const MAX_UNZIPPED_BYTES: u64 = 262_144_000;
/// CW-12: actions of one alarm state.
pub const MAX_ALARM_ACTIONS: usize = 5;

// CloudFormation templates and stacks.
/// CFN-01
pub const MAX_RESOURCES: usize = 500;
/// CFN-02
pub const MAX_OUTPUTS: usize = 200;
/// CFN-03
pub const MAX_PARAMETERS: usize = 200;
/// CFN-06 (cfn-lint E1002 counts 1,000,000 bytes).
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// CFN-16 / CFN-06: inline code is part of the template, and a template (even one read
/// from S3) is at most 1,000,000 bytes, which is stricter than the 4 MB zip cap (FN-16).
pub const MAX_INLINE_BYTES: usize = MAX_TEMPLATE_BYTES;
/// CFN-08: logical IDs are at most 255 characters.
pub const MAX_LOGICAL_ID: usize = 255;
/// CFN-13: resources one stack operation may create, update or delete, nested stacks
/// included.
pub const MAX_RESOURCES_PER_OPERATION: usize = 2_500;
