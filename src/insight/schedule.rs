//! The schedule calendar: each `on schedule` trigger with the service that runs it and its
//! next firings, in its time zone and in UTC, with the local times a daylight-saving change
//! skips or repeats called out (SCH-13) and one-time schedules in the past flagged.

use std::fmt::Write;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::cron::{self, DstCase, Firing};
use crate::model::{DeployStr, Model, Schedule, TriggerKind, S};
use crate::source::{SourceMap, Span};

/// What the calendar covers.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Firings strictly after this instant are listed.
    pub from: DateTime<Utc>,
    /// How many firings per schedule.
    pub count: usize,
}

/// One `on schedule` trigger, as the calendar lists it.
struct Entry<'a> {
    function: &'a str,
    span: Span,
    expr: &'a Schedule,
    zone: Option<&'a str>,
    enabled: bool,
    /// EventBridge Scheduler rather than a rule.
    scheduler: bool,
    /// `start` and `end` of a recurring schedule, when written as literals (SCH-06).
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
}

/// The calendar of every schedule in `model`, in declaration order.
pub fn calendar(model: &Model, sources: &SourceMap, window: Window) -> String {
    let entries = entries(model);
    let mut out = String::new();
    let from = window.from.format("%Y-%m-%d %H:%M UTC");
    if entries.is_empty() {
        let _ = writeln!(out, "No schedules.");
        return out;
    }
    let _ = writeln!(
        out,
        "Next {} firings of each schedule after {from}:",
        window.count
    );
    let mut dst_seen = false;
    for entry in &entries {
        out.push('\n');
        dst_seen |= write_entry(&mut out, entry, sources, window);
    }
    if dst_seen {
        out.push_str(DST_NOTE);
    }
    out
}

/// Said once under a calendar that shows a daylight-saving case.
const DST_NOTE: &str = "\n\
EventBridge Scheduler (SCH-13): a local time that the clocks skip does not fire; one that\n\
they pass twice fires once (shown at its first occurrence). A rate counts elapsed time.\n";

fn entries(model: &Model) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for f in &model.functions {
        for t in &f.triggers {
            if let TriggerKind::Schedule {
                expr,
                timezone,
                enabled,
                options,
                ..
            } = &t.kind
            {
                // SCH-14: a one-time schedule ignores its start and end.
                let recurring = !matches!(expr.value, Schedule::At(_));
                let date = |d: &Option<S<DeployStr>>| {
                    let text = d.as_ref()?.value.as_literal()?;
                    cron::schedule_date(text)
                        .map(|n| n.and_utc())
                        .filter(|_| recurring)
                };
                out.push(Entry {
                    function: &f.name.value,
                    span: t.span,
                    expr: &expr.value,
                    zone: timezone.as_ref().map(|z| z.value.as_str()),
                    enabled: enabled.as_ref().is_none_or(|e| e.value),
                    scheduler: t.kind.uses_scheduler(),
                    start: date(&options.start),
                    end: date(&options.end),
                });
            }
        }
    }
    out
}

/// One schedule's block; whether it showed a daylight-saving case.
fn write_entry(out: &mut String, e: &Entry, sources: &SourceMap, window: Window) -> bool {
    let file = sources.get(e.span.file);
    let line = file.line_col(e.span.start).line;
    let _ = writeln!(
        out,
        "{} ({}:{line})  {}",
        e.function,
        file.name,
        cron::expression(e.expr)
    );
    let service = if e.scheduler {
        "EventBridge Scheduler schedule"
    } else {
        "EventBridge rule"
    };
    let disabled = if e.enabled {
        ""
    } else {
        ", disabled (enabled = false): these are the times it would fire"
    };
    let _ = writeln!(out, "  {service}, {}{disabled}", e.zone.unwrap_or("UTC"));
    if matches!(e.expr, Schedule::Rate(_)) {
        let _ = writeln!(
            out,
            "  (a rate counts from when it is deployed; here from the start)"
        );
    }
    let zone = match cron::zone(e.zone) {
        Ok(z) => z,
        Err(why) => {
            let _ = writeln!(out, "  cannot list its firings: {why}");
            return false;
        }
    };
    if e.start.is_some() || e.end.is_some() {
        let _ = writeln!(out, "  {}", between(e.start, e.end));
    }
    let firings = match listed_firings(e, window) {
        Ok(f) => f,
        Err(why) => {
            let _ = writeln!(out, "  cannot list its firings: {why}");
            return false;
        }
    };
    if firings.is_empty() {
        let _ = writeln!(
            out,
            "    no firing after {}",
            window.from.format("%Y-%m-%d")
        );
    }
    let mut dst_seen = false;
    for firing in &firings {
        dst_seen |= firing.dst != DstCase::Normal;
        let _ = writeln!(out, "    {}", firing_line(firing, zone, window.from));
    }
    dst_seen
}

