//! The function body (also a template's and `defaults`), and its nested blocks.

use crate::model::{Architecture, Auth, Kind, LogRetention, Recursion, Tracing, UpdateMode};

use super::limits::{
    ASYNC_MAX_AGE_S, ASYNC_RETRIES, CORS_MAX_AGE_S, DURABLE_RETENTION_DAYS, DURABLE_TIMEOUT_S,
    LMI_CONCURRENCY, LMI_ENVIRONMENTS, LMI_MEMORY_PER_VCPU, MEMORY_MB, STORAGE_MB, TIMEOUT_S,
};
use super::types::{words, Attr, Block, Merge, Ty, Word, Words};

words! {
    /// `architecture`: the instruction set.
    ARCHITECTURE, ARCHITECTURES: Architecture {
        "x86_64" => Architecture::X86_64, "x86_64";
        "arm64" => Architecture::Arm64, "arm64";
    }
}
/// CloudFormation's spelling of an architecture (`Architectures`,
/// `CompatibleArchitectures`, the price tables' key).
pub fn architecture_cfn(a: Architecture) -> &'static str {
    ARCHITECTURE.cfn_of(ARCHITECTURES, &a).unwrap_or_default()
}

words! {
    /// `tracing`: X-Ray.
    TRACING, TRACING_MODES: Tracing {
        "active" => Tracing::Active, "Active";
        "passthrough" => Tracing::PassThrough, "PassThrough";
    }
}
words! {
    /// The words `log_retention` takes besides a number of days.
    LOG_RETENTION, LOG_RETENTION_WORDS: LogRetention {
        "never" => LogRetention::Never, "";
    }
}
words! {
    /// `auth` of a function URL, an api and a route.
    AUTH, AUTH_MODES: Auth {
        "iam" => Auth::Iam, "AWS_IAM";
        "none" => Auth::None, "NONE";
    }
}

words! {
    /// `recursion`: what Lambda does when it detects the function in a recursive loop.
    RECURSION, RECURSION_MODES: Recursion {
        "terminate" => Recursion::Terminate, "Terminate";
        "allow" => Recursion::Allow, "Allow";
    }
}

/// `logging { format }`: how the function's logs are written (FN-22).
pub const LOG_FORMAT: Words = Words(&[
    Word {
        word: "text",
        cfn: "Text",
    },
    Word {
        word: "json",
        cfn: "JSON",
    },
]);

/// `logging { level }`: the least severe application log line kept (FN-23).
pub const LOG_LEVEL: Words = Words(&[
    Word {
        word: "trace",
        cfn: "TRACE",
    },
    Word {
        word: "debug",
        cfn: "DEBUG",
    },
    Word {
        word: "info",
        cfn: "INFO",
    },
    Word {
        word: "warn",
        cfn: "WARN",
    },
    Word {
        word: "error",
        cfn: "ERROR",
    },
    Word {
        word: "fatal",
        cfn: "FATAL",
    },
]);

/// `logging { system_level }`: the least severe log line of Lambda's own kept (FN-24).
pub const SYSTEM_LOG_LEVEL: Words = Words(&[
    Word {
        word: "debug",
        cfn: "DEBUG",
    },
    Word {
        word: "info",
        cfn: "INFO",
    },
    Word {
        word: "warn",
        cfn: "WARN",
    },
]);

words! {
    /// `runtime_updates`: when Lambda moves the function to a new runtime version (FN-27);
    /// `manual` takes the version's ARN: `manual("arn:aws:lambda:REGION::runtime:…")`.
    RUNTIME_UPDATES, RUNTIME_UPDATE_MODES: UpdateMode {
        "auto" => UpdateMode::Auto, "Auto";
        "on_deploy" => UpdateMode::OnDeploy, "FunctionUpdate";
        "manual" => UpdateMode::Manual, "Manual";
    }
}

/// `tenancy`: how execution environments are shared between tenants (TEN-01).
pub const TENANCY: Words = Words(&[Word {
    word: "per_tenant",
    cfn: "PER_TENANT",
}]);

/// A function URL's `InvokeMode` when `stream = true` (URL-04), and lamc's default.
pub const INVOKE_MODE_STREAM: &str = "RESPONSE_STREAM";
pub const INVOKE_MODE_BUFFERED: &str = "BUFFERED";

