//! Lambda Managed Instances. `capacity NAME { … }` → an `AWS::Lambda::CapacityProvider`
//! and the operator role Lambda launches and manages its instances with; a function's
//! `capacity { … }` → its `CapacityProviderConfig` and `FunctionScalingConfig`.

use super::ctx::Ctx;
use super::iam::trust;
use super::tree::{Node, Props};
use super::Resource;
use crate::model::{CapacitySpec, Function, ResourceOptions};
use crate::schema;

/// LMI-08: the AWS managed policy with the least an operator role needs (launching,
/// describing and tagging the provider's instances, their network interfaces and volumes).
const OPERATOR_POLICY: &str =
    "arn:${AWS::Partition}:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator";

/// The provider and its operator role, which only Lambda may assume.
pub fn lower(cx: &mut Ctx, id: &str, name: &str, spec: &CapacitySpec, o: &ResourceOptions) {
    let role = cx.ids.alloc(&[name, "CapacityOperatorRole"]);
    let role_props = Props::new()
        .set("AssumeRolePolicyDocument", trust("lambda.amazonaws.com"))
        .set(
            "ManagedPolicyArns",
            Node::List(vec![Node::sub(OPERATOR_POLICY)]),
        )
        .opt("Tags", cx.tags(&Default::default()));
    cx.add(&role, Resource::new("AWS::IAM::Role", role_props));
    let vpc = Props::new()
        .set(
            "SubnetIds",
            cx.text_list(spec.vpc.subnets.iter().map(|s| &s.value)),
        )
        .set(
            "SecurityGroupIds",
            cx.text_list(spec.vpc.security_groups.iter().map(|s| &s.value)),
        );
    let permissions = Props::new().set(
        "CapacityProviderOperatorRoleArn",
        Node::get_att(&role, "Arn"),
    );
    let instances = spec.architecture.as_ref().map(|a| {
        let word = crate::schema::architecture_cfn(a.value);
        Props::new()
            .set("Architectures", Node::list_of_str([word]))
            .node()
    });
    let scaling = spec
        .max_vcpus
        .as_ref()
        .map(|n| Props::new().set("MaxVCpuCount", Node::int(n.value)).node());
    let props = Props::new()
        .set("VpcConfig", vpc.node())
        .set("PermissionsConfig", permissions.node())
        .opt("InstanceRequirements", instances)
        .opt("CapacityProviderScalingConfig", scaling)
        .opt("Tags", cx.tags(&o.tags));
    cx.add(id, Resource::new("AWS::Lambda::CapacityProvider", props));
}

/// The function's properties on Managed Instances. Its logs are JSON unless `logging`
/// says otherwise (LMI-04: text is refused, E0454), so that a function need not repeat it.
pub fn properties(cx: &Ctx, f: &Function, p: &mut Props) {
    let Some(c) = &f.capacity else {
        return;
    };
    if let Some(arn) = &c.provider {
        let path = [
            "CapacityProviderConfig",
            "LambdaManagedInstancesCapacityProviderConfig",
            "CapacityProviderArn",
        ];
        super::settings::put_at(p, &path, cx.text(&arn.value));
    }
    super::settings::write(cx, p, &schema::CAPACITY, &c.settings);
    let format_written = f
        .logging
        .as_ref()
        .is_some_and(|l| l.settings.contains_key("format"));
    if !format_written {
        let path = ["LoggingConfig", "LogFormat"];
        super::settings::put_at(p, &path, Node::str("JSON"));
    }
}
