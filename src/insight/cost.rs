//! What an app's functions cost a month, estimated from lamc's price table
//! ([`super::prices`]): the standing cost of provisioned concurrency (its range when auto
//! scaling moves it), and, given a request count and a duration, the cost of invoking each
//! function. An estimate from list prices, and every rendering says so.

use std::fmt::Write;

use super::prices::{self, Region, FREE_GB_SECONDS, FREE_REQUESTS, SECONDS_PER_MONTH};
use crate::files::read::thousands;
use crate::model::{Architecture, Function, Model, Provisioned};
use crate::source::SourceMap;

/// A monthly amount in USD, as a range (equal ends when fixed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

/// Why a function's provisioned concurrency cannot be priced.
#[derive(Debug, Clone, PartialEq)]
pub enum Unpriced {
    /// The table has no provisioned rate for this architecture in this region.
    NoRate {
        region: &'static str,
        arch: Architecture,
    },
}

impl std::fmt::Display for Unpriced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unpriced::NoRate { region, arch } => write!(
                f,
                "lamc's price table has no {} provisioned-concurrency rate for {region}",
                arch_name(*arch)
            ),
        }
    }
}

pub fn arch_name(arch: Architecture) -> &'static str {
    crate::schema::architecture_cfn(arch)
}

/// The function's architecture, Lambda's default (x86_64) when not set.
pub fn architecture(f: &Function) -> Architecture {
    f.architecture
        .as_ref()
        .map_or(Architecture::X86_64, |a| a.value)
}

/// Configured memory in GB (Lambda bills 1 GB = 1,024 MB).
fn gigabytes(f: &Function) -> f64 {
    f.memory_mb() as f64 / 1024.0
}

/// The provisioned concurrency range (MIN..MAX, or N..N), when the function has one.
pub fn provisioned_range(f: &Function) -> Option<(u64, u64)> {
    let p = f.concurrency.as_ref()?.provisioned.as_ref()?;
    Some(match p.value {
        Provisioned::Fixed(n) => (n, n),
        Provisioned::Auto { min, max, .. } => (min, max),
    })
}

/// The monthly cost of keeping the function's provisioned concurrency ready (used or
/// not), `None` without provisioned concurrency.
pub fn provisioned_monthly(f: &Function, region: &Region) -> Option<Result<Range, Unpriced>> {
    let (min, max) = provisioned_range(f)?;
    let arch = architecture(f);
    let Some(rate) = region.rates(arch).provisioned else {
        return Some(Err(Unpriced::NoRate {
            region: region.name,
            arch,
        }));
    };
    let per_instance = gigabytes(f) * SECONDS_PER_MONTH * rate;
    Some(Ok(Range {
        min: min as f64 * per_instance,
        max: max as f64 * per_instance,
    }))
}

/// How much a function is invoked a month, for the on-demand estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub requests: u64,
    /// Milliseconds each invocation runs (billed per 1 ms).
    pub duration_ms: u64,
}

/// The cost of `usage` for one function: requests and duration (the duration at the
/// provisioned rate when the function has provisioned concurrency, assuming it serves
/// them all). The free tier is not subtracted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Invocations {
    pub requests: f64,
    pub duration: f64,
    pub gb_seconds: f64,
    /// Whether the duration was priced at the provisioned rate.
    pub provisioned_rate: bool,
}

pub fn invocations(f: &Function, region: &Region, usage: Usage) -> Result<Invocations, Unpriced> {
    let arch = architecture(f);
    let rates = region.rates(arch);
    let gb_seconds = usage.requests as f64 * usage.duration_ms as f64 / 1000.0 * gigabytes(f);
    let (rate, provisioned_rate) = if provisioned_range(f).is_some() {
        let rate = rates.provisioned_duration.ok_or(Unpriced::NoRate {
            region: region.name,
            arch,
        })?;
        (rate, true)
    } else {
        (rates.duration, false)
    };
    Ok(Invocations {
        requests: usage.requests as f64 * region.request,
        duration: gb_seconds * rate,
        gb_seconds,
        provisioned_rate,
    })
}

/// `$1,234.56`.
pub fn dollars(amount: f64) -> String {
    let cents = (amount * 100.0).round() as u128;
    format!("${}.{:02}", thousands(cents / 100), cents % 100)
}

/// `$61.02` or `$61.02 – $610.16`.
pub fn range_text(r: Range) -> String {
    if dollars(r.min) == dollars(r.max) {
        dollars(r.min)
    } else {
        format!("{} – {}", dollars(r.min), dollars(r.max))
    }
}

