//! Amazon MSK events as `on kafka cluster.NAME { … }`: SAM's `MSK` events and
//! serverless.yml's `msk` events read an existing cluster, declared once (`cluster NAME
//! from "arn:…"`, named after the cluster's name in its ARN or the parameter that holds
//! it), with the secret SASL/SCRAM signs in with (`secret NAME from "arn:…"`). Their options
//! are the tables `options::SAM_MSK` and `options::SERVERLESS_MSK`.

use serde_json::{Map, Value};

use super::intrinsics::{Scope, Target};
use super::options;
use super::resources::{self, shown, Writer};
use super::sam::{prop, rest_of, source};
use super::serverless::{fields, short, unread};
use super::settings;
use super::triggers;
use super::write::Member;
use crate::model::Kind;

// ---- SAM -----------------------------------------------------------------------------------

/// The cluster an MSK event reads (`cluster NAME from "arn:…"`) and the secret it signs in
/// with (`secret NAME from "arn:…"`), each declared once.
pub fn sam_existing(ev: &Map<String, Value>, scope: &mut Scope, out: &mut Vec<Member>) {
    let access = prop(ev, "SourceAccessConfigurations");
    declare(prop(ev, "Stream"), access, scope, out);
}

/// [`sam_existing`] for a plain `AWS::Lambda::EventSourceMapping` on an MSK cluster (one
/// with `Topics`: the wiring makes it the function's MSK event).
pub fn mapping_existing(p: &Value, scope: &mut Scope, out: &mut Vec<Member>) {
    let access = p.get("SourceAccessConfigurations");
    declare(p.get("EventSourceArn"), access, scope, out);
}

fn declare(
    cluster: Option<&Value>,
    access: Option<&Value>,
    scope: &mut Scope,
    out: &mut Vec<Member>,
) {
    if let Some(v) = cluster {
        out.extend(resources::existing_as(scope, v, Kind::Cluster));
    }
    for a in access.and_then(Value::as_array).into_iter().flatten() {
        if a.get("Type").and_then(Value::as_str) == Some("SASL_SCRAM_512_AUTH") {
            let uri = a.get("URI");
            out.extend(uri.and_then(|u| super::grants::declare_secret(scope, u)));
        }
    }
}

/// An Amazon MSK event: `on kafka cluster.NAME { topic = …, … }` on an existing cluster.
pub fn sam_event(resources: &Map<String, Value>, w: &mut Writer, at: &str, p: &Map<String, Value>) {
    let Some(t) = kafka_cluster(resources, w, at, p.get("Stream")) else {
        return;
    };
    let topic = match kafka_topic(w, p.get("Topics")) {
        Ok(topic) => topic,
        Err(why) => return w.skip(format!("{at}: {why}")),
    };
    let mut opts = vec![topic];
    opts.extend(settings::options(options::SAM_MSK, w, p, at));
    let access = p.get("SourceAccessConfigurations");
    opts.extend(access.and_then(|v| kafka_auth(w, at, v)));
    let own = ["Stream", "Topics", "SourceAccessConfigurations"];
    rest_of(w, at, p, &options::read(options::SAM_MSK, &own));
    w.body
        .push(triggers::line(&format!("kafka {}", t.path()), &opts));
}

/// The cluster an MSK event reads: an existing one (see `msk_existing`); one the template
/// creates cannot be declared by lamc and stays a comment.
fn kafka_cluster(
    resources: &Map<String, Value>,
    w: &mut Writer,
    at: &str,
    v: Option<&Value>,
) -> Option<Target> {
    let created = v.and_then(referenced_id).and_then(|id| {
        let ty = resources.get(id)?.get("Type")?.as_str()?;
        ty.starts_with("AWS::MSK::").then_some(ty)
    });
    if let Some(ty) = created {
        w.skip(format!(
            "{at}: a cluster the template creates ({ty}); lamc reads only existing clusters, `cluster NAME from \"arn:…\"`"
        ));
        return None;
    }
    source(w, at, v, Kind::Cluster)
}

