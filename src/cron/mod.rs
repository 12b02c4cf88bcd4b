//! Schedule expressions on their own, apart from the checker: the cron grammar (parsing
//! and its problems, typed) and when a schedule fires. The checker's rules
//! (`check::rules::schedule`) and the language server's hover read it.

mod expression;
mod fire;
mod parse;

pub use expression::{expression, rate_expression, schedule_date, uses_scheduler};
pub use fire::{firings, next_fire_times, zone, DstCase, Firing};
pub use parse::{cron_field_offsets, parse_cron, Cron, CronError, CronProblem, FIELD_NAMES};
