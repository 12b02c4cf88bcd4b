//! The resources of a plain CloudFormation template that connect an `AWS::Lambda::Function`
//! to what invokes it, read as the function's `on …` lines and `url` block: an event source
//! mapping (SQS, DynamoDB, Kinesis), a function URL, an SNS subscription, a bucket's
//! notification, an EventBridge rule's target, and the invoke permissions those need (lamc
//! writes them). Each trigger is given to the function as the SAM event that says the same
//! (the properties are SAM's own names), so that one reader maps both.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::intrinsics::Scope;
use crate::model::Kind;

/// A trigger given to a function: where it comes from (`Resources.ID`) and the SAM event
/// that says the same.
pub type Event = (String, Map<String, Value>);

/// What the template's wiring resources give each function.
#[derive(Debug, Default)]
pub struct Wiring {
    /// Function logical ID → `(event name, SAM event)`.
    pub events: BTreeMap<String, Vec<Event>>,
    /// Function logical ID → its `AWS::Lambda::Url`'s properties.
    pub urls: BTreeMap<String, Value>,
    /// Resources read into a function → the comment that stands at their place.
    pub absorbed: BTreeMap<String, String>,
    /// Buckets whose whole `NotificationConfiguration` became `on s3` lines.
    pub notified_buckets: Vec<String>,
}

/// Properties of a mapping that are not SAM's event properties.
const MAPPING_ONLY: &[&str] = &["EventSourceArn", "FunctionName"];

/// An MSK mapping's `ConsumerGroupId` (and `SchemaRegistryConfig`) block.
const KAFKA_CONFIG: &str = "AmazonManagedKafkaEventSourceConfig";

impl Wiring {
    pub fn find(resources: &Map<String, Value>, scope: &Scope) -> Wiring {
        let mut w = Wiring::default();
        for (id, res) in resources {
            let empty = Map::new();
            let p = res
                .get("Properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            match res.get("Type").and_then(Value::as_str).unwrap_or("") {
                "AWS::Lambda::EventSourceMapping" => w.mapping(id, p, scope),
                "AWS::Lambda::Url" => w.url(id, p, scope),
                "AWS::SNS::Subscription" => w.subscription(id, p, scope),
                "AWS::Events::Rule" => w.rule(id, p, scope),
                "AWS::S3::Bucket" => w.bucket(id, p, scope),
                _ => {}
            }
        }
        // Permissions only for what lamc now writes (checked once every trigger is known).
        for (id, res) in resources {
            if res.get("Type").and_then(Value::as_str) == Some("AWS::Lambda::Permission") {
                w.permission(id, res.get("Properties").unwrap_or(&Value::Null), scope);
            }
        }
        w
    }

    fn give(&mut self, function: String, id: &str, event: Map<String, Value>, what: String) {
        let name = format!("Resources.{id}");
        self.events.entry(function).or_default().push((name, event));
        self.absorbed.insert(id.to_string(), what);
    }

