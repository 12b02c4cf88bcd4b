//! `on …` triggers → event source mappings, subscriptions, notifications, rules, schedules
//! and HTTP routes, each with the permission or role statements it needs. Every trigger
//! invokes [`Ctx::invoke_target`]: the `live` alias when there is one, never `$LATEST`.

mod esm;
mod event;
mod http;
mod kafka;
mod s3;
mod schedule;
mod sns;

use super::ctx::Ctx;
use super::tree::{Node, Props};
use crate::model::TriggerKind;

/// Lowering state shared across functions (resources created once per pair).
#[derive(Default)]
pub struct Shared {
    /// (api, function) → integration ID.
    integrations: std::collections::BTreeMap<(String, String), String>,
    /// (function, bucket) → S3 permission ID.
    s3_permissions: std::collections::BTreeMap<(String, String), String>,
    /// function → scheduler role ID.
    scheduler_roles: std::collections::BTreeMap<String, String>,
    /// (api, auth) → authorizer ID.
    authorizers: super::auth::Authorizers,
}

pub fn lower_all(cx: &mut Ctx) {
    let mut shared = Shared::default();
    let model = cx.model;
    for f in &model.functions {
        cx.current = Some(f.name.value.as_str());
        for t in &f.triggers {
            match &t.kind {
                TriggerKind::Sqs { .. }
                | TriggerKind::DynamoDb { .. }
                | TriggerKind::Kinesis { .. } => esm::lower(cx, f, t),
                TriggerKind::Sns { topic, filter } => sns::lower(cx, f, topic, filter.as_ref()),
                TriggerKind::S3 { .. } => s3::lower(cx, &mut shared, f, t),
                TriggerKind::Schedule { .. } => schedule::lower(cx, &mut shared, f, t),
                TriggerKind::Http { .. } => http::lower(cx, &mut shared, f, t),
                TriggerKind::Event { .. } => event::lower(cx, f, t),
                TriggerKind::Kafka { .. } => kafka::lower(cx, f, t),
            }
        }
        cx.current = None;
    }
}

/// `AWS::Lambda::Permission` letting `principal` invoke `function` (its alias if any).
pub(super) fn permission(cx: &Ctx, function: &str, principal: &str) -> Props {
    Props::new()
        .set("Action", Node::str("lambda:InvokeFunction"))
        .set("FunctionName", cx.invoke_target(function))
        .set("Principal", Node::str(principal.to_string()))
}
