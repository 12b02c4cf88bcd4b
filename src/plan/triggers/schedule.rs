//! `on schedule …` → an EventBridge rule (UTC `rate`/`cron`), or an EventBridge Scheduler
//! schedule when a time zone or `at(…)` is used, with the permission or role each needs.

use super::super::ctx::Ctx;
use super::super::iam::{policy_document, trust, Statement};
use super::super::tree::{Node, Props};
use super::super::Resource;
use super::{permission, Shared};
use crate::cron::{expression, uses_scheduler};
use crate::model::{Function, Trigger, TriggerKind, S};

pub fn lower(cx: &mut Ctx, shared: &mut Shared, f: &Function, t: &Trigger) {
    let TriggerKind::Schedule {
        expr,
        timezone,
        input,
        enabled,
    } = &t.kind
    else {
        return;
    };
    let name = f.name.value.as_str();
    let state = state(enabled.as_ref());
    let input = input.as_ref().map(|i| cx.json_text(&i.value));
    let target = cx.invoke_target(name);
    let use_scheduler = uses_scheduler(&expr.value, timezone.is_some());
    let id = cx.ids.alloc(&[name, "Schedule"]);
    if use_scheduler {
        let role_id = scheduler_role(cx, shared, name);
        let target = Props::new()
            .set("Arn", target)
            .set("RoleArn", Node::get_att(&role_id, "Arn"))
            .opt("Input", input);
        let props = Props::new()
            // SCH-04: no flexible window, the schedule fires at the time given.
            .set(
                "FlexibleTimeWindow",
                Props::new().set("Mode", Node::str("OFF")).node(),
            )
            .set("ScheduleExpression", Node::str(expression(&expr.value)))
            .opt(
                "ScheduleExpressionTimezone",
                timezone.as_ref().map(|z| Node::str(z.value.clone())),
            )
            .set("State", Node::str(state))
            .set("Target", target.node());
        cx.add(&id, Resource::new("AWS::Scheduler::Schedule", props));
    } else {
        let schedule = ("ScheduleExpression", Node::str(expression(&expr.value)));
        events_rule(cx, name, &id, schedule, state, input);
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
/// expression or its event pattern) matches, and the permission that lets the rule invoke
/// it (EVR-12).
pub(super) fn events_rule(
    cx: &mut Ctx,
    function: &str,
    id: &str,
    what: (&'static str, Node),
    state: &'static str,
    input: Option<Node>,
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
/// per function, shared by all its schedules.
fn scheduler_role(cx: &mut Ctx, shared: &mut Shared, function: &str) -> String {
    if let Some(id) = shared.scheduler_roles.get(function) {
        return id.clone();
    }
    let id = cx.ids.alloc(&[function, "SchedulerRole"]);
    let target = cx.invoke_target(function);
    let st = Statement::new(&["lambda:InvokeFunction"], vec![target]);
    let policy = Props::new()
        .set("PolicyName", Node::str("invoke"))
        .set("PolicyDocument", policy_document(&[st]))
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
