//! The options of a schedule besides its expression: the flexible window (SCH-04), retries
//! (SCH-08), the dead-letter queue (SCH-09), start and end dates (SCH-06, SCH-14), the name
//! of the rule or schedule (EVR-01, SCH-05) and its group (SCH-05).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::cron::schedule_date;
use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, Origin, Schedule, ScheduleOptions, Spec, TriggerKind, S};
use crate::schema::limits::{
    MAX_SCHEDULE_NAME, SCHEDULE_MAX_AGE_S, SCHEDULE_RETRIES, SCHEDULE_WINDOW_S,
};
use crate::source::Span;

use super::limit::Limit;
use super::lookup::Lookup;
use super::util::{check_bounds, fmt_seconds, inner_span, string_replacement};
use super::RuleContext;

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        for t in &f.triggers {
            let TriggerKind::Schedule { expr, options, .. } = &t.kind else {
                continue;
            };
            ranges(ctx, options, out);
            for (what, n) in [
                ("schedule name", &options.name),
                ("schedule group", &options.group),
            ] {
                if let Some(n) = n {
                    out.extend(name(ctx, what, n));
                }
            }
            dead_letter_fifo(model, options, out);
            dates(ctx, expr, options, out);
        }
    }
    duplicate_names(model, out);
}

/// EVR-01, SCH-05: a rule's name is unique on its bus, a schedule's in its group (SCH-15);
/// a second schedule of the same service, group and name fails the deployment.
fn duplicate_names(model: &Lookup, out: &mut Vec<Diagnostic>) {
    // (Scheduler or rule, group, name) → the first function and where it names it.
    let mut seen: BTreeMap<(bool, String, String), (&str, Span)> = BTreeMap::new();
    for f in &model.functions {
        for t in &f.triggers {
            let TriggerKind::Schedule { options, .. } = &t.kind else {
                continue;
            };
            let Some(n) = &options.name else { continue };
            let scheduler = t.kind.uses_scheduler();
            let group = match (&options.group, scheduler) {
                (Some(g), true) => g.value.to_string(),
                (None, true) => "default".to_string(),
                (_, false) => String::new(),
            };
            let key = (scheduler, group, n.value.to_string());
            match seen.get(&key) {
                Some(&(first, at)) => out.push(same_name(n, (first, at), &f.name.value)),
                None => {
                    seen.insert(key, (&f.name.value, n.span));
                }
            }
        }
    }
}

fn same_name(n: &S<DeployStr>, (first, at): (&str, Span), second: &str) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0493,
        n.span,
        format!("two schedules are named `{}`", n.value),
    )
    .help(
        "give each schedule a name of its own, or remove `name` to let CloudFormation generate one",
    );
    if at == n.span {
        // One schedule written in a template that two functions use.
        return d.label(format!("both `{first}` and `{second}` inherit this name"));
    }
    d.label(format!("again, for `{second}`"))
        .secondary(at, format!("first for `{first}`"))
}

/// SCH-04, SCH-08: the window in whole minutes within its range, retries and event age.
fn ranges(ctx: &RuleContext, o: &ScheduleOptions, out: &mut Vec<Diagnostic>) {
    if let Some(w) = &o.window {
        if let Some(d) = check_bounds(ctx, Code::E0417, "window", w, &SCHEDULE_WINDOW_S) {
            out.push(d);
        } else if !w.value.is_multiple_of(60) {
            let minutes = fmt_seconds(w.value.div_ceil(60) * 60);
            out.push(
                Diagnostic::new(Code::E0303, w.span, "window must be whole minutes")
                    .label(format!(
                        "{} is not a whole number of minutes",
                        fmt_seconds(w.value)
                    ))
                    .help(format!(
                        "Scheduler counts the window in minutes: use {minutes}"
                    ))
                    .fix(format!("use {minutes}"), w.span, minutes),
            );
        }
    }
    if let Some(r) = &o.retries {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "retries",
            r,
            &SCHEDULE_RETRIES,
        ));
    }
    if let Some(a) = &o.max_age {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "max_age",
            a,
            &SCHEDULE_MAX_AGE_S,
        ));
    }
}

