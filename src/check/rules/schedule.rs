//! Schedule expressions: `rate(…)` (EXP-01…03), `cron(…)` (EXP-04…06, §11 field table,
//! D-12), `at(…)` (EXP-07) and time zones (SCH-03); plus [`next_fire_times`] for editors.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{Model, Schedule, TriggerKind, S};
use crate::source::Span;

use super::util::{inner_span, string_replacement};
use super::RuleContext;

// ---------------------------------------------------------------------------------------
// Cron parsing
// ---------------------------------------------------------------------------------------

/// The six cron fields, in order (EXP-04).
pub const FIELD_NAMES: [&str; 6] = [
    "minutes",
    "hours",
    "day-of-month",
    "month",
    "day-of-week",
    "year",
];

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const YEAR_MIN: u32 = 1970;
const YEAR_MAX: u32 = 2199;

/// One problem in a cron expression: which field (None = the whole expression) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    pub field: Option<usize>,
    pub message: String,
}

/// Day-of-month or day-of-week matcher.
#[derive(Debug, Clone, Default)]
struct DaySpec {
    /// `?`: no constraint from this field.
    any: bool,
    /// Plain values (day numbers 1–31, or weekdays 1–7 with 1 = Sunday).
    set: Vec<bool>,
    /// `L`: last day of the month / Saturday (last day of the week).
    last: bool,
    /// DOM `LW`: last weekday of the month.
    last_weekday: bool,
    /// DOM `nW`: weekday nearest to day n.
    nearest_weekday: Vec<u32>,
    /// DOW `nL`: last weekday n of the month.
    last_of: Vec<u32>,
    /// DOW `d#n`: n-th weekday d of the month.
    nth: Vec<(u32, u32)>,
}

/// A parsed, valid cron expression.
#[derive(Debug, Clone)]
pub struct Cron {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    dom: DaySpec,
    months: Vec<bool>,
    dow: DaySpec,
    years: Vec<bool>,
}

struct FieldRule {
    lo: u32,
    hi: u32,
    names: &'static [&'static str],
    /// The first name stands for this number (JAN = 1, SUN = 1).
    question: bool,
    slash: bool,
}

const RULES: [FieldRule; 6] = [
    FieldRule {
        lo: 0,
        hi: 59,
        names: &[],
        question: false,
        slash: true,
    },
    FieldRule {
        lo: 0,
        hi: 23,
        names: &[],
        question: false,
        slash: true,
    },
    FieldRule {
        lo: 1,
        hi: 31,
        names: &[],
        question: true,
        slash: true,
    },
    FieldRule {
        lo: 1,
        hi: 12,
        names: &MONTHS,
        question: false,
        slash: true,
    },
    // D-12: no `/` in day-of-week.
    FieldRule {
        lo: 1,
        hi: 7,
        names: &DAYS,
        question: true,
        slash: false,
    },
    FieldRule {
        lo: YEAR_MIN,
        hi: YEAR_MAX,
        names: &[],
        question: false,
        slash: true,
    },
];

fn value(rule: &FieldRule, s: &str) -> Result<u32, String> {
    if let Some(i) = rule.names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Ok(i as u32 + 1);
    }
    let n: u32 = s
        .parse()
        .ok()
        .filter(|_| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| format!("`{s}` is not a value"))?;
    if n < rule.lo || n > rule.hi {
        return Err(format!("{n} is outside {}–{}", rule.lo, rule.hi));
    }
    Ok(n)
}

/// Plain items: `*`, `n`, `a-b`, `x/inc` with x one of `*`, `n`, `a-b`.
fn plain_item(rule: &FieldRule, item: &str, set: &mut [bool]) -> Result<(), String> {
    let (base, inc) = match item.split_once('/') {
        Some((b, i)) => {
            if !rule.slash {
                return Err("`/` is not allowed in day-of-week".into());
            }
            let inc: u32 = i
                .parse()
                .ok()
                .filter(|n| *n >= 1 && *n <= rule.hi)
                .ok_or_else(|| format!("increment `{i}` must be 1–{}", rule.hi))?;
            (b, Some(inc))
        }
        None => (item, None),
    };
    let (lo, hi) = if base == "*" {
        (rule.lo, rule.hi)
    } else if let Some((a, b)) = base.split_once('-') {
        (value(rule, a)?, value(rule, b)?)
    } else {
        let v = value(rule, base)?;
        // `5/15` runs from 5 to the end of the range.
        (v, if inc.is_some() { rule.hi } else { v })
    };
    let step = inc.unwrap_or(1) as usize;
    let mark = |v: u32, set: &mut [bool]| {
        if let Some(slot) = set.get_mut((v - rule.lo) as usize) {
            *slot = true;
        }
    };
    if lo <= hi {
        for v in (lo..=hi).step_by(step) {
            mark(v, set);
        }
    } else {
        // A wrapping range (`FRI-MON`, `22-2`): to the end, then from the start.
        let span = (rule.hi - lo) + (hi - rule.lo) + 1;
        for k in (0..span).step_by(step) {
            let v = lo + k;
            let v = if v > rule.hi {
                v - rule.hi - 1 + rule.lo
            } else {
                v
            };
            mark(v, set);
        }
    }
    Ok(())
}

