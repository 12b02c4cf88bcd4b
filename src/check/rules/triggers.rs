//! Triggers: event source mappings (ESM-03…ESM-13, §9.2, XR-01/02/07/09), SQS FIFO
//! batches (XR-07), DynamoDB streams (DDB-01), SNS FIFO topics (SNS-02), HTTP timeouts
//! (AG-02, XR-11) and S3 notification overlaps (S3-03, in `s3`).

use crate::diag::{Code, Diagnostic};
use crate::model::{
    Function, Origin, QueueSpec, ResRef, Resource, Spec, StreamOptions, Trigger, TriggerKind, S,
};
use crate::source::Span;

use super::limit::{Because, Limit};
use super::lookup::Lookup;
use super::util::{check_bounds, fmt_seconds};
use super::RuleContext;
pub use crate::schema::limits::HTTP_API_TIMEOUT_S;
use crate::schema::limits::{
    ESM_BATCH, ESM_MAX_AGE_S, ESM_MAX_CONCURRENCY, ESM_PARALLELIZATION, ESM_RETRIES, ESM_WINDOW_S,
    FIFO_BATCH, QUEUE_VISIBILITY_S,
};

pub(crate) fn check(model: &Lookup, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        for t in &f.triggers {
            match &t.kind {
                TriggerKind::Http { .. } => http(f, t, out),
                TriggerKind::Sqs {
                    queue,
                    batch,
                    window,
                    max_concurrency,
                    ..
                } => {
                    let q = Sqs {
                        queue,
                        batch: batch.as_ref(),
                        window: window.as_ref(),
                    };
                    sqs(model, ctx, f, &q, out);
                    if let Some(m) = max_concurrency {
                        out.extend(check_bounds(
                            ctx,
                            Code::E0417,
                            "max_concurrency",
                            m,
                            &ESM_MAX_CONCURRENCY,
                        ));
                    }
                }
                TriggerKind::Sns { topic, .. } => sns(model, topic, out),
                TriggerKind::DynamoDb { table, options } => {
                    dynamodb_stream(model, table, out);
                    stream_options(ctx, options, out);
                }
                TriggerKind::Kinesis { options, .. } => stream_options(ctx, options, out),
                _ => {}
            }
        }
    }
    super::s3::check(model, out);
}

/// XR-11 / AG-02
fn http(f: &Function, t: &Trigger, out: &mut Vec<Diagnostic>) {
    let Some(timeout) = &f.timeout else { return };
    if timeout.value <= HTTP_API_TIMEOUT_S {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::W0503,
            t.span,
            format!(
                "http trigger on a function with a {} timeout",
                fmt_seconds(timeout.value)
            ),
        )
        .label(format!("the HTTP API gives up after {HTTP_API_TIMEOUT_S}s and answers 504"))
        .secondary(timeout.span, "timeout set here")
        .help("keep the timeout at 30s or less for HTTP, or hand long work to a queue and answer at once"),
    );
}

/// What is known about a queue that a trigger reads from.
struct QueueFacts<'a> {
    resource: &'a Resource,
    fifo: bool,
    spec: Option<&'a QueueSpec>,
}

fn queue_facts<'a>(model: &Lookup<'a>, r: &ResRef) -> Option<QueueFacts<'a>> {
    let resource = model.resource(r)?;
    Some(match &resource.origin {
        Origin::Created(Spec::Queue(spec)) => QueueFacts {
            resource,
            fifo: spec.is_fifo(),
            spec: Some(spec),
        },
        // SQS-07: FIFO queue names end in `.fifo`.
        Origin::Existing { arn } => QueueFacts {
            resource,
            fifo: arn.value.ends_with(".fifo"),
            spec: None,
        },
        Origin::Created(_) => return None,
    })
}

struct Sqs<'a> {
    queue: &'a S<ResRef>,
    batch: Option<&'a S<u64>>,
    window: Option<&'a S<u64>>,
}

