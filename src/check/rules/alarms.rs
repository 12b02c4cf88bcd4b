//! CloudWatch alarms: period (CW-07, CW-08, D-3), datapoints and evaluation window
//! (CW-09…CW-11), actions (CW-12), whether the metric applies to the function (XR-14),
//! and conditions that can never (or always) be met.

use crate::diag::{Code, Diagnostic};
use crate::model::{Alarm, FnMetric, Function, Metric, MetricUnit, Stat, TriggerKind};
use crate::syntax::ast::CmpOp;

use super::super::function::UNREAD_TRIGGER;
use super::limit::Limit;
use super::lookup::Lookup;
use super::util::fmt_seconds;
use super::RuleContext;
use crate::schema::limits::MAX_ALARM_ACTIONS;

/// CW-07 (D-3): 10, 20, 30, or a multiple of 60.
pub fn period_ok(p: u64) -> bool {
    matches!(p, 10 | 20 | 30) || (p >= 60 && p.is_multiple_of(60))
}

/// The allowed period closest to `p` (ties go to the longer one).
pub fn nearest_period(p: u64) -> u64 {
    if p < 45 {
        [10u64, 20, 30]
            .into_iter()
            .min_by_key(|c| (c.abs_diff(p), u64::MAX - c))
            .unwrap_or(60)
    } else {
        (p.saturating_add(30) / 60).max(1).saturating_mul(60)
    }
}

/// CW-10: the longest evaluation window for a period.
pub fn max_window(period: u64) -> u64 {
    if period < 3_600 {
        86_400
    } else {
        604_800
    }
}

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        for a in &f.alarms {
            alarm(ctx, a, Some(f), out);
        }
    }
    for a in &model.alarms {
        let f = match &a.metric.value {
            Metric::Function { function, .. } => model.function(function),
            _ => None,
        };
        alarm(ctx, a, f, out);
    }
}

fn alarm(ctx: &RuleContext, a: &Alarm, f: Option<&Function>, out: &mut Vec<Diagnostic>) {
    window(a, out);
    // CW-12
    let spans: Vec<_> = a.notify.iter().map(|n| n.span).collect();
    let too_many = Limit::too_many(
        Code::E0440,
        "notification targets",
        "an alarm",
        &spans,
        MAX_ALARM_ACTIONS,
        "notify one topic and subscribe the other targets to it".into(),
    );
    out.extend(too_many.map(|problem| problem.diagnostic(ctx)));
    if let (Some(f), Metric::Function { metric, .. }) = (f, &a.metric.value) {
        applies(a, *metric, f, out);
        // CW-08: Lambda publishes once a minute.
        if period_ok(a.period.value) && a.period.value < 60 {
            out.push(
                Diagnostic::new(
                    Code::W0504,
                    a.period.span,
                    format!(
                        "period {} is shorter than Lambda's one-minute metrics",
                        fmt_seconds(a.period.value)
                    ),
                )
                .label("most periods will have no data")
                .help("use a period of 1m or more")
                .fix("use 1m", a.period.span, "1m"),
            );
        }
    }
    never_fires(ctx, a, f, out);
}

/// E0409 for an alarm's period, its `for N of M` and the time they look back.
fn window(a: &Alarm, out: &mut Vec<Diagnostic>) {
    period(a, out);
    datapoints(a, out);
    look_back(a, out);
}

/// CW-07: periods are 10s, 20s, 30s or a multiple of 60s.
fn period(a: &Alarm, out: &mut Vec<Diagnostic>) {
    let p = a.period.value;
    if !period_ok(p) {
        let near = nearest_period(p);
        out.push(
            Diagnostic::new(
                Code::E0409,
                a.period.span,
                format!("alarm period {} is not allowed", fmt_seconds(p)),
            )
            .label("periods are 10s, 20s, 30s or a multiple of 60s")
            .help(format!("use {}", fmt_seconds(near)))
            .fix(
                format!("use {}", fmt_seconds(near)),
                a.period.span,
                fmt_seconds(near),
            ),
        );
    }
}

