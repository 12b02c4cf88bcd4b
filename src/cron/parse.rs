//! The cron grammar of EventBridge rules and Scheduler schedules (EXP-04…06, D-12): six
//! fields, their values, names, ranges, steps and the day-of-month/day-of-week specials.

use std::fmt;

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
pub(super) const YEAR_MIN: u32 = 1970;
pub(super) const YEAR_MAX: u32 = 2199;

/// One problem in a cron expression: which field (None = the whole expression) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    pub field: Option<usize>,
    pub problem: CronProblem,
}

/// What is wrong with a cron expression or one of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CronProblem {
    /// Not six fields (EXP-04): how many there are.
    FieldCount(usize),
    /// An item that is neither a number nor a name the field knows.
    NotAValue(String),
    OutOfRange {
        value: u32,
        lo: u32,
        hi: u32,
    },
    /// D-12.
    SlashInDayOfWeek,
    /// The increment after `/`, not within 1 and the field's maximum.
    Increment {
        written: String,
        max: u32,
    },
    /// `?` in a field other than day-of-month and day-of-week.
    QuestionNotAllowed {
        field: usize,
    },
    QuestionNotAlone,
    /// EXP-06.
    HashTwice,
    /// `d#n` with n outside 1–5.
    NthOutOfRange(String),
    EmptyItem,
    /// EXP-05: day-of-month and day-of-week both set; one must be `?`.
    BothDaysSet,
}

impl fmt::Display for CronProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CronProblem::FieldCount(n) => write!(
                f,
                "cron needs 6 fields (minutes hours day-of-month month day-of-week year), found {n}"
            ),
            CronProblem::NotAValue(s) => write!(f, "`{s}` is not a value"),
            CronProblem::OutOfRange { value, lo, hi } => write!(f, "{value} is outside {lo}–{hi}"),
            CronProblem::SlashInDayOfWeek => write!(f, "`/` is not allowed in day-of-week"),
            CronProblem::Increment { written, max } => {
                write!(f, "increment `{written}` must be 1–{max}")
            }
            CronProblem::QuestionNotAllowed { field } => write!(
                f,
                "`?` is only allowed in day-of-month and day-of-week, not {}",
                FIELD_NAMES[*field]
            ),
            CronProblem::QuestionNotAlone => write!(f, "`?` must stand alone"),
            CronProblem::HashTwice => write!(f, "`#` may appear only once in day-of-week"),
            CronProblem::NthOutOfRange(n) => write!(f, "`#{n}` must be #1 to #5"),
            CronProblem::EmptyItem => write!(f, "empty list item"),
            CronProblem::BothDaysSet => write!(
                f,
                "day-of-month and day-of-week cannot both be set: one of them must be `?`"
            ),
        }
    }
}

/// Day-of-month or day-of-week matcher.
#[derive(Debug, Clone, Default)]
pub(super) struct DaySpec {
    /// `?`: no constraint from this field.
    pub(super) any: bool,
    /// Plain values (day numbers 1–31, or weekdays 1–7 with 1 = Sunday).
    pub(super) set: Vec<bool>,
    /// `L`: last day of the month / Saturday (last day of the week).
    pub(super) last: bool,
    /// DOM `LW`: last weekday of the month.
    pub(super) last_weekday: bool,
    /// DOM `nW`: weekday nearest to day n.
    pub(super) nearest_weekday: Vec<u32>,
    /// DOW `nL`: last weekday n of the month.
    pub(super) last_of: Vec<u32>,
    /// DOW `d#n`: n-th weekday d of the month.
    pub(super) nth: Vec<(u32, u32)>,
}

/// A parsed, valid cron expression.
#[derive(Debug, Clone)]
pub struct Cron {
    pub(super) minutes: Vec<bool>,
    pub(super) hours: Vec<bool>,
    pub(super) dom: DaySpec,
    pub(super) months: Vec<bool>,
    pub(super) dow: DaySpec,
    pub(super) years: Vec<bool>,
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

fn value(rule: &FieldRule, s: &str) -> Result<u32, CronProblem> {
    if let Some(i) = rule.names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Ok(i as u32 + 1);
    }
    let n: u32 = s
        .parse()
        .ok()
        .filter(|_| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| CronProblem::NotAValue(s.to_string()))?;
    if n < rule.lo || n > rule.hi {
        return Err(CronProblem::OutOfRange {
            value: n,
            lo: rule.lo,
            hi: rule.hi,
        });
    }
    Ok(n)
}

/// Plain items: `*`, `n`, `a-b`, `x/inc` with x one of `*`, `n`, `a-b`.
fn plain_item(rule: &FieldRule, item: &str, set: &mut [bool]) -> Result<(), CronProblem> {
    let (base, inc) = match item.split_once('/') {
        Some((b, i)) => {
            if !rule.slash {
                return Err(CronProblem::SlashInDayOfWeek);
            }
            let inc: u32 = i
                .parse()
                .ok()
                .filter(|n| *n >= 1 && *n <= rule.hi)
                .ok_or_else(|| CronProblem::Increment {
                    written: i.to_string(),
                    max: rule.hi,
                })?;
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

fn parse_field(index: usize, text: &str) -> Result<(Vec<bool>, DaySpec), CronProblem> {
    let rule = &RULES[index];
    let mut set = vec![false; (rule.hi - rule.lo + 1) as usize];
    let mut day = DaySpec::default();
    if text == "?" {
        if !rule.question {
            return Err(CronProblem::QuestionNotAllowed { field: index });
        }
        day.any = true;
        return Ok((set, day));
    }
    let mut hashes = 0;
    for item in text.split(',') {
        if item.is_empty() {
            return Err(CronProblem::EmptyItem);
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
                    return Err(CronProblem::HashTwice);
                }
                let (d, n) = upper.split_once('#').unwrap_or_default();
                let d = value(rule, d)?;
                let n: u32 = n
                    .parse()
                    .ok()
                    .filter(|n| (1..=5).contains(n))
                    .ok_or_else(|| CronProblem::NthOutOfRange(n.to_string()))?;
                day.nth.push((d, n));
            }
            _ => {
                if item.contains('?') {
                    return Err(CronProblem::QuestionNotAlone);
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
            problem: CronProblem::FieldCount(fields.len()),
        }]);
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (i, (_, f)) in fields.iter().enumerate() {
        match parse_field(i, f) {
            Ok(p) => parsed.push(p),
            Err(problem) => {
                errors.push(CronError {
                    field: Some(i),
                    problem,
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
            problem: CronProblem::BothDaysSet,
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
