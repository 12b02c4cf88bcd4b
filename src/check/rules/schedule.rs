//! Schedule expressions: `rate(…)` (EXP-01…03), `cron(…)` (EXP-04…06, §11 field table,
//! D-12), `at(…)` (EXP-07) and time zones (SCH-03). The cron grammar itself is
//! [`crate::cron`].

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use crate::cron::{cron_field_offsets, parse_cron, CronProblem, FIELD_NAMES};
use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{Function, Schedule, TriggerKind, S};
use crate::schema::limits::fmt_seconds;
use crate::source::Span;

use super::util::{inner_span, string_replacement};
use super::RuleContext;

pub(crate) fn check(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
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

/// EXP-01…03: a whole number of minutes, at least one.
fn rate(ctx: &RuleContext, secs: u64, span: Span, out: &mut Vec<Diagnostic>) {
    if secs >= 60 && secs.is_multiple_of(60) {
        return;
    }
    let minutes = (secs.saturating_add(30) / 60).max(1);
    // `minutes * 60` is at most `secs + 30`: no overflow.
    let fixed = format!("rate({})", fmt_seconds(minutes * 60));
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
        let mut d = Diagnostic::new(Code::E0408, field_span, format!("invalid cron: {}", e.problem))
            .label(label)
            .help("cron fields are: minutes hours day-of-month month day-of-week year, e.g. \"0 3 * * ? *\"");
        // EXP-05: replacing `*` with `?` is the clear fix.
        if e.problem == CronProblem::BothDaysSet && located && field_span != whole {
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
            options: Default::default(),
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
        let (_, t, d) = run_one(
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
}