fn sqs(model: &Lookup, ctx: &RuleContext, f: &Function, t: &Sqs, out: &mut Vec<Diagnostic>) {
    let Some(q) = queue_facts(model, &t.queue.value) else {
        return;
    };
    if let Some(w) = t.window {
        out.extend(check_bounds(
            ctx,
            Code::E0407,
            "batching window",
            w,
            &ESM_WINDOW_S,
        ));
    }
    if let Some(b) = t.batch {
        if q.fifo {
            // FIFO batches are smaller (XR-07). Reported as E0414 (a FIFO rule).
            if let Some(limit) = Limit::range(Code::E0414, "batch", b, &FIFO_BATCH) {
                let fifo = Because {
                    owner: "a FIFO queue",
                    span: q.resource.name_span,
                    label: "this queue is FIFO",
                };
                out.push(limit.because(fifo).diagnostic(ctx));
            }
        } else if let Some(d) = check_bounds(ctx, Code::E0407, "batch", b, &ESM_BATCH) {
            // ESM-03
            out.push(d);
        } else if b.value > FIFO_BATCH.hi && t.window.is_none_or(|w| w.value == 0) {
            // XR-09: standard queue, batch > 10 needs a batching window ≥ 1 s.
            let mut d = Diagnostic::new(
                Code::E0407,
                b.span,
                format!("batch {} needs a batching window", b.value),
            )
            .label(format!(
                "a batch over {} needs window = 1s or more",
                FIFO_BATCH.hi
            ))
            .help(format!(
                "add `window = 1s` (or more) to the trigger, or lower the batch to {}",
                FIFO_BATCH.hi
            ));
            if let Some(w) = t.window {
                d = d
                    .secondary(w.span, "window is 0")
                    .fix("use window = 1s", w.span, "1s");
            }
            out.push(d);
        }
    }
    visibility(f, t, &q, out);
}

/// XR-01 (error: Lambda rejects the mapping) and XR-02 (warning: 6 × timeout + window).
fn visibility(f: &Function, t: &Sqs, q: &QueueFacts, out: &mut Vec<Diagnostic>) {
    let Some(spec) = q.spec else { return };
    let vis = spec.visibility_seconds();
    let timeout = f.timeout_seconds();
    let window = t.window.map_or(0, |w| w.value);
    let recommended = timeout.saturating_mul(6).saturating_add(window);
    let (d, help) = if vis < timeout {
        shorter_than_timeout(t, q, vis, timeout, recommended)
    } else if vis < recommended {
        under_six_timeouts(t, q, vis, timeout, window)
    } else {
        return;
    };
    let (vis_span, vis_label) = visibility_note(q, spec, vis);
    let (timeout_span, timeout_label) = timeout_note(f, timeout);
    let mut d = d
        .secondary(vis_span, vis_label)
        .secondary(timeout_span, timeout_label)
        .help(help);
    if spec.visibility.is_some() && recommended <= QUEUE_VISIBILITY_S.hi {
        d = d.fix(
            format!("use visibility = {}", fmt_seconds(recommended)),
            vis_span,
            fmt_seconds(recommended),
        );
    }
    out.push(d);
}

/// XR-01: the queue hides a message for less than the function may run; with the help.
fn shorter_than_timeout(
    t: &Sqs,
    q: &QueueFacts,
    vis: u64,
    timeout: u64,
    recommended: u64,
) -> (Diagnostic, String) {
    let d = Diagnostic::new(
        Code::E0322,
        t.queue.span,
        format!(
            "queue `{}` hides messages for {}, less than the function's {} timeout",
            q.resource.name,
            fmt_seconds(vis),
            fmt_seconds(timeout)
        ),
    )
    .label("Lambda refuses to read from this queue");
    let help = format!(
        "set the queue's visibility to at least {} (6 × timeout + window)",
        fmt_seconds(recommended.min(QUEUE_VISIBILITY_S.hi))
    );
    (d, help)
}

