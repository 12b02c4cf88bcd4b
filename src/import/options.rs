//! The options of the triggers lamc reads from a queue or a stream (`on sqs`, `on dynamodb`,
//! `on kinesis`), one table per spelling, in the form of [`super::settings`]: SAM's event
//! properties (also a CloudFormation event source mapping's, which have the same names) and
//! serverless.yml's event keys. [`settings::options`] reads them.

use serde_json::Value;

use super::intrinsics::number;
use super::resources::{is_true, shown, Writer};
use super::settings::{Conv, Row};
use super::triggers::map_literal;
use crate::model::Kind;
use crate::schema::START_POSITION;

/// SAM's `SQS` event.
pub const SAM_SQS: &[Row] = &[
    Row::new("BatchSize", "batch", Conv::Count),
    Row::new("MaximumBatchingWindowInSeconds", "window", Conv::Seconds),
    Row::new("ScalingConfig", "max_concurrency", Conv::Count).at(&["MaximumConcurrency"]),
    Row::new("FunctionResponseTypes", "", Conv::Option(report_failures)),
    Row::new("FilterCriteria", "", Conv::Option(filter_criteria)),
    Row::new("Enabled", "", Conv::Option(enabled)),
];

/// SAM's `DynamoDB` and `Kinesis` events.
pub const SAM_STREAM: &[Row] = &[
    Row::new("StartingPosition", "start", Conv::Word(&START_POSITION)),
    Row::new("BatchSize", "batch", Conv::Count),
    Row::new("MaximumBatchingWindowInSeconds", "window", Conv::Seconds),
    Row::new("MaximumRetryAttempts", "retries", Conv::Count),
    Row::new("BisectBatchOnFunctionError", "bisect", Conv::Flag),
    Row::new("MaximumRecordAgeInSeconds", "max_age", Conv::Seconds),
    Row::new("ParallelizationFactor", "parallelization", Conv::Count),
    Row::new("DestinationConfig", "", Conv::Option(on_failure)).at(&["OnFailure"]),
    Row::new("FunctionResponseTypes", "", Conv::Option(report_failures)),
    Row::new("FilterCriteria", "", Conv::Option(filter_criteria)),
    Row::new("Enabled", "", Conv::Option(enabled)),
];

/// serverless.yml's `sqs` event.
pub const SERVERLESS_SQS: &[Row] = &[
    Row::new("batchSize", "batch", Conv::Count),
    Row::new("maximumBatchingWindow", "window", Conv::Seconds),
    Row::new("maximumConcurrency", "max_concurrency", Conv::Count),
    Row::new("functionResponseType", "", Conv::Option(report_failures)),
    Row::new("filterPatterns", "", Conv::Option(filter_patterns)),
    Row::new("enabled", "", Conv::Option(enabled)),
];

/// serverless.yml's `stream` event.
pub const SERVERLESS_STREAM: &[Row] = &[
    Row::new("startingPosition", "start", Conv::Word(&START_POSITION)),
    Row::new("batchSize", "batch", Conv::Count),
    Row::new("maximumRetryAttempts", "retries", Conv::Count),
    Row::new("parallelizationFactor", "parallelization", Conv::Count),
    Row::new("batchWindow", "window", Conv::Seconds),
    Row::new("maximumRecordAgeInSeconds", "max_age", Conv::Seconds),
    Row::new("bisectBatchOnFunctionError", "bisect", Conv::Flag),
    Row::new("functionResponseType", "", Conv::Option(report_failures)),
    Row::new("filterPatterns", "", Conv::Option(filter_patterns)),
    Row::new("enabled", "", Conv::Option(enabled)),
];

/// SAM's `MSK` event (its `Stream`, `Topics` and `SourceAccessConfigurations` name
/// declarations: [`kafka_topic`] and [`kafka_auth`] read them).
pub const SAM_MSK: &[Row] = &[
    Row::new("StartingPosition", "start", Conv::Option(kafka_start)),
    Row::new("BatchSize", "batch", Conv::Count),
    Row::new("MaximumBatchingWindowInSeconds", "window", Conv::Seconds),
    Row::new("ConsumerGroupId", "consumer_group", Conv::Quoted),
    Row::new("ProvisionedPollerConfig", "pollers", Conv::Option(pollers)),
    Row::new("FilterCriteria", "", Conv::Option(filter_criteria)),
    Row::new("Enabled", "", Conv::Option(enabled)),
];

