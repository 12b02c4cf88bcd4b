//! When a schedule fires: the next times of a `rate`, `cron` or `at` expression in a time
//! zone (hover in editors shows them; `lamc schedule` lists them with the local times that
//! a daylight-saving change skips or repeats).

use chrono::offset::LocalResult;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::model::Schedule;

use super::parse::{parse_cron, Cron, YEAR_MAX, YEAR_MIN};

fn days_in_month(y: i32, m: u32) -> u32 {
    let first_next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    first_next
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

fn is_weekday(date: NaiveDate) -> bool {
    date.weekday().num_days_from_monday() < 5
}

impl Cron {
    fn day_matches(&self, date: NaiveDate) -> bool {
        let d = date.day();
        let last = days_in_month(date.year(), date.month());
        let dow = date.weekday().num_days_from_sunday() + 1; // 1 = SUN
        let dom_ok = {
            let s = &self.dom;
            s.any
                || s.set.get((d - 1) as usize).copied().unwrap_or(false)
                || (s.last && d == last)
                || (s.last_weekday
                    && is_weekday(date)
                    && (d + 1..=last).all(|x| date.with_day(x).is_none_or(|n| !is_weekday(n))))
                || s.nearest_weekday
                    .iter()
                    .any(|&n| nearest_weekday(date, n) == Some(d))
        };
        let dow_ok = {
            let s = &self.dow;
            s.any
                || s.set.get((dow - 1) as usize).copied().unwrap_or(false)
                || (s.last && dow == 7)
                || s.last_of.iter().any(|&w| w == dow && d + 7 > last)
                || s.nth.iter().any(|&(w, n)| w == dow && (d - 1) / 7 + 1 == n)
        };
        dom_ok && dow_ok
    }
}

/// The weekday nearest to day `n` of `date`'s month, not leaving the month: a Saturday
/// moves to Friday (or Monday when it is the 1st), a Sunday to Monday (or Friday when it
/// is the last day).
fn nearest_weekday(date: NaiveDate, n: u32) -> Option<u32> {
    let target = date.with_day(n)?;
    let last = days_in_month(date.year(), date.month());
    Some(match target.weekday().num_days_from_monday() {
        5 if n == 1 => 3,
        5 => n - 1,
        6 if n == last => n.checked_sub(2)?,
        6 => n + 1,
        _ => n,
    })
}

/// What a daylight-saving change does to one local time a schedule names (SCH-13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DstCase {
    /// The local time exists once: the usual case.
    Normal,
    /// The clocks jump over it (spring forward): there is no such instant, and EventBridge
    /// Scheduler skips the firing.
    Skipped,
    /// The clocks pass it twice (fall back): the schedule fires once, at the first.
    Repeated,
}

/// One firing of a schedule, or one that a daylight-saving change skips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Firing {
    /// The wall-clock time in the schedule's zone.
    pub local: NaiveDateTime,
    /// When it fires; `None` when the local time does not exist ([`DstCase::Skipped`]).
    pub utc: Option<DateTime<Utc>>,
    pub dst: DstCase,
}

impl Firing {
    /// A wall-clock time of `zone` as the Scheduler reads it: the first instant when it
    /// occurs twice, none when it does not occur.
    fn at_local(zone: Tz, local: NaiveDateTime) -> Firing {
        let (utc, dst) = match zone.from_local_datetime(&local) {
            LocalResult::Single(t) => (Some(t), DstCase::Normal),
            LocalResult::Ambiguous(first, _) => (Some(first), DstCase::Repeated),
            LocalResult::None => (None, DstCase::Skipped),
        };
        Firing {
            local,
            utc: utc.map(|t| t.with_timezone(&Utc)),
            dst,
        }
    }

    fn at_instant(zone: Tz, utc: DateTime<Utc>) -> Firing {
        Firing {
            local: utc.with_timezone(&zone).naive_local(),
            utc: Some(utc),
            dst: DstCase::Normal,
        }
    }
}

/// An IANA zone name, UTC when `None`.
pub fn zone(tz: Option<&str>) -> Result<Tz, String> {
    match tz {
        Some(name) => name
            .parse()
            .map_err(|_| format!("unknown time zone `{name}`")),
        None => Ok(Tz::UTC),
    }
}