/// The alias lamc creates when `alias` does not name one.
pub const DEFAULT_ALIAS: &str = "live";

const fn f(key: &'static str, ty: Ty, doc: &'static str) -> Attr {
    Attr::new(key, ty, doc).merge(Merge::First)
}

/// Where a function's dead-letter events go (FN-20).
const DEAD_LETTER_TARGETS: &[Kind] = &[Kind::Queue, Kind::Topic];

/// Destinations of asynchronous invocation records.
const DESTINATIONS: &[Kind] = &[Kind::Queue, Kind::Topic, Kind::Function];

/// A function's body; a template's and the `defaults` block take the same attributes.
pub const FUNCTION: Block = Block {
    id: "function",
    owner: "a function",
    attrs: &[
        f("runtime", Ty::Other("runtime"), "the language runtime")
            .rule("a runtime Lambda knows (E0302); deprecated → W0501, creation blocked → E0412 (dates as of the check)")
            .required_unless("`code = image(…)`"),
        f("handler", Ty::Str, "the entry point, e.g. \"index.handler\"")
            .rule("at most 128 characters, no whitespace (FN-03, E0110); shape per runtime family: `file.function` (Python, Node.js, Ruby), `pkg.Class[::method]` (Java), `Assembly::Namespace.Class::Method` (.NET) (E0415); `index.NAME` with inline code (E0111)")
            .required_unless("image or `provided.*`"),
        f("code", Ty::Other("`\"folder\"`, `s3(\"bucket\", \"key\")`, `image(\"uri\")`, `inline(\"\"\"…\"\"\")`"), "where the code comes from: a folder (zipped by lamc), an S3 object, a container image or inline source")
            .rule("a folder (or file) must exist, relative to the file and inside the project root (E0427); it is zipped as described in \"Packaging\" below (E0430–E0432); inline code only for Python and Node.js (E0448), at most 1,000,000 bytes (E0435), handler `index.NAME` (E0111)")
            .required(),
        f("memory", Ty::Size, "memory (and proportional CPU)")
            .bounds(&MEMORY_MB)
            .rule("{range} (E0401), whole MB (E0303)")
            .default("128MB"),
        f("timeout", Ty::Duration, "the longest one invocation may run")
            .bounds(&TIMEOUT_S)
            .rule("{range} (E0402), whole seconds (E0303)")
            .default("3s"),
        f("storage", Ty::Size, "ephemeral /tmp storage")
            .bounds(&STORAGE_MB)
            .rule("ephemeral `/tmp`, {range} (E0403)")
            .default("512MB")
            .cfn(&["EphemeralStorage", "Size"]),
        f("architecture", Ty::Word(&ARCHITECTURE), "the instruction set")
            .rule("the runtime must support it (E0419)")
            .default("x86_64"),
        f("name", Ty::Str, "an explicit function name")
            .rule("1–64 of `A-Z a-z 0-9 - _` (E0411)")
            .default("generated"),
        f("description", Ty::Str, "a description")
            .rule("≤ 256 characters (FN-17)")
            .cfn(&["Description"]),
        f("layers", Ty::Other("list of `layer.NAME` and layer ARNs, or a list parameter"), "Lambda layers: declared ones and existing ones by ARN")
            .rule("at most 5 (E0410); a declared layer's `runtimes` and `architectures` include the function's (E0475, E0476); with the code ≤ 250 MB unzipped (QT-04, E0477)")
            .merge(Merge::FirstList),
        f("tracing", Ty::Word(&TRACING), "X-Ray tracing")
            .default("passthrough")
            .cfn(&["TracingConfig", "Mode"]),
        f("recursion", Ty::Word(&RECURSION), "what Lambda does with a recursive loop it detects (through SQS, SNS, S3, …)")
            .default("terminate")
            .cfn(&["RecursiveLoop"]),
        f("alias", Ty::Str, "the name of the alias that `publish`, `snap_start` and provisioned concurrency create; every trigger invokes it")
            .rule("1–128 of `A-Z a-z 0-9 - _`, not only digits, written as a literal (VA-03, E0468); with nothing that publishes a version it is unused (W0545)")
            .default(DEFAULT_ALIAS),
        f("publish", Ty::Bool, "publish a content-hashed version and point the alias at it; triggers, URL and async settings go through the alias")
            .default("false"),
        f("snap_start", Ty::Bool, "resume from a snapshot taken when a version is published (SnapStart); publishes a version and the alias")
            .rule("a runtime that supports it: Java 11+, Python 3.12+, .NET 8+ (SS-01, E0471); not with provisioned concurrency, `storage` above 512MB, image code or `files` (SS-03, SNAP-01, E0472)")
            .default("false"),
        f("runtime_updates", Ty::Word(&RUNTIME_UPDATES), "when Lambda moves the function to a new runtime version: at once, at its next deploy, or never (`manual(\"arn…\")` pins one)")
            .rule("`manual` takes a runtime version ARN, `manual(\"arn:aws:lambda:REGION::runtime:…\")` (RTV-01, E0474)")
            .default("auto"),
        f("code_signing", Ty::Str, "the ARN of a code signing configuration: Lambda accepts only code its signing profiles signed")
            .rule("`arn:aws:lambda:REGION:ACCOUNT:code-signing-config:csc-…` (CSC-01, E0473)")
            .cfn(&["CodeSigningConfigArn"]),
        f("tenancy", Ty::Word(&TENANCY), "an execution environment per tenant: each invocation names its tenant")
            .rule("set when the function is created: changing it replaces the function, which a fixed `name` forbids (TEN-01, W0546)")
            .default("shared")
            .cfn(&["TenancyConfig", "TenantIsolationMode"]),
        f("dead_letter", Ty::Ref, "where Lambda sends an asynchronous event it gave up on (DeadLetterConfig)")
            .rule("a queue or a topic (FN-20); the role may send to exactly it (AI-06); with only synchronous triggers it never fires (W0547)")
            .refs(DEAD_LETTER_TARGETS),
        f("vpc", Ty::Block(&VPC), "the subnets and security groups the function reaches a VPC through; the role gets the AWS managed policy for its network interfaces (IP-09)")
            .rule("at least one subnet and one security group (E0478); IDs shaped `subnet-…`/`sg-…` (EC2-ID, E0479); at most 16 subnets and 5 groups (FN-29, E0480)"),
        f("files", Ty::Other("`{ \"/mnt/NAME\" = ACCESS_POINT_ARN }`"), "an EFS file system mounted through its access point; the role may mount and write through exactly it")
            .rule("needs `vpc` (E0481); a path `/mnt/NAME` (FN-30, E0482); one file system at most (FN-30, E0483); an access point ARN (E0418); not with `snap_start` (SS-03, E0472)"),
        f("durable", Ty::Block(&DURABLE), "durable execution: the function's DurableConfig; publishes a version and the alias, which invokers use")
            .rule("`timeout` 1s–366d and `retention` 1d–90d (DUR-01, E0417)"),
        f("capacity", Ty::Block(&CAPACITY), "run on Lambda Managed Instances: the capacity provider's EC2 instances, several requests at once in each execution environment")
            .rule("memory ≥ 2GB (LMI-02, E0453; default 2GB); JSON logs only (LMI-04, E0454; default json); not with provisioned concurrency or `snap_start` (CC-11, E0455); the provider's architecture (LMI-06, E0115); a runtime that supports it (LMI-07, E0325)"),
        f("logging", Ty::Block(&LOGGING), "the log format, the levels kept and the log group's name")
            .rule("`level` and `system_level` need `format = json` (FN-23, FN-24, E0469)"),
        f("log_retention", Ty::Other("duration in days, or `never`"), "how long CloudWatch keeps the logs (`never`: forever)")
            .rule("a value CloudWatch Logs allows (LOG-01: 1d, 3d, 5d, 7d, 14d, 30d, 60d, 90d, …); `never` keeps the logs forever")
            .default("30d"),
        f("env", Ty::Other("map of NAME = value"), "environment variables")
            .rule("≤ 4 KB in all (E0404); names `[A-Za-z][A-Za-z0-9_]+` (E0438), not reserved by Lambda (E0405); secret-looking literal values warn (W0507)")
            .merge(Merge::Keys),
        f("tags", Ty::Other("map of strings"), "tags on the function")
            .rule("at most 50 tags (FN-32)")
            .merge(Merge::Keys),
        f("concurrency", Ty::Block(&CONCURRENCY), "reserved and provisioned concurrency")
            .rule("provisioned ≤ reserved (E0406), = reserved warns (W0508); reserved 0 warns (W0509); Σ reserved over all functions ≤ the account's quota − 100: 900 for the standard 1,000, else `--account-concurrency N` (E0423)"),
        f("async", Ty::Block(&ASYNC), "asynchronous invocation settings")
            .rule("retries 0–2, max_age 60s–6h (E0417); destinations are queues, topics or functions"),
        f("url", Ty::Block(&URL), "a function URL")
            .rule("`auth = none` warns (W0522) unless `public = true` says anyone may call it"),
    ],
};

