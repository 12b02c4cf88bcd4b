//! A function's published version and alias: a content-hashed `AWS::Lambda::Version`, the
//! alias every trigger targets (made by `publish`, or by provisioned concurrency, which the
//! alias carries), and for `provisioned = MIN..MAX at P%` Application Auto Scaling.

use sha2::{Digest, Sha256};

use super::ctx::{Ctx, FnIds};
use super::tree::{Node, Props};
use super::Resource;
use crate::model::{Function, Provisioned};

/// `seed` is everything that makes a new version (the function's properties, which carry
/// the code's content-hashed key): a change gives the Version a new logical ID, so
/// CloudFormation publishes a new version and moves the alias to it.
pub fn lower(cx: &mut Ctx, f: &Function, seed: &str) {
    let name = f.name.value.as_str();
    let Some(ids) = cx.fn_ids(name).cloned() else {
        return;
    };
    let Some(alias_id) = ids.alias.clone() else {
        return;
    };
    let version_id = version(cx, name, &ids, seed);
    let prov = f.concurrency.as_ref().and_then(|c| c.provisioned.as_ref());
    alias(cx, &ids, &alias_id, &version_id, prov.map(|p| &p.value));
    if let Some(Provisioned::Auto {
        min,
        max,
        target_percent,
    }) = prov.map(|p| &p.value)
    {
        let target_id = scalable_target(cx, name, &ids, &alias_id, (*min, *max));
        scaling_policy(cx, name, &target_id, *target_percent);
    }
}

/// The content-hashed `AWS::Lambda::Version`; its logical ID.
fn version(cx: &mut Ctx, name: &str, ids: &FnIds, seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    let version_id = cx.ids.alloc(&[name, "Version", &hash]);
    let version = Props::new().set("FunctionName", Node::ref_(&ids.function));
    // The old version is deleted only in the cleanup phase, after the alias has moved.
    cx.add(&version_id, Resource::new("AWS::Lambda::Version", version));
    version_id
}

/// The alias on the version, carrying the provisioned concurrency if any.
fn alias(cx: &mut Ctx, ids: &FnIds, alias_id: &str, version_id: &str, prov: Option<&Provisioned>) {
    // CC-04/CC-05: provisioned concurrency lives on the alias, never on $LATEST. For Auto
    // the minimum is the initial allocation; scaling moves it between MIN and MAX.
    let initial = prov.map(|p| match p {
        Provisioned::Fixed(n) => *n,
        Provisioned::Auto { min, .. } => *min,
    });
    let alias = Props::new()
        .set("FunctionName", Node::ref_(&ids.function))
        .set("FunctionVersion", Node::get_att(version_id, "Version"))
        .set("Name", Node::str(ids.alias_name.clone()))
        .opt(
            "ProvisionedConcurrencyConfig",
            initial.map(|n| {
                Props::new()
                    .set("ProvisionedConcurrentExecutions", Node::int(n))
                    .node()
            }),
        );
    cx.add(alias_id, Resource::new("AWS::Lambda::Alias", alias));
}

/// `provisioned = MIN..MAX at P%`: the alias's provisioned concurrency as an Application
/// Auto Scaling target between MIN and MAX; its logical ID.
fn scalable_target(
    cx: &mut Ctx,
    name: &str,
    ids: &FnIds,
    alias_id: &str,
    (min, max): (u64, u64),
) -> String {
    let target_id = cx.ids.alloc(&[name, "ScalableTarget"]);
    let target = Props::new()
        .set("MaxCapacity", Node::int(max))
        .set("MinCapacity", Node::int(min))
        .set(
            "ResourceId",
            Node::sub(format!("function:${{{}}}:{}", ids.function, ids.alias_name)),
        )
        .set(
            "ScalableDimension",
            Node::str("lambda:function:ProvisionedConcurrency"),
        )
        .set("ServiceNamespace", Node::str("lambda"));
    // The resource ID names the alias as text, so the dependency must be explicit.
    cx.add(
        &target_id,
        Resource::new("AWS::ApplicationAutoScaling::ScalableTarget", target).depends_on(alias_id),
    );
    target_id
}

/// The target-tracking policy keeping the alias's utilisation at `target_percent`.
fn scaling_policy(cx: &mut Ctx, name: &str, target_id: &str, target_percent: f64) {
    let policy_id = cx.ids.alloc(&[name, "ScalingPolicy"]);
    let tracking = Props::new()
        .set("TargetValue", Node::float(target_percent / 100.0))
        .set(
            "PredefinedMetricSpecification",
            Props::new()
                .set(
                    "PredefinedMetricType",
                    Node::str("LambdaProvisionedConcurrencyUtilization"),
                )
                .node(),
        )
        .node();
    let policy = Props::new()
        .set(
            "PolicyName",
            Node::sub(format!("${{AWS::StackName}}-{name}-utilization")),
        )
        .set("PolicyType", Node::str("TargetTrackingScaling"))
        .set("ScalingTargetId", Node::ref_(target_id))
        .set("TargetTrackingScalingPolicyConfiguration", tracking);
    cx.add(
        &policy_id,
        Resource::new("AWS::ApplicationAutoScaling::ScalingPolicy", policy),
    );
}
