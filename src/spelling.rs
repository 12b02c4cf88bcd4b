//! How AWS SAM, CloudFormation and the Serverless Framework write what lamc writes its own
//! way: attribute names (`MemorySize`, `memorySize`, `reservedConcurrency`), rates in words
//! (`rate(5 minutes)`), Express-style route parameters (`/todos/:id`). The parser and the
//! checker use these to answer a foreign spelling with lamc's. (Pseudo parameters,
//! `AWS::Region`, are named once, in [`crate::model::Pseudo`].)

/// A foreign attribute name and what lamc writes instead.
struct Attribute {
    /// The foreign name, lower case, without `_` or `-` (`memorysize`).
    foreign: &'static str,
    /// The lamc attribute it becomes.
    ours: &'static str,
    /// The unit a plain number of the foreign attribute is in (`MemorySize: 1024` is MB).
    unit: Option<&'static str>,
    /// How to write it, when it is more than a new name (`concurrency { reserved = N }`).
    shape: Option<&'static str>,
}

const fn rename(
    foreign: &'static str,
    ours: &'static str,
    unit: Option<&'static str>,
) -> Attribute {
    Attribute {
        foreign,
        ours,
        unit,
        shape: None,
    }
}

const fn reshape(foreign: &'static str, ours: &'static str, shape: &'static str) -> Attribute {
    Attribute {
        foreign,
        ours,
        unit: None,
        shape: Some(shape),
    }
}

/// SAM (`AWS::Serverless::Function` and its events), CloudFormation and serverless.yml
/// names, each applied only where its lamc attribute is allowed. A name may appear twice
/// with different meanings; the first whose lamc attribute is allowed wins.
const ATTRIBUTES: &[Attribute] = &[
    // Functions.
    rename("memorysize", "memory", Some("MB")),
    rename("memory", "memory", Some("MB")),
    rename("timeout", "timeout", Some("s")),
    rename("ephemeralstorage", "storage", Some("MB")),
    rename("ephemeralstoragesize", "storage", Some("MB")),
    rename("architectures", "architecture", None),
    rename("functionname", "name", None),
    rename("codeuri", "code", None),
    reshape("inlinecode", "code", "code = inline(\"\"\"…\"\"\")"),
    reshape("imageuri", "code", "code = image(\"…\")"),
    reshape("image", "code", "code = image(\"…\")"),
    reshape("package", "code", "code = \"src/app\" (a folder lamc zips)"),
    reshape("environment", "env", "env { KEY = \"value\" }"),
    reshape("variables", "env", "env { KEY = \"value\" }"),
    rename("logretentionindays", "log_retention", Some("d")),
    rename("retentionindays", "log_retention", Some("d")),
    reshape(
        "reservedconcurrency",
        "concurrency",
        "concurrency { reserved = N }",
    ),
    reshape(
        "reservedconcurrentexecutions",
        "concurrency",
        "concurrency { reserved = N }",
    ),
    reshape(
        "provisionedconcurrency",
        "concurrency",
        "concurrency { provisioned = N }",
    ),
    reshape(
        "provisionedconcurrencyconfig",
        "concurrency",
        "concurrency { provisioned = N }",
    ),
    reshape(
        "eventinvokeconfig",
        "async",
        "async { retries = N, max_age = 1h, on_failure = queue.NAME }",
    ),
    reshape(
        "destinations",
        "async",
        "async { on_success = queue.NAME, on_failure = queue.NAME }",
    ),
    reshape(
        "deadletterqueue",
        "async",
        "async { on_failure = queue.NAME }",
    ),
    reshape("functionurlconfig", "url", "url { auth = iam }"),
    // Event sources (SQS, Kinesis, DynamoDB).
    rename("batchsize", "batch", None),
    rename("maximumbatchingwindowinseconds", "window", Some("s")),
    rename("maximumbatchingwindow", "window", Some("s")),
    rename("batchwindow", "window", Some("s")),
    rename("maximumconcurrency", "max_concurrency", None),
    reshape("scalingconfig", "max_concurrency", "max_concurrency = N"),
    reshape(
        "functionresponsetypes",
        "report_failures",
        "report_failures = true",
    ),
    rename("functionresponsetype", "report_failures", None),
    rename("startingposition", "start", None),
    rename("bisectbatchonfunctionerror", "bisect", None),
    rename("maximumretryattempts", "retries", None),
    reshape("maximumretryattempts", "async", "async { retries = N }"),
    rename("maximumrecordageinseconds", "max_age", Some("s")),
    rename("maximumeventageinseconds", "max_age", Some("s")),
    reshape("maximumeventage", "async", "async { max_age = 1h }"),
    rename("parallelizationfactor", "parallelization", None),
    reshape("destinationconfig", "on_failure", "on_failure = queue.NAME"),
    rename("filterpolicy", "filter", None),
    rename("scheduleexpressiontimezone", "timezone", None),
    // Queues, topics, buckets, tables, streams.
    rename("visibilitytimeout", "visibility", Some("s")),
    rename("messageretentionperiod", "retention", Some("s")),
    rename("delayseconds", "delay", Some("s")),
    rename("fifoqueue", "fifo", None),
    rename("fifotopic", "fifo", None),
    reshape("redrivepolicy", "dead_letter", "dead_letter = queue.NAME"),
    rename("maxreceivecount", "max_receives", None),
    reshape("versioningconfiguration", "versioning", "versioning = true"),
    reshape("lifecycleconfiguration", "expire", "expire = 30d"),
    reshape("keyschema", "key", "key = { id = string }"),
    reshape("hashkey", "key", "key = { id = string }"),
    reshape("partitionkey", "key", "key = { id = string }"),
    reshape("primarykey", "key", "key = { id = string }"),
    reshape("rangekey", "sort", "sort = { at = number }"),
    reshape("sortkey", "sort", "sort = { at = number }"),
    reshape("streamspecification", "stream", "stream = new_and_old"),
    rename("streamviewtype", "stream", None),
    reshape("timetolivespecification", "ttl", "ttl = \"attribute\""),
    rename("shardcount", "shards", None),
    rename("retentionperiodhours", "retention", Some("h")),
    reshape("streammodedetails", "on_demand", "on_demand = true"),
    // CORS.
    rename("alloworigins", "origins", None),
    rename("allowedorigins", "origins", None),
    rename("allowmethods", "methods", None),
    rename("allowedmethods", "methods", None),
    rename("allowheaders", "headers", None),
    rename("allowedheaders", "headers", None),
    rename("maxage", "max_age", Some("s")),
    rename("corsconfiguration", "cors", None),
];