/// serverless.yml's `msk` event (its `arn` and `topic` are read by the event).
pub const SERVERLESS_MSK: &[Row] = &[
    Row::new("startingPosition", "start", Conv::Option(kafka_start)),
    Row::new("batchSize", "batch", Conv::Count),
    Row::new("maximumBatchingWindow", "window", Conv::Seconds),
    Row::new("consumerGroupId", "consumer_group", Conv::Quoted),
    Row::new("saslScram512", "auth", Conv::Option(scram_secret)),
    Row::new("filterPatterns", "", Conv::Option(filter_patterns)),
    Row::new("enabled", "", Conv::Option(enabled)),
];

/// The keys a table reads, with the trigger's own (`Queue`, `arn`, …).
pub fn read<'a>(rows: &'a [Row], own: &'a [&'a str]) -> Vec<&'a str> {
    own.iter()
        .copied()
        .chain(rows.iter().map(|r| r.key))
        .collect()
}

/// `ReportBatchItemFailures`, alone or in a list.
fn report_failures(_: &Writer, v: &Value) -> Result<Option<String>, String> {
    let listed = match v {
        Value::Array(items) => items.iter().any(|i| i == "ReportBatchItemFailures"),
        other => other == "ReportBatchItemFailures",
    };
    Ok(listed.then(|| "report_failures = true".to_string()))
}

/// SAM's and CloudFormation's `FilterCriteria`: `{Filters: [{Pattern: "JSON text"}]}`.
fn filter_criteria(_: &Writer, v: &Value) -> Result<Option<String>, String> {
    let patterns: Option<Vec<Value>> = v
        .get("Filters")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    let text = f.get("Pattern")?.as_str()?;
                    serde_json::from_str(text).ok()
                })
                .collect()
        })
        .and_then(|p: Option<Vec<Value>>| p);
    let patterns = patterns.ok_or_else(|| format!("{} (a pattern lamc cannot read)", shown(v)))?;
    filter(&patterns, v)
}

/// serverless.yml's `filterPatterns`: a list of patterns.
fn filter_patterns(_: &Writer, v: &Value) -> Result<Option<String>, String> {
    let patterns = v.as_array().ok_or_else(|| shown(v))?;
    filter(patterns, v)
}

/// `filter = { … }` for one pattern, `filter = [{ … }, …]` for more.
fn filter(patterns: &[Value], v: &Value) -> Result<Option<String>, String> {
    let maps: Option<Vec<String>> = patterns
        .iter()
        .map(|p| {
            let nonempty = p.as_object().is_some_and(|m| !m.is_empty());
            nonempty.then(|| map_literal(p)).flatten()
        })
        .collect();
    match maps.as_deref() {
        None | Some([]) => Err(format!("{} (a pattern lamc cannot read)", shown(v))),
        Some([one]) => Ok(Some(format!("filter = {one}"))),
        Some(many) => Ok(Some(format!("filter = [{}]", many.join(", ")))),
    }
}

/// A disabled mapping: lamc's queue, stream and Kafka triggers take no `enabled` (only schedules
/// and event rules do), so the mapping is created enabled and the comment says so.
fn enabled(_: &Writer, v: &Value) -> Result<Option<String>, String> {
    if is_true(v) {
        Ok(None)
    } else {
        Err(format!(
            "{}: lamc's queue, stream and Kafka triggers have no `enabled`; the mapping is created enabled",
            shown(v)
        ))
    }
}

