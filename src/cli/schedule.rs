//! `lamc schedule FILE`: the next firings of every schedule of the app.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use clap::Args;

use super::{print_text, view, MessageFormat, Reporter, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::driver::CheckOptions;
use crate::insight::schedule::{calendar, Window};

const AFTER_HELP: &str = "\
Examples:
  lamc schedule app.lam
  lamc schedule app.lam --from 2027-03-27 --count 10

For each `on schedule` trigger: the function, the line, the expression, whether an
EventBridge rule (UTC) or an EventBridge Scheduler schedule (a time zone, or `at`) runs
it, and its next firings in its time zone and in UTC. A local time that a daylight-saving
change skips or repeats is called out with what the Scheduler does then; a one-time
`at(…)` schedule in the past is flagged. The app is checked first: with errors, they are
reported and the exit status is 1.";

#[derive(Debug, Args)]
#[command(
    about = "List the next firings of every schedule, in its time zone and in UTC",
    after_help = AFTER_HELP
)]
pub(crate) struct ScheduleArgs {
    /// The .lam file.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// List firings after this instant (UTC): YYYY-MM-DD (midnight) or
    /// YYYY-MM-DDTHH:MM[:SS] [default: now].
    #[arg(long, value_name = "DATE", value_parser = parse_from)]
    from: Option<DateTime<Utc>>,

    /// How many firings of each schedule.
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    count: u16,
}

pub(crate) fn run(args: &ScheduleArgs, check: &CheckOptions) -> i32 {
    let compiled = match view::checked(&args.file, check) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let Some(model) = compiled.model.as_ref() else {
        return super::EXIT_PROGRAM_ERRORS;
    };
    let window = Window {
        from: args.from.unwrap_or_else(Utc::now),
        count: usize::from(args.count),
    };
    let text = calendar(model, &compiled.sources, window);
    match print_text(&text) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            Reporter::new(MessageFormat::Human).error_line(&format!("cannot write: {e}"));
            EXIT_USAGE_OR_IO
        }
    }
}

fn parse_from(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("`{s}` is not YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC)"))
}

#[cfg(test)]
mod tests {
    use super::parse_from;

    #[test]
    fn from_takes_a_date_or_a_utc_time() {
        let day = parse_from("2027-03-27").map(|t| t.to_rfc3339());
        assert_eq!(day.as_deref(), Ok("2027-03-27T00:00:00+00:00"));
        let t = parse_from("2027-03-27T10:30Z").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Ok("2027-03-27T10:30:00+00:00"));
        assert!(parse_from("27/03/2027").is_err());
    }
}
