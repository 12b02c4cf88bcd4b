//! A function that changes stack, and what that costs it. CloudFormation cannot move a
//! resource between stacks: it deletes it from the stack it leaves and creates it anew in
//! the stack it joins (CFN-20), so everything that travels with the function is new.

use std::fmt::Write;

use super::placement::Home;
use crate::plan::tree::Node;
use crate::plan::Resource;

/// A function that lives in another stack than before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub function: String,
    pub from: Home,
    pub to: Home,
    /// Why it could not stay, as a clause (`"NestedStack3 is over …"`).
    pub why: String,
    /// What the move costs it, one sentence each, most serious first.
    pub costs: Vec<String>,
}

/// Properties that give a resource a fixed physical name. A named resource cannot be
/// created in the new stack while the old one still exists (names are unique across
/// stacks, and CloudFormation does not replace a custom-named resource: CFN-18).
const NAME_PROPERTIES: &[(&str, &str)] = &[
    ("AWS::Lambda::Function", "FunctionName"),
    ("AWS::Logs::LogGroup", "LogGroupName"),
    ("AWS::SQS::Queue", "QueueName"),
    ("AWS::SNS::Topic", "TopicName"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::Kinesis::Stream", "Name"),
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::Events::Rule", "Name"),
    ("AWS::Scheduler::Schedule", "Name"),
];

/// What moving `resources` (a function's, and what travels with it) costs, most serious
/// first: named resources (the deploy fails), lost data, then new addresses.
pub fn costs<'r>(resources: impl Iterator<Item = (&'r str, &'r Resource)>) -> Vec<String> {
    let mut fails = Vec::new();
    let mut data = Vec::new();
    let mut other = Vec::new();
    for (id, r) in resources {
        if let Some(name) = fixed_name(r) {
            fails.push(format!(
                "{id} is named `{name}`: CloudFormation cannot create it in the new stack while \
                 the old one exists, so the deploy fails (CFN-18)"
            ));
        }
        // The two tables cover disjoint resource types: at most one of them has a cost.
        data.extend(data_cost(id, r));
        other.extend(address_cost(id, r));
    }
    fails.extend(data);
    fails.extend(other);
    fails
}

/// What is lost with a resource that holds data (or a stream position), created again.
fn data_cost(id: &str, r: &Resource) -> Option<String> {
    Some(match r.ty {
        // CFN-DP: `retain = true` keeps the old one, with its data, outside any stack.
        "AWS::SQS::Queue" | "AWS::DynamoDB::Table" | "AWS::Kinesis::Stream" | "AWS::S3::Bucket"
            if r.retain =>
        {
            format!(
                "{id} is created again empty; the old one is retained (`retain = true`) \
                 with its data, outside any stack"
            )
        }
        "AWS::Lambda::EventSourceMapping" => stream_cost(id, literal(r, "StartingPosition")?),
        "AWS::SQS::Queue" => {
            format!("{id} is deleted and created again: messages waiting in it are lost")
        }
        "AWS::DynamoDB::Table" => format!("{id} is deleted with its items and created again empty"),
        "AWS::Kinesis::Stream" => {
            format!("{id} is deleted with its records and created again empty")
        }
        "AWS::S3::Bucket" => format!(
            "{id} is created again empty; CloudFormation cannot delete the old bucket while \
             it holds objects"
        ),
        _ => return None,
    })
}

/// What changes for callers of a resource whose name, ARN or address is new.
fn address_cost(id: &str, r: &Resource) -> Option<String> {
    Some(match r.ty {
        "AWS::Lambda::Function" if fixed_name(r).is_none() => format!(
            "{id} gets a new name and ARN: whatever calls it by name or ARN from outside \
             the app must be told"
        ),
        "AWS::Lambda::Url" => format!("{id}: the function URL changes"),
        "AWS::Lambda::Alias" if r.properties.get("ProvisionedConcurrencyConfig").is_some() => {
            format!(
                "{id}: provisioned concurrency is allocated again (cold starts until it is \
                 ready)"
            )
        }
        "AWS::SNS::Topic" => {
            format!("{id} gets a new ARN: subscriptions made outside the app are lost")
        }
        _ => return None,
    })
}