/// EVR-01, SCH-05: 1–64 letters, digits, `.`, `-` and `_`, for rule, schedule and group
/// names alike. A deploy-time name is checked for the characters it certainly has.
fn name(ctx: &RuleContext, what: &str, n: &S<DeployStr>) -> Option<Diagnostic> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let known = n.value.known_text();
    let chars = n.value.known_chars();
    let partly_known = n.value.as_literal().is_none();
    if chars > MAX_SCHEDULE_NAME || (chars == 0 && !partly_known) {
        let length = Limit::Length {
            code: Code::E0447,
            what,
            span: n.span,
            chars,
            unit: "characters",
            partly_known,
            min: 1,
            max: MAX_SCHEDULE_NAME,
            help: format!("use 1 to {MAX_SCHEDULE_NAME} letters, digits, `.`, `-` or `_`"),
        };
        return Some(length.diagnostic(ctx));
    }
    let bad = known.chars().find(|c| !ok(*c))?;
    let d = Diagnostic::new(
        Code::E0447,
        n.span,
        format!("`{}` is not a valid {what}", n.value),
    )
    .label(format!(
        "`{bad}` is not allowed: only letters, digits, `.`, `-` and `_`"
    ));
    Some(match n.value.as_literal() {
        Some(text) => {
            let cleaned: String = text.chars().map(|c| if ok(c) { c } else { '-' }).collect();
            d.help(format!("use \"{cleaned}\"")).fix(
                format!("use {cleaned}"),
                n.span,
                string_replacement(ctx, n.span, &cleaned),
            )
        }
        None => d.help("use only letters, digits, `.`, `-` and `_` around the deploy-time values"),
    })
}

/// SCH-09: Scheduler's dead-letter queue is a standard queue.
fn dead_letter_fifo(model: &Lookup, o: &ScheduleOptions, out: &mut Vec<Diagnostic>) {
    let Some(q) = &o.on_failure else { return };
    let Some(queue) = model.resource(&q.value) else {
        return;
    };
    let fifo = match &queue.origin {
        Origin::Created(Spec::Queue(spec)) => spec.is_fifo(),
        // SQS-07: FIFO queue names end in `.fifo`.
        Origin::Existing { arn } => arn.value.to_string().ends_with(".fifo"),
        Origin::Created(_) => false,
    };
    if fifo {
        out.push(
            Diagnostic::new(
                Code::E0414,
                q.span,
                "a schedule's dead-letter queue cannot be FIFO",
            )
            .label("EventBridge Scheduler sends failed invocations to standard queues only")
            .secondary(queue.name_span, "this queue is FIFO")
            .help("name a standard queue: `queue late {}` and `on_failure = queue.late`"),
        );
    }
}

/// A literal start or end date (SCH-06); `None` when it has deploy-time parts.
fn date(d: &S<DeployStr>) -> Option<Result<NaiveDateTime, String>> {
    let text = d.value.as_literal()?;
    Some(schedule_date(text).ok_or_else(|| text.to_string()))
}

/// SCH-06: start and end are UTC date-times, start before end; SCH-14: a one-time
/// schedule ignores both.
fn dates(ctx: &RuleContext, expr: &S<Schedule>, o: &ScheduleOptions, out: &mut Vec<Diagnostic>) {
    let mut parsed = [None, None];
    for (i, (key, d)) in [("start", &o.start), ("end", &o.end)]
        .into_iter()
        .enumerate()
    {
        let Some(d) = d else { continue };
        match date(d) {
            Some(Ok(when)) => parsed[i] = Some((when, d.span)),
            Some(Err(text)) => out.push(not_a_date(ctx, key, &text, d.span)),
            None => {}
        }
    }
    if let Schedule::At(_) = expr.value {
        let written = [&o.start, &o.end].into_iter().flatten().map(|d| d.span);
        out.extend(ignored_by_at(written.collect(), expr.span));
        return;
    }
    if let [Some((start, start_at)), Some((end, end_at))] = parsed {
        if start >= end {
            out.push(
                Diagnostic::new(Code::E0490, start_at, "the schedule starts after it ends")
                    .label(format!("starts {start} UTC"))
                    .secondary(end_at, format!("ends {end} UTC"))
                    .help("`start` must be before `end`: swap them, or move one"),
            );
        }
    }
}

fn not_a_date(ctx: &RuleContext, key: &str, text: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0308,
        inner_span(ctx, span, text),
        format!("`{key}` is not a date and time: `{text}`"),
    )
    .label("not yyyy-mm-ddThh:mm:ss")
    .help(format!(
        "write it in UTC, e.g. `{key} = \"2027-01-01T00:00:00\"`"
    ))
}

