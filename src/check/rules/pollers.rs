//! `pollers = MIN..MAX`: an event source mapping in provisioned mode (ESM-14), which
//! excludes `max_concurrency` (ESM-13).

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Pollers, TriggerKind, S};
use crate::schema::limits::{
    Bounds, KAFKA_MAX_POLLERS, KAFKA_MIN_POLLERS, SQS_MAX_POLLERS, SQS_MIN_POLLERS,
};

use super::util::check_bounds;
use super::RuleContext;

pub(crate) fn check(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        for t in &f.triggers {
            match &t.kind {
                TriggerKind::Sqs {
                    pollers: Some(p),
                    max_concurrency,
                    ..
                } => {
                    pollers(ctx, p, (&SQS_MIN_POLLERS, &SQS_MAX_POLLERS), out);
                    if let Some(m) = max_concurrency {
                        out.push(with_max_concurrency(p, m));
                    }
                }
                TriggerKind::Kafka { options, .. } => {
                    if let Some(p) = &options.pollers {
                        pollers(ctx, p, (&KAFKA_MIN_POLLERS, &KAFKA_MAX_POLLERS), out);
                    }
                }
                _ => {}
            }
        }
    }
}

/// ESM-14: each end within its source's range, the minimum no more than the maximum.
fn pollers(
    ctx: &RuleContext,
    p: &S<Pollers>,
    (lo, hi): (&'static Bounds, &'static Bounds),
    out: &mut Vec<Diagnostic>,
) {
    let (min, max) = (&p.value.min, &p.value.max);
    out.extend(check_bounds(ctx, Code::E0417, "minimum pollers", min, lo));
    out.extend(check_bounds(ctx, Code::E0417, "maximum pollers", max, hi));
    if min.value > max.value {
        let swapped = format!("{}..{}", max.value, min.value);
        out.push(
            Diagnostic::new(
                Code::E0309,
                p.span,
                format!("pollers range {}..{} is reversed", min.value, max.value),
            )
            .label("the minimum is above the maximum")
            .help(format!(
                "write the fewest pollers first: `pollers = {swapped}`"
            ))
            .fix(format!("write {swapped}"), p.span, swapped),
        );
    }
}

/// ESM-13: provisioned mode and a concurrency cap exclude each other.
fn with_max_concurrency(p: &S<Pollers>, m: &S<u64>) -> Diagnostic {
    Diagnostic::new(
        Code::E0491,
        p.span,
        "`pollers` and `max_concurrency` cannot be set together",
    )
    .label("provisioned mode")
    .secondary(m.span, "a concurrency cap")
    .help("keep one: `pollers` sets the event pollers, `max_concurrency` caps on-demand polling")
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::Kind;
    use crate::source::Span;

    fn sqs(kit: &mut Kit, lo: u64, hi: u64, cap: Option<u64>) -> (Vec<Diagnostic>, S<Pollers>) {
        let mut f = kit.function("f");
        let min = kit.s(&lo.to_string(), lo);
        let max = kit.s(&hi.to_string(), hi);
        let p = kit.s(&format!("{lo}..{hi}"), Pollers { min, max });
        let max_concurrency = cap.map(|c| kit.s(&c.to_string(), c));
        let queue = kit.res_ref(Kind::Queue, "jobs");
        f.triggers = vec![kit.trigger(TriggerKind::Sqs {
            queue,
            batch: None,
            window: None,
            max_concurrency,
            report_failures: None,
            pollers: Some(p.clone()),
            filter: None,
        })];
        (kit.run(&model(vec![f])), p)
    }

    #[test]
    fn each_end_has_its_range() {
        let mut kit = Kit::new();
        let (d, _) = sqs(&mut kit, 2, 10_000, None);
        none(&d, Code::E0417);
        let (d, p) = sqs(&mut kit, 1, 10_001, None);
        let spans: Vec<Span> = with_code(&d, Code::E0417)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        assert_eq!(spans, vec![p.value.min.span, p.value.max.span]);
        let (d, p) = sqs(&mut kit, 201, 300, None);
        assert_eq!(one(&d, Code::E0417).primary.span, p.value.min.span);
    }

    #[test]
    fn a_reversed_range_is_refused_with_its_swap() {
        let mut kit = Kit::new();
        let (d, p) = sqs(&mut kit, 20, 2, None);
        let e = one(&d, Code::E0309);
        assert_eq!(e.primary.span, p.span);
        assert_eq!(e.fixes[0].replacement, "2..20");
    }

    #[test]
    fn pollers_exclude_max_concurrency() {
        let mut kit = Kit::new();
        let (d, p) = sqs(&mut kit, 2, 20, Some(50));
        let e = one(&d, Code::E0491);
        assert_eq!(e.primary.span, p.span);
        assert_eq!(e.secondary.len(), 1);
        let (d, _) = sqs(&mut kit, 2, 20, None);
        none(&d, Code::E0491);
    }
}