/// `memorySize` → `memorysize`.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What lamc writes for a foreign attribute name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurAttribute<'k> {
    /// The lamc attribute (`memory`).
    pub name: &'k str,
    /// The unit a plain number is in, for `memory = 1024MB`.
    pub unit: Option<&'static str>,
    /// How it is written when more than the name changes.
    pub shape: Option<&'static str>,
}

/// lamc's attribute for `key` as SAM, CloudFormation or serverless.yml write it
/// (`MemorySize`, `memorySize`, `reservedConcurrency`), or as another case of one of the
/// `allowed` keys (`logRetention`, `Handler`), when that attribute is one of `allowed`.
pub fn attribute<'k>(key: &str, allowed: &[&'k str]) -> Option<OurAttribute<'k>> {
    let written = normalize(key);
    let known = ATTRIBUTES
        .iter()
        .filter(|a| a.foreign == written)
        .find_map(|a| {
            let name = allowed.iter().copied().find(|k| *k == a.ours)?;
            Some(OurAttribute {
                name,
                unit: a.unit,
                shape: a.shape,
            })
        });
    known.or_else(|| {
        let name = allowed.iter().copied().find(|k| normalize(k) == written)?;
        Some(OurAttribute {
            name,
            unit: None,
            shape: None,
        })
    })
}

/// A `Key: value` line of YAML (`MemorySize: 1024`, `Handler: app.handler`) as a lamc
/// attribute (`memory = 1024MB`, `handler = "app.handler"`), when the key is known or
/// only differs in case; a key lamc writes otherwise (`Environment`) stays as written.
pub fn yaml_entry(key: &str, value: &str) -> (String, String) {
    let written = normalize(key);
    let known = ATTRIBUTES
        .iter()
        .find(|a| a.foreign == written && a.shape.is_none());
    let ours = match known {
        Some(a) => a.ours.to_string(),
        None if key.chars().any(|c| c.is_ascii_uppercase()) => snake_case(key),
        None => key.to_string(),
    };
    let unit = known.and_then(|a| a.unit);
    let value = match unit {
        Some(unit) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{value}{unit}")
        }
        _ if QUOTED.contains(&ours.as_str()) => quoted(value),
        _ => value.to_string(),
    };
    (ours, value)
}