/// Where an MSK mapping starts: `LATEST` or `TRIM_HORIZON` (lamc's `start` has no
/// `AT_TIMESTAMP`: the value and its `StartingPositionTimestamp` stay comments).
fn kafka_start(_: &Writer, v: &Value) -> Result<Option<String>, String> {
    let word = v.as_str().and_then(|s| START_POSITION.word_for(s));
    match word {
        Some(w) => Ok(Some(format!("start = {w}"))),
        None => Err(format!(
            "{}: lamc's `start` is {}",
            shown(v),
            START_POSITION.joined(" or ")
        )),
    }
}

/// `ProvisionedPollerConfig {MinimumPollers, MaximumPollers}` → `pollers = MIN..MAX`.
fn pollers(_: &Writer, v: &Value) -> Result<Option<String>, String> {
    let min = v.get("MinimumPollers").and_then(number);
    let max = v.get("MaximumPollers").and_then(number);
    match (min, max) {
        (Some(min), Some(max)) => Ok(Some(format!("pollers = {min}..{max}"))),
        _ => Err(format!(
            "{} (lamc writes both ends: `pollers = MIN..MAX`)",
            shown(v)
        )),
    }
}

/// serverless.yml's `saslScram512`: the secret declared for it (see `serverless::declare`).
fn scram_secret(w: &Writer, v: &Value) -> Result<Option<String>, String> {
    match w.scope.source(v).filter(|t| t.kind == Kind::Secret) {
        Some(t) => Ok(Some(format!("auth = {}", t.path()))),
        None => Err(format!("{} (a secret lamc cannot name)", shown(v))),
    }
}

/// A stream trigger's failure destination: a queue or topic of the program.
fn on_failure(w: &Writer, d: &Value) -> Result<Option<String>, String> {
    match d.get("Destination").and_then(|v| w.scope.target(v)) {
        Some(t) if matches!(t.kind, Kind::Queue | Kind::Topic) => {
            Ok(Some(format!("on_failure = {}", t.path())))
        }
        _ => Err(shown(d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::settings::options;
    use crate::import::testkit::declared;
    use crate::import::write::Notes;
    use serde_json::json;

    #[test]
    fn trigger_rows_write_the_schemas_options() {
        use crate::import::settings::tests::rows_speak_the_schema;
        for (rows, block) in [
            (SAM_SQS, "on.sqs"),
            (SERVERLESS_SQS, "on.sqs"),
            (SAM_STREAM, "on.dynamodb"),
            (SAM_STREAM, "on.kinesis"),
            (SERVERLESS_STREAM, "on.kinesis"),
            (SAM_MSK, "on.kafka"),
            (SERVERLESS_MSK, "on.kafka"),
        ] {
            rows_speak_the_schema(rows, block);
        }
    }

    #[test]
    fn both_spellings_give_the_same_options_and_name_what_does_not_come_across() {
        let scope = declared(&[("Failed", Kind::Queue, "failed")]);
        let mut notes = Notes::default();
        let mut w = Writer::new(&scope, &mut notes);
        let sam = json!({"StartingPosition": "LATEST", "BatchSize": 50, "BisectBatchOnFunctionError": true,
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Failed", "Arn"]}}},
            "FunctionResponseTypes": ["ReportBatchItemFailures"], "ParallelizationFactor": "many"});
        let got = options(
            SAM_STREAM,
            &mut w,
            sam.as_object().expect("map"),
            "Events.E",
        );
        assert_eq!(
            got,
            [
                "start = latest",
                "batch = 50",
                "bisect = true",
                "on_failure = queue.failed",
                "report_failures = true"
            ]
        );
        let sls = json!({"batchSize": 5, "maximumBatchingWindow": 10, "functionResponseType": "ReportBatchItemFailures", "enabled": false});
        let got = options(
            SERVERLESS_SQS,
            &mut w,
            sls.as_object().expect("map"),
            "events[0]",
        );
        assert_eq!(got, ["batch = 5", "window = 10s", "report_failures = true"]);
        assert_eq!(
            notes.skipped,
            [
                "Events.E: ParallelizationFactor (a value lamc must know: many)",
                "events[0]: enabled (false: lamc's queue, stream and Kafka triggers have no `enabled`; the mapping is created enabled)"
            ]
        );
    }
}
