//! The table of stable diagnostic codes. Each code's long documentation lives in
//! `docs/codes/CODE.md` and is embedded for `lamc explain`.

use super::Severity;

macro_rules! codes {
    ($($code:ident => $summary:literal,)*) => {
        /// A stable diagnostic code. `E…` codes are errors, `W…` codes warnings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($code,)* }

        /// Every code, in table order.
        pub const ALL_CODES: &[Code] = &[$(Code::$code,)*];

        impl Code {
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// One line: when this diagnostic is reported.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary,)* }
            }

            /// The long documentation (what, why, example, fix).
            pub fn doc(self) -> &'static str {
                match self { $(Code::$code => include_str!(concat!("../../docs/codes/", stringify!($code), ".md")),)* }
            }
        }
    };
}

codes! {
    E0001 => "syntax error",
    E0002 => "unterminated string or block",
    E0003 => "bad number or unknown unit",
    E0101 => "unknown declaration kind",
    E0102 => "duplicate declaration name",
    E0103 => "unknown attribute",
    E0104 => "duplicate attribute",
    E0105 => "missing required attribute",
    E0106 => "two names map to the same logical ID",
    E0107 => "event pattern field that events do not have at the top level",
    E0108 => "authorizer that is not exactly one of `jwt { … }` or `function`",
    E0109 => "`scopes` on a route that no JWT authorizer guards",
    E0110 => "handler Lambda refuses: over 128 characters or with whitespace",
    E0111 => "inline code whose handler does not name the `index` file",
    E0112 => "declaration name too long for a CloudFormation logical ID",
    E0115 => "function whose architecture is not its capacity provider's",
    E0201 => "unresolved reference",
    E0202 => "reference to the wrong kind of resource",
    E0203 => "unknown module in `use`",
    E0204 => "cycle among templates",
    E0205 => "`secret`, `parameter`, `key`, `resource` or `cluster` declared with a block instead of `from \"arn…\"`",
    E0206 => "`allow … on` a string that is not an ARN",
    E0207 => "`allow … on \"*\"` (every resource)",
    E0301 => "type or unit mismatch",
    E0302 => "unknown enum value",
    E0303 => "value must be whole",
    E0308 => "schedule start or end that is not a date and time",
    E0309 => "range whose minimum is above its maximum",
    E0304 => "event pattern value that is not a list of values or filters",
    E0305 => "unknown or malformed content filter in an event pattern",
    E0306 => "malformed numeric filter in an event pattern",
    E0307 => "content filter given the wrong kind of value",
    E0310 => "tag key with the reserved `aws:` prefix",
    E0311 => "two resources of one kind given the same name",
    E0312 => "log retention CloudWatch Logs does not offer",
    E0313 => "CORS method function URLs do not allow",
    E0314 => "JWT issuer that is not an `https://` URL",
    E0315 => "authorizer identity source of the wrong shape",
    E0316 => "custom domain certificate that is not an ACM certificate ARN",
    E0317 => "Kafka topic name that Lambda refuses",
    E0318 => "Kafka consumer group id that Lambda refuses",
    E0319 => "Kafka sign-in secret that Amazon MSK cannot use",
    E0320 => "route scope that no token can carry (empty, or with a space)",
    E0322 => "queue visibility timeout shorter than its function's timeout",
    E0323 => "call with the wrong number of arguments",
    E0324 => "http route that is not `METHOD /path`",
    E0325 => "runtime that Lambda Managed Instances does not run",
    E0326 => "`min_environments` above `max_environments`",
    E0401 => "memory out of range",
    E0402 => "timeout out of range",
    E0403 => "ephemeral storage out of range",
    E0404 => "environment variables over 4 KB",
    E0405 => "environment variable name Lambda reserves",
    E0406 => "provisioned concurrency above reserved concurrency",
    E0407 => "batch size or batching window out of range for the source",
    E0408 => "invalid schedule expression",
    E0409 => "invalid alarm period or evaluation window",
    E0410 => "too many layers",
    E0411 => "function name Lambda refuses",
    E0412 => "runtime that can no longer be created",
    E0413 => "stack over CloudFormation's limits",
    E0414 => "FIFO queue rule broken",
    E0415 => "handler shape wrong for the runtime",
    E0416 => "alarm metric does not apply to this function",
    E0417 => "number out of range",
    E0418 => "ARN of an existing resource is malformed or for another service",
    E0419 => "architecture not supported by the runtime",
    E0420 => "local code that cannot be read or packaged",
    E0421 => "trigger source cannot deliver to a function",
    E0422 => "S3 notification filters overlap",
    E0423 => "reserved concurrency over the account's reservable total",
    E0424 => "two Kafka event source mappings in one consumer group",
    E0427 => "path outside the project root",
    E0428 => "not a regular file",
    E0429 => "source file too large",
    E0430 => "symbolic link out of the code folder, broken or in a loop",
    E0431 => "code folder with nothing to package",
    E0432 => "code folder over Lambda's unzipped size limit",
    E0433 => "route with more scopes than API Gateway allows",
    E0434 => "JWT authorizer with more audiences than API Gateway allows",
    E0435 => "value too large for a template",
    E0436 => "value nested too deeply",
    E0437 => "value must be known when compiling",
    E0438 => "environment variable name of the wrong shape",
    E0440 => "more items in a list than AWS allows",
    E0439 => "dependency cycle in the template",
    E0441 => "placement file line that cannot be read",
    E0443 => "IAM action wildcard over every service",
    E0444 => "IAM action that cannot apply to its resource",
    E0445 => "https subscription to a URL that is not https://",
    E0446 => "control character in a string",
    E0447 => "rule, schedule or group name EventBridge refuses",
    E0448 => "code source its function or layer cannot take",
    E0449 => "S3 location or image URI of the code of the wrong shape",
    E0450 => "layers on a container-image function",
    E0451 => "text longer or shorter than AWS allows",
    E0452 => "empty event pattern",
    E0453 => "function on Managed Instances with less than 2GB of memory",
    E0454 => "function on Managed Instances with text logs",
    E0455 => "provisioned concurrency or SnapStart with Lambda Managed Instances",
    E0456 => "trigger, alarm or `allow` in `defaults`",
    E0457 => "`via` on a trigger that is not http",
    E0458 => "auto-scaled provisioned concurrency without a target",
    E0459 => "trigger without a source",
    E0460 => "layer listed twice",
    E0461 => "cfn-lint reports an error in the emitted template (`check --lint`)",
    E0464 => "list parameter used where one string is expected",
    E0465 => "value that cannot be an item of a list parameter",
    E0468 => "alias name Lambda refuses",
    E0469 => "log level without `format = json`",
    E0470 => "log group name CloudWatch Logs refuses",
    E0471 => "SnapStart on a runtime that does not support it",
    E0472 => "SnapStart together with a setting it excludes",
    E0473 => "code signing configuration ARN of the wrong shape",
    E0474 => "manual runtime updates without a runtime version ARN",
    E0475 => "function runtime not among its layer's runtimes",
    E0476 => "function architecture not among its layer's architectures",
    E0477 => "function and its layers over Lambda's unzipped size limit",
    E0478 => "`vpc` without a subnet or a security group",
    E0479 => "subnet or security group ID of the wrong shape",
    E0480 => "more subnets or security groups than Lambda allows",
    E0481 => "`files` on a function outside a VPC",
    E0482 => "file system mount path Lambda refuses",
    E0483 => "more file systems than Lambda mounts",
    E0490 => "schedule that starts after it ends",
    E0491 => "`pollers` together with `max_concurrency`",
    E0492 => "route given twice on one API",
    E0493 => "two schedules with one name",
    E0484 => "event pattern longer than EventBridge or Lambda accept",
    E0485 => "more filters on one event source than Lambda allows",
    E0486 => "operator that Lambda event filters do not support",
    E0487 => "filter field that the source's records do not have",
    E0488 => "empty list or map inside an event pattern",
    E0489 => "`$or` that is not a list of patterns",
    E0494 => "resource name its service refuses",
    E0495 => "`.fifo` name suffix that disagrees with `fifo`",
    E0496 => "KMS key reference of the wrong shape",
    E0497 => "IAM action that does not exist",
    E0498 => "authorizer cache without an identity source",
    E0499 => "custom domain name that is not a DNS name",
    W0501 => "deprecated runtime still accepted",
    W0502 => "queue visibility timeout under 6 × function timeout",
    W0503 => "http trigger on a function whose timeout exceeds the API's cap",
    W0504 => "alarm that can never fire",
    W0506 => "declared resource never used",
    W0507 => "value that looks like a secret written in plain text",
    W0508 => "provisioned concurrency uses all reserved concurrency",
    W0509 => "reserved concurrency of zero throttles every invocation",
    W0510 => "invisible or bidirectional control character in a string or comment",
    W0511 => "program declares nothing",
    W0521 => "IAM action wildcard over a whole service",
    W0522 => "endpoint that anyone can call without `public = true`",
    W0528 => "parameter never used",
    W0529 => "route segment `:name` is matched literally",
    W0539 => "cfn-lint reports a warning in the emitted template (`check --lint`)",
    W0542 => "`# lamc: ignore` that silences nothing",
    W0543 => "`# lamc: ignore` names an error",
    W0544 => "`# lamc:` comment that cannot be read",
    W0556 => "function that can trigger itself through what it writes (recursive loop)",
    W0545 => "`alias` named but nothing publishes a version",
    W0546 => "`tenancy` on a function with a fixed name",
    W0547 => "dead-letter target on a function nothing invokes asynchronously",
    W0557 => "`start` or `end` on a one-time `at(…)` schedule, which ignores them",
    W0552 => "event pattern without a `source`",
    W0553 => "more filters on one event source than the default quota",
    W0554 => "numeric filter that matches no number",
    W0555 => "event pattern longer than a rule's default quota",
    W0561 => "named stateful resource without `retain`: a rename deletes its data",
    W0562 => "alarm notifies a topic encrypted with the AWS managed key",
    W0564 => "IAM action that supports no resource-level permission, granted on every resource",
    W0565 => "`resource` whose ARN is of a kind lamc declares itself",
    W0568 => "function authorizer whose timeout exceeds API Gateway's wait",
    W0569 => "API throttled to zero requests",
}

/// Facts about a code for listings (`lamc explain --list`).
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: Code,
    pub severity: Severity,
    pub summary: &'static str,
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    pub fn info(self) -> CodeInfo {
        CodeInfo {
            code: self,
            severity: self.severity(),
            summary: self.summary(),
        }
    }

    /// Parse "E0401" / "e0401".
    pub fn parse(s: &str) -> Option<Code> {
        ALL_CODES
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
