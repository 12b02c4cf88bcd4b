//! `on sns topic.X` → `AWS::SNS::Subscription` (protocol lambda) and the permission that
//! lets the topic invoke the function (SNS-03, SNS-04).

use super::super::ctx::Ctx;
use super::super::tree::Props;
use super::super::Resource;
use super::permission;
use crate::model::{Function, ResRef, Value, S};

pub fn lower(cx: &mut Ctx, f: &Function, topic: &S<ResRef>, filter: Option<&S<Value>>) {
    let name = f.name.value.as_str();
    let topic_arn = cx.arn(&topic.value);
    let perm = permission(cx, name, "sns.amazonaws.com").set("SourceArn", topic_arn.clone());
    let perm_id = cx.ids.alloc(&[name, &topic.value.name, "SnsPermission"]);
    cx.add(&perm_id, Resource::new("AWS::Lambda::Permission", perm));
    let sub = Props::new()
        .set("Endpoint", cx.invoke_target(name))
        .set("Protocol", super::Node::str("lambda"))
        .set("TopicArn", topic_arn)
        .opt("FilterPolicy", filter.map(|v| cx.json_value(&v.value)));
    let sub_id = cx.ids.alloc(&[name, &topic.value.name, "SnsSubscription"]);
    cx.add(&sub_id, Resource::new("AWS::SNS::Subscription", sub));
}
