//! Resources other than functions: queues (SQS-01/02/03/10/11), streams (KIN-02, KIN-03),
//! buckets (lifecycle expiry), and the ARNs of existing resources (E0418).

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, Kind, Origin, QueueSpec, Resource, Spec, StreamSpec};
use crate::source::Span;

use super::arns::{example_for, resource_arn_text_problem};
use super::lookup::Lookup;
use super::util::check_bounds;
use super::RuleContext;
use crate::schema::limits::{
    BUCKET_EXPIRE_DAYS, QUEUE_DELAY_S, QUEUE_MAX_RECEIVES, QUEUE_RETENTION_S, QUEUE_VISIBILITY_S,
    STREAM_RETENTION_H, STREAM_SHARDS,
};

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for r in &model.resources {
        match &r.origin {
            Origin::Existing { arn } => {
                if let Some(problem) = resource_arn_text_problem(r.kind, &arn.value) {
                    out.push(
                        Diagnostic::new(
                            Code::E0418,
                            arn.span,
                            format!("not a valid {} ARN", r.kind.as_str()),
                        )
                        .label(problem)
                        .secondary(
                            r.name_span,
                            format!("existing {} declared here", r.kind.as_str()),
                        )
                        .help(format!("use an ARN like {}", example_for(r.kind))),
                    );
                } else if r.kind == Kind::Resource {
                    out.extend(kind_of_its_own(r, &arn.value));
                }
            }
            Origin::Created(Spec::Queue(q)) => queue(model, ctx, r, q, out),
            Origin::Created(Spec::Stream(s)) => stream(ctx, s, out),
            Origin::Created(Spec::Bucket(b)) => {
                if let Some(e) = &b.expire_days {
                    out.extend(check_bounds(
                        ctx,
                        Code::E0417,
                        "expire",
                        e,
                        &BUCKET_EXPIRE_DAYS,
                    ));
                }
            }
            Origin::Created(_) => {}
        }
    }
}

fn queue(
    model: &Lookup,
    ctx: &RuleContext,
    r: &Resource,
    q: &QueueSpec,
    out: &mut Vec<Diagnostic>,
) {
    queue_bounds(ctx, q, out);
    dead_letter_kind(model, r, q, out);
}

/// E0417 for each of the queue's numbers out of its range.
fn queue_bounds(ctx: &RuleContext, q: &QueueSpec, out: &mut Vec<Diagnostic>) {
    if let Some(v) = &q.visibility {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "visibility",
            v,
            &QUEUE_VISIBILITY_S,
        ));
    }
    if let Some(v) = &q.retention {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "retention",
            v,
            &QUEUE_RETENTION_S,
        ));
    }
    if let Some(v) = &q.delay {
        out.extend(check_bounds(ctx, Code::E0417, "delay", v, &QUEUE_DELAY_S));
    }
    if let Some(v) = &q.max_receives {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "max_receives",
            v,
            &QUEUE_MAX_RECEIVES,
        ));
    }
}

/// SQS-11 / XR-10: a queue and its dead-letter queue are both FIFO or both standard (E0414).
fn dead_letter_kind(model: &Lookup, r: &Resource, q: &QueueSpec, out: &mut Vec<Diagnostic>) {
    let Some(dlq_ref) = &q.dead_letter else {
        return;
    };
    let Some(dlq) = model.resource(&dlq_ref.value) else {
        return;
    };
    let dlq_fifo = match &dlq.origin {
        Origin::Created(Spec::Queue(d)) => d.is_fifo(),
        Origin::Existing { arn } => arn.value.ends_with(".fifo"),
        Origin::Created(_) => return,
    };
    if dlq_fifo != q.is_fifo() {
        let kind = |fifo: bool| if fifo { "FIFO" } else { "standard" };
        out.push(
            Diagnostic::new(
                Code::E0414,
                dlq_ref.span,
                format!(
                    "{} queue `{}` cannot use {} queue `{}` as its dead-letter queue",
                    kind(q.is_fifo()),
                    r.name,
                    kind(dlq_fifo),
                    dlq.name
                ),
            )
            .label(format!("`{}` is {}", dlq.name, kind(dlq_fifo)))
            .secondary(dlq.name_span, format!("`{}` declared here", dlq.name))
            .help(format!(
                "use a {} dead-letter queue for `{}`",
                kind(q.is_fifo()),
                r.name
            )),
        );
    }
}

fn stream(ctx: &RuleContext, s: &StreamSpec, out: &mut Vec<Diagnostic>) {
    if let Some(v) = &s.shards {
        out.extend(check_bounds(ctx, Code::E0417, "shards", v, &STREAM_SHARDS));
    }
    if let Some(v) = &s.retention_hours {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "retention",
            v,
            &STREAM_RETENTION_H,
        ));
    }
}

