//! `on schedule …` → an EventBridge rule (UTC `rate`/`cron`), or an EventBridge Scheduler
//! schedule when a time zone or `at(…)` is used, with the permission or role each needs.

use super::super::ctx::Ctx;
use super::super::iam::{policy_document, trust, Statement};
use super::super::tree::{Node, Props};
use super::super::Resource;
use super::{permission, Shared};
use crate::cron::expression;
use crate::model::{DeployStr, Function, ResRef, ScheduleOptions, Trigger, TriggerKind, S};

pub fn lower(cx: &mut Ctx, shared: &mut Shared, f: &Function, t: &Trigger) {
    let TriggerKind::Schedule {
        expr,
        timezone,
        input,
        enabled,
        options,
    } = &t.kind
    else {
        return;
    };
    let name = f.name.value.as_str();
    let state = state(enabled.as_ref());
    let input = input.as_ref().map(|i| cx.json_text(&i.value));
    if t.kind.uses_scheduler() {
        // CFN-21: a rule and a Scheduler schedule never share a logical ID, so adding a
        // time zone or a Scheduler option replaces the rule instead of failing the update.
        let id = cx.ids.alloc(&[name, "Scheduler", "Schedule"]);
        let role_id = scheduler_role(cx, shared, f);
        let target = Props::new()
            .set("Arn", cx.invoke_target(name))
            .set("RoleArn", Node::get_att(&role_id, "Arn"))
            .opt("Input", input)
            .opt("RetryPolicy", retry_policy(options))
            .opt(
                "DeadLetterConfig",
                options
                    .on_failure
                    .as_ref()
                    .map(|q| Props::new().set("Arn", cx.arn(&q.value)).node()),
            );
        let props = Props::new()
            .opt("Name", options.name.as_ref().map(|n| cx.text(&n.value)))
            .opt(
                "GroupName",
                options.group.as_ref().map(|g| cx.text(&g.value)),
            )
            .set("FlexibleTimeWindow", flexible_window(options))
            .set("ScheduleExpression", Node::str(expression(&expr.value)))
            .opt(
                "ScheduleExpressionTimezone",
                timezone.as_ref().map(|z| Node::str(z.value.clone())),
            )
            .opt("StartDate", options.start.as_ref().map(|d| utc_date(cx, d)))
            .opt("EndDate", options.end.as_ref().map(|d| utc_date(cx, d)))
            .set("State", Node::str(state))
            .set("Target", target.node());
        cx.add(&id, Resource::new("AWS::Scheduler::Schedule", props));
    } else {
        let id = cx.ids.alloc(&[name, "Schedule"]);
        let schedule = ("ScheduleExpression", Node::str(expression(&expr.value)));
        let rule_name = options.name.as_ref().map(|n| cx.text(&n.value));
        events_rule(cx, name, &id, schedule, state, input, rule_name);
    }
}

/// SCH-04: no window fires at the time given; `window` lets Scheduler spread invocations
/// over that many minutes after it.
fn flexible_window(o: &ScheduleOptions) -> Node {
    match &o.window {
        Some(w) => Props::new()
            .set("Mode", Node::str("FLEXIBLE"))
            .set("MaximumWindowInMinutes", Node::int(w.value / 60))
            .node(),
        None => Props::new().set("Mode", Node::str("OFF")).node(),
    }
}

/// SCH-08: how often and how long Scheduler retries a failed invocation.
fn retry_policy(o: &ScheduleOptions) -> Option<Node> {
    if o.retries.is_none() && o.max_age.is_none() {
        return None;
    }
    let props = Props::new()
        .opt(
            "MaximumEventAgeInSeconds",
            o.max_age.as_ref().map(|a| Node::int(a.value)),
        )
        .opt(
            "MaximumRetryAttempts",
            o.retries.as_ref().map(|r| Node::int(r.value)),
        );
    Some(props.node())
}

