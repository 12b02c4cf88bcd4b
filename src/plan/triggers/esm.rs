//! SQS, DynamoDB and Kinesis → `AWS::Lambda::EventSourceMapping` plus the role statements
//! the poller needs (IP-02, IP-03, IP-04, IP-06).

use super::super::async_config::destination;
use super::super::ctx::Ctx;
use super::super::iam::Statement;
use super::super::tree::{Node, Props};
use super::super::Resource;
use crate::model::{
    Attr, Function, Pollers, ResRef, StartPosition, StreamOptions, Trigger, TriggerKind, Value, S,
};

pub fn lower(cx: &mut Ctx, f: &Function, t: &Trigger) {
    let name = f.name.value.as_str();
    let Some(role) = cx.fn_ids(name).map(|i| i.role.clone()) else {
        return;
    };
    let mapped = match &t.kind {
        TriggerKind::Sqs { queue, .. } => {
            sqs_props(cx, name, &t.kind).map(|p| (p, &queue.value, "Sqs"))
        }
        TriggerKind::DynamoDb { table, options } => {
            dynamodb_props(cx, name, &table.value, options).map(|p| (p, &table.value, "Dynamodb"))
        }
        TriggerKind::Kinesis { stream, options } => Some((
            kinesis_props(cx, name, &stream.value, options),
            &stream.value,
            "Kinesis",
        )),
        _ => None,
    };
    let Some((props, source, word)) = mapped else {
        return;
    };
    let props = props.opt("FilterCriteria", filter_criteria(cx, filters(&t.kind)));
    super::super::kms::reader(cx, name, source);
    let id = cx.ids.alloc(&[name, &source.name, word, "Mapping"]);
    add_mapping(cx, name, id, props, &role);
}

/// The event source mapping `id` of function `name`, created after the role's policy
/// (XR-17: Lambda checks the role's permissions when the mapping is created).
pub(super) fn add_mapping(cx: &mut Ctx, name: &str, id: String, props: Props, role: &str) {
    let res = Resource::new("AWS::Lambda::EventSourceMapping", props).depends_on(role);
    cx.add(&id, res);
    cx.policy_dependents
        .entry(name.to_string())
        .or_default()
        .push(id);
}

/// The mapping for a queue, and the role statement its poller needs (IP-02); `None` for
/// another trigger kind.
fn sqs_props(cx: &mut Ctx, name: &str, kind: &TriggerKind) -> Option<Props> {
    let TriggerKind::Sqs {
        queue,
        batch,
        window,
        max_concurrency,
        report_failures,
        pollers,
        ..
    } = kind
    else {
        return None;
    };
    let arn = cx.arn(&queue.value);
    // IP-02
    cx.statement(
        name,
        Statement::new(
            &[
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
            ],
            vec![arn.clone()],
        ),
    );
    // XR-08: no StartingPosition for SQS.
    let props = Props::new()
        .set("EventSourceArn", arn)
        .set("FunctionName", cx.invoke_target(name))
        .opt("BatchSize", batch.as_ref().map(|b| Node::int(b.value)))
        .opt(
            "MaximumBatchingWindowInSeconds",
            window.as_ref().map(|w| Node::int(w.value)),
        )
        // ESM-13
        .opt(
            "ScalingConfig",
            max_concurrency.as_ref().map(|m| {
                Props::new()
                    .set("MaximumConcurrency", Node::int(m.value))
                    .node()
            }),
        )
        .opt("FunctionResponseTypes", response_types(report_failures))
        .opt(
            "ProvisionedPollerConfig",
            pollers.as_ref().map(poller_config),
        );
    Some(props)
}

/// The mapping for a table's stream, and the role statement its poller needs (IP-04);
/// `None` for an existing table without a stream ARN.
fn dynamodb_props(cx: &mut Ctx, name: &str, table: &ResRef, o: &StreamOptions) -> Option<Props> {
    let stream_arn = if cx.res_id(table).is_some() {
        Some(cx.attr(table, Attr::StreamArn))
    } else {
        cx.existing_arn(table)
            .and_then(|arn| super::super::existing::table_stream_arn(cx, arn))
    };
    // The checker refuses an existing table without a stream ARN (E0421 in
    // rules/triggers.rs), so `None` leaves nothing to map.
    let arn = stream_arn?;
    // IP-04
    cx.statement(
        name,
        Statement::new(
            &[
                "dynamodb:DescribeStream",
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:ListStreams",
            ],
            vec![arn.clone()],
        ),
    );
    Some(stream_props(cx, name, arn, o))
}

