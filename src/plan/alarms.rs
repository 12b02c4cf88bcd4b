//! Alarms → `AWS::CloudWatch::Alarm`: Lambda metrics in `AWS/Lambda` (MET-xx), queue metrics
//! in `AWS/SQS`, and `error_rate` as metric math over errors and invocations (CW-01/CW-02).

use super::ctx::Ctx;
use super::tree::{Node, Props};
use super::Resource;
use crate::model::{Alarm, Attr, FnMetric, Metric, MissingData, Stat};
use crate::schema::{
    COMPARISON, COMPARISONS, MISSING_DATA, MISSING_DATA_VALUES, STATISTIC, STATISTICS,
};
use crate::syntax::ast::CmpOp;

pub fn lower_all(cx: &mut Ctx) {
    let model = cx.model;
    for f in &model.functions {
        cx.current = Some(f.name.value.as_str());
        for a in &f.alarms {
            lower(cx, a);
        }
        cx.current = None;
    }
    for a in &model.alarms {
        lower(cx, a);
    }
}

fn logical_id(cx: &mut Ctx, a: &Alarm) -> String {
    if let Some(n) = &a.name {
        return cx.ids.alloc(&[&n.value, "Alarm"]);
    }
    match &a.metric.value {
        Metric::Function { function, metric } => {
            cx.ids.alloc(&[function, metric.as_str(), "Alarm"])
        }
        Metric::QueueVisible { queue } => cx.ids.alloc(&[&queue.name, "Queue", "Visible", "Alarm"]),
        Metric::QueueAge { queue } => cx.ids.alloc(&[&queue.name, "Queue", "Age", "Alarm"]),
    }
}

/// What an alarm watches, in CloudWatch's terms.
struct Watched {
    namespace: &'static str,
    metric_name: &'static str,
    dims: Vec<Node>,
    /// The threshold in the metric's own unit.
    threshold: f64,
}

fn lower(cx: &mut Ctx, a: &Alarm) {
    let id = logical_id(cx, a);
    let w = watched(cx, a);
    let is_rate = matches!(
        a.metric.value,
        Metric::Function {
            metric: FnMetric::ErrorRate,
            ..
        }
    );
    let mut p = Props::new().opt(
        "AlarmDescription",
        a.description.as_ref().map(|d| cx.text(&d.value)),
    );
    if is_rate {
        p.put("Metrics", error_rate(a, &w));
    } else {
        p = p
            .set("Namespace", Node::str(w.namespace))
            .set("MetricName", Node::str(w.metric_name))
            .set("Dimensions", Node::List(w.dims));
        // CW-03
        match &a.stat.value {
            Stat::Percentile(pct) => p.put("ExtendedStatistic", Node::str(pct.clone())),
            other => p.put("Statistic", Node::str(statistic(other))),
        }
        p.put("Period", Node::int(a.period.value));
    }
    p = p
        .set("EvaluationPeriods", Node::int(a.evaluation_periods.value))
        .set("DatapointsToAlarm", Node::int(a.datapoints.value))
        .set("Threshold", Node::float(w.threshold))
        .set("ComparisonOperator", Node::str(operator(a.op.value)))
        .opt(
            "TreatMissingData",
            a.missing.as_ref().map(|m| Node::str(missing(m.value))),
        );
    if !a.notify.is_empty() {
        let actions = a.notify.iter().map(|n| cx.arn(&n.value)).collect();
        p.put("AlarmActions", Node::List(actions));
    }
    let p = p.opt("Tags", cx.tags(&Default::default()));
    cx.add(&id, Resource::new("AWS::CloudWatch::Alarm", p));
}

fn watched(cx: &Ctx, a: &Alarm) -> Watched {
    match &a.metric.value {
        Metric::Function { function, metric } => Watched {
            namespace: "AWS/Lambda",
            metric_name: metric.cloudwatch_name(),
            dims: function_dimensions(cx, function, *metric),
            // MET-15: provisioned utilisation is a ratio (0–1); lamc writes percent.
            threshold: if *metric == FnMetric::ProvisionedUtilization {
                a.threshold.value / 100.0
            } else {
                a.threshold.value
            },
        },
        Metric::QueueVisible { queue } => Watched {
            namespace: "AWS/SQS",
            metric_name: "ApproximateNumberOfMessagesVisible",
            dims: vec![dimension("QueueName", cx.attr(queue, Attr::Name))],
            threshold: a.threshold.value,
        },
        Metric::QueueAge { queue } => Watched {
            namespace: "AWS/SQS",
            metric_name: "ApproximateAgeOfOldestMessage",
            dims: vec![dimension("QueueName", cx.attr(queue, Attr::Name))],
            // CloudWatch reports the age in seconds; lamc stores durations in ms.
            threshold: a.threshold.value / 1000.0,
        },
    }
}

/// The metric math of `error_rate`: errors and invocations summed over the period, and
/// their ratio in percent, which is what the alarm compares.
fn error_rate(a: &Alarm, w: &Watched) -> Node {
    let stat = |mid: &str, metric: &str| {
        let m = Props::new()
            .set("Namespace", Node::str(w.namespace))
            .set("MetricName", Node::str(metric.to_string()))
            .set("Dimensions", Node::List(w.dims.clone()))
            .node();
        Props::new()
            .set("Id", Node::str(mid.to_string()))
            .set(
                "MetricStat",
                Props::new()
                    .set("Metric", m)
                    .set("Period", Node::int(a.period.value))
                    .set("Stat", Node::str("Sum"))
                    .node(),
            )
            .set("ReturnData", Node::Bool(false))
            .node()
    };
    let expr = Props::new()
        .set("Id", Node::str("error_rate"))
        .set("Expression", Node::str("100 * errors / invocations"))
        .set("Label", Node::str("error rate (%)"))
        .set("ReturnData", Node::Bool(true))
        .node();
    Node::List(vec![
        stat("errors", "Errors"),
        stat("invocations", "Invocations"),
        expr,
    ])
}

fn dimension(name: &str, value: Node) -> Node {
    Props::new()
        .set("Name", Node::str(name.to_string()))
        .set("Value", value)
        .node()
}

/// `FunctionName`, plus `Resource = <fn>:<alias>` for the metrics of provisioned concurrency,
/// which CloudWatch publishes per alias.
fn function_dimensions(cx: &Ctx, function: &str, metric: FnMetric) -> Vec<Node> {
    let Some(ids) = cx.fn_ids(function) else {
        return vec![dimension("FunctionName", Node::str(function.to_string()))];
    };
    let mut dims = vec![dimension("FunctionName", Node::ref_(&ids.function))];
    if metric.per_alias() && ids.alias.is_some() {
        dims.push(dimension(
            "Resource",
            Node::sub(format!("${{{}}}:{}", ids.function, ids.alias_name)),
        ));
    }
    dims
}

/// CW-03: a named statistic's CloudFormation word (a percentile is an
/// `ExtendedStatistic`, written as it is).
fn statistic(s: &Stat) -> &'static str {
    STATISTIC.cfn_of(STATISTICS, s).unwrap_or("SampleCount")
}

/// CW-05
fn operator(op: CmpOp) -> &'static str {
    COMPARISON.cfn_of(COMPARISONS, &op).unwrap_or_default()
}

/// CW-06
fn missing(m: MissingData) -> &'static str {
    MISSING_DATA
        .cfn_of(MISSING_DATA_VALUES, &m)
        .unwrap_or_default()
}