/// `vpc { … }` → the function's `VpcConfig` (lowered by hand: a list may be a parameter).
pub const VPC: Block = Block {
    id: "function.vpc",
    owner: "`vpc`",
    attrs: &[
        Attr::new(
            "subnets",
            Ty::Other("list of subnet IDs, or a `subnets` parameter"),
            "the subnets the function's network interfaces are placed in",
        )
        .rule("1–16 (FN-29, E0478, E0480); `subnet-…` (EC2-ID, E0479)")
        .required(),
        Attr::new(
            "security_groups",
            Ty::Other("list of security group IDs, or a `security_groups` parameter"),
            "the security groups of the function's network interfaces",
        )
        .rule("1–5 (FN-29, E0478, E0480); `sg-…` (EC2-ID, E0479)")
        .required(),
        Attr::new(
            "ipv6",
            Ty::Bool,
            "allow outbound IPv6 traffic through dual-stack subnets (`Ipv6AllowedForDualStack`)",
        )
        .default("false"),
    ],
};

/// `capacity { … }` → the function's `CapacityProviderConfig` and `FunctionScalingConfig`
/// (the provider is lowered by hand: a declared provider, an ARN or a parameter).
pub const CAPACITY: Block = Block {
    id: "function.capacity",
    owner: "`capacity`",
    attrs: &[
        Attr::new(
            "provider",
            Ty::Other("`capacity.NAME`, or a capacity provider's ARN"),
            "the capacity provider whose instances run the function",
        )
        .refs(&[Kind::Capacity])
        .required(),
        Attr::new(
            "memory_per_vcpu",
            Ty::Count,
            "GiB of memory per vCPU of each execution environment",
        )
        .bounds(&LMI_MEMORY_PER_VCPU)
        .default("Lambda's")
        .cfn(&[
            "CapacityProviderConfig",
            "LambdaManagedInstancesCapacityProviderConfig",
            "ExecutionEnvironmentMemoryGiBPerVCpu",
        ]),
        Attr::new(
            "concurrency",
            Ty::Count,
            "the most requests one execution environment runs at once",
        )
        .bounds(&LMI_CONCURRENCY)
        .default("Lambda's")
        .cfn(&[
            "CapacityProviderConfig",
            "LambdaManagedInstancesCapacityProviderConfig",
            "PerExecutionEnvironmentMaxConcurrency",
        ]),
        Attr::new(
            "min_environments",
            Ty::Count,
            "the fewest execution environments kept running",
        )
        .bounds(&LMI_ENVIRONMENTS)
        .rule("≤ `max_environments` (E0326)")
        .default("Lambda's")
        .cfn(&["FunctionScalingConfig", "MinExecutionEnvironments"]),
        Attr::new(
            "max_environments",
            Ty::Count,
            "the most execution environments Lambda starts",
        )
        .bounds(&LMI_ENVIRONMENTS)
        .default("Lambda's")
        .cfn(&["FunctionScalingConfig", "MaxExecutionEnvironments"]),
    ],
};

