//! Views of a checked app that deploy nothing: when its schedules fire (`lamc schedule`),
//! what it is made of and what may write where (`lamc graph`), and its diagnostics as SARIF
//! for code-scanning tools. Each view is one module that turns the model (and the plan's
//! placement) into text; the command line prints it.

pub mod cost;
pub mod graph;
pub mod lint;
pub mod prices;
pub mod schedule;