/// SCH-06: `StartDate`/`EndDate` are UTC date-times; lamc writes them as such (`…Z`).
fn utc_date(cx: &Ctx, d: &S<DeployStr>) -> Node {
    match d.value.as_literal() {
        Some(text) if !text.ends_with('Z') => Node::str(format!("{text}Z")),
        _ => cx.text(&d.value),
    }
}

/// `State` of a rule or schedule: enabled unless `enabled = false`.
pub(super) fn state(enabled: Option<&S<bool>>) -> &'static str {
    if enabled.is_none_or(|e| e.value) {
        "ENABLED"
    } else {
        "DISABLED"
    }
}

/// An `AWS::Events::Rule` invoking `function` (its alias if any) when `what` (its schedule
/// expression or its event pattern) matches, named `rule_name` when one is given (EVR-01),
/// and the permission that lets the rule invoke it (EVR-12).
pub(super) fn events_rule(
    cx: &mut Ctx,
    function: &str,
    id: &str,
    what: (&'static str, Node),
    state: &'static str,
    input: Option<Node>,
    rule_name: Option<Node>,
) {
    // EVR-05: target IDs are 1–64 of [.-_A-Za-z0-9].
    let mut target_id = format!("{function}-target").replace(
        |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
        "",
    );
    target_id.truncate(64);
    let target = Props::new()
        .set("Arn", cx.invoke_target(function))
        .set("Id", Node::str(target_id))
        .opt("Input", input);
    let props = Props::new()
        .opt("Name", rule_name)
        .set(what.0, what.1)
        .set("State", Node::str(state))
        .set("Targets", Node::List(vec![target.node()]));
    cx.add(id, Resource::new("AWS::Events::Rule", props));
    let perm =
        permission(cx, function, "events.amazonaws.com").set("SourceArn", Node::get_att(id, "Arn"));
    let perm_id = cx.ids.alloc(&[id, "Permission"]);
    cx.add(&perm_id, Resource::new("AWS::Lambda::Permission", perm));
}

/// The role EventBridge Scheduler assumes to invoke this function (IP-12, SCH-12): one
/// per function, shared by all its schedules, allowed to send to their dead-letter queues.
fn scheduler_role(cx: &mut Ctx, shared: &mut Shared, f: &Function) -> String {
    let function = f.name.value.as_str();
    if let Some(id) = shared.scheduler_roles.get(function) {
        return id.clone();
    }
    let id = cx.ids.alloc(&[function, "SchedulerRole"]);
    let target = cx.invoke_target(function);
    let mut statements = vec![Statement::new(&["lambda:InvokeFunction"], vec![target])];
    let queues = dead_letter_queues(f);
    if !queues.is_empty() {
        let arns = queues.iter().map(|q| cx.arn(q)).collect();
        statements.push(Statement::new(&["sqs:SendMessage"], arns));
    }
    let policy = Props::new()
        .set("PolicyName", Node::str("invoke"))
        .set("PolicyDocument", policy_document(&statements))
        .node();
    let props = Props::new()
        .set("AssumeRolePolicyDocument", trust("scheduler.amazonaws.com"))
        .set("Policies", Node::List(vec![policy]))
        .opt("Tags", cx.tags(&Default::default()));
    cx.add(&id, Resource::new("AWS::IAM::Role", props));
    shared
        .scheduler_roles
        .insert(function.to_string(), id.clone());
    id
}

/// The dead-letter queues of a function's Scheduler schedules, each once, in order.
fn dead_letter_queues(f: &Function) -> Vec<&ResRef> {
    let mut out: Vec<&ResRef> = Vec::new();
    for t in &f.triggers {
        if let TriggerKind::Schedule { options, .. } = &t.kind {
            let queue = options.on_failure.as_ref().map(|q| &q.value);
            if let Some(q) = queue.filter(|q| !out.contains(q) && t.kind.uses_scheduler()) {
                out.push(q);
            }
        }
    }
    out
}