/// `durable { … }` → the function's `DurableConfig` (lowered by hand: retention is in days).
pub const DURABLE: Block = Block {
    id: "function.durable",
    owner: "`durable`",
    attrs: &[
        Attr::new(
            "timeout",
            Ty::Duration,
            "how long one durable execution may run in all (`ExecutionTimeout`)",
        )
        .bounds(&DURABLE_TIMEOUT_S)
        .required(),
        Attr::new(
            "retention",
            Ty::Days,
            "how long an execution's history is kept once it ends (`RetentionPeriodInDays`)",
        )
        .bounds(&DURABLE_RETENTION_DAYS)
        .default("14d"),
    ],
};

/// `logging { … }` → the function's `LoggingConfig` (the group's name is lowered by hand:
/// it names the log group lamc creates).
pub const LOGGING: Block = Block {
    id: "function.logging",
    owner: "`logging`",
    attrs: &[
        Attr::new(
            "format",
            Ty::Word(&LOG_FORMAT),
            "plain text or structured JSON log lines",
        )
        .default("text")
        .cfn(&["LoggingConfig", "LogFormat"]),
        Attr::new(
            "level",
            Ty::Word(&LOG_LEVEL),
            "the least severe application log line kept",
        )
        .rule("needs `format = json` (E0469)")
        .default("all")
        .cfn(&["LoggingConfig", "ApplicationLogLevel"]),
        Attr::new(
            "system_level",
            Ty::Word(&SYSTEM_LOG_LEVEL),
            "the least severe log line of Lambda's own kept",
        )
        .rule("needs `format = json` (E0469)")
        .default("all")
        .cfn(&["LoggingConfig", "SystemLogLevel"]),
        Attr::new(
            "group",
            Ty::Str,
            "the name of the log group lamc creates for the function",
        )
        .rule("1–512 of `A-Z a-z 0-9 . - _ / #` (FN-25, E0470)")
        .default("/aws/lambda/<function name>"),
    ],
};