/// The firings the calendar lists: after the window's start and the schedule's `start`,
/// none after its `end` (SCH-06).
fn listed_firings(e: &Entry, window: Window) -> Result<Vec<Firing>, String> {
    let from = match e.start {
        // Firings are listed strictly after `from`; one at `start` itself counts.
        Some(start) => window.from.max(start - chrono::Duration::seconds(1)),
        None => window.from,
    };
    let firings = cron::firings(e.expr, e.zone, from, window.count)?;
    Ok(firings
        .into_iter()
        .filter(|f| e.end.is_none_or(|end| f.utc.is_none_or(|u| u <= end)))
        .collect())
}

/// `fires from 2027-01-01 00:00 UTC until 2027-12-31 00:00 UTC`.
fn between(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> String {
    let at = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    match (start, end) {
        (Some(s), Some(e)) => format!("fires from {} until {}", at(s), at(e)),
        (Some(s), None) => format!("fires from {}", at(s)),
        (None, Some(e)) => format!("fires until {}", at(e)),
        (None, None) => String::new(),
    }
}

/// `2027-10-31 Sun 02:30 CEST  = 2027-10-31 00:30 UTC  occurs twice …`; a UTC schedule
/// shows the time once.
fn firing_line(f: &Firing, zone: Tz, from: DateTime<Utc>) -> String {
    let Some(utc) = f.utc else {
        return format!(
            "{} {:6} does not exist (the clocks go forward): skipped",
            wall(f.local),
            ""
        );
    };
    let mut line = if zone == Tz::UTC {
        format!("{} UTC", wall(f.local))
    } else {
        let abbrev = utc.with_timezone(&zone).format("%Z").to_string();
        format!(
            "{} {abbrev:<6} = {} UTC",
            wall(f.local),
            utc.format("%Y-%m-%d %H:%M")
        )
    };
    if f.dst == DstCase::Repeated {
        line.push_str("  occurs twice (the clocks go back): fires once");
    }
    if utc <= from {
        line.push_str("  in the past: a one-time schedule that will not fire");
    }
    line
}

fn wall(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %a %H:%M").to_string()
}

/// The next `count` firings of one schedule after `from`, on one line for an editor:
/// `Sat 2026-11-28 02:30 CET · …`; a local time a daylight-saving change skips or repeats
/// is marked (SCH-13). An error says why they cannot be listed.
pub fn next_firings_line(
    expr: &Schedule,
    zone: Option<&str>,
    from: DateTime<Utc>,
    count: usize,
) -> Result<String, String> {
    let tz = cron::zone(zone)?;
    let firings = cron::firings(expr, zone, from, count)?;
    if firings.is_empty() {
        return Ok(format!("no firing after {}", from.format("%Y-%m-%d")));
    }
    let items: Vec<String> = firings.iter().map(|f| short_firing(f, tz)).collect();
    Ok(items.join(" · "))
}

fn short_firing(f: &Firing, zone: Tz) -> String {
    let when = f.local.format("%a %Y-%m-%d %H:%M");
    match (f.utc, f.dst) {
        (None, _) => format!("{when} skipped (clocks go forward)"),
        (Some(utc), dst) => {
            let abbrev = utc.with_timezone(&zone).format("%Z");
            let twice = if dst == DstCase::Repeated {
                " (occurs twice, fires once)"
            } else {
                ""
            };
            format!("{when} {abbrev}{twice}")
        }
    }
}