fn parse_field(index: usize, text: &str) -> Result<(Vec<bool>, DaySpec), String> {
    let rule = &RULES[index];
    let mut set = vec![false; (rule.hi - rule.lo + 1) as usize];
    let mut day = DaySpec::default();
    if text == "?" {
        if !rule.question {
            return Err(format!(
                "`?` is only allowed in day-of-month and day-of-week, not {}",
                FIELD_NAMES[index]
            ));
        }
        day.any = true;
        return Ok((set, day));
    }
    let mut hashes = 0;
    for item in text.split(',') {
        if item.is_empty() {
            return Err("empty list item".into());
        }
        let upper = item.to_ascii_uppercase();
        match index {
            2 if upper == "L" => day.last = true,
            2 if upper == "LW" => day.last_weekday = true,
            2 if upper.ends_with('W') => {
                day.nearest_weekday
                    .push(value(rule, &upper[..upper.len() - 1])?);
            }
            4 if upper == "L" => day.last = true,
            4 if upper.ends_with('L') => day.last_of.push(value(rule, &upper[..upper.len() - 1])?),
            4 if upper.contains('#') => {
                hashes += 1;
                // EXP-06
                if hashes > 1 {
                    return Err("`#` may appear only once in day-of-week".into());
                }
                let (d, n) = upper.split_once('#').unwrap_or_default();
                let d = value(rule, d)?;
                let n: u32 = n
                    .parse()
                    .ok()
                    .filter(|n| (1..=5).contains(n))
                    .ok_or_else(|| format!("`#{n}` must be #1 to #5"))?;
                day.nth.push((d, n));
            }
            _ => {
                if item.contains('?') {
                    return Err("`?` must stand alone".into());
                }
                plain_item(rule, item, &mut set)?;
            }
        }
    }
    day.set = set.clone();
    Ok((set, day))
}