/// CW-09 and CW-11: `for N of M` with 1 ≤ N ≤ M.
fn datapoints(a: &Alarm, out: &mut Vec<Diagnostic>) {
    let n = a.datapoints.value;
    let m = a.evaluation_periods.value;
    if m == 0 {
        // CW-09
        out.push(
            Diagnostic::new(
                Code::E0409,
                a.evaluation_periods.span,
                "an alarm needs at least one evaluation period",
            )
            .label("0 periods")
            .help("use `for N of M` with 1 ≤ N ≤ M"),
        );
    } else if n == 0 || n > m {
        // CW-11
        out.push(
            Diagnostic::new(
                Code::E0409,
                a.datapoints.span,
                format!("`for {n} of {m}` is impossible"),
            )
            .label(format!("datapoints must be between 1 and {m}"))
            .secondary(a.evaluation_periods.span, format!("{m} evaluation periods"))
            .help(format!("use `for N of {m}` with 1 ≤ N ≤ {m}")),
        );
    }
}

/// CW-10: the periods together look back no further than the period allows.
fn look_back(a: &Alarm, out: &mut Vec<Diagnostic>) {
    let p = a.period.value;
    let m = a.evaluation_periods.value;
    if period_ok(p) && m > 0 {
        let total = p.saturating_mul(m);
        let cap = max_window(p);
        if total > cap {
            out.push(
                Diagnostic::new(
                    Code::E0409,
                    a.evaluation_periods.span,
                    format!(
                        "alarm looks back {}, over the {} limit",
                        fmt_seconds(total),
                        fmt_seconds(cap)
                    ),
                )
                .label(format!("{m} periods of {}", fmt_seconds(p)))
                .secondary(a.period.span, "period set here")
                .help(format!(
                    "use at most {} evaluation periods of {}, or a longer period",
                    cap / p,
                    fmt_seconds(p)
                )),
            );
        }
    }
}

fn has_trigger(f: &Function, pred: impl Fn(&TriggerKind) -> bool) -> bool {
    f.triggers.iter().any(|t| pred(&t.kind))
}

/// XR-14: the metric must be able to have data for this function. A trigger, `concurrency`
/// or `async` that was written but could not be read (reported) may be what it needs.
fn applies(a: &Alarm, metric: FnMetric, f: &Function, out: &mut Vec<Diagnostic>) {
    let unread_trigger = f.was_written(UNREAD_TRIGGER);
    let missing = match metric {
        FnMetric::IteratorAge => (!unread_trigger && !has_trigger(f, TriggerKind::reads_stream))
            .then_some((
                "it has no kinesis or dynamodb trigger",
                "iterator_age is reported only for stream triggers",
            )),
        FnMetric::ProvisionedUtilization | FnMetric::Spillover => {
            let unread = f.concurrency.is_none() && f.was_written("concurrency");
            (!f.has_provisioned() && !unread).then_some((
                "it has no provisioned concurrency",
                "add `concurrency { provisioned = … }` or remove the alarm",
            ))
        }
        FnMetric::AsyncEventAge | FnMetric::DeadLetterErrors => (f.async_config.is_none()
            && !f.was_written("async")
            && !unread_trigger
            && !has_trigger(f, TriggerKind::invokes_async))
        .then_some((
            "nothing invokes it asynchronously",
            "this metric needs an s3, sns or schedule trigger, or an `async { … }` block",
        )),
        _ => None,
    };
    if let Some((why, help)) = missing {
        out.push(
            Diagnostic::new(
                Code::E0416,
                a.metric.span,
                format!(
                    "{} does not apply to function `{}`",
                    metric.as_str(),
                    f.name.value
                ),
            )
            .label("this metric will never have data")
            .secondary(f.name.span, format!("`{}`: {why}", f.name.value))
            .help(help.to_string()),
        );
    }
}