/// SCH-14: EventBridge Scheduler ignores `StartDate` and `EndDate` on a one-time schedule.
fn ignored_by_at(written: Vec<Span>, at: Span) -> Option<Diagnostic> {
    let (first, rest) = written.split_first()?;
    let mut d = Diagnostic::new(
        Code::W0557,
        *first,
        "`start` and `end` have no effect on an `at(…)` schedule",
    )
    .label("ignored: a one-time schedule fires at its time")
    .secondary(at, "a one-time schedule")
    .help("remove `start` and `end`; to stop it from firing, change or remove the `at(…)`");
    for span in rest {
        d = d.secondary(*span, "ignored too");
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Kind, QueueSpec, Resource};

    fn schedule(kit: &mut Kit, expr: Schedule, options: ScheduleOptions) -> crate::model::Trigger {
        let expr = kit.s("rate(1h)", expr);
        kit.trigger(TriggerKind::Schedule {
            expr,
            timezone: None,
            input: None,
            enabled: None,
            options: Box::new(options),
        })
    }

    fn run(kit: &mut Kit, options: ScheduleOptions, resources: Vec<Resource>) -> Vec<Diagnostic> {
        run_expr(kit, Schedule::Rate(3600), options, resources)
    }

    fn run_expr(
        kit: &mut Kit,
        expr: Schedule,
        options: ScheduleOptions,
        resources: Vec<Resource>,
    ) -> Vec<Diagnostic> {
        let mut f = kit.function("f");
        f.triggers = vec![schedule(kit, expr, options)];
        let mut m = model(vec![f]);
        m.resources = resources;
        kit.run(&m)
    }

    #[test]
    fn window_is_whole_minutes_within_a_day() {
        let mut kit = Kit::new();
        let ok = kit.s("15m", 900);
        let d = run(
            &mut kit,
            ScheduleOptions {
                window: Some(ok),
                ..Default::default()
            },
            vec![],
        );
        none(&d, Code::E0303);
        none(&d, Code::E0417);
        let odd = kit.s("90s", 90);
        let d = run(
            &mut kit,
            ScheduleOptions {
                window: Some(odd.clone()),
                ..Default::default()
            },
            vec![],
        );
        let d = one(&d, Code::E0303);
        assert_eq!(
            (d.primary.span, d.fixes[0].replacement.as_str()),
            (odd.span, "2m")
        );
        let long = kit.s("2d", 172_800);
        let d = run(
            &mut kit,
            ScheduleOptions {
                window: Some(long),
                ..Default::default()
            },
            vec![],
        );
        assert_eq!(one(&d, Code::E0417).fixes[0].replacement, "1d");
    }

    #[test]
    fn retries_and_age_have_schedulers_ranges() {
        let mut kit = Kit::new();
        let retries = kit.s("186", 186);
        let age = kit.s("30s", 30);
        let options = ScheduleOptions {
            retries: Some(retries.clone()),
            max_age: Some(age.clone()),
            ..Default::default()
        };
        let d = run(&mut kit, options, vec![]);
        let spans: Vec<Span> = with_code(&d, Code::E0417)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        assert_eq!(spans, vec![retries.span, age.span]);
    }

    #[test]
    fn names_and_groups_follow_the_naming_rules() {
        let mut kit = Kit::new();
        let ok = kit.text("nightly.report-1_a");
        let d = run(
            &mut kit,
            ScheduleOptions {
                name: Some(ok),
                ..Default::default()
            },
            vec![],
        );
        none(&d, Code::E0447);
        let bad = kit.text("nightly report");
        let d = run(
            &mut kit,
            ScheduleOptions {
                group: Some(bad.clone()),
                ..Default::default()
            },
            vec![],
        );
        let d = one(&d, Code::E0447);
        assert_eq!(d.primary.span, bad.span);
        assert_eq!(d.fixes[0].replacement, "\"nightly-report\"");
        let long = kit.text(&"a".repeat(65));
        let d = run(
            &mut kit,
            ScheduleOptions {
                name: Some(long),
                ..Default::default()
            },
            vec![],
        );
        assert!(one(&d, Code::E0447).message.contains("too long"));
    }

    #[test]
    fn a_fifo_dead_letter_queue_is_refused() {
        let mut kit = Kit::new();
        let fifo = QueueSpec {
            fifo: Some(kit.s("true", true)),
            ..Default::default()
        };
        let late = kit.resource(Kind::Queue, "late", Spec::Queue(fifo));
        let q = kit.res_ref(Kind::Queue, "late");
        let options = ScheduleOptions {
            on_failure: Some(q.clone()),
            ..Default::default()
        };
        let d = run(&mut kit, options, vec![late]);
        assert_eq!(one(&d, Code::E0414).primary.span, q.span);
        let standard = kit.resource(Kind::Queue, "late", Spec::Queue(QueueSpec::default()));
        let options = ScheduleOptions {
            on_failure: Some(q),
            ..Default::default()
        };
        none(&run(&mut kit, options, vec![standard]), Code::E0414);
    }

    #[test]
    fn start_and_end_are_utc_date_times_in_order() {
        let mut kit = Kit::new();
        let start = kit.text("2027-12-31T00:00:00");
        let end = kit.text("2027-01-01T00:00:00Z");
        let options = ScheduleOptions {
            start: Some(start.clone()),
            end: Some(end.clone()),
            ..Default::default()
        };
        let d = run(&mut kit, options.clone(), vec![]);
        let e = one(&d, Code::E0490);
        assert_eq!(e.primary.span, start.span);
        assert_eq!(e.secondary[0].span, end.span);
        none(&d, Code::E0308);
        let ordered = ScheduleOptions {
            start: options.end.clone(),
            end: options.start.clone(),
            ..Default::default()
        };
        none(&run(&mut kit, ordered, vec![]), Code::E0490);
        let bad = kit.text("2027-02-30T00:00:00");
        let d = run(
            &mut kit,
            ScheduleOptions {
                end: Some(bad),
                ..Default::default()
            },
            vec![],
        );
        one(&d, Code::E0308);
        let offset = kit.text("2027-01-01T00:00:00+02:00");
        let d = run(
            &mut kit,
            ScheduleOptions {
                start: Some(offset),
                ..Default::default()
            },
            vec![],
        );
        one(&d, Code::E0308);
    }

    #[test]
    fn a_name_is_given_once_per_group_and_service() {
        let mut kit = Kit::new();
        let named = |kit: &mut Kit, name: &str, group: Option<&str>| ScheduleOptions {
            name: Some(kit.text(name)),
            group: group.map(|g| kit.text(g)),
            ..Default::default()
        };
        let mut a = kit.function("a");
        let mut b = kit.function("b");
        // A retry policy makes it a Scheduler schedule, in the `default` group.
        let mut first = named(&mut kit, "nightly", None);
        first.retries = Some(kit.s("3", 3));
        let second = named(&mut kit, "nightly", Some("default"));
        let other_group = named(&mut kit, "nightly", Some("reports"));
        let rule = ScheduleOptions {
            name: Some(kit.text("nightly")),
            ..Default::default()
        };
        let rate = Schedule::Rate(3600);
        a.triggers = vec![
            schedule(&mut kit, rate.clone(), first.clone()),
            schedule(&mut kit, rate.clone(), rule),
        ];
        b.triggers = vec![
            schedule(&mut kit, rate.clone(), second.clone()),
            schedule(&mut kit, rate, other_group),
        ];
        let d = kit.run(&model(vec![a, b]));
        let e = one(&d, Code::E0493);
        let span = |o: &ScheduleOptions| o.name.as_ref().map(|n| n.span);
        assert_eq!(Some(e.primary.span), span(&second));
        assert_eq!(Some(e.secondary[0].span), span(&first));
    }

    #[test]
    fn start_and_end_on_a_one_time_schedule_warn_once() {
        let mut kit = Kit::new();
        let start = kit.text("2027-01-01T00:00:00");
        let end = kit.text("2027-12-31T00:00:00");
        let options = ScheduleOptions {
            start: Some(start.clone()),
            end: Some(end.clone()),
            ..Default::default()
        };
        let at = Schedule::At("2028-06-01T00:00:00".into());
        let d = run_expr(&mut kit, at, options, vec![]);
        let w = one(&d, Code::W0557);
        assert_eq!(w.primary.span, start.span);
        assert_eq!(w.secondary.len(), 2);
        none(&d, Code::E0490);
    }
}
