//! What editors show about the language itself, read from the schema ([`crate::schema`]):
//! the attributes each block takes (meaning, type, allowed range, default), the enum values
//! a key accepts, and the kinds a reference must name.

use crate::check::rules::runtimes;
use crate::check::ALL_KINDS;
use crate::model::{FnMetric, Kind};
use crate::schema::{self, Attr, Ty};

/// Top-level declaration keywords with a one-line meaning: functions and their fragments,
/// the resource kinds, then the rest.
pub fn declarations() -> impl Iterator<Item = (&'static str, &'static str)> {
    // `function`, `template`, `defaults` (see [`schema::DECLARATIONS`]).
    let (fragments, rest) = schema::DECLARATIONS.split_at(3);
    let words = |k: &'static [schema::Keyword]| k.iter().map(|k| (k.word, k.doc));
    words(fragments)
        .chain(schema::RESOURCES.iter().map(|r| (r.kind.as_str(), r.doc)))
        .chain(words(rest))
}

/// Alarm statistics after `METRIC.`: the named ones, then common percentiles.
pub fn statistics() -> impl Iterator<Item = &'static str> {
    schema::STATISTIC
        .iter()
        .chain(schema::STAT_SUGGESTIONS.iter().copied())
}

/// The attributes of a block, by block id: `function` (also templates and `defaults`),
/// `function.concurrency`, a resource kind, `api.cors`, `on.sqs`, `alarm`, `alarm.expr`, …
pub fn attributes(block: &str) -> &'static [Attr] {
    schema::block(block).map_or(&[], |b| b.attrs)
}

/// The enum values a key takes in a block (`runtime`, `architecture`, …), empty when free.
pub fn enum_values(block: &str, key: &str) -> Vec<&'static str> {
    let Some(attr) = attributes(block).iter().find(|a| a.key == key) else {
        return Vec::new();
    };
    match (block, key, attr.ty) {
        ("function", "runtime", _) => runtimes::valid_ids().collect(),
        ("function", "log_retention", _) => schema::LOG_RETENTION.iter().collect(),
        (_, _, Ty::Bool) => vec!["true", "false"],
        _ => attr.words().map(|w| w.iter().collect()).unwrap_or_default(),
    }
}

/// The kinds a reference written as the value of `key` in `block` must name.
pub fn reference_kinds(block: &str, key: &str) -> Vec<Kind> {
    match block {
        // Environment values and outputs take any declaration's attributes.
        "function.env" | "" => ALL_KINDS.to_vec(),
        _ => attributes(block)
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.refs.to_vec())
            .unwrap_or_default(),
    }
}

/// Function metrics, for alarms inside a function and after `function.NAME.`.
pub fn function_metrics() -> impl Iterator<Item = &'static str> {
    FnMetric::ALL.iter().map(|(name, _)| *name)
}

/// The attribute's type as completion and hover show it.
pub fn type_text(attr: &Attr) -> String {
    attr.ty.text(attr)
}

/// Markdown for one attribute.
pub fn attr_markdown(block: &str, attr: &Attr) -> String {
    let mut out = format!(
        "**{}** — {}\n\n*type:* {}",
        attr.key,
        attr.doc,
        type_text(attr)
    );
    let allowed = attr.allowed_text();
    if !allowed.is_empty() {
        out.push_str(&format!("  \n*allowed:* {allowed}"));
    }
    if let Some(required) = attr.required_text() {
        out.push_str(&format!("  \n*{required}*"));
    }
    if let Some(default) = attr.default {
        out.push_str(&format!("  \n*default:* {default}"));
    }
    let title = schema::block(block).map_or_else(|| block.replace('.', " "), |b| b.title());
    out.push_str(&format!("\n\n(in `{title}`)"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_with_enums_has_the_key() {
        for (block, key) in [
            ("function", "runtime"),
            ("function", "log_retention"),
            ("function", "architecture"),
            ("table", "stream"),
            ("on.s3", "events"),
            ("on.kinesis", "start"),
            ("alarm", "missing"),
        ] {
            assert!(attributes(block).iter().any(|d| d.key == key));
            assert!(!enum_values(block, key).is_empty(), "{block}.{key}");
        }
    }

    #[test]
    fn hover_states_the_range_and_default() {
        let timeout = schema::FUNCTION.attr("timeout").expect("timeout");
        let text = attr_markdown("function", timeout);
        assert!(text.contains("1s to 900s"), "{text}");
        assert!(text.contains("*default:* 3s"), "{text}");
        assert!(text.ends_with("(in `function`)"), "{text}");
    }

    #[test]
    fn statistics_are_the_ones_the_checker_takes() {
        assert!(statistics().any(|s| s == "sample_count"));
        assert!(!statistics().any(|s| s == "count"));
    }
}
