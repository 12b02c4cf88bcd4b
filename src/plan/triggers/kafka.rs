//! `on kafka cluster.X { … }` → an `AWS::Lambda::EventSourceMapping` on an existing Amazon
//! MSK cluster, and what the function's role needs to read it (MSK-AUTH):
//!
//! - always, the cluster's description and brokers and the network interfaces Lambda makes
//!   in the cluster's VPC: the AWS managed policy the Lambda guide names for it (added
//!   by `plan::network::managed_policies`);
//! - with `auth = iam` (the default), the Kafka data-plane actions, each on the cluster,
//!   topic or consumer group ARN it applies to (IAM-SAR-02, MSK-ARN);
//! - with `auth = secret.X`, reading that secret's SASL/SCRAM credentials, and decrypting
//!   them with the customer managed key MSK requires of such secrets (MSK-SCRAM).

use super::super::allow::secret_arn;
use super::super::ctx::Ctx;
use super::super::iam::Statement;
use super::super::tree::{Node, Props};
use super::super::values::join;
use super::esm::{filter_criteria, poller_config};
use crate::model::{
    DeployStr, Function, KafkaOptions, ResRef, StartPosition, Trigger, TriggerKind, Value,
};

pub fn lower(cx: &mut Ctx, f: &Function, t: &Trigger) {
    let TriggerKind::Kafka {
        cluster,
        topic,
        options: o,
    } = &t.kind
    else {
        return;
    };
    let name = f.name.value.as_str();
    let Some(role) = cx.fn_ids(name).map(|i| i.role.clone()) else {
        return;
    };
    let arn = cx.arn(&cluster.value);
    let access = match o.secret() {
        Some(secret) => secret_access(cx, name, secret),
        None => {
            iam_access(cx, name, &cluster.value, &topic.value, o);
            None
        }
    };
    let props = mapping_props(cx, name, arn, &topic.value, o, access);
    let id = cx
        .ids
        .alloc(&[name, &cluster.value.name, "Kafka", "Mapping"]);
    super::esm::add_mapping(cx, name, id, props, &role);
}

/// The mapping's properties: the cluster, the one topic, where to start, batching, the
/// consumer group, how Lambda signs in (`access`), pollers and filters.
fn mapping_props(
    cx: &Ctx,
    name: &str,
    arn: Node,
    topic: &DeployStr,
    o: &KafkaOptions,
    access: Option<Node>,
) -> Props {
    // XR-08: Kafka sources need a starting position; lamc's default is LATEST.
    let start = match o.start.as_ref().map(|s| s.value) {
        Some(StartPosition::TrimHorizon) => "TRIM_HORIZON",
        _ => "LATEST",
    };
    Props::new()
        .set("EventSourceArn", arn)
        .set("FunctionName", cx.invoke_target(name))
        // ESM-20: exactly one topic.
        .set("Topics", Node::List(vec![cx.text(topic)]))
        .set("StartingPosition", Node::str(start))
        .opt("BatchSize", o.batch.as_ref().map(|b| Node::int(b.value)))
        .opt(
            "MaximumBatchingWindowInSeconds",
            o.window.as_ref().map(|w| Node::int(w.value)),
        )
        // ESM-22
        .opt(
            "AmazonManagedKafkaEventSourceConfig",
            o.consumer_group.as_ref().map(|g| {
                Props::new()
                    .set("ConsumerGroupId", cx.text(&g.value))
                    .node()
            }),
        )
        .opt("SourceAccessConfigurations", access)
        .opt(
            "ProvisionedPollerConfig",
            o.pollers.as_ref().map(poller_config),
        )
        .opt("FilterCriteria", filter_criteria(cx, o.filter.as_ref()))
}

/// MSK-AUTH: SASL/SCRAM sign-in with the secret's credentials; the role reads the secret
/// and may decrypt it (MSK-SCRAM).
fn secret_access(cx: &mut Ctx, function: &str, secret: &ResRef) -> Option<Node> {
    let arn = cx.arn(secret);
    let granted = secret_arn(cx, secret).unwrap_or_else(|| arn.clone());
    cx.statement(
        function,
        Statement::new(&["secretsmanager:GetSecretValue"], vec![granted.clone()]),
    );
    super::super::kms::secret_reader(cx, function, granted);
    let scram = Props::new()
        .set("Type", Node::str("SASL_SCRAM_512_AUTH"))
        .set("URI", arn)
        .node();
    Some(Node::List(vec![scram]))
}

/// MSK-AUTH: IAM access control. Each action on the resource type the Service
/// Authorization Reference gives it: connecting and reading the cluster's configuration
/// on the cluster, reading on the topic, and joining the consumer group on the group (the
/// one named, else any of the cluster's: Lambda generates its name).
fn iam_access(cx: &mut Ctx, function: &str, cluster: &ResRef, topic: &DeployStr, o: &KafkaOptions) {
    let Some(arn) = cx.existing_arn(cluster).cloned() else {
        return;
    };
    let cluster_arn = cx.text(&arn);
    let topic = sibling_arn(cx, &arn, "topic", cx.text(topic));
    let group_name = o
        .consumer_group
        .as_ref()
        .map_or_else(|| Node::str("*"), |g| cx.text(&g.value));
    let group = sibling_arn(cx, &arn, "group", group_name);
    let statements = [
        (
            &[
                "kafka-cluster:Connect",
                "kafka-cluster:DescribeClusterDynamicConfiguration",
            ][..],
            cluster_arn,
        ),
        (
            &["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"][..],
            topic,
        ),
        (
            &["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"][..],
            group,
        ),
    ];
    for (actions, resource) in statements {
        cx.statement(function, Statement::new(actions, vec![resource]));
    }
}

/// MSK-ARN: the ARN of a topic or consumer group of a cluster,
/// `arn:…:kafka:R:A:topic/NAME/UUID/TOPIC` for `arn:…:kafka:R:A:cluster/NAME/UUID`. When
/// the cluster's ARN is a deploy-time value, CloudFormation splits it at `:cluster/`.
fn sibling_arn(cx: &Ctx, cluster: &DeployStr, what: &str, tail: Node) -> Node {
    const MARK: &str = ":cluster/";
    let parts = cluster.parts();
    let at = parts
        .iter()
        .position(|p| matches!(p, Value::Str(t) if t.contains(MARK)));
    let mut nodes: Vec<Node> = match at {
        Some(at) => parts
            .iter()
            .enumerate()
            .map(|(i, p)| match p {
                Value::Str(t) if i == at => Node::str(t.replacen(MARK, &format!(":{what}/"), 1)),
                p => cx.string_value(p),
            })
            .collect(),
        None => {
            let whole = cx.text(cluster);
            let half = |i| Node::Select(i, Box::new(Node::split(MARK, whole.clone())));
            vec![half(0), Node::str(format!(":{what}/")), half(1)]
        }
    };
    nodes.push(Node::str("/"));
    nodes.push(tail);
    join(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_arn_follows_its_cluster_arn() {
        let model = crate::model::Model::default();
        let cx = Ctx::new(&model, Default::default());
        let cluster =
            DeployStr::literal("arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc-1");
        let topic = sibling_arn(&cx, &cluster, "topic", Node::str("paid"));
        assert_eq!(
            topic,
            Node::str("arn:aws:kafka:us-east-1:123456789012:topic/orders/abc-1/paid")
        );
    }
}