/// XR-02: the visibility is under 6 × the timeout plus the window; with the help.
fn under_six_timeouts(
    t: &Sqs,
    q: &QueueFacts,
    vis: u64,
    timeout: u64,
    window: u64,
) -> (Diagnostic, String) {
    let recommended = timeout.saturating_mul(6).saturating_add(window);
    let d = Diagnostic::new(
        Code::W0502,
        t.queue.span,
        format!(
            "queue `{}` visibility timeout {} is under 6 × the function's timeout",
            q.resource.name,
            fmt_seconds(vis)
        ),
    )
    .label("messages may reappear while still being processed");
    let help = format!(
        "set the queue's visibility to at least {} (6 × {} + window {})",
        fmt_seconds(recommended),
        fmt_seconds(timeout),
        fmt_seconds(window)
    );
    (d, help)
}

/// Where the queue's visibility timeout comes from: its `visibility`, or its name when it
/// takes the default.
fn visibility_note(q: &QueueFacts, spec: &QueueSpec, vis: u64) -> (Span, String) {
    match &spec.visibility {
        Some(v) => (
            v.span,
            format!("visibility timeout is {}", fmt_seconds(vis)),
        ),
        None => (
            q.resource.name_span,
            format!("visibility timeout defaults to {}", fmt_seconds(vis)),
        ),
    }
}

/// Where the function's timeout comes from: its `timeout`, or its name for the default.
fn timeout_note(f: &Function, timeout: u64) -> (Span, String) {
    match &f.timeout {
        Some(v) => (
            v.span,
            format!("function timeout is {}", fmt_seconds(timeout)),
        ),
        None => (
            f.name.span,
            format!("function timeout defaults to {}", fmt_seconds(timeout)),
        ),
    }
}

/// SNS-02: Lambda cannot subscribe to a FIFO topic.
fn sns(model: &Lookup, topic: &S<ResRef>, out: &mut Vec<Diagnostic>) {
    let Some(r) = model.resource(&topic.value) else {
        return;
    };
    let fifo_at = match &r.origin {
        Origin::Created(Spec::Topic(spec)) => {
            spec.fifo.as_ref().filter(|f| f.value).map(|f| f.span)
        }
        Origin::Existing { arn } => arn.value.ends_with(".fifo").then_some(arn.span),
        Origin::Created(_) => None,
    };
    if let Some(span) = fifo_at {
        out.push(
            Diagnostic::new(
                Code::E0421,
                topic.span,
                format!("topic `{}` is FIFO and cannot invoke a function", r.name),
            )
            .label("SNS FIFO topics deliver only to SQS queues")
            .secondary(span, "the topic is FIFO here")
            .help("subscribe a FIFO queue to the topic and trigger the function from that queue with `on sqs`"),
        );
    }
}

/// DDB-01: the table must have a stream.
fn dynamodb_stream(model: &Lookup, table: &S<ResRef>, out: &mut Vec<Diagnostic>) {
    let Some(r) = model.resource(&table.value) else {
        return;
    };
    match &r.origin {
        Origin::Created(Spec::Table(spec)) if spec.stream.is_none() => out.push(
            Diagnostic::new(
                Code::E0421,
                table.span,
                format!("table `{}` has no stream", r.name),
            )
            .label("a DynamoDB trigger reads the table's stream")
            .secondary(r.name_span, "declared without `stream`")
            .help(format!("add `stream = new_and_old` to table {}", r.name)),
        ),
        // DDB-02: the mapping reads the stream, whose ARN a table ARN does not reveal.
        // An ARN with a parameter in it may be a stream ARN: it is taken as one.
        Origin::Existing { arn }
            if !arn.value.contains("/stream/") && !arn.value.has_unknown_text() =>
        {
            out.push(
                Diagnostic::new(
                    Code::E0421,
                    table.span,
                    format!("table `{}` has no known stream ARN", r.name),
                )
                .label("a DynamoDB trigger reads the table's stream")
                .secondary(arn.span, "declared by its table ARN")
                .help("declare the existing table by its stream ARN (…:table/NAME/stream/LABEL)"),
            )
        }
        _ => {}
    }
}