    fn mapping(&mut self, id: &str, p: &Map<String, Value>, scope: &Scope) {
        let Some(f) = p.get("FunctionName").and_then(|v| function_id(v, scope)) else {
            return;
        };
        let Some(source) = p.get("EventSourceArn").and_then(|v| scope.source(v)) else {
            return;
        };
        let (ty, key, word) = match source.kind {
            Kind::Queue => ("SQS", "Queue", "sqs"),
            Kind::Table => ("DynamoDB", "Stream", "dynamodb"),
            Kind::Stream => ("Kinesis", "Stream", "kinesis"),
            Kind::Cluster => ("MSK", "Stream", "kafka"),
            _ => return,
        };
        let mut props: Map<String, Value> = p
            .iter()
            .filter(|(k, _)| !MAPPING_ONLY.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // SAM's MSK event says at its top what the mapping says in this block.
        if let Some(Value::Object(kafka)) = props.remove(KAFKA_CONFIG) {
            props.extend(kafka);
        }
        props.insert(key.into(), p["EventSourceArn"].clone());
        let what = format!(
            "Resources.{id} (AWS::Lambda::EventSourceMapping): the `on {word}` line of function {}",
            name(&f, scope)
        );
        self.give(f, id, event(ty, props), what);
    }

    fn url(&mut self, id: &str, p: &Map<String, Value>, scope: &Scope) {
        let Some(f) = p
            .get("TargetFunctionArn")
            .and_then(|v| function_id(v, scope))
        else {
            return;
        };
        let what = format!(
            "Resources.{id} (AWS::Lambda::Url): the `url` of function {}",
            name(&f, scope)
        );
        self.urls.insert(f, Value::Object(p.clone()));
        self.absorbed.insert(id.to_string(), what);
    }

    fn subscription(&mut self, id: &str, p: &Map<String, Value>, scope: &Scope) {
        if p.get("Protocol").and_then(Value::as_str) != Some("lambda") {
            return;
        }
        let Some(f) = p.get("Endpoint").and_then(|v| function_id(v, scope)) else {
            return;
        };
        let Some(topic) = p.get("TopicArn") else {
            return;
        };
        let mut props = Map::new();
        props.insert("Topic".into(), topic.clone());
        for (k, v) in p {
            if !["Protocol", "Endpoint", "TopicArn"].contains(&k.as_str()) {
                props.insert(k.clone(), v.clone());
            }
        }
        let what = format!(
            "Resources.{id} (AWS::SNS::Subscription): the `on sns` line of function {}",
            name(&f, scope)
        );
        self.give(f, id, event("SNS", props), what);
    }

    /// A rule with one target, a function of the program: `on schedule` or `on event`.
    fn rule(&mut self, id: &str, p: &Map<String, Value>, scope: &Scope) {
        let targets = p.get("Targets").and_then(Value::as_array);
        let [target] = targets.map(Vec::as_slice).unwrap_or_default() else {
            return;
        };
        let Some(f) = target.get("Arn").and_then(|v| function_id(v, scope)) else {
            return;
        };
        let mut props = Map::new();
        let ty = if let Some(s) = p.get("ScheduleExpression") {
            props.insert("Schedule".into(), s.clone());
            "Schedule"
        } else if let Some(pattern) = p.get("EventPattern") {
            props.insert("Pattern".into(), pattern.clone());
            "EventBridgeRule"
        } else {
            return;
        };
        for (k, ours) in [("State", "State"), ("EventBusName", "EventBusName")] {
            if let Some(v) = p.get(k) {
                props.insert(ours.into(), v.clone());
            }
        }
        if let Some(input) = target.get("Input") {
            props.insert("Input".into(), input.clone());
        }
        let word = if ty == "Schedule" {
            "schedule"
        } else {
            "event"
        };
        let what = format!(
            "Resources.{id} (AWS::Events::Rule): the `on {word}` line of function {}",
            name(&f, scope)
        );
        self.give(f, id, event(ty, props), what);
    }

    /// A bucket whose notifications all go to functions of the program: one `on s3` line
    /// each (a queue or topic notification keeps the configuration a comment).
    fn bucket(&mut self, id: &str, p: &Map<String, Value>, scope: &Scope) {
        let Some(n) = p
            .get("NotificationConfiguration")
            .and_then(Value::as_object)
        else {
            return;
        };
        let configs = n.get("LambdaConfigurations").and_then(Value::as_array);
        let wired: Option<Vec<(String, &Value)>> = configs
            .into_iter()
            .flatten()
            .map(|c| Some((c.get("Function").and_then(|v| function_id(v, scope))?, c)))
            .collect();
        let (Some(wired), true) = (wired, n.len() == 1 && configs.is_some()) else {
            return;
        };
        for (i, (f, c)) in wired.into_iter().enumerate() {
            let mut props = Map::new();
            props.insert("Bucket".into(), json!({ "Ref": id }));
            if let Some(e) = c.get("Event") {
                props.insert("Events".into(), e.clone());
            }
            if let Some(filter) = c.get("Filter") {
                props.insert("Filter".into(), filter.clone());
            }
            let name = format!("Resources.{id}.NotificationConfiguration[{i}]");
            self.events
                .entry(f)
                .or_default()
                .push((name, event("S3", props)));
        }
        self.notified_buckets.push(id.to_string());
    }

    /// A permission for a trigger or URL read above: lamc writes it.
    fn permission(&mut self, id: &str, p: &Value, scope: &Scope) {
        let Some(f) = p.get("FunctionName").and_then(|v| function_id(v, scope)) else {
            return;
        };
        let principal = p.get("Principal").and_then(Value::as_str).unwrap_or("");
        let has = |ty: &str| {
            self.events
                .get(&f)
                .is_some_and(|evs| evs.iter().any(|(_, e)| e["Type"] == ty))
        };
        let covered = match principal {
            "s3.amazonaws.com" => has("S3"),
            "sns.amazonaws.com" => has("SNS"),
            "events.amazonaws.com" => has("Schedule") || has("EventBridgeRule"),
            "*" => self.urls.contains_key(&f) && p.get("FunctionUrlAuthType").is_some(),
            _ => false,
        };
        if covered {
            self.absorbed.insert(
                id.to_string(),
                format!(
                    "Resources.{id} (AWS::Lambda::Permission): lamc writes the permission of function {}'s trigger",
                    name(&f, scope)
                ),
            );
        }
    }
}

fn event(ty: &str, props: Map<String, Value>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Type".into(), Value::String(ty.into()));
    m.insert("Properties".into(), Value::Object(props));
    m
}

/// The logical ID of the program's function a value names (`!Ref F`, `!GetAtt F.Arn`).
fn function_id(v: &Value, scope: &Scope) -> Option<String> {
    let t = scope.target(v).filter(|t| t.kind == Kind::Function)?;
    scope
        .decls
        .iter()
        .find(|(_, d)| d.kind == Kind::Function && d.name == t.name)
        .map(|(id, _)| id.clone())
}

fn name(id: &str, scope: &Scope) -> String {
    scope
        .decls
        .get(id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testkit::declared;

    #[test]
    fn mappings_urls_and_permissions_belong_to_their_function() {
        let resources = json!({
            "Fn": {"Type": "AWS::Lambda::Function"},
            "Jobs": {"Type": "AWS::SQS::Queue"},
            "Map": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                "FunctionName": {"Ref": "Fn"}, "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]}, "BatchSize": 5}},
            "Url": {"Type": "AWS::Lambda::Url", "Properties": {
                "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}, "AuthType": "NONE"}},
            "UrlPerm": {"Type": "AWS::Lambda::Permission", "Properties": {
                "FunctionName": {"Ref": "Fn"}, "Principal": "*", "FunctionUrlAuthType": "NONE",
                "Action": "lambda:InvokeFunctionUrl"}},
            "S3Perm": {"Type": "AWS::Lambda::Permission", "Properties": {
                "FunctionName": {"Ref": "Fn"}, "Principal": "s3.amazonaws.com"}},
        });
        let resources = resources.as_object().expect("map");
        let scope = declared(&[("Fn", Kind::Function, "fn"), ("Jobs", Kind::Queue, "jobs")]);
        let w = Wiring::find(resources, &scope);
        let events = &w.events["Fn"];
        assert_eq!(events.len(), 1);
        assert_eq!(
            Value::Object(events[0].1.clone()),
            json!({"Type": "SQS", "Properties": {"BatchSize": 5, "Queue": {"Fn::GetAtt": ["Jobs", "Arn"]}}})
        );
        assert!(w.urls.contains_key("Fn"));
        let absorbed: Vec<&str> = w.absorbed.keys().map(String::as_str).collect();
        // The S3 permission stays: no bucket notification of the template uses it.
        assert_eq!(absorbed, ["Map", "Url", "UrlPerm"]);
    }
}