/// Offsets of the whitespace-separated fields of `text`.
fn field_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Parse the six-field cron text (the part inside `cron("…")`).
pub fn parse_cron(text: &str) -> Result<Cron, Vec<CronError>> {
    let fields = field_offsets(text);
    if fields.len() != 6 {
        return Err(vec![CronError {
            field: None,
            message: format!(
                "cron needs 6 fields (minutes hours day-of-month month day-of-week year), found {}",
                fields.len()
            ),
        }]);
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (i, (_, f)) in fields.iter().enumerate() {
        match parse_field(i, f) {
            Ok(p) => parsed.push(p),
            Err(message) => {
                errors.push(CronError {
                    field: Some(i),
                    message,
                });
                parsed.push((Vec::new(), DaySpec::default()));
            }
        }
    }
    // EXP-05: day-of-month and day-of-week cannot both be given; one must be `?`.
    if fields[2].1 != "?" && fields[4].1 != "?" && errors.is_empty() {
        let field = if fields[4].1 == "*" { 4 } else { 2 };
        errors.push(CronError {
            field: Some(field),
            message: "day-of-month and day-of-week cannot both be set: one of them must be `?`"
                .into(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut it = parsed.into_iter();
    let mut next = || it.next().unwrap_or_default();
    let (minutes, _) = next();
    let (hours, _) = next();
    let (_, dom) = next();
    let (months, _) = next();
    let (_, dow) = next();
    let (years, _) = next();
    Ok(Cron {
        minutes,
        hours,
        dom,
        months,
        dow,
        years,
    })
}

/// The byte offset of each field in the cron text (for pointing at one of them).
pub fn cron_field_offsets(text: &str) -> Vec<(usize, usize)> {
    field_offsets(text)
        .into_iter()
        .map(|(s, f)| (s, s + f.len()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Fire times
// ---------------------------------------------------------------------------------------

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

/// The next `n` times (UTC) a schedule fires after `from`, evaluated in `tz` (an IANA
/// name; UTC when `None`). `rate(…)` counts from `from`; `at(…)` fires once.
pub fn next_fire_times(
    expr: &Schedule,
    tz: Option<&str>,
    from: DateTime<Utc>,
    n: usize,
) -> Result<Vec<DateTime<Utc>>, String> {
    let zone: Tz = match tz {
        Some(name) => name
            .parse()
            .map_err(|_| format!("unknown time zone `{name}`"))?,
        None => Tz::UTC,
    };
    match expr {
        Schedule::Rate(secs) => {
            if *secs == 0 {
                return Err("rate must be positive".into());
            }
            let step = Duration::seconds(i64::try_from(*secs).map_err(|_| "rate too large")?);
            let mut out = Vec::new();
            let mut t = from;
            for _ in 0..n {
                t = t.checked_add_signed(step).ok_or("rate too large")?;
                out.push(t);
            }
            Ok(out)
        }
        Schedule::At(text) => {
            let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .map_err(|_| format!("`{text}` is not yyyy-mm-ddThh:mm:ss"))?;
            let t = zone
                .from_local_datetime(&local)
                .earliest()
                .ok_or("that time does not exist in this time zone")?
                .with_timezone(&Utc);
            Ok(if t > from && n > 0 {
                vec![t]
            } else {
                Vec::new()
            })
        }
        Schedule::Cron(text) => {
            let cron = parse_cron(text).map_err(|e| {
                e.first()
                    .map_or_else(|| "invalid cron".to_string(), |e| e.message.clone())
            })?;
            Ok(cron_times(&cron, zone, from, n))
        }
    }
}

fn cron_times(cron: &Cron, zone: Tz, from: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut date = from.with_timezone(&zone).date_naive();
    while out.len() < n {
        let y = date.year();
        if y > YEAR_MAX as i32 {
            break;
        }
        let year_ok = u32::try_from(y)
            .ok()
            .and_then(|y| y.checked_sub(YEAR_MIN))
            .and_then(|i| cron.years.get(i as usize).copied())
            .unwrap_or(false);
        if !year_ok {
            match NaiveDate::from_ymd_opt(y + 1, 1, 1) {
                Some(d) => date = d,
                None => break,
            }
            continue;
        }
        if !cron
            .months
            .get(date.month0() as usize)
            .copied()
            .unwrap_or(false)
        {
            let next = if date.month() == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, date.month() + 1, 1)
            };
            match next {
                Some(d) => date = d,
                None => break,
            }
            continue;
        }
        if cron.day_matches(date) {
            for (h, _) in cron.hours.iter().enumerate().filter(|(_, on)| **on) {
                for (m, _) in cron.minutes.iter().enumerate().filter(|(_, on)| **on) {
                    let Some(local) = date.and_hms_opt(h as u32, m as u32, 0) else {
                        continue;
                    };
                    // A time skipped by a DST change does not fire; a repeated one fires once.
                    let Some(t) = zone.from_local_datetime(&local).earliest() else {
                        continue;
                    };
                    let t = t.with_timezone(&Utc);
                    if t > from {
                        out.push(t);
                        if out.len() == n {
                            return out;
                        }
                    }
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

// ---------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        for t in &f.triggers {
            let TriggerKind::Schedule { expr, timezone, .. } = &t.kind else {
                continue;
            };
            match &expr.value {
                Schedule::Rate(secs) => rate(ctx, *secs, expr.span, out),
                Schedule::Cron(text) => cron(ctx, text, expr.span, out),
                Schedule::At(text) => at(ctx, text, expr.span, out),
            }
            if let Some(tz) = timezone {
                timezone_rule(ctx, tz, out);
            }
        }
    }
}

fn fmt_minutes(m: u64) -> String {
    if m.is_multiple_of(1440) {
        format!("{}d", m / 1440)
    } else if m.is_multiple_of(60) {
        format!("{}h", m / 60)
    } else {
        format!("{m}m")
    }
}

/// EXP-01…03: a whole number of minutes, at least one.
fn rate(ctx: &RuleContext, secs: u64, span: Span, out: &mut Vec<Diagnostic>) {
    if secs >= 60 && secs.is_multiple_of(60) {
        return;
    }
    let minutes = (secs.saturating_add(30) / 60).max(1);
    let fixed = format!("rate({})", fmt_minutes(minutes));
    let (message, label) = if secs < 60 {
        (
            "schedule rate is under one minute",
            "the shortest rate is 1 minute",
        )
    } else {
        (
            "schedule rate is not a whole number of minutes",
            "rates are counted in whole minutes",
        )
    };
    let mut d = Diagnostic::new(Code::E0408, span, message)
        .label(label)
        .help(format!("use {fixed}"));
    if super::util::source_text(ctx, span).is_some_and(|t| t.starts_with("rate(")) {
        d = d.fix(format!("use {fixed}"), span, fixed);
    }
    out.push(d);
}

/// EXP-04…06, §11 field table.
fn cron(ctx: &RuleContext, text: &str, span: Span, out: &mut Vec<Diagnostic>) {
    let Err(errors) = parse_cron(text) else {
        return;
    };
    let whole = inner_span(ctx, span, text);
    let located = whole != span || super::util::source_text(ctx, span) == Some(text);
    let offsets = cron_field_offsets(text);
    for e in errors {
        let field_span = match e.field.and_then(|i| offsets.get(i)) {
            Some(&(s, end)) if located => Span::new(whole.file, whole.start + s, whole.start + end),
            _ => whole,
        };
        let label = match e.field {
            Some(i) => format!("in the {} field", FIELD_NAMES[i]),
            None => "not a valid cron expression".to_string(),
        };
        let mut d = Diagnostic::new(Code::E0408, field_span, format!("invalid cron: {}", e.message))
            .label(label)
            .help("cron fields are: minutes hours day-of-month month day-of-week year, e.g. \"0 3 * * ? *\"");
        // EXP-05: replacing `*` with `?` is the clear fix.
        if e.message.contains("must be `?`") && located && field_span != whole {
            d = d.fix("use ?", field_span, "?");
        }
        out.push(d);
    }
}

/// EXP-07: `yyyy-mm-ddThh:mm:ss`, a real date-time.
fn at(ctx: &RuleContext, text: &str, span: Span, out: &mut Vec<Diagnostic>) {
    let shape_ok = text.len() == 19
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        });
    let real = shape_ok && NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").is_ok();
    if real {
        return;
    }
    let at_span = inner_span(ctx, span, text);
    let message = if shape_ok {
        format!("`{text}` is not a real date and time")
    } else {
        format!("`{text}` is not in the form yyyy-mm-ddThh:mm:ss")
    };
    out.push(
        Diagnostic::new(Code::E0408, at_span, message)
            .label("at(…) needs a local date-time")
            .help("write it as at(\"2026-12-31T23:00:00\")"),
    );
}

/// SCH-03: an IANA time zone, 1–50 characters.
fn timezone_rule(ctx: &RuleContext, tz: &S<String>, out: &mut Vec<Diagnostic>) {
    if tz.value.len() <= 50 && tz.value.parse::<Tz>().is_ok() {
        return;
    }
    let mut d = Diagnostic::new(
        Code::E0408,
        tz.span,
        format!("unknown time zone `{}`", tz.value),
    )
    .label("not an IANA time zone");
    match did_you_mean(&tz.value, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())) {
        Some(near) => {
            d = d.help(format!("did you mean `{near}`?")).fix(
                format!("use {near}"),
                tz.span,
                string_replacement(ctx, tz.span, near),
            );
        }
        None => d = d.help("use an IANA name such as \"Europe/Berlin\" or \"America/New_York\""),
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::Trigger;

    fn sched(kit: &mut Kit, text: &str, expr: Schedule, tz: Option<&str>) -> Trigger {
        let expr = kit.s(text, expr);
        let timezone = tz.map(|t| kit.str(t));
        kit.trigger(TriggerKind::Schedule {
            expr,
            timezone,
            input: None,
            enabled: None,
        })
    }

    fn run_one(text: &str, expr: Schedule, tz: Option<&str>) -> (Kit, Trigger, Vec<Diagnostic>) {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let t = sched(&mut kit, text, expr, tz);
        f.triggers = vec![t.clone()];
        let diags = kit.run(&model(vec![f]));
        (kit, t, diags)
    }

    fn expr_span(t: &Trigger) -> Span {
        match &t.kind {
            TriggerKind::Schedule { expr, .. } => expr.span,
            _ => Span::default(),
        }
    }

    #[test]
    fn rate_boundaries() {
        let (_, _, d) = run_one("rate(1m)", Schedule::Rate(60), None);
        none(&d, Code::E0408);
        let (_, t, d) = run_one("rate(30s)", Schedule::Rate(30), None);
        let d = one(&d, Code::E0408);
        assert_eq!(d.primary.span, expr_span(&t));
        assert_eq!(d.fixes[0].replacement, "rate(1m)");
        let (_, _, d) = run_one("rate(90s)", Schedule::Rate(90), None);
        assert_eq!(one(&d, Code::E0408).fixes[0].replacement, "rate(2m)");
    }

    #[test]
    fn valid_crons() {
        for c in [
            "0 3 * * ? *",
            "0/15 * * * ? *",
            "*/5 8-17 ? * MON-FRI *",
            "0 10 ? * 6L 2026-2030",
            "0 12 L * ? *",
            "0 12 15W * ? *",
            "0 8 ? * 3#2 *",
            "0 0 1 JAN,JUL ? 2199",
        ] {
            assert!(parse_cron(c).is_ok(), "{c}: {:?}", parse_cron(c).err());
        }
    }

    #[test]
    fn invalid_crons_name_the_field() {
        let cases: &[(&str, Option<usize>)] = &[
            ("0 3 * * *", None),
            ("60 3 * * ? *", Some(0)),
            ("0 24 * * ? *", Some(1)),
            ("0 3 32 * ? *", Some(2)),
            ("0 3 * 13 ? *", Some(3)),
            ("0 3 ? * 8 *", Some(4)),
            ("0 3 ? * MON/2 *", Some(4)),
            ("0 3 ? * 1#1,2#2 *", Some(4)),
            ("0 3 * * ? 2200", Some(5)),
            ("0 3 * * ? 1969", Some(5)),
            ("? 3 * * ? *", Some(0)),
            ("0 3 * * * *", Some(4)),
            ("0 3 1 * MON *", Some(2)),
            ("0/0 3 * * ? *", Some(0)),
        ];
        for (c, field) in cases {
            let e = parse_cron(c).expect_err(c);
            assert_eq!(e[0].field, *field, "{c}: {e:?}");
        }
    }

    #[test]
    fn cron_error_points_inside_the_string() {
        let (kit, t, d) = run_one(
            "cron(\"0 25 * * ? *\")",
            Schedule::Cron("0 25 * * ? *".into()),
            None,
        );
        let d = one(&d, Code::E0408);
        let start = expr_span(&t).start + "cron(\"0 ".len();
        assert_eq!(
            (d.primary.span.start, d.primary.span.end),
            (start, start + 2)
        );
        let _ = kit;
    }

    #[test]
    fn dom_dow_star_gets_question_fix() {
        let (_, t, d) = run_one(
            "cron(\"0 3 * * * *\")",
            Schedule::Cron("0 3 * * * *".into()),
            None,
        );
        let d = one(&d, Code::E0408);
        let start = expr_span(&t).start + "cron(\"0 3 * * ".len();
        assert_eq!(d.primary.span.start, start);
        assert_eq!(d.fixes[0].replacement, "?");
    }

    #[test]
    fn at_expressions() {
        let (_, _, d) = run_one(
            "at(\"2026-12-31T23:00:00\")",
            Schedule::At("2026-12-31T23:00:00".into()),
            None,
        );
        none(&d, Code::E0408);
        let (_, t, d) = run_one(
            "at(\"2026-02-30T23:00:00\")",
            Schedule::At("2026-02-30T23:00:00".into()),
            None,
        );
        let d = one(&d, Code::E0408);
        assert_eq!(d.primary.span.start, expr_span(&t).start + 4);
        let (_, _, d) = run_one(
            "at(\"2026-12-31 23:00\")",
            Schedule::At("2026-12-31 23:00".into()),
            None,
        );
        one(&d, Code::E0408);
    }

    #[test]
    fn timezones() {
        let (_, _, d) = run_one(
            "cron(\"0 3 * * ? *\")",
            Schedule::Cron("0 3 * * ? *".into()),
            Some("Europe/Berlin"),
        );
        none(&d, Code::E0408);
        let (_, _, d) = run_one(
            "cron(\"0 3 * * ? *\")",
            Schedule::Cron("0 3 * * ? *".into()),
            Some("Europe/Berlín"),
        );
        let d = one(&d, Code::E0408);
        assert_eq!(d.fixes[0].replacement, "\"Europe/Berlin\"");
    }

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
}
