//! `on s3 bucket.X` → entries in the bucket's `NotificationConfiguration` plus a permission
//! for s3.amazonaws.com. The permission names the account, not the bucket, and the bucket
//! waits for the permission: S3 tests delivery when the configuration is saved, and a
//! SourceArn pointing at the bucket would close a cycle (S3-05).

use super::super::ctx::Ctx;
use super::super::tree::{Node, Props};
use super::super::Resource;
use super::{permission, Shared};
use crate::model::{DeployStr, Function, S3Event, Trigger, TriggerKind, S};

pub fn lower(cx: &mut Ctx, shared: &mut Shared, f: &Function, t: &Trigger) {
    let TriggerKind::S3 {
        bucket,
        events,
        raw_events,
        prefix,
        suffix,
    } = &t.kind
    else {
        return;
    };
    let name = f.name.value.as_str();
    let Some(bucket_id) = cx.res_id(&bucket.value).map(str::to_string) else {
        // S3-06: the notification lives on the bucket, so it must be created by this
        // stack; the checker refuses an existing one (E0421 in rules/s3.rs).
        return;
    };
    let perm_id = permission_once(cx, shared, name, &bucket.value.name);
    let filter = key_filter(cx, prefix, suffix);
    let target = cx.invoke_target(name);
    let configs: Vec<Node> = event_names(events, raw_events)
        .into_iter()
        .map(|event| {
            Props::new()
                .set("Event", Node::str(event))
                .opt("Filter", filter.clone())
                .set("Function", target.clone())
                .node()
        })
        .collect();
    add_to_bucket(cx, &bucket_id, &perm_id, configs);
}

/// The permission for S3 to invoke `function`, one per (function, bucket) pair.
fn permission_once(cx: &mut Ctx, shared: &mut Shared, function: &str, bucket: &str) -> String {
    let key = (function.to_string(), bucket.to_string());
    if let Some(id) = shared.s3_permissions.get(&key) {
        return id.clone();
    }
    let perm = permission(cx, function, "s3.amazonaws.com")
        .set("SourceAccount", Node::ref_("AWS::AccountId"));
    let id = cx.ids.alloc(&[function, bucket, "S3Permission"]);
    cx.add(&id, Resource::new("AWS::Lambda::Permission", perm));
    shared.s3_permissions.insert(key, id.clone());
    id
}

/// The S3 event names the trigger listens to, `s3:ObjectCreated:*` when it names none
/// (S3-01/S3-02).
fn event_names(events: &[S<S3Event>], raw_events: &[S<String>]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    names.extend(
        events
            .iter()
            .filter_map(|e| e.value.aws_name())
            .map(str::to_string),
    );
    names.extend(raw_events.iter().map(|r| r.value.clone()));
    if names.is_empty() {
        names.push("s3:ObjectCreated:*".to_string());
    }
    names.dedup();
    names
}

/// The `Filter` of each notification: the key's prefix and suffix rules, if any.
fn key_filter(
    cx: &Ctx,
    prefix: &Option<S<DeployStr>>,
    suffix: &Option<S<DeployStr>>,
) -> Option<Node> {
    let mut rules = Vec::new();
    for (rule, value) in [("prefix", prefix), ("suffix", suffix)] {
        if let Some(v) = value {
            rules.push(
                Props::new()
                    .set("Name", Node::str(rule))
                    .set("Value", cx.text(&v.value))
                    .node(),
            );
        }
    }
    (!rules.is_empty()).then(|| {
        Props::new()
            .set("S3Key", Props::new().set("Rules", Node::List(rules)).node())
            .node()
    })
}

/// Appends `configs` to the bucket's `LambdaConfigurations`, the bucket waiting for the
/// permission (S3-05).
fn add_to_bucket(cx: &mut Ctx, bucket_id: &str, perm_id: &str, configs: Vec<Node>) {
    let Some(res) = cx.stack.resources.remove(bucket_id) else {
        return;
    };
    let mut res = res.depends_on(perm_id);
    let mut notif = match res.properties.get("NotificationConfiguration") {
        Some(Node::Map(entries)) => Props(entries.clone()),
        _ => Props::new(),
    };
    let mut list = match notif.get("LambdaConfigurations") {
        Some(Node::List(items)) => items.clone(),
        _ => Vec::new(),
    };
    list.extend(configs);
    notif.put("LambdaConfigurations", Node::List(list));
    // Keep the bucket's keys in a fixed order: the notification goes before Tags.
    let tags = res.properties.0.iter().position(|(k, _)| k == "Tags");
    if res.properties.get("NotificationConfiguration").is_some() || tags.is_none() {
        res.properties
            .put("NotificationConfiguration", notif.node());
    } else if let Some(i) = tags {
        res.properties
            .0
            .insert(i, ("NotificationConfiguration".into(), notif.node()));
    }
    // Put back directly: the bucket stays shared, it is not the function's own.
    cx.stack.resources.insert(bucket_id.to_string(), res);
}