fn stream_cost(id: &str, start: &str) -> String {
    match start {
        "TRIM_HORIZON" => format!(
            "{id} (stream trigger) is created again and starts at TRIM_HORIZON: records still \
             in the stream are processed again"
        ),
        _ => format!(
            "{id} (stream trigger) is created again and starts at {start}: records written \
             while it is replaced are never processed"
        ),
    }
}

fn literal<'r>(r: &'r Resource, property: &str) -> Option<&'r str> {
    match r.properties.get(property) {
        Some(Node::Str(s)) => Some(s),
        _ => None,
    }
}

fn fixed_name(r: &Resource) -> Option<&str> {
    NAME_PROPERTIES
        .iter()
        .find(|(ty, _)| *ty == r.ty)
        .and_then(|(_, property)| literal(r, property))
}

/// The list `--stats`, `lamc diff` and `lamc deploy` print; "" when nothing moves.
pub fn render(moves: &[Move]) -> String {
    let mut out = String::new();
    if moves.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "{} moving to another stack (CloudFormation deletes each and creates it again):",
        count(moves.len())
    );
    for m in moves {
        let _ = writeln!(
            out,
            "  {}: {} -> {}, because {}",
            m.function, m.from, m.to, m.why
        );
        for c in &m.costs {
            let _ = writeln!(out, "    - {c}");
        }
    }
    out
}

/// `1 function`, `3 functions`.
pub fn count(n: usize) -> String {
    if n == 1 {
        "1 function".to_string()
    } else {
        format!("{n} functions")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Props;

    fn res(ty: &'static str, props: Props) -> Resource {
        Resource::new(ty, props)
    }

    #[test]
    fn named_resources_and_lost_data_come_first() {
        let named = res(
            "AWS::Lambda::Function",
            Props::new().set("FunctionName", Node::str("billing")),
        );
        let plain = res("AWS::Lambda::Function", Props::new());
        let stream = res(
            "AWS::Lambda::EventSourceMapping",
            Props::new().set("StartingPosition", Node::str("LATEST")),
        );
        let queue = res("AWS::SQS::Queue", Props::new());
        let sqs_mapping = res("AWS::Lambda::EventSourceMapping", Props::new());
        let costs = costs(
            [
                ("PlainFunction", &plain),
                ("JobsQueue", &queue),
                ("ClicksMapping", &stream),
                ("SqsMapping", &sqs_mapping),
                ("BillingFunction", &named),
            ]
            .into_iter(),
        );
        assert_eq!(costs.len(), 4, "{costs:#?}");
        assert!(
            costs[0].starts_with("BillingFunction is named `billing`"),
            "{}",
            costs[0]
        );
        assert!(costs[1].starts_with("JobsQueue is deleted"), "{}", costs[1]);
        assert!(costs[2].contains("starts at LATEST"), "{}", costs[2]);
        assert!(
            costs[3].starts_with("PlainFunction gets a new name and ARN"),
            "{}",
            costs[3]
        );
    }

    #[test]
    fn a_retained_resource_keeps_its_data_outside_any_stack() {
        let table = res("AWS::DynamoDB::Table", Props::new()).retained(true);
        let costs = costs([("OrdersTable", &table)].into_iter());
        assert_eq!(costs.len(), 1, "{costs:#?}");
        assert!(costs[0].contains("the old one is retained"), "{}", costs[0]);
    }

    #[test]
    fn the_list_names_each_function() {
        let m = Move {
            function: "worker".into(),
            from: Home::Child(2),
            to: Home::Child(5),
            why: "NestedStack3 is over its limit".into(),
            costs: vec!["WorkerFunction gets a new name and ARN".into()],
        };
        assert_eq!(
            render(&[m]),
            "1 function moving to another stack (CloudFormation deletes each and creates it again):\n  \
             worker: NestedStack3 -> NestedStack6, because NestedStack3 is over its limit\n    \
             - WorkerFunction gets a new name and ARN\n"
        );
        assert_eq!(render(&[]), "");
    }
}