/// Conditions that no datapoint can meet (or that every datapoint meets).
fn never_fires(_ctx: &RuleContext, a: &Alarm, f: Option<&Function>, out: &mut Vec<Diagnostic>) {
    if matches!(a.stat.value, Stat::SampleCount) {
        // A sample count is a count whatever the metric measures.
        return counts(a, out);
    }
    let t = a.threshold.value;
    let op = a.op.value;
    match a.metric.value.unit() {
        MetricUnit::Percent => {
            if matches!((op, t), (CmpOp::Gt, t) if t >= 100.0)
                || matches!((op, t), (CmpOp::Ge, t) if t > 100.0)
            {
                out.push(
                    Diagnostic::new(Code::W0504, a.threshold.span, "alarm can never fire")
                        .label("a percentage never goes above 100%")
                        .help("use a threshold below 100%"),
                );
                return;
            }
        }
        MetricUnit::Duration => {
            // Only statistics of single invocations are bounded by the timeout; a sum is not.
            let bounded = !matches!(a.stat.value, Stat::Sum);
            let duration_metric = matches!(
                a.metric.value,
                Metric::Function {
                    metric: FnMetric::Duration,
                    ..
                }
            );
            // A timeout that was written but could not be read is unknown, not 3s.
            let f = f.filter(|f| f.timeout.is_some() || !f.was_written("timeout"));
            if let (Some(f), true, true) = (f, bounded, duration_metric) {
                let timeout_ms = (f.timeout_seconds() as f64) * 1000.0;
                // A timed-out invocation reports about its timeout: `>= timeout` can still fire.
                let never = match op {
                    CmpOp::Gt => t >= timeout_ms,
                    CmpOp::Ge => t > timeout_ms,
                    _ => false,
                };
                if never {
                    let (span, label) = match &f.timeout {
                        Some(s) => (s.span, format!("timeout is {}", fmt_seconds(s.value))),
                        None => (f.name.span, "timeout defaults to 3s".to_string()),
                    };
                    out.push(
                        Diagnostic::new(Code::W0504, a.threshold.span, "alarm can never fire")
                            .label("no invocation runs longer than the function's timeout")
                            .secondary(span, label)
                            .help("use a threshold below the timeout, or alarm on `errors` to catch timeouts"),
                    );
                    return;
                }
            }
        }
        MetricUnit::Count => {}
    }
    counts(a, out);
}

