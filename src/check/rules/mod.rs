//! Limit and best-practice rules over the resolved [`Model`]: one file per concern, each
//! citing the aws-limits.md IDs it enforces (facts not in that catalogue are in
//! `docs/aws-facts.md`).
//!
//! Every rule reads the model only; none of them fails on odd input. Values in the model
//! are already in the unit CloudFormation uses (MB, seconds, milliseconds for alarm
//! duration thresholds, percent 0–100) and keep the span where they were written.

pub mod alarms;
mod apis;
pub(crate) mod arns;
mod capacity;
pub(crate) use arns::example_for as existing_example;
mod code;
pub mod concurrency;
pub mod control;
mod dead_letter;
mod deployment;
mod edits;
mod endpoints;
mod env;
pub mod function;
pub mod handler;
mod iam;
mod kafka;
mod keys;
pub(crate) mod layers;
mod limit;
mod logging;
mod lookup;
mod loops;
mod names;
mod network;
mod open_routes;
mod pollers;
mod resource_names;
pub use open_routes::public_exceptions;
mod resources;
mod routes;
pub mod runtimes;
mod s3;
pub mod schedule;
mod scheduler;
mod scopes;
mod secrets;
mod snap_start;
mod tags;
mod triggers;
mod util;
pub(crate) mod versions;

#[cfg(test)]
pub(crate) mod testkit;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::model::{Function, Model};
use crate::source::{SourceMap, Span};

/// What the rules may consult besides the model.
pub struct RuleContext<'a> {
    /// Runtime lifecycle rules compare against this date.
    pub today: NaiveDate,
    /// The program's files: rules use them to point inside a string (a cron field) and
    /// to write fixes that keep the value's own spelling (quoted or not).
    pub sources: &'a SourceMap,
    /// Where each `let`'s value is written, and the `let`'s name, sorted by span: a value
    /// that came from a `let` keeps the span of the `let`'s value, and rules that judge a
    /// value by its name (W0507) look the `let` up here.
    pub let_values: &'a [(Span, String)],
    /// The account's concurrency quota per region (QT-01): what E0423 counts
    /// reservations against.
    pub account_concurrency: u64,
}

/// Run every rule over the model.
pub fn run(model: &Model, ctx: &RuleContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    run_function(&model.functions, ctx, &mut out);
    run_program(model, ctx, &mut out);
    dedup(&mut out);
    out
}

/// The rules about one function at a time: each reads a function and the context, never
/// another declaration, so what they find in a function depends on it alone. The checker
/// runs them on one function at a time (a slice of one) and keeps the result with the function: the
/// language server reuses it while the function does not change (`check::reuse`).
pub fn run_function(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    handler::check(functions, ctx, out);
    function::check(functions, ctx, out);
    network::check(functions, ctx, out);
    env::check(functions, ctx, out);
    secrets::check(functions, ctx, out);
    code::check(functions, ctx, out);
    versions::check(functions, ctx, out);
    logging::check(functions, ctx, out);
    snap_start::check(functions, ctx, out);
    deployment::check(functions, ctx, out);
    schedule::check(functions, ctx, out);
    pollers::check(functions, ctx, out);
}

/// The rules that read more than one function, or other declarations: run over the whole
/// model on every check (after [`run_function`]; [`dedup`] then keeps one report of each
/// problem).
pub fn run_program(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let indexed = lookup::Lookup::new(model);
    runtimes::check(model, ctx, out);
    layers::check(model, ctx, out);
    capacity::check(model, ctx, out);
    secrets::params(model, out);
    concurrency::check(model, ctx, out);
    dead_letter::check(model, ctx, out);
    triggers::check(&indexed, ctx, out);
    scheduler::check(&indexed, ctx, out);
    kafka::check(model, ctx, out);
    routes::check(model, ctx, out);
    alarms::check(&indexed, ctx, out);
    resources::check(&indexed, ctx, out);
    resource_names::check(model, ctx, out);
    keys::check(model, out);
    tags::check(model, ctx, out);
    names::check(model, ctx, out);
    iam::check(&indexed, ctx, out);
    endpoints::check(&indexed, ctx, out);
    open_routes::check(&indexed, ctx, out);
    apis::check(&indexed, ctx, out);
    loops::check(model, ctx, out);
}

/// A value written once (in `defaults` or a template) is shared by every function that
/// inherits it; report each problem at that place once.
///
/// The message is compared whole, as the problem's identity (two reports that say the same
/// thing at the same place are one), never searched for meaning. Labels are left out on
/// purpose: a shared value's report may name each inheriting function in a second label.
pub(crate) fn dedup(diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeSet::new();
    diags.retain(|d| {
        seen.insert((
            d.code,
            d.primary.span.file,
            d.primary.span.start,
            d.primary.span.end,
            d.message.clone(),
        ))
    });
}