/// The logical ID that `!Ref X` or `!GetAtt X.Attr` names.
fn referenced_id(v: &Value) -> Option<&str> {
    if let Some(id) = v.get("Ref").and_then(Value::as_str) {
        return Some(id);
    }
    match v.get("Fn::GetAtt")? {
        Value::Array(a) => a.first()?.as_str(),
        Value::String(s) => s.split('.').next(),
        _ => None,
    }
}

// ---- serverless.yml ------------------------------------------------------------------------

/// The cluster an `msk` event reads and the secret it signs in with (`saslScram512`),
/// each declared once.
pub fn sls_existing(scope: &mut Scope, out: &mut Vec<Member>, spec: &Value) {
    if let Some(arn) = spec.get("arn") {
        out.extend(resources::existing_as(scope, arn, Kind::Cluster));
    }
    if let Some(secret) = spec.get("saslScram512") {
        out.extend(super::grants::declare_secret(scope, secret));
    }
}

/// An `msk` event: `on kafka cluster.NAME { topic = …, … }` on an existing cluster.
pub fn sls_event(w: &mut Writer, at: &str, spec: &Value) {
    let arn = spec.get("arn");
    let target = arn.and_then(|a| w.scope.source(a));
    let Some(t) = target.filter(|t| t.kind == Kind::Cluster) else {
        return w.skip(format!(
            "{at}: a cluster lamc cannot name ({})",
            short(spec)
        ));
    };
    let topic = match kafka_topic(w, spec.get("topic")) {
        Ok(topic) => topic,
        Err(why) => return w.skip(format!("{at}: {why}")),
    };
    let mut opts = vec![topic];
    if spec.get("startingPosition").is_none() {
        // The Framework starts MSK events at TRIM_HORIZON unless told otherwise.
        opts.push("start = trim_horizon".into());
    }
    opts.extend(settings::options(
        options::SERVERLESS_MSK,
        w,
        &fields(spec),
        at,
    ));
    let read = options::read(options::SERVERLESS_MSK, &["arn", "topic"]);
    unread(w, at, spec, &read);
    w.body
        .push(triggers::line(&format!("kafka {}", t.path()), &opts));
}

// ---- both ----------------------------------------------------------------------------------

/// `topic = …` for the one topic of an MSK event (SAM's `Topics`, a list; serverless.yml's
/// `topic`); `Err` for none, one lamc cannot say, or more than one.
pub fn kafka_topic(w: &Writer, v: Option<&Value>) -> Result<String, String> {
    let one = match v {
        Some(Value::Array(items)) if items.len() > 1 => {
            return Err(format!(
                "Topics {}: Lambda reads one topic per MSK event source mapping (ESM-20); write one `on kafka` trigger per topic",
                shown(v.expect("a list"))
            ))
        }
        Some(Value::Array(items)) => items.first(),
        other => other,
    };
    let one = one.ok_or("no topic")?;
    Ok(format!("topic = {}", w.scope.expr(one)?))
}

/// SAM's `SourceAccessConfigurations`: `auth = secret.X` for a `SASL_SCRAM_512_AUTH`
/// secret the program declares; every other entry is a comment.
pub fn kafka_auth(w: &mut Writer, at: &str, v: &Value) -> Option<String> {
    let mut auth = None;
    for entry in v.as_array().map_or(&[][..], Vec::as_slice) {
        let ty = entry.get("Type").and_then(Value::as_str).unwrap_or("?");
        let secret = entry.get("URI").and_then(|u| w.scope.source(u));
        match (ty, secret) {
            ("SASL_SCRAM_512_AUTH", Some(t)) if t.kind == Kind::Secret && auth.is_none() => {
                auth = Some(format!("auth = {}", t.path()));
            }
            ("SASL_SCRAM_512_AUTH", _) => w.skip(format!(
                "{at}: SourceAccessConfigurations {} (a secret lamc cannot name)",
                shown(entry)
            )),
            _ => w.skip(format!(
                "{at}: SourceAccessConfigurations {ty} (lamc's `on kafka` signs in to an MSK cluster with IAM or SASL/SCRAM: `auth = iam | secret.NAME`)"
            )),
        }
    }
    if !v.is_array() {
        w.skip(format!("{at}: SourceAccessConfigurations {}", shown(v)));
    }
    auth
}