/// The report `lamc cost` prints.
pub fn report(model: &Model, sources: &SourceMap, region: &Region, usage: Option<Usage>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Estimated monthly cost in {} (an estimate from list prices, not a bill)",
        region.name
    );
    let _ = writeln!(
        out,
        "Prices: lamc's table of {} (USD; {}); a month is 730 hours.",
        prices::TABLE_DATE,
        prices::SOURCES[0]
    );
    let _ = writeln!(
        out,
        "Not included: taxes, discounts (Savings Plans), logs, and the other services the app uses."
    );
    out.push('\n');
    write_provisioned(&mut out, model, sources, region);
    if let Some(usage) = usage {
        out.push('\n');
        write_invocations(&mut out, model, region, usage);
    }
    out
}

fn describe(f: &Function) -> String {
    format!("{}, {} MB", arch_name(architecture(f)), f.memory_mb())
}

fn write_provisioned(out: &mut String, model: &Model, sources: &SourceMap, region: &Region) {
    let with: Vec<&Function> = model
        .functions
        .iter()
        .filter(|f| provisioned_range(f).is_some())
        .collect();
    if with.is_empty() {
        let _ = writeln!(
            out,
            "Provisioned concurrency: none (no function has a standing cost)."
        );
        return;
    }
    let _ = writeln!(
        out,
        "Provisioned concurrency (billed while configured, used or not):"
    );
    let mut total = Range { min: 0.0, max: 0.0 };
    let mut complete = true;
    let mut rows = Vec::new();
    for f in &with {
        let (min, max) = provisioned_range(f).unwrap_or_default();
        let count = if min == max {
            format!("{min} ready")
        } else {
            format!("{min}..{max} ready (auto-scaled)")
        };
        let place = sources.get(f.name.span.file);
        let line = place.line_col(f.name.span.start).line;
        let price = match provisioned_monthly(f, region) {
            Some(Ok(r)) => {
                total.min += r.min;
                total.max += r.max;
                range_text(r)
            }
            Some(Err(why)) => {
                complete = false;
                format!("not priced: {why}")
            }
            None => String::new(),
        };
        rows.push([
            format!("{} ({}:{line})", f.name.value, place.name),
            format!("{}, {count}", describe(f)),
            price,
        ]);
    }
    rows.push([total_label(complete), String::new(), range_text(total)]);
    write_rows(out, &rows);
}

fn total_label(complete: bool) -> String {
    if complete {
        "total"
    } else {
        "total of those priced"
    }
    .to_string()
}

fn write_invocations(out: &mut String, model: &Model, region: &Region, usage: Usage) {
    let _ = writeln!(
        out,
        "Invocations: {} requests of {}ms a month, for each function:",
        thousands(usage.requests),
        thousands(usage.duration_ms)
    );
    let mut rows = Vec::new();
    let mut total = 0.0;
    let mut complete = true;
    for f in &model.functions {
        let price = match invocations(f, region, usage) {
            Ok(inv) => {
                total += inv.requests + inv.duration;
                let rate = if inv.provisioned_rate {
                    " (provisioned rate)"
                } else {
                    ""
                };
                format!(
                    "requests {} + duration {}{rate} = {}",
                    dollars(inv.requests),
                    dollars(inv.duration),
                    dollars(inv.requests + inv.duration)
                )
            }
            Err(why) => {
                complete = false;
                format!("not priced: {why}")
            }
        };
        rows.push([f.name.value.clone(), describe(f), price]);
    }
    rows.push([total_label(complete), String::new(), dollars(total)]);
    write_rows(out, &rows);
    let _ = writeln!(
        out,
        "Free tier, not subtracted: {} requests and {} GB-seconds a month for the whole \
         account (both architectures together); it does not apply to functions with \
         provisioned concurrency.",
        thousands(FREE_REQUESTS),
        thousands(FREE_GB_SECONDS)
    );
}

/// Rows of three columns, the first two padded to their widest cell.
fn write_rows(out: &mut String, rows: &[[String; 3]]) {
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1));
    for [a, b, c] in rows {
        let line = format!("  {a:<w0$}  {b:<w1$}  {c}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_rounded_to_cents_with_separators() {
        assert_eq!(dollars(0.0), "$0.00");
        assert_eq!(dollars(1234567.891), "$1,234,567.89");
        assert_eq!(dollars(0.005), "$0.01");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(thousands(1000u64), "1,000");
    }

    #[test]
    fn a_range_with_equal_ends_is_one_amount() {
        assert_eq!(range_text(Range { min: 2.0, max: 2.0 }), "$2.00");
        assert_eq!(
            range_text(Range {
                min: 2.0,
                max: 20.0
            }),
            "$2.00 – $20.00"
        );
    }
}