/// Attributes whose value is a string, which YAML leaves unquoted.
const QUOTED: &[&str] = &[
    "handler",
    "description",
    "name",
    "prefix",
    "suffix",
    "timezone",
    "ttl",
];

/// YAML's `app.handler` or `'app.handler'` as a lamc string.
fn quoted(value: &str) -> String {
    let inner = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(value);
    if inner.is_empty() || inner.starts_with('"') {
        inner.to_string()
    } else {
        format!("\"{inner}\"")
    }
}

/// `LogRetention` → `log_retention`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// What lamc writes for a permission: it derives each function's role itself.
const ALLOW: &str = "lamc writes each function's role from what it uses; add a permission \
                     with `allow [\"s3:GetObject\"] on bucket.NAME`";

/// Keys of a SAM or serverless.yml function that are not attributes in lamc.
const FUNCTION_KEYS: &[(&str, &str)] = &[
    (
        "events",
        "a trigger is an `on …` line: `on http \"GET /path\"`, `on sqs queue.NAME`, \
         `on schedule rate(5m)`, …",
    ),
    ("iam", ALLOW),
    ("iamrolestatements", ALLOW),
    ("statements", ALLOW),
    ("policies", ALLOW),
    ("role", ALLOW),
];

/// How lamc writes what the key `key` of a SAM or serverless.yml function is for, when
/// lamc has no attribute for it (`Events`, `Policies`, `iamRoleStatements`).
pub fn function_key(key: &str) -> Option<&'static str> {
    let written = normalize(key);
    FUNCTION_KEYS
        .iter()
        .find(|(foreign, _)| *foreign == written)
        .map(|(_, help)| *help)
}

/// The top-level sections of serverless.yml and SAM templates, and lamc's declarations.
const SECTIONS: &[(&str, &str)] = &[
    ("service", "an application is named by `app NAME { … }`"),
    (
        "provider",
        "what every function shares goes in `defaults { runtime = …, memory = … }`",
    ),
    (
        "globals",
        "what every function shares goes in `defaults { runtime = …, memory = … }`",
    ),
    (
        "functions",
        "each function is a declaration of its own: `function NAME { … }`",
    ),
    ("custom", "a constant is a `let`: `let NAME = …`"),
    (
        "parameters",
        "each parameter is a declaration of its own: `param NAME: string`",
    ),
    (
        "outputs",
        "each output is a declaration of its own: `output NAME = …`",
    ),
    (
        "resources",
        "each resource is a declaration of its own: `queue NAME {}`, `bucket NAME {}`, \
         `table NAME { key = { id = string } }`, …",
    ),
];

/// How lamc declares what the top-level section `word` of serverless.yml or a SAM
/// template holds (`service`, `provider`, `Resources`).
pub fn section(word: &str) -> Option<&'static str> {
    let written = normalize(word);
    SECTIONS
        .iter()
        .find(|(foreign, _)| *foreign == written)
        .map(|(_, help)| *help)
}