/// The next `n` times (UTC) a schedule fires after `from`, evaluated in `tz` (an IANA
/// name; UTC when `None`). `rate(…)` counts from `from`; `at(…)` fires once.
pub fn next_fire_times(
    expr: &Schedule,
    tz: Option<&str>,
    from: DateTime<Utc>,
    n: usize,
) -> Result<Vec<DateTime<Utc>>, String> {
    Ok(firings(expr, tz, from, n)?
        .into_iter()
        .filter_map(|f| f.utc.filter(|t| *t > from))
        .collect())
}

/// The next `n` firings of a schedule after `from`, with the local times between them
/// that a daylight-saving change skips (these do not count towards `n`). An `at(…)`
/// schedule gives its one firing even when it is not after `from`, so that a caller can
/// say it is in the past.
pub fn firings(
    expr: &Schedule,
    tz: Option<&str>,
    from: DateTime<Utc>,
    n: usize,
) -> Result<Vec<Firing>, String> {
    let zone = zone(tz)?;
    match expr {
        Schedule::Rate(secs) => {
            if *secs == 0 {
                return Err("rate must be positive".into());
            }
            // SCH-13: a rate counts elapsed time; a day is 24 hours whatever the clocks do.
            let step = Duration::seconds(i64::try_from(*secs).map_err(|_| "rate too large")?);
            let mut out = Vec::new();
            let mut t = from;
            for _ in 0..n {
                t = t.checked_add_signed(step).ok_or("rate too large")?;
                out.push(Firing::at_instant(zone, t));
            }
            Ok(out)
        }
        Schedule::At(text) => {
            let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .map_err(|_| format!("`{text}` is not yyyy-mm-ddThh:mm:ss"))?;
            Ok(if n > 0 {
                vec![Firing::at_local(zone, local)]
            } else {
                Vec::new()
            })
        }
        Schedule::Cron(text) => {
            let cron = parse_cron(text).map_err(|e| {
                e.first()
                    .map_or_else(|| "invalid cron".to_string(), |e| e.problem.to_string())
            })?;
            Ok(cron_firings(&cron, zone, from, n))
        }
    }
}

/// The next `n` firings of `cron` after `from`, in `zone`; skipped wall-clock times (a
/// daylight-saving gap) are listed but not counted.
fn cron_firings(cron: &Cron, zone: Tz, from: DateTime<Utc>, n: usize) -> Vec<Firing> {
    let mut out = Vec::new();
    let mut fired = 0;
    let from_local = from.with_timezone(&zone).naive_local();
    let mut date = from_local.date();
    while fired < n {
        let Some(day) = first_allowed_day(cron, date) else {
            break;
        };
        date = day;
        if cron.day_matches(date) {
            for firing in day_firings(cron, zone, date, from, from_local) {
                if firing.utc.is_some() {
                    fired += 1;
                }
                out.push(firing);
                if fired == n {
                    return out;
                }
            }
        }
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    out
}

/// The first day from `date` on in a year and a month the cron allows; `None` past
/// the last year a cron can name.
fn first_allowed_day(cron: &Cron, mut date: NaiveDate) -> Option<NaiveDate> {
    loop {
        let y = date.year();
        if y > YEAR_MAX as i32 {
            return None;
        }
        let year_ok = u32::try_from(y)
            .ok()
            .and_then(|y| y.checked_sub(YEAR_MIN))
            .and_then(|i| cron.years.get(i as usize).copied())
            .unwrap_or(false);
        if !year_ok {
            date = NaiveDate::from_ymd_opt(y + 1, 1, 1)?;
            continue;
        }
        if !cron
            .months
            .get(date.month0() as usize)
            .copied()
            .unwrap_or(false)
        {
            date = if date.month() == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, date.month() + 1, 1)
            }?;
            continue;
        }
        return Some(date);
    }
}