/// Every metric here is ≥ 0.
fn counts(a: &Alarm, out: &mut Vec<Diagnostic>) {
    let t = a.threshold.value;
    let (never, always) = match a.op.value {
        CmpOp::Lt => (t <= 0.0, false),
        CmpOp::Le => (t < 0.0, false),
        CmpOp::Ge => (false, t <= 0.0),
        CmpOp::Gt => (false, t < 0.0),
    };
    if never {
        out.push(
            Diagnostic::new(Code::W0504, a.threshold.span, "alarm can never fire")
                .label("this metric is never below 0")
                .help("use a positive threshold"),
        );
    } else if always {
        out.push(
            Diagnostic::new(
                Code::W0504,
                a.threshold.span,
                "alarm condition is always true",
            )
            .label("this metric is never below 0, so every datapoint breaches")
            .help(format!("use `> {}` to alarm on any occurrence", t.max(0.0))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Kind, Model, StreamOptions, S};

    fn with_alarm(kit: &mut Kit, metric: FnMetric, op: CmpOp, threshold: f64) -> (Model, Alarm) {
        let mut f = kit.function("f");
        f.timeout = Some(kit.s("30s", 30));
        let a = kit.alarm("f", metric, op, threshold);
        f.alarms = vec![a.clone()];
        (model(vec![f]), a)
    }

    #[test]
    fn periods() {
        assert!(period_ok(10) && period_ok(20) && period_ok(30) && period_ok(60) && period_ok(300));
        assert!(!period_ok(0) && !period_ok(45) && !period_ok(90));
        assert_eq!(nearest_period(90), 120);
        assert_eq!(nearest_period(15), 20);
        assert_eq!(nearest_period(0), 10);
        let mut kit = Kit::new();
        let (mut m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Gt, 1.0);
        let p = kit.s("90s", 90);
        m.functions[0].alarms[0].period = p.clone();
        let d = one(&kit.run(&m), Code::E0409);
        assert_eq!(d.primary.span, p.span);
        assert_eq!(d.fixes[0].replacement, "2m");
    }

    #[test]
    fn datapoints_of_periods() {
        let mut kit = Kit::new();
        let (mut m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Gt, 1.0);
        m.functions[0].alarms[0].datapoints = kit.s("5", 5);
        m.functions[0].alarms[0].evaluation_periods = kit.s("5", 5);
        none(&kit.run(&m), Code::E0409);
        let n = kit.s("6", 6);
        m.functions[0].alarms[0].datapoints = n.clone();
        assert_eq!(one(&kit.run(&m), Code::E0409).primary.span, n.span);
    }

    #[test]
    fn evaluation_window_cap() {
        // 1m × 1440 = 1 day: allowed; 1441 is not. 1h periods may span 7 days.
        let mut kit = Kit::new();
        let (mut m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Gt, 1.0);
        m.functions[0].alarms[0].evaluation_periods = kit.s("1440", 1440);
        none(&kit.run(&m), Code::E0409);
        let e = kit.s("1441", 1441);
        m.functions[0].alarms[0].evaluation_periods = e.clone();
        assert_eq!(one(&kit.run(&m), Code::E0409).primary.span, e.span);
        m.functions[0].alarms[0].period = kit.s("1h", 3600);
        m.functions[0].alarms[0].evaluation_periods = kit.s("168", 168);
        none(&kit.run(&m), Code::E0409);
        m.functions[0].alarms[0].evaluation_periods = kit.s("169", 169);
        one(&kit.run(&m), Code::E0409);
    }

    #[test]
    fn notify_targets() {
        let mut kit = Kit::new();
        let (mut m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Gt, 1.0);
        let targets: Vec<S<_>> = (0..6)
            .map(|i| kit.res_ref(Kind::Topic, &format!("t{i}")))
            .collect();
        m.functions[0].alarms[0].notify = targets[..5].to_vec();
        none(&kit.run(&m), Code::E0440);
        m.functions[0].alarms[0].notify = targets.clone();
        assert_eq!(one(&kit.run(&m), Code::E0440).primary.span, targets[5].span);
    }

    #[test]
    fn metric_must_apply() {
        let mut kit = Kit::new();
        let (mut m, a) = with_alarm(&mut kit, FnMetric::IteratorAge, CmpOp::Gt, 60_000.0);
        let d = one(&kit.run(&m), Code::E0416);
        assert_eq!(d.primary.span, a.metric.span);
        assert_eq!(d.secondary[0].span, m.functions[0].name.span);
        let stream = kit.res_ref(Kind::Stream, "s");
        let t = kit.trigger(TriggerKind::Kinesis {
            stream,
            options: StreamOptions::default(),
        });
        m.functions[0].triggers.push(t);
        none(&kit.run(&m), Code::E0416);

        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::Spillover, CmpOp::Gt, 0.0);
        one(&kit.run(&m), Code::E0416);
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::AsyncEventAge, CmpOp::Gt, 1000.0);
        one(&kit.run(&m), Code::E0416);
    }

    #[test]
    fn duration_above_timeout_never_fires() {
        let mut kit = Kit::new();
        let (m, a) = with_alarm(&mut kit, FnMetric::Duration, CmpOp::Gt, 30_000.0);
        let d = one(&kit.run(&m), Code::W0504);
        assert_eq!(d.primary.span, a.threshold.span);
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::Duration, CmpOp::Gt, 29_999.0);
        none(&kit.run(&m), Code::W0504);
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::Duration, CmpOp::Ge, 30_000.0);
        none(&kit.run(&m), Code::W0504);
    }

    #[test]
    fn impossible_and_trivial_thresholds() {
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::ErrorRate, CmpOp::Gt, 100.0);
        one(&kit.run(&m), Code::W0504);
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::ErrorRate, CmpOp::Ge, 100.0);
        none(&kit.run(&m), Code::W0504);
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Lt, 0.0);
        one(&kit.run(&m), Code::W0504);
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Ge, 0.0);
        let d = one(&kit.run(&m), Code::W0504);
        assert_eq!(d.message, "alarm condition is always true");
        let mut kit = Kit::new();
        let (m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Gt, 0.0);
        none(&kit.run(&m), Code::W0504);
    }

    #[test]
    fn sub_minute_period_on_lambda_metric() {
        let mut kit = Kit::new();
        let (mut m, _) = with_alarm(&mut kit, FnMetric::Errors, CmpOp::Gt, 1.0);
        let p = kit.s("30s", 30);
        m.functions[0].alarms[0].period = p.clone();
        let diags = kit.run(&m);
        none(&diags, Code::E0409);
        assert_eq!(one(&diags, Code::W0504).primary.span, p.span);
    }
}
