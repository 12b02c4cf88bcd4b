//! `async { … }` → `AWS::Lambda::EventInvokeConfig`, plus the role statements that its
//! destinations need (IP-07/AI-05). Also the shared destination helper that stream
//! triggers use for `on_failure` (IP-06).

use super::ctx::Ctx;
use super::iam::{self, Statement};
use super::tree::{Node, Props};
use super::Resource;
use crate::model::{Function, Kind, ResRef};

pub fn lower(cx: &mut Ctx, f: &Function) {
    let Some(cfg) = &f.async_config else {
        return;
    };
    let name = f.name.value.as_str();
    let Some(ids) = cx.fn_ids(name).cloned() else {
        return;
    };
    let dest = |cx: &mut Ctx, r: &Option<crate::model::S<ResRef>>| {
        r.as_ref().map(|r| {
            let arn = destination(cx, name, &r.value);
            Props::new().set("Destination", arn).node()
        })
    };
    let on_success = dest(cx, &cfg.on_success);
    let on_failure = dest(cx, &cfg.on_failure);
    let destinations = (on_success.is_some() || on_failure.is_some()).then(|| {
        Props::new()
            .opt("OnSuccess", on_success)
            .opt("OnFailure", on_failure)
            .node()
    });
    // AI-01: the qualifier is the alias when triggers invoke the alias, else $LATEST.
    let qualifier = if ids.alias.is_some() {
        ids.alias_name.as_str()
    } else {
        "$LATEST"
    };
    let props = Props::new()
        .set("FunctionName", Node::ref_(&ids.function))
        .set("Qualifier", Node::str(qualifier.to_string()))
        .opt(
            "MaximumRetryAttempts",
            cfg.retries.as_ref().map(|r| Node::int(r.value)),
        )
        .opt(
            "MaximumEventAgeInSeconds",
            cfg.max_age.as_ref().map(|a| Node::int(a.value)),
        )
        .opt("DestinationConfig", destinations);
    // Lambda checks the role's permission on the destinations when the config is saved.
    let mut res = Resource::new("AWS::Lambda::EventInvokeConfig", props).depends_on(&ids.role);
    if let Some(alias) = &ids.alias {
        res = res.depends_on(alias);
    }
    let id = cx.ids.alloc(&[name, "EventInvokeConfig"]);
    cx.add(&id, res);
    cx.policy_dependents
        .entry(name.to_string())
        .or_default()
        .push(id);
}

/// The ARN of a destination, after granting `function`'s role the action that delivers to it.
pub fn destination(cx: &mut Ctx, function: &str, target: &ResRef) -> Node {
    let (arn, st) = match target.kind {
        Kind::Function => {
            let arn = cx.invoke_target(&target.name);
            let st = Statement::new(&["lambda:InvokeFunction"], vec![arn.clone()]);
            (arn, st)
        }
        Kind::Topic => {
            let arn = cx.arn(target);
            (arn.clone(), Statement::new(&["sns:Publish"], vec![arn]))
        }
        Kind::Bucket => {
            let arn = cx.arn(target);
            let st = Statement::new(
                &["s3:PutObject", "s3:ListBucket"],
                iam::bucket_and_objects(&arn),
            );
            (arn, st)
        }
        // Queues, and anything else the checker let through, receive messages.
        _ => {
            let arn = cx.arn(target);
            (arn.clone(), Statement::new(&["sqs:SendMessage"], vec![arn]))
        }
    };
    cx.statement(function, st);
    super::kms::writer(cx, function, target);
    arn
}