/// `5 minutes` (EventBridge's `rate(…)` in words) → `5m`.
pub fn rate_duration(written: &str) -> Option<String> {
    let mut words = written.split_whitespace();
    let (Some(number), Some(unit), None) = (words.next(), words.next(), words.next()) else {
        return None;
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let suffix = match unit.to_ascii_lowercase().as_str() {
        "second" | "seconds" | "sec" | "secs" => "s",
        "minute" | "minutes" | "min" | "mins" => "m",
        "hour" | "hours" | "hr" | "hrs" => "h",
        "day" | "days" => "d",
        _ => return None,
    };
    Some(format!("{number}{suffix}"))
}

/// A schedule as SAM and serverless.yml write it, a string (`"rate(5 minutes)"`,
/// `"cron(0 12 * * ? *)"`), in lamc's spelling (`rate(5m)`, `cron("0 12 * * ? *")`).
pub fn schedule_expression(written: &str) -> Option<String> {
    let written = written.trim();
    let (callee, rest) = written.split_once('(')?;
    let inner = rest.strip_suffix(')')?.trim();
    match callee.trim() {
        "rate" => Some(format!("rate({})", rate_duration(inner)?)),
        "cron" | "at" if !inner.contains('"') => Some(format!("{}(\"{inner}\")", callee.trim())),
        _ => None,
    }
}

/// An http path with Express-style parameters (`/todos/:id`, as serverless-http and many
/// frameworks write them) in API Gateway's form (`/todos/{id}`); `None` when it has none.
pub fn route_parameters(path: &str) -> Option<String> {
    let mut changed = false;
    let segments: Vec<String> = path
        .split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) if !name.is_empty() => {
                changed = true;
                format!("{{{name}}}")
            }
            _ => seg.to_string(),
        })
        .collect();
    changed.then(|| segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUNCTION: &[&str] = &[
        "runtime",
        "handler",
        "memory",
        "timeout",
        "concurrency",
        "async",
        "log_retention",
    ];

    /// Every attribute a foreign name is taken for is one of the language's.
    #[test]
    fn foreign_names_lead_to_schema_attributes() {
        for a in ATTRIBUTES {
            let known = crate::schema::blocks().any(|b| b.attr(a.ours).is_some());
            assert!(
                known,
                "`{}` is taken for `{}`, not an attribute",
                a.foreign, a.ours
            );
        }
    }

    #[test]
    fn foreign_attribute_names() {
        let a = attribute("MemorySize", FUNCTION).expect("known");
        assert_eq!((a.name, a.unit), ("memory", Some("MB")));
        assert_eq!(
            attribute("memorySize", FUNCTION).map(|a| a.name),
            Some("memory")
        );
        assert_eq!(
            attribute("Handler", FUNCTION).map(|a| a.name),
            Some("handler")
        );
        assert_eq!(
            attribute("logRetention", FUNCTION).map(|a| a.name),
            Some("log_retention")
        );
        let a = attribute("reservedConcurrency", FUNCTION).expect("known");
        assert_eq!(a.shape, Some("concurrency { reserved = N }"));
        // The same foreign name means the function's async retries here ...
        let a = attribute("MaximumRetryAttempts", FUNCTION).expect("known");
        assert_eq!(a.name, "async");
        // ... and the event source's retries where `retries` is allowed.
        assert_eq!(
            attribute("MaximumRetryAttempts", &["retries", "batch"]).map(|a| a.name),
            Some("retries")
        );
        // Only where the lamc attribute is allowed.
        assert_eq!(attribute("BatchSize", FUNCTION), None);
        assert_eq!(attribute("colour", FUNCTION), None);
    }

    #[test]
    fn yaml_entries() {
        let entry = |k: &str, v: &str| yaml_entry(k, v);
        assert_eq!(
            entry("MemorySize", "1024"),
            ("memory".into(), "1024MB".into())
        );
        assert_eq!(entry("timeout", "30"), ("timeout".into(), "30s".into()));
        assert_eq!(
            entry("Runtime", "python3.12"),
            ("runtime".into(), "python3.12".into())
        );
        assert_eq!(
            entry("Handler", "app.handler"),
            ("handler".into(), "\"app.handler\"".into())
        );
        assert_eq!(
            entry("handler", "'app.handler'"),
            ("handler".into(), "\"app.handler\"".into())
        );
        assert_eq!(
            entry("LogRetention", "14d"),
            ("log_retention".into(), "14d".into())
        );
        assert_eq!(entry("Environment", ""), ("environment".into(), "".into()));
    }

    #[test]
    fn schedules_and_routes() {
        assert_eq!(rate_duration("1 minute").as_deref(), Some("1m"));
        assert_eq!(rate_duration("5 minutes").as_deref(), Some("5m"));
        assert_eq!(rate_duration("5 fortnights"), None);
        assert_eq!(
            schedule_expression("rate(5 minutes)").as_deref(),
            Some("rate(5m)")
        );
        assert_eq!(
            schedule_expression("cron(0 12 * * ? *)").as_deref(),
            Some("cron(\"0 12 * * ? *\")")
        );
        assert_eq!(schedule_expression("every day"), None);
        assert_eq!(
            route_parameters("/todos/:id").as_deref(),
            Some("/todos/{id}")
        );
        assert_eq!(
            route_parameters("/a/:x/b/:y").as_deref(),
            Some("/a/{x}/b/{y}")
        );
        assert_eq!(route_parameters("/todos/{id}"), None);
    }
}
