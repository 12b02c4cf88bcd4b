//! The language's vocabulary, once: every block (app, param, function bodies, each resource
//! kind, each trigger kind's options, alarms), every attribute of each (key, type and unit,
//! range, default, enum words with their CloudFormation spelling, a one-line doc, how
//! templates and `defaults` pass it on), the top-level and body keywords, and the numeric
//! limits the rules enforce.
//!
//! Everything here is static data: nothing is built at start-up. Readers: the checker's
//! allowed keys (E0103, E0104) and enum tables, the range rules (through [`limits`]), the
//! language server's completion and hover, and the generated parts of `docs/language.md`
//! and of the editor grammar (`cargo run --no-default-features --example schema_docs`).
//!
//! Adding an attribute: an [`Attr`] entry in its block here; for a function attribute with
//! a CloudFormation path ([`Attr::cfn`]) that is all (the checker lowers it by its type,
//! `check/inherit.rs` merges it, `plan/settings.rs` writes it); otherwise its lowering in
//! `check/`, its slot in `check/inherit.rs` and its CloudFormation in `plan/`. Then its
//! tests. See docs/contributing.md.

mod alarms;
mod function;
mod keywords;
pub mod limits;
pub mod patterns;
pub mod render;
mod resources;
mod triggers;
mod types;

pub use alarms::{
    ALARM, ALARM_EXPR, COMPARISON, COMPARISONS, MISSING_DATA, MISSING_DATA_VALUES, STATISTIC,
    STATISTICS, STAT_SUGGESTIONS,
};
pub use function::{
    architecture_cfn, ARCHITECTURE, ARCHITECTURES, ASYNC, AUTH, AUTH_MODES, CAPACITY, CONCURRENCY,
    CORS, DEFAULT_ALIAS, DURABLE, FUNCTION, INVOKE_MODE_BUFFERED, INVOKE_MODE_STREAM, LOGGING,
    LOG_FORMAT, LOG_LEVEL, LOG_RETENTION, LOG_RETENTION_WORDS, RECURSION, RECURSION_MODES,
    RUNTIME_UPDATES, RUNTIME_UPDATE_MODES, SYSTEM_LOG_LEVEL, TENANCY, TRACING, TRACING_MODES, URL,
    URL_CORS, VPC,
};
pub use keywords::{Keyword, BODY_KEYWORDS, CALLS, DECLARATIONS, OPERATOR_WORDS, UNITS};
pub use resources::{
    exposes, name_rule, resource, Resource, API_CORS, API_DOMAIN, API_THROTTLE, APP, AUTH_JWT,
    FUNCTION_EXPOSES, KEY_TYPE, KEY_TYPES, PARAM, PARAM_TYPES, PARAM_TYPE_WORDS, PAYLOAD, PAYLOADS,
    RESOURCES, STREAM_VIEW, STREAM_VIEWS,
};
pub use triggers::{
    trigger, KafkaSignIn, Trigger, KAFKA_AUTH, KAFKA_AUTH_WORDS, METHODS, S3_EVENT, S3_EVENTS,
    START_POSITION, START_POSITIONS, TRIGGERS,
};
pub use types::{Attr, Block, Merge, Ty, Word, Words};

/// Every block with attributes, by id: `function`, `function.url`, `queue`, `api.cors`,
/// `on.sqs`, `alarm`, … (the ids completion and hover use).
pub fn blocks() -> impl Iterator<Item = &'static Block> {
    [
        &FUNCTION,
        &CONCURRENCY,
        &ASYNC,
        &URL,
        &URL_CORS,
        &LOGGING,
        &VPC,
        &DURABLE,
        &CAPACITY,
        &APP,
        &PARAM,
        &ALARM,
        &ALARM_EXPR,
    ]
    .into_iter()
    .chain(RESOURCES.iter().map(|r| r.block))
    .chain([&API_CORS, &API_DOMAIN, &API_THROTTLE, &AUTH_JWT])
    .chain(TRIGGERS.iter().map(|t| t.block))
}

/// The block with this id (`function` also serves templates and `defaults`).
pub fn block(id: &str) -> Option<&'static Block> {
    blocks().find(|b| b.id == id)
}

#[cfg(test)]
mod tests;