pub const CONCURRENCY: Block = Block {
    id: "function.concurrency",
    owner: "`concurrency`",
    attrs: &[
        Attr::new(
            "reserved",
            Ty::Count,
            "concurrency reserved for (and capped at) this function",
        )
        .rule("0 to the account's reservable total (CC-03)")
        .default("unreserved"),
        Attr::new(
            "provisioned",
            Ty::Other("number | MIN..MAX at P%"),
            "pre-initialised environments; a range scales with utilisation",
        )
        .rule("at most `reserved` when both are set"),
    ],
};

pub const ASYNC: Block = Block {
    id: "function.async",
    owner: "`async`",
    attrs: &[
        Attr::new(
            "retries",
            Ty::Count,
            "retries of a failed asynchronous invocation",
        )
        .bounds(&ASYNC_RETRIES)
        .default("2"),
        Attr::new(
            "max_age",
            Ty::Duration,
            "how long an event may wait to be processed",
        )
        .bounds(&ASYNC_MAX_AGE_S)
        .default("6h"),
        Attr::new(
            "on_success",
            Ty::Ref,
            "where successful invocation records go",
        )
        .refs(DESTINATIONS),
        Attr::new("on_failure", Ty::Ref, "where failed events go").refs(DESTINATIONS),
    ],
};

pub const URL: Block = Block {
    id: "function.url",
    owner: "`url`",
    attrs: &[
        Attr::new("auth", Ty::Word(&AUTH), "who may call the URL").default("iam"),
        Attr::new(
            "public",
            Ty::Bool,
            "`auth = none` is intended: anyone may call the URL (no W0522)",
        )
        .default("false"),
        Attr::new("cors", Ty::Block(&URL_CORS), "CORS for browsers"),
        Attr::new(
            "stream",
            Ty::Bool,
            "stream the response as it is written (InvokeMode `RESPONSE_STREAM`, URL-04)",
        )
        .default("false"),
    ],
};

/// `cors { … }` of a function URL and of an api.
pub(super) const CORS_ATTRS: &[Attr] = &[
    Attr::new("origins", Ty::Strings, "allowed origins"),
    Attr::new(
        "methods",
        Ty::Other("list of method names or strings"),
        "allowed methods (`[GET, POST]`)",
    ),
    Attr::new("headers", Ty::Strings, "allowed headers"),
    Attr::new(
        "max_age",
        Ty::Duration,
        "how long browsers cache the preflight answer",
    )
    .bounds(&CORS_MAX_AGE_S),
];

pub const URL_CORS: Block = Block {
    id: "function.url.cors",
    owner: "`cors`",
    attrs: CORS_ATTRS,
};

/// The attributes of `cors { … }` (a function URL's and an api's).
pub const CORS: &[Attr] = CORS_ATTRS;