/// The mapping for a Kinesis stream, and the role statement its poller needs (IP-03).
fn kinesis_props(cx: &mut Ctx, name: &str, stream: &ResRef, o: &StreamOptions) -> Props {
    let arn = cx.arn(stream);
    // IP-03
    cx.statement(
        name,
        Statement::new(
            &[
                "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary",
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:ListShards",
                "kinesis:SubscribeToShard",
            ],
            vec![arn.clone()],
        ),
    );
    stream_props(cx, name, arn, o)
}

/// ESM-14: provisioned mode, the fewest and most event pollers.
pub(super) fn poller_config(p: &S<Pollers>) -> Node {
    Props::new()
        .set("MinimumPollers", Node::int(p.value.min.value))
        .set("MaximumPollers", Node::int(p.value.max.value))
        .node()
}

/// The `filter` of a mapping's trigger.
fn filters(kind: &TriggerKind) -> Option<&S<Vec<Value>>> {
    match kind {
        TriggerKind::Sqs { filter, .. } => filter.as_ref(),
        TriggerKind::DynamoDb { options, .. } | TriggerKind::Kinesis { options, .. } => {
            options.filter.as_ref()
        }
        _ => None,
    }
}

/// ESM-15: `FilterCriteria.Filters`, each `Pattern` the JSON text of one pattern.
pub(super) fn filter_criteria(cx: &Ctx, filter: Option<&S<Vec<Value>>>) -> Option<Node> {
    let filters = filter?
        .value
        .iter()
        .map(|p| Props::new().set("Pattern", cx.json_text(p)).node())
        .collect();
    Some(Props::new().set("Filters", Node::List(filters)).node())
}

fn response_types(report: &Option<crate::model::S<bool>>) -> Option<Node> {
    // ESM-12
    report
        .as_ref()
        .filter(|r| r.value)
        .map(|_| Node::list_of_str(["ReportBatchItemFailures"]))
}

/// The mapping for a DynamoDB or Kinesis stream (ESM-03…ESM-12, ESM-17).
fn stream_props(cx: &mut Ctx, function: &str, arn: Node, o: &StreamOptions) -> Props {
    // XR-08/DDB-05: streams need a starting position; lamc's default is LATEST.
    let start = match o.start.as_ref().map(|s| s.value) {
        Some(StartPosition::TrimHorizon) => "TRIM_HORIZON",
        _ => "LATEST",
    };
    let on_failure = o.on_failure.as_ref().map(|d| {
        let dest = destination(cx, function, &d.value);
        Props::new()
            .set("OnFailure", Props::new().set("Destination", dest).node())
            .node()
    });
    Props::new()
        .set("EventSourceArn", arn)
        .set("FunctionName", cx.invoke_target(function))
        .set("StartingPosition", Node::str(start))
        .opt("BatchSize", o.batch.as_ref().map(|b| Node::int(b.value)))
        .opt(
            "MaximumBatchingWindowInSeconds",
            o.window.as_ref().map(|w| Node::int(w.value)),
        )
        .opt(
            "MaximumRetryAttempts",
            o.retries.as_ref().map(|r| Node::int(r.value)),
        )
        .opt(
            "BisectBatchOnFunctionError",
            o.bisect.as_ref().map(|b| Node::Bool(b.value)),
        )
        .opt(
            "MaximumRecordAgeInSeconds",
            o.max_age.as_ref().map(|a| Node::int(a.value)),
        )
        .opt(
            "ParallelizationFactor",
            o.parallelization.as_ref().map(|p| Node::int(p.value)),
        )
        .opt("DestinationConfig", on_failure)
        .opt("FunctionResponseTypes", response_types(&o.report_failures))
}
