//! `on s3 bucket.X` → entries in the bucket's `NotificationConfiguration` plus a permission
//! for s3.amazonaws.com. The permission names the account, not the bucket, and the bucket
//! waits for the permission: S3 tests delivery when the configuration is saved, and a
//! SourceArn pointing at the bucket would close a cycle (S3-05).

use super::super::ctx::Ctx;
use super::super::tree::{Node, Props};
use super::super::Resource;
use super::{permission, Shared};
use crate::model::{Function, Trigger, TriggerKind};

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

    let key = (name.to_string(), bucket.value.name.clone());
    let perm_id = match shared.s3_permissions.get(&key) {
        Some(id) => id.clone(),
        None => {
            let perm = permission(cx, name, "s3.amazonaws.com")
                .set("SourceAccount", Node::ref_("AWS::AccountId"));
            let id = cx.ids.alloc(&[name, &bucket.value.name, "S3Permission"]);
            cx.add(&id, Resource::new("AWS::Lambda::Permission", perm));
            shared.s3_permissions.insert(key, id.clone());
            id
        }
    };

    // S3-01/S3-02
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
    let filter = (!rules.is_empty()).then(|| {
        Props::new()
            .set("S3Key", Props::new().set("Rules", Node::List(rules)).node())
            .node()
    });
    let target = cx.invoke_target(name);
    let configs: Vec<Node> = names
        .into_iter()
        .map(|event| {
            Props::new()
                .set("Event", Node::str(event))
                .opt("Filter", filter.clone())
                .set("Function", target.clone())
                .node()
        })
        .collect();

    let Some(res) = cx.stack.resources.remove(&bucket_id) else {
        return;
    };
    let mut res = res.depends_on(&perm_id);
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
    cx.stack.resources.insert(bucket_id, res);
}