#[cfg(test)]
mod tests {
    use crate::import::testkit::{holds, program};

    const SAM: &str = r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Topic:
    Type: String
Resources:
  ReaderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
      Policies:
        - AWSLambdaMSKExecutionRole
        - SecretsManagerReadWrite
      Events:
        Orders:
          Type: MSK
          Properties:
            Stream: arn:aws:kafka:us-east-1:123456789012:cluster/orders-cluster/0123abcd-1
            Topics: [!Ref Topic]
            StartingPosition: TRIM_HORIZON
            BatchSize: 500
            MaximumBatchingWindowInSeconds: 5
            ConsumerGroupId: orders-service
            ProvisionedPollerConfig: {MinimumPollers: 1, MaximumPollers: 10}
            FilterCriteria:
              Filters:
                - Pattern: '{"value": {"total": [{"numeric": [">", 100]}]}}'
            SourceAccessConfigurations:
              - Type: SASL_SCRAM_512_AUTH
                URI: arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_login-AbCdEf
        Audit:
          Type: MSK
          Properties:
            Stream: arn:aws:kafka:us-east-1:123456789012:cluster/orders-cluster/0123abcd-1
            Topics: [audit]
            StartingPosition: AT_TIMESTAMP
            StartingPositionTimestamp: 1700000000
            SourceAccessConfigurations:
              - Type: CLIENT_CERTIFICATE_TLS_AUTH
                URI: arn:aws:secretsmanager:us-east-1:123456789012:secret:cert-AbCdEf
            DestinationConfig:
              OnFailure:
                Destination: arn:aws:s3:::failed
            Enabled: false
        Many:
          Type: MSK
          Properties:
            Stream: arn:aws:kafka:us-east-1:123456789012:cluster/orders-cluster/0123abcd-1
            Topics: [a, b]
        Created:
          Type: MSK
          Properties:
            Stream: !GetAtt Cluster.Arn
            Topics: [c]
  Cluster:
    Type: AWS::MSK::ServerlessCluster
Outputs:
  Role:
    Value: !GetAtt ReaderFunctionRole.Arn
"#;

    #[test]
    fn sam_msk_events_read_one_topic_of_an_existing_cluster() {
        let (text, skipped) = program(SAM);
        holds(&text, &[
            "cluster orders_cluster   from \"arn:aws:kafka:us-east-1:123456789012:cluster/orders-cluster/0123abcd-1\"",
            "secret  amazon_msk_login from \"arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_login-AbCdEf\"",
            "on kafka cluster.orders_cluster {\n    topic          = param.topic\n    start          = trim_horizon\n    batch          = 500\n    window         = 5s\n    consumer_group = \"orders-service\"\n    pollers        = 1..10\n",
            "      value = { total = [{ numeric = [\">\", 100] }] }\n    }\n    auth = secret.amazon_msk_login\n  }",
            "on kafka cluster.orders_cluster { topic = \"audit\" }",
            "# Policies[0]: AWSLambdaMSKExecutionRole: lamc gives it",
            "# Policies[1]: SecretsManagerReadWrite: `on kafka",
            "output role = function.reader.role",
        ]);
        assert_eq!(skipped, [
            "Events.Audit (MSK): StartingPosition (AT_TIMESTAMP: lamc's `start` is latest or trim_horizon)",
            "Events.Audit (MSK): Enabled (false: lamc's queue, stream and Kafka triggers have no `enabled`; the mapping is created enabled)",
            "Events.Audit (MSK): SourceAccessConfigurations CLIENT_CERTIFICATE_TLS_AUTH (lamc's `on kafka` signs in to an MSK cluster with IAM or SASL/SCRAM: `auth = iam | secret.NAME`)",
            "Events.Audit (MSK): StartingPositionTimestamp",
            "Events.Audit (MSK): DestinationConfig",
            "Events.Many (MSK): Topics [\"a\",\"b\"]: Lambda reads one topic per MSK event source mapping (ESM-20); write one `on kafka` trigger per topic",
            "Events.Created (MSK): a cluster the template creates (AWS::MSK::ServerlessCluster); lamc reads only existing clusters, `cluster NAME from \"arn:…\"`",
            "Resources.Cluster (AWS::MSK::ServerlessCluster)",
        ]);
    }

