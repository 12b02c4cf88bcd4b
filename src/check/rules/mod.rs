//! Limit and best-practice rules over the resolved [`Model`]: one file per concern, each
//! citing the aws-limits.md IDs it enforces.

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::model::Model;
use crate::source::SourceMap;

/// What the rules may consult besides the model.
pub struct RuleContext<'a> {
    /// Runtime lifecycle rules compare against this date.
    pub today: NaiveDate,
    /// The program's files (e.g. to resolve nothing further; kept for rules that quote source).
    pub sources: &'a SourceMap,
}

/// Run every rule over the model.
pub fn run(model: &Model, ctx: &RuleContext) -> Vec<Diagnostic> {
    let _ = (model, ctx);
    Vec::new()
}
