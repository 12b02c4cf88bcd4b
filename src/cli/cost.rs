//! `lamc cost FILE`: what the app's provisioned concurrency costs a month, and optionally
//! what invoking each function would, from lamc's price table.

use std::path::PathBuf;

use clap::Args;

use super::{print_text, view, MessageFormat, Reporter, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::driver::CheckOptions;
use crate::insight::cost::{report, Usage};
use crate::insight::prices::{self, Region};
use crate::syntax::ast::{Decimal, Dimension, Quantity, Unit};

const AFTER_HELP: &str = "\
Examples:
  lamc cost app.lam
  lamc cost app.lam --region eu-west-1
  lamc cost app.lam --requests 3000000 --duration 120ms

An estimate from list prices (lamc's table, dated in the output), not a bill. For each
function with provisioned concurrency: its monthly cost (MIN and MAX for an auto-scaled
MIN..MAX), by architecture and memory. With --requests N --duration D: the cost of N
invocations of D each, for every function, with the free tier stated, not subtracted.
An unknown region is a usage error (exit 2) that lists the regions the table has. The app
is checked first: with errors, they are reported and the exit status is 1.";

#[derive(Debug, Args)]
#[command(
    about = "Estimate the monthly cost of provisioned concurrency and invocations",
    after_help = AFTER_HELP
)]
pub(crate) struct CostArgs {
    /// The .lam file.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The region whose prices apply.
    #[arg(long, value_name = "R", default_value = prices::DEFAULT_REGION,
          value_parser = parse_region)]
    region: &'static Region,

    /// Requests a month, for each function (with --duration).
    #[arg(long, value_name = "N", requires = "duration")]
    requests: Option<u64>,

    /// How long each request runs, a lamc duration (`120ms`, `2s`; with --requests).
    #[arg(long, value_name = "D", requires = "requests", value_parser = parse_duration)]
    duration: Option<u64>,
}

pub(crate) fn run(args: &CostArgs, check: &CheckOptions) -> i32 {
    let compiled = match view::checked(&args.file, check) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let Some(model) = compiled.model.as_ref() else {
        return super::EXIT_PROGRAM_ERRORS;
    };
    let usage = match (args.requests, args.duration) {
        (Some(requests), Some(duration_ms)) => Some(Usage {
            requests,
            duration_ms,
        }),
        _ => None,
    };
    match print_text(&report(model, &compiled.sources, args.region, usage)) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            Reporter::new(MessageFormat::Human).error_line(&format!("cannot write: {e}"));
            EXIT_USAGE_OR_IO
        }
    }
}

fn parse_region(s: &str) -> Result<&'static Region, String> {
    prices::region(s.trim())
}

/// A duration as the language writes one (`120ms`, `1.5s`, `2m`), in whole milliseconds.
fn parse_duration(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let quantity = Unit::parse(unit)
        .filter(|u| u.dimension() == Dimension::Duration)
        .and_then(|unit| {
            Some(Quantity {
                value: decimal(number)?,
                unit,
            })
        });
    quantity
        .and_then(Quantity::millis)
        .and_then(|ms| u64::try_from(ms).ok())
        .filter(|ms| *ms > 0)
        .ok_or_else(|| {
            format!("`{s}` is not a duration of whole milliseconds, such as 120ms, 2s or 1.5m")
        })
}

fn decimal(s: &str) -> Option<Decimal> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || frac.contains('.') || frac.len() > 9 {
        return None;
    }
    Some(Decimal {
        digits: format!("{whole}{frac}").parse().ok()?,
        scale: u32::try_from(frac.len()).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_are_lamc_quantities_in_milliseconds() {
        assert_eq!(parse_duration("120ms"), Ok(120));
        assert_eq!(parse_duration("2s"), Ok(2000));
        assert_eq!(parse_duration("1.5m"), Ok(90_000));
        assert!(parse_duration("120").is_err());
        assert!(parse_duration("0ms").is_err());
        assert!(parse_duration("1.5ms").is_err());
        assert!(parse_duration("5MB").is_err());
        assert!(parse_duration("ms").is_err());
    }
}