/// ESM-03, ESM-04: a poller's batch size and batching window (seconds), for every
/// source whose mapping takes both.
pub(super) fn batch_and_window(
    ctx: &RuleContext,
    batch: Option<&S<u64>>,
    window: Option<&S<u64>>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(b) = batch {
        out.extend(check_bounds(ctx, Code::E0407, "batch", b, &ESM_BATCH));
    }
    if let Some(w) = window {
        out.extend(check_bounds(
            ctx,
            Code::E0407,
            "batching window",
            w,
            &ESM_WINDOW_S,
        ));
    }
}

/// ESM-03/04/08/09/10 for Kinesis and DynamoDB streams.
fn stream_options(ctx: &RuleContext, o: &StreamOptions, out: &mut Vec<Diagnostic>) {
    batch_and_window(ctx, o.batch.as_ref(), o.window.as_ref(), out);
    if let Some(r) = &o.retries {
        out.extend(check_bounds(ctx, Code::E0417, "retries", r, &ESM_RETRIES));
    }
    if let Some(a) = &o.max_age {
        out.extend(check_bounds(ctx, Code::E0417, "max_age", a, &ESM_MAX_AGE_S));
    }
    if let Some(p) = &o.parallelization {
        out.extend(check_bounds(
            ctx,
            Code::E0417,
            "parallelization",
            p,
            &ESM_PARALLELIZATION,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{KeyType, Kind, Model, StreamView, TableSpec, TopicSpec};

    fn queue(kit: &mut Kit, name: &str, spec: QueueSpec) -> Resource {
        kit.resource(Kind::Queue, name, Spec::Queue(spec))
    }

    fn sqs_trigger(
        kit: &mut Kit,
        q: &str,
        batch: Option<u64>,
        window: Option<u64>,
    ) -> (Trigger, S<ResRef>, Option<S<u64>>) {
        let queue = kit.res_ref(Kind::Queue, q);
        let batch = batch.map(|b| kit.s(&b.to_string(), b));
        let window = window.map(|w| kit.s(&format!("{w}s"), w));
        let t = kit.trigger(TriggerKind::Sqs {
            queue: queue.clone(),
            batch: batch.clone(),
            window,
            max_concurrency: None,
            report_failures: None,
            pollers: None,
            filter: None,
        });
        (t, queue, batch)
    }

    fn fifo(kit: &mut Kit) -> QueueSpec {
        QueueSpec {
            fifo: Some(kit.s("true", true)),
            ..QueueSpec::default()
        }
    }

    #[test]
    fn standard_batch_boundaries() {
        let mut kit = Kit::new();
        let q = queue(&mut kit, "q", QueueSpec::default());
        let mut f = kit.function("f");
        let (ok, _, _) = sqs_trigger(&mut kit, "q", Some(10_000), Some(1));
        let (ten, _, _) = sqs_trigger(&mut kit, "q", Some(10), None);
        let (bad, _, b) = sqs_trigger(&mut kit, "q", Some(10_001), Some(1));
        f.triggers = vec![ok, ten, bad];
        let m = Model {
            resources: vec![q],
            ..model(vec![f])
        };
        let d = one(&kit.run(&m), Code::E0407);
        assert_eq!(Some(d.primary.span), b.map(|b| b.span));
    }

    #[test]
    fn standard_batch_over_ten_needs_window() {
        let mut kit = Kit::new();
        let q = queue(&mut kit, "q", QueueSpec::default());
        let mut f = kit.function("f");
        let (t, _, b) = sqs_trigger(&mut kit, "q", Some(11), None);
        f.triggers = vec![t];
        let m = Model {
            resources: vec![q],
            ..model(vec![f])
        };
        let d = one(&kit.run(&m), Code::E0407);
        assert_eq!(Some(d.primary.span), b.map(|b| b.span));
    }

    #[test]
    fn fifo_batch_is_at_most_ten() {
        let mut kit = Kit::new();
        let spec = fifo(&mut kit);
        let q = queue(&mut kit, "q", spec);
        let mut f = kit.function("f");
        let (ok, _, _) = sqs_trigger(&mut kit, "q", Some(10), None);
        let (bad, _, b) = sqs_trigger(&mut kit, "q", Some(11), Some(1));
        f.triggers = vec![ok, bad];
        let m = Model {
            resources: vec![q],
            ..model(vec![f])
        };
        let diags = kit.run(&m);
        let d = one(&diags, Code::E0414);
        assert_eq!(Some(d.primary.span), b.map(|b| b.span));
        assert_eq!(d.fixes[0].replacement, "10");
        assert!(
            d.message.ends_with("is out of range for a FIFO queue"),
            "{}",
            d.message
        );
        assert_eq!(d.primary.message, "above the maximum, 10");
        assert_eq!(d.secondary[0].message, "this queue is FIFO");
        none(&diags, Code::E0407);
    }

    #[test]
    fn existing_fifo_queue_by_arn() {
        let mut kit = Kit::new();
        let q = kit.existing(
            Kind::Queue,
            "q",
            "arn:aws:sqs:us-east-1:123456789012:q.fifo",
        );
        let mut f = kit.function("f");
        let (bad, _, _) = sqs_trigger(&mut kit, "q", Some(20), Some(1));
        f.triggers = vec![bad];
        let m = Model {
            resources: vec![q],
            ..model(vec![f])
        };
        one(&kit.run(&m), Code::E0414);
    }

    #[test]
    fn visibility_rules() {
        // timeout 30s: 6× = 180s. visibility 180s is fine, 179s warns, 29s is an error.
        for (vis, code) in [
            (180, None),
            (179, Some(Code::W0502)),
            (29, Some(Code::E0322)),
        ] {
            let mut kit = Kit::new();
            let v = kit.s(&format!("{vis}s"), vis);
            let q = queue(
                &mut kit,
                "q",
                QueueSpec {
                    visibility: Some(v.clone()),
                    ..QueueSpec::default()
                },
            );
            let mut f = kit.function("f");
            f.timeout = Some(kit.s("30s", 30));
            let (t, qref, _) = sqs_trigger(&mut kit, "q", None, None);
            f.triggers = vec![t];
            let m = Model {
                resources: vec![q],
                ..model(vec![f])
            };
            let diags = kit.run(&m);
            match code {
                None => {
                    none(&diags, Code::W0502);
                    none(&diags, Code::E0322);
                }
                Some(code) => {
                    let d = one(&diags, code);
                    assert_eq!(d.primary.span, qref.span);
                    assert_eq!(d.secondary[0].span, v.span);
                    assert_eq!(d.fixes[0].replacement, "3m");
                }
            }
        }
    }

    #[test]
    fn defaulted_visibility_points_at_queue_name() {
        // Default visibility 30s, timeout 10s: 6× = 60s → warning, label on the queue name.
        let mut kit = Kit::new();
        let q = queue(&mut kit, "q", QueueSpec::default());
        let name_span = q.name_span;
        let mut f = kit.function("f");
        f.timeout = Some(kit.s("10s", 10));
        let (t, _, _) = sqs_trigger(&mut kit, "q", None, Some(5));
        f.triggers = vec![t];
        let m = Model {
            resources: vec![q],
            ..model(vec![f])
        };
        let d = one(&kit.run(&m), Code::W0502);
        assert_eq!(d.secondary[0].span, name_span);
        assert!(d.fixes.is_empty());
        assert!(d.help.as_deref().is_some_and(|h| h.contains("65s")));
    }

    #[test]
    fn http_timeout_cap() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        f.timeout = Some(kit.s("30s", 30));
        let method = kit.s("GET", "GET".to_string());
        let path = kit.s("/x", "/x".to_string());
        let api = kit.s("default", "default".to_string());
        let t = kit.trigger(TriggerKind::Http {
            method,
            path,
            api,
            auth: None,
            scopes: Vec::new(),
            public: None,
        });
        f.triggers = vec![t.clone()];
        none(&kit.run(&model(vec![f.clone()])), Code::W0503);
        f.timeout = Some(kit.s("31s", 31));
        let d = one(&kit.run(&model(vec![f])), Code::W0503);
        assert_eq!(d.primary.span, t.span);
    }

    #[test]
    fn dynamodb_needs_stream() {
        let mut kit = Kit::new();
        let key = kit.s("id", ("id".to_string(), KeyType::String));
        let table = kit.resource(
            Kind::Table,
            "t",
            Spec::Table(TableSpec {
                key: key.clone(),
                sort: None,
                stream: None,
                ttl: None,
                pitr: None,
            }),
        );
        let name_span = table.name_span;
        let mut f = kit.function("f");
        let tref = kit.res_ref(Kind::Table, "t");
        f.triggers = vec![kit.trigger(TriggerKind::DynamoDb {
            table: tref.clone(),
            options: StreamOptions::default(),
        })];
        let m = Model {
            resources: vec![table],
            ..model(vec![f.clone()])
        };
        let d = one(&kit.run(&m), Code::E0421);
        assert_eq!(d.primary.span, tref.span);
        assert_eq!(d.secondary[0].span, name_span);

        let stream = Some(kit.s("new_and_old", StreamView::NewAndOld));
        let table = kit.resource(
            Kind::Table,
            "t",
            Spec::Table(TableSpec {
                key,
                sort: None,
                stream,
                ttl: None,
                pitr: None,
            }),
        );
        let m = Model {
            resources: vec![table],
            ..model(vec![f])
        };
        none(&kit.run(&m), Code::E0421);
    }

    #[test]
    fn sns_fifo_topic_cannot_trigger() {
        let mut kit = Kit::new();
        let fifo = Some(kit.s("true", true));
        let topic = kit.resource(
            Kind::Topic,
            "t",
            Spec::Topic(TopicSpec {
                fifo,
                ..TopicSpec::default()
            }),
        );
        let mut f = kit.function("f");
        let tref = kit.res_ref(Kind::Topic, "t");
        f.triggers = vec![kit.trigger(TriggerKind::Sns {
            topic: tref.clone(),
            filter: None,
        })];
        let m = Model {
            resources: vec![topic],
            ..model(vec![f.clone()])
        };
        assert_eq!(one(&kit.run(&m), Code::E0421).primary.span, tref.span);

        let topic = kit.resource(Kind::Topic, "t", Spec::Topic(TopicSpec::default()));
        let m = Model {
            resources: vec![topic],
            ..model(vec![f])
        };
        none(&kit.run(&m), Code::E0421);
    }

    #[test]
    fn stream_option_ranges() {
        let mut kit = Kit::new();
        let s = kit.resource(Kind::Stream, "s", Spec::Stream(Default::default()));
        let mut f = kit.function("f");
        let sref = kit.res_ref(Kind::Stream, "s");
        let ok = StreamOptions {
            batch: Some(kit.s("10000", 10_000)),
            window: Some(kit.s("5m", 300)),
            retries: Some(kit.s("10000", 10_000)),
            max_age: Some(kit.s("60s", 60)),
            parallelization: Some(kit.s("10", 10)),
            ..StreamOptions::default()
        };
        let bad = StreamOptions {
            batch: Some(kit.s("10001", 10_001)),
            window: Some(kit.s("301s", 301)),
            retries: Some(kit.s("10001", 10_001)),
            max_age: Some(kit.s("59s", 59)),
            parallelization: Some(kit.s("11", 11)),
            ..StreamOptions::default()
        };
        f.triggers = vec![
            kit.trigger(TriggerKind::Kinesis {
                stream: sref.clone(),
                options: ok,
            }),
            kit.trigger(TriggerKind::Kinesis {
                stream: sref,
                options: bad.clone(),
            }),
        ];
        let m = Model {
            resources: vec![s],
            ..model(vec![f])
        };
        let diags = kit.run(&m);
        let e407: Vec<_> = with_code(&diags, Code::E0407)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        let e417: Vec<_> = with_code(&diags, Code::E0417)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        let span = |o: &Option<S<u64>>| o.as_ref().map(|v| v.span).unwrap_or_default();
        assert_eq!(e407, vec![span(&bad.batch), span(&bad.window)]);
        assert_eq!(
            e417,
            vec![
                span(&bad.retries),
                span(&bad.max_age),
                span(&bad.parallelization)
            ]
        );
    }
}