/// W0565: `resource x from "arn:aws:sqs:…"` names a resource of a service lamc has a kind
/// for: declared as that kind, it could be a trigger's source, and `allow` would write
/// the ARNs that kind's actions need.
fn kind_of_its_own(r: &Resource, arn: &DeployStr) -> Option<Diagnostic> {
    // Only an ARN known whole has the shape of one kind's ARNs (a Lambda ARN may be a
    // layer's, not a function's).
    let (known, true) = arn.known_prefix() else {
        return None;
    };
    let service = crate::arn::parse(&known)?.service;
    let kind = crate::check::ALL_KINDS
        .iter()
        .copied()
        .filter(|k| !matches!(k, Kind::Resource | Kind::Function))
        .filter(|k| super::arns::service_for(*k) == service)
        .find(|k| super::arns::resource_arn_problem(*k, &known).is_none())?;
    let word = kind.as_str();
    Some(
        Diagnostic::new(
            Code::W0565,
            r.name_span,
            format!("`resource {}` is a {word}", r.name),
        )
        .label(format!("its ARN is an `arn:aws:{service}:…` ARN"))
        .help(format!(
            "declare it as `{word} {} from \"…\"` and refer to it as `{word}.{}`",
            r.name, r.name
        ))
        .fix(
            format!("declare it as a {word}"),
            Span::new(r.span.file, r.span.start, r.name_span.start),
            format!("{word} "),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{BucketSpec, Kind, Model};

    fn with(resources: Vec<Resource>) -> Model {
        Model {
            resources,
            ..Model::default()
        }
    }

    #[test]
    fn queue_ranges() {
        let mut kit = Kit::new();
        let ok = QueueSpec {
            visibility: Some(kit.s("12h", 43_200)),
            retention: Some(kit.s("60s", 60)),
            delay: Some(kit.s("15m", 900)),
            max_receives: Some(kit.s("1000", 1000)),
            ..QueueSpec::default()
        };
        let bad = QueueSpec {
            visibility: Some(kit.s("43201s", 43_201)),
            retention: Some(kit.s("15d", 1_296_000)),
            delay: Some(kit.s("901s", 901)),
            max_receives: Some(kit.s("0", 0)),
            ..QueueSpec::default()
        };
        let m = with(vec![
            kit.resource(Kind::Queue, "ok", Spec::Queue(ok)),
            kit.resource(Kind::Queue, "bad", Spec::Queue(bad.clone())),
        ]);
        let diags = kit.run(&m);
        let spans: Vec<_> = with_code(&diags, Code::E0417)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        let s = |v: &Option<crate::model::S<u64>>| v.as_ref().map(|v| v.span).unwrap_or_default();
        assert_eq!(
            spans,
            vec![
                s(&bad.visibility),
                s(&bad.retention),
                s(&bad.delay),
                s(&bad.max_receives)
            ]
        );
        let fixes: Vec<_> = with_code(&diags, Code::E0417)
            .iter()
            .map(|d| d.fixes[0].replacement.clone())
            .collect();
        assert_eq!(fixes, vec!["12h", "14d", "15m", "1"]);
    }

    #[test]
    fn dead_letter_must_match_fifo() {
        let mut kit = Kit::new();
        let dlq = kit.resource(Kind::Queue, "dlq", Spec::Queue(QueueSpec::default()));
        let dlq_ref = kit.res_ref(Kind::Queue, "dlq");
        let fifo = Some(kit.s("true", true));
        let src = kit.resource(
            Kind::Queue,
            "orders",
            Spec::Queue(QueueSpec {
                fifo: fifo.clone(),
                dead_letter: Some(dlq_ref.clone()),
                ..QueueSpec::default()
            }),
        );
        let d = one(&kit.run(&with(vec![dlq.clone(), src])), Code::E0414);
        assert_eq!(d.primary.span, dlq_ref.span);
        assert_eq!(d.secondary[0].span, dlq.name_span);

        let fifo_dlq = kit.resource(
            Kind::Queue,
            "dlq",
            Spec::Queue(QueueSpec {
                fifo: fifo.clone(),
                ..QueueSpec::default()
            }),
        );
        let src = kit.resource(
            Kind::Queue,
            "orders",
            Spec::Queue(QueueSpec {
                fifo,
                dead_letter: Some(dlq_ref),
                ..QueueSpec::default()
            }),
        );
        none(&kit.run(&with(vec![fifo_dlq, src])), Code::E0414);
    }

    #[test]
    fn stream_ranges() {
        let mut kit = Kit::new();
        let ok = StreamSpec {
            shards: Some(kit.s("1", 1)),
            retention_hours: Some(kit.s("8760h", 8760)),
            ..StreamSpec::default()
        };
        let bad = StreamSpec {
            shards: Some(kit.s("0", 0)),
            retention_hours: Some(kit.s("23h", 23)),
            ..StreamSpec::default()
        };
        let m = with(vec![
            kit.resource(Kind::Stream, "ok", Spec::Stream(ok)),
            kit.resource(Kind::Stream, "bad", Spec::Stream(bad)),
        ]);
        assert_eq!(with_code(&kit.run(&m), Code::E0417).len(), 2);
    }

    #[test]
    fn bucket_expiry() {
        let mut kit = Kit::new();
        let ok = BucketSpec {
            expire_days: Some(kit.s("1d", 1)),
            ..BucketSpec::default()
        };
        let v = kit.s("0d", 0);
        let bad = BucketSpec {
            expire_days: Some(v.clone()),
            ..BucketSpec::default()
        };
        let m = with(vec![
            kit.resource(Kind::Bucket, "ok", Spec::Bucket(ok)),
            kit.resource(Kind::Bucket, "bad", Spec::Bucket(bad)),
        ]);
        let d = one(&kit.run(&m), Code::E0417);
        assert_eq!(d.primary.span, v.span);
        // No upper bound: the help names only the lower one.
        assert_eq!(d.primary.message, "below the minimum, 1d");
        assert_eq!(d.help.as_deref(), Some("use 1d or more"));
    }

    #[test]
    fn existing_arn_for_wrong_service() {
        let mut kit = Kit::new();
        let good = kit.existing(Kind::Queue, "a", "arn:aws:sqs:us-east-1:123456789012:a");
        let bad = kit.existing(Kind::Queue, "q", "arn:aws:sns:us-east-1:123456789012:q");
        let arn_span = match &bad.origin {
            Origin::Existing { arn } => arn.span,
            _ => Default::default(),
        };
        let d = one(&kit.run(&with(vec![good, bad])), Code::E0418);
        assert_eq!(d.primary.span, arn_span);
        assert!(d.secondary.len() == 1);
    }
}