    #[test]
    fn a_managed_policy_without_the_trigger_that_gives_it_stays_a_comment() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  ReaderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
      Role: arn:aws:iam::123456789012:role/reader
      Policies: [AWSLambdaMSKExecutionRole]
Outputs:
  Role:
    Value: !GetAtt ReaderFunctionRole.Arn
"#,
        );
        assert!(!text.contains("function.reader.role"), "{text}");
        assert_eq!(
            skipped[1],
            "Policies[0]: managed policy AWSLambdaMSKExecutionRole"
        );
        assert_eq!(skipped[2], "Outputs.Role (ReaderFunctionRole.Arn)");
    }

    #[test]
    fn a_parameter_names_the_cluster_and_the_secret() {
        let (text, _) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  ClusterArn: {Type: String}
  Login: {Type: String}
Resources:
  ReaderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
      Events:
        E:
          Type: MSK
          Properties:
            Stream: !Ref ClusterArn
            Topics: [t]
            SourceAccessConfigurations: [{Type: SASL_SCRAM_512_AUTH, URI: !Ref Login}]
"#,
        );
        holds(
            &text,
            &[
                "cluster cluster_arn from \"${param.cluster_arn}\"",
                "secret  login       from \"${param.login}\"",
                "on kafka cluster.cluster_arn { topic = \"t\", auth = secret.login }",
            ],
        );
    }

    #[test]
    fn a_cloudformation_mapping_on_a_cluster_is_the_functions_kafka_trigger() {
        let (text, skipped) = program(
            r#"
Resources:
  WorkerFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt WorkerRole.Arn
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole]
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref WorkerFunction
      EventSourceArn: arn:aws:kafka:us-east-1:123456789012:cluster/events/0123-1
      Topics: [orders]
      StartingPosition: LATEST
      AmazonManagedKafkaEventSourceConfig: {ConsumerGroupId: workers}
"#,
        );
        holds(&text, &[
            "cluster events from \"arn:aws:kafka:us-east-1:123456789012:cluster/events/0123-1\"",
            "# Role WorkerRole: AWSLambdaMSKExecutionRole: lamc gives it",
            "on kafka cluster.events { topic = \"orders\", start = latest, consumer_group = \"workers\" }",
            "the `on kafka` line of function worker",
        ]);
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn serverless_msk_events_start_where_the_framework_does() {
        let (text, skipped) = program(
            r#"
service: kafka
provider: {name: aws, runtime: python3.13}
functions:
  compute:
    handler: h.h
    events:
      - msk:
          arn: arn:aws:kafka:us-east-1:111111111111:cluster/Events/a1a1
          topic: orders
          batchSize: 100
          maximumBatchingWindow: 30
          saslScram512: arn:aws:secretsmanager:us-east-1:111111111111:secret:AmazonMSK_k-AbCdEf
          consumerGroupId: g
          filterPatterns:
            - value: {a: [1, 2]}
      - msk:
          arn: arn:aws:kafka:us-east-1:111111111111:cluster/Events/a1a1
          topic: audit
          startingPosition: LATEST
"#,
        );
        holds(&text, &[
            "cluster events       from \"arn:aws:kafka:us-east-1:111111111111:cluster/Events/a1a1\"",
            "secret  amazon_msk_k from",
            "on kafka cluster.events {\n    topic          = \"orders\"\n    start          = trim_horizon\n    batch          = 100\n    window         = 30s\n    consumer_group = \"g\"\n    auth           = secret.amazon_msk_k\n    filter         = { value = { a = [1, 2] } }\n  }",
            "on kafka cluster.events { topic = \"audit\", start = latest }",
        ]);
        assert!(skipped.is_empty(), "{skipped:?}");
    }
}
