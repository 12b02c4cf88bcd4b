//! What `vpc`, `files` and `durable` add to a function: its `VpcConfig`,
//! `FileSystemConfigs` and `DurableConfig`, and what its role needs for them.

use super::ctx::Ctx;
use super::iam::Statement;
use super::tree::{Node, Props};
use super::values::join;
use crate::model::{FileMount, Function, TriggerKind};

/// IP-09: the AWS managed policy that lets Lambda create, describe and delete the
/// function's network interfaces in the VPC.
const VPC_ACCESS_POLICY: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

/// The properties `vpc`, `files` and `durable` add to the function.
pub fn properties(cx: &Ctx, f: &Function, p: &mut Props) {
    if let Some(vpc) = &f.vpc {
        let config = Props::new()
            .set(
                "SubnetIds",
                cx.text_list(vpc.subnets.iter().map(|s| &s.value)),
            )
            .set(
                "SecurityGroupIds",
                cx.text_list(vpc.security_groups.iter().map(|s| &s.value)),
            )
            .opt(
                "Ipv6AllowedForDualStack",
                vpc.ipv6.as_ref().map(|b| Node::Bool(b.value)),
            );
        p.put("VpcConfig", config.node());
    }
    if !f.files.is_empty() {
        let mounts = f
            .files
            .iter()
            .map(|m| {
                Props::new()
                    .set("Arn", cx.text(&m.access_point.value))
                    .set("LocalMountPath", Node::str(m.path.value.clone()))
                    .node()
            })
            .collect();
        p.put("FileSystemConfigs", Node::List(mounts));
    }
    if let Some(d) = &f.durable {
        let config = Props::new()
            .opt(
                "ExecutionTimeout",
                d.timeout.as_ref().map(|t| Node::int(t.value)),
            )
            .opt(
                "RetentionPeriodInDays",
                d.retention.as_ref().map(|r| Node::int(r.value)),
            );
        p.put("DurableConfig", config.node());
    }
}

/// MSK-AUTH: the AWS managed policy the Lambda guide names as the least an MSK
/// event source mapping needs: the cluster's description and bootstrap brokers, and the
/// network interfaces Lambda creates in the cluster's VPC.
const MSK_ACCESS_POLICY: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole";

/// The managed policies the function's role needs: VPC access with `vpc`, MSK access with
/// an `on kafka` trigger.
pub fn managed_policies(f: &Function) -> Option<Node> {
    let kafka = f
        .triggers
        .iter()
        .any(|t| matches!(t.kind, TriggerKind::Kafka { .. }));
    let policies: Vec<Node> = [
        (f.vpc.is_some(), VPC_ACCESS_POLICY),
        (kafka, MSK_ACCESS_POLICY),
    ]
    .into_iter()
    .filter(|(needed, _)| *needed)
    .map(|(_, arn)| Node::sub(arn))
    .collect();
    (!policies.is_empty()).then_some(Node::List(policies))
}

/// EFS-01: mounting through an access point needs `elasticfilesystem:ClientMount` (and
/// `ClientWrite` to write) on the file system, which the `AccessPointArn` condition
/// narrows to exactly that access point. An inline policy of its own: a statement with a
/// condition.
pub fn files_policy(cx: &Ctx, f: &Function) -> Option<Node> {
    let statements: Vec<Node> = f.files.iter().map(|m| mount_statement(cx, m)).collect();
    if statements.is_empty() {
        return None;
    }
    let doc = Props::new()
        .set("Version", Node::str("2012-10-17"))
        .set("Statement", Node::List(statements))
        .node();
    Some(
        Props::new()
            .set("PolicyName", Node::str("files"))
            .set("PolicyDocument", doc)
            .node(),
    )
}

fn mount_statement(cx: &Ctx, m: &FileMount) -> Node {
    // The file system's region and account are the access point's when its ARN is known;
    // the condition pins the access point either way.
    let file_systems = match crate::arn::parse(m.access_point.value.as_literal().unwrap_or("")) {
        Some(a) => Node::sub(format!(
            "arn:${{AWS::Partition}}:elasticfilesystem:{}:{}:file-system/*",
            a.region, a.account
        )),
        None => Node::sub("arn:${AWS::Partition}:elasticfilesystem:*:*:file-system/*"),
    };
    let condition = Props::new()
        .set(
            "StringEquals",
            Props::new()
                .set(
                    "elasticfilesystem:AccessPointArn",
                    cx.text(&m.access_point.value),
                )
                .node(),
        )
        .node();
    Props::new()
        .set("Effect", Node::str("Allow"))
        .set(
            "Action",
            Node::list_of_str([
                "elasticfilesystem:ClientMount",
                "elasticfilesystem:ClientWrite",
            ]),
        )
        .set("Resource", file_systems)
        .set("Condition", condition)
        .node()
}

/// DUR-02: a durable function checkpoints and reads its state through Lambda's API, on
/// its own durable executions (`function:NAME:*`: every version's; an unqualified ARN
/// never matches one). The statement names the function, so it goes in the role's
/// separately attached policy (see `iam::finish_roles`).
pub fn durable_statement(f: &Function, function_id: &str) -> Option<Statement> {
    f.durable.as_ref()?;
    Some(Statement::new(
        &[
            "lambda:CheckpointDurableExecution",
            "lambda:GetDurableExecutionState",
        ],
        vec![join(vec![
            Node::get_att(function_id, "Arn"),
            Node::str(":*"),
        ])],
    ))
}
