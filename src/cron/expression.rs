//! How a schedule is written for AWS and which service runs it: the `ScheduleExpression`
//! text, and EventBridge rule or EventBridge Scheduler. The planner and `lamc schedule`
//! both read these.

use crate::model::Schedule;

/// `rate(…)` text for a period in seconds, in the largest unit that divides it, singular
/// iff the value is 1 (EXP-02, EXP-08). Periods under a minute (rejected by the checker,
/// EXP-03) round up to one minute.
pub fn rate_expression(seconds: u64) -> String {
    let (value, unit) = if seconds >= 86_400 && seconds.is_multiple_of(86_400) {
        (seconds / 86_400, "day")
    } else if seconds >= 3_600 && seconds.is_multiple_of(3_600) {
        (seconds / 3_600, "hour")
    } else {
        ((seconds / 60).max(1), "minute")
    };
    let plural = if value == 1 { "" } else { "s" };
    format!("rate({value} {unit}{plural})")
}

/// Whether a schedule becomes an EventBridge Scheduler schedule rather than an EventBridge
/// rule: rules run in UTC and repeat, so a time zone, a one-time `at(…)` or an option only
/// the Scheduler has (`scheduler_only`: a flexible window, retries, a dead-letter queue,
/// start and end dates, a group) needs the Scheduler.
pub fn uses_scheduler(expr: &Schedule, scheduler_only: bool) -> bool {
    scheduler_only || matches!(expr, Schedule::At(_))
}

/// A schedule's `start` or `end` (SCH-06): `yyyy-mm-ddThh:mm:ss` in UTC, a trailing `Z`
/// allowed; `None` for any other text or a day or time that does not exist.
pub fn schedule_date(text: &str) -> Option<chrono::NaiveDateTime> {
    let bare = text.strip_suffix('Z').unwrap_or(text);
    let shape_ok = bare.len() == 19
        && bare.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        });
    let when = chrono::NaiveDateTime::parse_from_str(bare, "%Y-%m-%dT%H:%M:%S").ok()?;
    shape_ok.then_some(when)
}

/// The `ScheduleExpression` text of a schedule (EXP-01).
pub fn expression(s: &Schedule) -> String {
    match s {
        Schedule::Rate(seconds) => rate_expression(*seconds),
        Schedule::Cron(fields) => format!("cron({fields})"),
        Schedule::At(when) => format!("at({when})"),
    }
}

#[cfg(test)]
mod tests {
    use super::{rate_expression, schedule_date};

    #[test]
    fn schedule_dates_are_utc_date_times() {
        assert!(schedule_date("2027-01-01T00:00:00").is_some());
        assert_eq!(
            schedule_date("2027-01-01T00:00:00Z"),
            schedule_date("2027-01-01T00:00:00")
        );
        for bad in [
            "2027-01-01",
            "2027-02-30T00:00:00",
            "2027-01-01 00:00:00",
            "2027-01-01T00:00:00+02:00",
            "+2027-1-01T00:00:00",
        ] {
            assert_eq!(schedule_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn rates_use_the_largest_unit_and_singular_for_one() {
        assert_eq!(rate_expression(60), "rate(1 minute)");
        assert_eq!(rate_expression(300), "rate(5 minutes)");
        assert_eq!(rate_expression(3_600), "rate(1 hour)");
        assert_eq!(rate_expression(7_200), "rate(2 hours)");
        assert_eq!(rate_expression(5_400), "rate(90 minutes)");
        assert_eq!(rate_expression(86_400), "rate(1 day)");
        assert_eq!(rate_expression(172_800), "rate(2 days)");
        assert_eq!(rate_expression(90_000), "rate(25 hours)");
        assert_eq!(rate_expression(10), "rate(1 minute)");
    }
}
