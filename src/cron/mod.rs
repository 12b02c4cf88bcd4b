//! Schedule expressions on their own, apart from the checker: the cron grammar (parsing
//! and its problems, typed) and when a schedule fires. The checker's rules
//! (`check::rules::schedule`) and the language server's hover read it.

mod fire;
mod parse;

pub use fire::next_fire_times;
pub use parse::{cron_field_offsets, parse_cron, Cron, CronError, CronProblem, FIELD_NAMES};