/// The firings of `cron` on `date` (a day it matches) after `from`, in time order.
fn day_firings(
    cron: &Cron,
    zone: Tz,
    date: NaiveDate,
    from: DateTime<Utc>,
    from_local: NaiveDateTime,
) -> Vec<Firing> {
    let mut out = Vec::new();
    for (h, _) in cron.hours.iter().enumerate().filter(|(_, on)| **on) {
        for (m, _) in cron.minutes.iter().enumerate().filter(|(_, on)| **on) {
            let Some(local) = date.and_hms_opt(h as u32, m as u32, 0) else {
                continue;
            };
            let firing = Firing::at_local(zone, local);
            let after = match firing.utc {
                Some(t) => t > from,
                // A skipped time has no instant; it is ahead if the wall clock is.
                None => local > from_local,
            };
            if after {
                out.push(firing);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
            .map(|n| n.and_utc())
            .unwrap_or_default()
    }

    #[test]
    fn fire_times() {
        let from = utc("2026-11-26T10:00:00");
        let times = next_fire_times(&Schedule::Cron("0 3 * * ? *".into()), None, from, 2)
            .unwrap_or_default();
        assert_eq!(
            times,
            vec![utc("2026-11-27T03:00:00"), utc("2026-11-28T03:00:00")]
        );
        // Berlin is UTC+1 in winter.
        let times = next_fire_times(
            &Schedule::Cron("0 3 * * ? *".into()),
            Some("Europe/Berlin"),
            from,
            1,
        )
        .unwrap_or_default();
        assert_eq!(times, vec![utc("2026-11-27T02:00:00")]);
        // Second Tuesday of the month.
        let times = next_fire_times(&Schedule::Cron("0 8 ? * 3#2 *".into()), None, from, 1)
            .unwrap_or_default();
        assert_eq!(times, vec![utc("2026-12-08T08:00:00")]);
        // Last day of the month.
        let times = next_fire_times(&Schedule::Cron("0 12 L * ? *".into()), None, from, 2)
            .unwrap_or_default();
        assert_eq!(
            times,
            vec![utc("2026-11-30T12:00:00"), utc("2026-12-31T12:00:00")]
        );
        let times = next_fire_times(&Schedule::Rate(300), None, from, 2).unwrap_or_default();
        assert_eq!(
            times,
            vec![utc("2026-11-26T10:05:00"), utc("2026-11-26T10:10:00")]
        );
        let times = next_fire_times(&Schedule::At("2026-12-31T23:00:00".into()), None, from, 3)
            .unwrap_or_default();
        assert_eq!(times, vec![utc("2026-12-31T23:00:00")]);
        // A year that has passed: nothing.
        let times = next_fire_times(&Schedule::Cron("0 0 1 1 ? 2020".into()), None, from, 1)
            .unwrap_or_default();
        assert!(times.is_empty());
    }

    #[test]
    fn daylight_saving_changes_are_reported_per_firing() {
        let berlin = Some("Europe/Berlin");
        let cron = Schedule::Cron("30 2 * * ? *".into());
        // Berlin springs forward on 2027-03-28 at 02:00 (to 03:00): 02:30 does not exist.
        let got = firings(&cron, berlin, utc("2027-03-27T12:00:00"), 2).unwrap_or_default();
        let cases: Vec<_> = got.iter().map(|f| (f.local, f.utc, f.dst)).collect();
        let local = |s| utc(s).naive_utc();
        assert_eq!(
            cases,
            vec![
                (local("2027-03-28T02:30:00"), None, DstCase::Skipped),
                (
                    local("2027-03-29T02:30:00"),
                    Some(utc("2027-03-29T00:30:00")),
                    DstCase::Normal
                ),
                (
                    local("2027-03-30T02:30:00"),
                    Some(utc("2027-03-30T00:30:00")),
                    DstCase::Normal
                ),
            ]
        );
        // It falls back on 2027-10-31 at 03:00 (to 02:00): 02:30 occurs at 00:30 and 01:30
        // UTC; the schedule fires once, at the first.
        let got = firings(&cron, berlin, utc("2027-10-30T12:00:00"), 2).unwrap_or_default();
        assert_eq!(got[0].dst, DstCase::Repeated);
        assert_eq!(got[0].utc, Some(utc("2027-10-31T00:30:00")));
        assert_eq!(got[1].dst, DstCase::Normal);
        assert_eq!(got[1].utc, Some(utc("2027-11-01T01:30:00")));
        // Skipped times are not firings.
        let times =
            next_fire_times(&cron, berlin, utc("2027-03-27T12:00:00"), 1).unwrap_or_default();
        assert_eq!(times, vec![utc("2027-03-29T00:30:00")]);
    }

    #[test]
    fn an_at_schedule_in_the_past_is_given_but_not_a_fire_time() {
        let at = Schedule::At("2026-01-01T09:00:00".into());
        let from = utc("2026-11-26T10:00:00");
        let got = firings(&at, None, from, 3).unwrap_or_default();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].utc, Some(utc("2026-01-01T09:00:00")));
        assert!(next_fire_times(&at, None, from, 3)
            .unwrap_or_default()
            .is_empty());
    }
}
