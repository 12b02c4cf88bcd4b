//! The plain resources lamc declares (SQS, SNS, S3, DynamoDB, Kinesis; SAM's SimpleTable
//! and APIs) and CloudWatch alarms on Lambda and SQS metrics, from their CloudFormation
//! properties. Shared by SAM templates and serverless.yml `resources.Resources`.

use serde_json::{Map, Value};

use super::intrinsics::{literal, number, Scope, Target};
use super::write::{self, Member, Notes};
use crate::model::{FnMetric, Kind, MetricUnit, MissingData};
use crate::schema::limits::fmt_seconds;
use crate::schema::MISSING_DATA_VALUES;

/// The kind of declaration a CloudFormation or SAM resource type becomes.
pub fn kind_of(ty: &str) -> Option<Kind> {
    Some(match ty {
        "AWS::SQS::Queue" => Kind::Queue,
        "AWS::SNS::Topic" => Kind::Topic,
        "AWS::S3::Bucket" => Kind::Bucket,
        "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => Kind::Table,
        "AWS::Kinesis::Stream" => Kind::Stream,
        "AWS::Serverless::HttpApi" | "AWS::Serverless::Api" => Kind::Api,
        "AWS::Serverless::Function" | "AWS::Lambda::Function" => Kind::Function,
        t if super::layers::is_layer(t) => Kind::Layer,
        "AWS::Events::EventBus" => Kind::Bus,
        _ => return None,
    })
}

/// The kind of declaration the resource `res` becomes, if any: [`kind_of`] its type, but
/// a layer only when its code can be said in lamc (else it stays a comment).
pub fn declared_kind(res: &Value, scope: &Scope) -> Option<Kind> {
    let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
    let kind = kind_of(ty)?;
    if kind == Kind::Layer {
        let props = res.get("Properties").and_then(Value::as_object)?;
        super::layers::code(props, scope)?;
    }
    Some(kind)
}

/// The property that holds the name the original gives a resource itself.
pub fn name_property(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => "TableName",
        "AWS::Kinesis::Stream" | "AWS::Events::EventBus" => "Name",
        _ => return None,
    })
}

/// One resource's declaration, with comments for what does not come across.
pub struct Writer<'a> {
    pub scope: &'a Scope,
    pub notes: &'a mut Notes,
    pub body: Vec<Member>,
    /// The properties read; the others are reported.
    read: Vec<&'static str>,
}

impl<'a> Writer<'a> {
    pub fn new(scope: &'a Scope, notes: &'a mut Notes) -> Writer<'a> {
        Writer {
            scope,
            notes,
            body: Vec::new(),
            read: Vec::new(),
        }
    }

    pub fn line(&mut self, text: String) {
        self.body.push(Member::Line(text));
    }

    pub fn skip(&mut self, what: String) {
        self.notes.skip(&mut self.body, what);
    }

    /// Mark `key` as handled whatever happened to it.
    pub fn took(&mut self, key: &'static str) {
        self.read.push(key);
    }

    /// Comments for the properties nobody read, in their order.
    pub fn rest(&mut self, props: &Map<String, Value>, why: &str) {
        let left: Vec<String> = props
            .keys()
            .filter(|k| !self.read.contains(&k.as_str()))
            .cloned()
            .collect();
        for k in left {
            self.skip(format!("{k} ({why})"));
        }
    }

    /// `key = VALUE` with VALUE a duration in seconds.
    pub fn seconds(&mut self, props: &Map<String, Value>, key: &'static str, ours: &str) {
        self.took(key);
        if let Some(v) = props.get(key) {
            match number(v) {
                Some(n) => self.line(format!("{ours} = {}", fmt_seconds(n))),
                None => self.skip(format!("{key} (a value lamc must know: {})", shown(v))),
            }
        }
    }
}

/// The names the original gave its resources (`QueueName: orders`), with the declaration
/// each became, once every declaration is known: a value equal to one is that
/// declaration's `.name`.
pub fn physical_names(resources: &Map<String, Value>, scope: &Scope) -> Vec<(String, Target)> {
    let mut out = Vec::new();
    for (id, res) in resources {
        let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
        let (Some(key), Some(target)) = (name_property(ty), scope.decls.get(id)) else {
            continue;
        };
        let named = res.get("Properties").and_then(|p| p.get(key));
        if let Some(parts) = named.and_then(|v| scope.parts(v).ok()) {
            out.push((super::intrinsics::render_plain(&parts), target.clone()));
        }
    }
    out
}

/// The resource attributes lamc does not read (`Condition`, `DependsOn`, …), as comments.
pub fn attributes(res: &Value, at: &str, notes: &mut Notes, out: &mut Vec<Member>) {
    // A retained resource says so in its declaration (`retain = true`).
    let retained = super::stateful::retained(res);
    for key in [
        "Condition",
        "DependsOn",
        "DeletionPolicy",
        "UpdateReplacePolicy",
    ] {
        if retained && key.ends_with("Policy") {
            continue;
        }
        if let Some(v) = res.get(key) {
            notes.skip(out, format!("{at}.{key}: {}", shown(v)));
        }
    }
}

/// An existing queue, topic or stream that the original names by ARN (an event's source,
/// a dead-letter target), declared once: `queue NAME from "arn:…"`. `None` when the ARN
/// names a declaration of the program, one already declared, or no kind lamc has.
pub fn existing(scope: &mut Scope, arn: &Value) -> Option<Member> {
    existing_of(scope, arn, None)
}

/// [`existing`] for the source of a trigger that reads only one kind (an MSK event's
/// `Stream` is a cluster): an ARN of that kind, or a value that is not an ARN as written (a
/// parameter, `!Sub "${Prefix}-arn"`), which the trigger says is one; named after the
/// cluster's name in its ARN, or the parameter's.
pub fn existing_as(scope: &mut Scope, arn: &Value, kind: Kind) -> Option<Member> {
    existing_of(scope, arn, Some(kind))
}

fn existing_of(scope: &mut Scope, arn: &Value, want: Option<Kind>) -> Option<Member> {
    use super::intrinsics::{existing_kind, name_of_text, render_plain};
    if scope.target(arn).is_some() {
        return None;
    }
    let parts = scope.parts(arn).ok()?;
    let id = super::intrinsics::existing_key(&parts);
    let text = render_plain(&parts);
    let (kind, base) = match (existing_kind(&text), want) {
        // A cluster only where a Kafka trigger reads it (its own `existing_as`).
        (Some((kind, base)), want) if want.map_or(kind != Kind::Cluster, |w| w == kind) => {
            (kind, base)
        }
        (None, Some(want)) if !text.starts_with("arn:") => (want, name_of_text(&text)),
        _ => return None,
    };
    if scope.decls.contains_key(&id) {
        return None;
    }
    let t = scope.declare(&id, kind, &base);
    let text = super::convert::quoted(&super::intrinsics::render(&parts));
    Some(Member::Line(format!(
        "{} {} from {text}",
        kind.as_str(),
        t.name
    )))
}

/// An existing EventBridge bus a rule names (`EventBusName: orders`, or its ARN), declared
/// once: `bus NAME from "arn:…"`. `None` for the default bus, a bus of the program, one
/// already declared, or a name lamc cannot turn into an ARN.
pub fn existing_bus(scope: &mut Scope, bus: &Value) -> Option<Member> {
    if scope.named(bus).is_some() {
        return None;
    }
    let parts = scope.parts(bus).ok()?;
    let text = super::intrinsics::render_plain(&parts);
    let key = super::intrinsics::existing_key(&parts);
    if text == "default" || scope.decls.contains_key(&key) {
        return None;
    }
    let arn = if text.starts_with("arn:") {
        super::convert::quoted(&super::intrinsics::render(&parts))
    } else if parts
        .iter()
        .all(|p| matches!(p, super::intrinsics::Part::Text(_)))
    {
        // A bus is named by its name in the rule; lamc names an existing one by its ARN.
        let mut arn = String::from("\"arn:aws:events:${aws.region}:${aws.account_id}:event-bus/");
        write::push_escaped(&text, &mut arn);
        arn.push('"');
        arn
    } else {
        return None;
    };
    let base = write::snake(text.rsplit('/').next().unwrap_or(&text));
    let t = scope.declare(&key, Kind::Bus, &base);
    Some(Member::Line(format!("bus {} from {arn}", t.name)))
}

/// A value as shown in a comment.
pub fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The block of a resource of type `ty`: `queue jobs { … }` with its comments.
pub fn declare(
    ty: &str,
    target: &Target,
    props: &Map<String, Value>,
    scope: &Scope,
    notes: &mut Notes,
    retain: bool,
) -> Member {
    let mut w = Writer::new(scope, notes);
    let options = super::stateful::takes_options(target.kind);
    if let Some(key) = name_property(ty) {
        w.took(key);
        if let Some(v) = props.get(key) {
            // As written (not as the declaration's `.name`, which it is by definition).
            let written = scope.parts(v).map(|p| super::intrinsics::render(&p));
            match written {
                Ok(e) if options => w.line(format!("name = {e}")),
                other => w.skip(format!(
                    "{key}: {} (lamc names the {} and passes {}.name where the original used the name)",
                    other.unwrap_or_else(|_| shown(v)),
                    target.kind.as_str(),
                    target.path()
                )),
            }
        }
    }
    if retain {
        w.line("retain = true".into());
    }
    if options {
        super::stateful::options(&mut w, ty, props);
    }
    match ty {
        "AWS::SQS::Queue" => queue(&mut w, props),
        "AWS::SNS::Topic" => topic(&mut w, props),
        "AWS::S3::Bucket" => bucket(&mut w, props),
        "AWS::DynamoDB::Table" => table(&mut w, props),
        "AWS::Serverless::SimpleTable" => simple_table(&mut w, props),
        "AWS::Kinesis::Stream" => stream(&mut w, props),
        "AWS::Serverless::HttpApi" | "AWS::Serverless::Api" => api(&mut w, props, ty),
        t if super::layers::is_layer(t) => super::layers::body(&mut w, props),
        _ => {}
    }
    w.rest(props, "no such attribute in lamc yet");
    Member::Block(format!("{} {}", target.kind.as_str(), target.name), w.body)
}

fn queue(w: &mut Writer, props: &Map<String, Value>) {
    w.took("FifoQueue");
    if props.get("FifoQueue").is_some_and(is_true) {
        w.line("fifo = true".into());
    }
    w.seconds(props, "VisibilityTimeout", "visibility");
    w.seconds(props, "MessageRetentionPeriod", "retention");
    w.seconds(props, "DelaySeconds", "delay");
    w.took("SqsManagedSseEnabled");
    if props
        .get("SqsManagedSseEnabled")
        .is_some_and(|v| !is_true(v))
    {
        w.skip("SqsManagedSseEnabled: false (lamc always encrypts queues, SEC-03)".into());
    }
    w.took("RedrivePolicy");
    if let Some(r) = props.get("RedrivePolicy") {
        let dlq = r
            .get("deadLetterTargetArn")
            .and_then(|v| w.scope.target(v))
            .filter(|t| t.kind == Kind::Queue);
        match dlq {
            Some(t) => {
                w.line(format!("dead_letter = {}", t.path()));
                if let Some(n) = r.get("maxReceiveCount").and_then(number) {
                    w.line(format!("max_receives = {n}"));
                }
            }
            None => w.skip(format!(
                "RedrivePolicy (a dead-letter queue outside the program: {})",
                shown(r)
            )),
        }
    }
}

fn topic(w: &mut Writer, props: &Map<String, Value>) {
    w.took("FifoTopic");
    if props.get("FifoTopic").is_some_and(is_true) {
        w.line("fifo = true".into());
    }
    w.took("Subscription");
    let mut email = Vec::new();
    let mut https = Vec::new();
    for s in props
        .get("Subscription")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let protocol = s.get("Protocol").and_then(Value::as_str).unwrap_or("");
        // lamc checks subscription endpoints itself: only literals come across.
        let endpoint = s
            .get("Endpoint")
            .and_then(|e| e.as_str())
            .map(write::string);
        match (protocol, endpoint) {
            ("email", Some(e)) => email.push(e),
            ("https", Some(e)) => https.push(e),
            _ => w.skip(format!("Subscription {protocol} ({})", shown(s))),
        }
    }
    if !email.is_empty() {
        w.line(format!("email = [{}]", email.join(", ")));
    }
    if !https.is_empty() {
        w.line(format!("https = [{}]", https.join(", ")));
    }
}

fn bucket(w: &mut Writer, props: &Map<String, Value>) {
    w.took("VersioningConfiguration");
    if let Some(v) = props.get("VersioningConfiguration") {
        if v.get("Status").and_then(Value::as_str) == Some("Enabled") {
            w.line("versioning = true".into());
        }
    }
    w.took("PublicAccessBlockConfiguration");
    if let Some(Value::Object(p)) = props.get("PublicAccessBlockConfiguration") {
        if !p.values().all(is_true) {
            w.skip("PublicAccessBlockConfiguration (lamc blocks all public access, SEC-01)".into());
        }
    }
    w.took("BucketEncryption");
    if let Some(e) = props.get("BucketEncryption") {
        bucket_encryption(w, e);
    }
    w.took("LifecycleConfiguration");
    if let Some(l) = props.get("LifecycleConfiguration") {
        match expiry_days(l) {
            Some(d) => w.line(format!("expire = {d}d")),
            None => w.skip(format!(
                "LifecycleConfiguration (lamc has one rule: expire = N days): {}",
                shown(l)
            )),
        }
    }
}

/// A bucket's default encryption. SSE-S3 (`AES256`) is what S3 applies to every bucket
/// anyway (S3E-01), so it is an explanatory comment; a KMS key stays a comment, as lamc's
/// buckets take no `kms` yet.
fn bucket_encryption(w: &mut Writer, e: &Value) {
    let rules = e
        .get("ServerSideEncryptionConfiguration")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let algorithm = match rules {
        [rule] => rule
            .get("ServerSideEncryptionByDefault")
            .filter(|d| d.get("KMSMasterKeyID").is_none())
            .and_then(|d| d.get("SSEAlgorithm"))
            .and_then(Value::as_str),
        _ => None,
    };
    if algorithm == Some("AES256") {
        w.body.push(Member::Comment(
            "BucketEncryption AES256 (SSE-S3): S3 encrypts every new object so by default (S3E-01)"
                .into(),
        ));
    } else {
        w.skip(format!(
            "BucketEncryption ({}: lamc's buckets use S3's default encryption, SSE-S3)",
            shown(e)
        ));
    }
}

/// The days of a lifecycle configuration that only expires every object after N days.
fn expiry_days(l: &Value) -> Option<u64> {
    let rules = l.get("Rules")?.as_array()?;
    let [rule] = rules.as_slice() else {
        return None;
    };
    let rule = rule.as_object()?;
    let known = ["Id", "Status", "ExpirationInDays"];
    if rule.keys().any(|k| !known.contains(&k.as_str())) {
        return None;
    }
    (rule.get("Status")?.as_str()? == "Enabled").then_some(())?;
    number(rule.get("ExpirationInDays")?)
}

/// A key attribute's type, as a table (`S`) or SAM's SimpleTable (`String`) writes it.
fn key_type(t: &str) -> Option<&'static str> {
    let cfn = match t {
        "String" => "S",
        "Number" => "N",
        "Binary" => "B",
        other => other,
    };
    crate::schema::KEY_TYPE.word_for(cfn)
}

/// `{ id = string }`, with the attribute name quoted when it is not a lamc name.
fn key_map(name: &str, ty: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let key = if plain {
        name.to_string()
    } else {
        write::string(name)
    };
    format!("{{ {key} = {ty} }}")
}

fn table(w: &mut Writer, props: &Map<String, Value>) {
    w.took("KeySchema");
    w.took("AttributeDefinitions");
    let types: Vec<(String, String)> = props
        .get("AttributeDefinitions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            Some((
                a.get("AttributeName")?.as_str()?.to_string(),
                a.get("AttributeType")?.as_str()?.to_string(),
            ))
        })
        .collect();
    for k in props
        .get("KeySchema")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = k.get("AttributeName").and_then(Value::as_str).unwrap_or("");
        let role = match k.get("KeyType").and_then(Value::as_str) {
            Some("HASH") => "key",
            Some("RANGE") => "sort",
            _ => continue,
        };
        let ty = types
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, t)| key_type(t));
        match ty {
            Some(ty) => w.line(format!("{role} = {}", key_map(name, ty))),
            None => w.skip(format!("KeySchema {name} (no attribute type lamc reads)")),
        }
    }
    w.took("StreamSpecification");
    if let Some(s) = props.get("StreamSpecification") {
        let view = s
            .get("StreamViewType")
            .and_then(Value::as_str)
            .and_then(|v| crate::schema::STREAM_VIEW.word_for(v));
        match view {
            Some(v) => w.line(format!("stream = {v}")),
            None => w.skip(format!("StreamSpecification ({})", shown(s))),
        }
    }
    w.took("TimeToLiveSpecification");
    if let Some(t) = props.get("TimeToLiveSpecification") {
        let on = t.get("Enabled").is_none_or(is_true);
        match t.get("AttributeName").and_then(Value::as_str) {
            Some(a) if on => w.line(format!("ttl = {}", write::string(a))),
            _ => w.skip(format!("TimeToLiveSpecification ({})", shown(t))),
        }
    }
    on_demand(w, props);
}

/// lamc's tables are billed on demand: a provisioned table is reported.
fn on_demand(w: &mut Writer, props: &Map<String, Value>) {
    w.took("BillingMode");
    w.took("ProvisionedThroughput");
    let provisioned = props.get("ProvisionedThroughput").is_some()
        || props.get("BillingMode").and_then(Value::as_str) == Some("PROVISIONED");
    if provisioned {
        w.skip("ProvisionedThroughput (lamc's tables are billed on demand)".into());
    }
}

fn simple_table(w: &mut Writer, props: &Map<String, Value>) {
    w.took("PrimaryKey");
    let key = props.get("PrimaryKey");
    let name = key
        .and_then(|k| k.get("Name"))
        .and_then(Value::as_str)
        .unwrap_or("id");
    let ty = key
        .and_then(|k| k.get("Type"))
        .and_then(Value::as_str)
        .unwrap_or("String");
    match key_type(ty) {
        Some(ty) => w.line(format!("key = {}", key_map(name, ty))),
        None => w.skip(format!("PrimaryKey type {ty}")),
    }
    on_demand(w, props);
}

fn stream(w: &mut Writer, props: &Map<String, Value>) {
    w.took("StreamModeDetails");
    let mode = props
        .get("StreamModeDetails")
        .and_then(|m| m.get("StreamMode"))
        .and_then(Value::as_str);
    if mode == Some("ON_DEMAND") {
        w.line("on_demand = true".into());
    }
    w.took("ShardCount");
    if let Some(v) = props.get("ShardCount") {
        match number(v) {
            Some(n) => w.line(format!("shards = {n}")),
            None => w.skip(format!("ShardCount ({})", shown(v))),
        }
    }
    w.took("RetentionPeriodHours");
    if let Some(v) = props.get("RetentionPeriodHours") {
        match number(v) {
            Some(n) => w.line(format!("retention = {n}h")),
            None => w.skip(format!("RetentionPeriodHours ({})", shown(v))),
        }
    }
    w.took("StreamEncryption");
    let managed = props
        .get("StreamEncryption")
        .and_then(|e| e.get("KeyId"))
        .and_then(Value::as_str)
        .is_none_or(|k| k == "alias/aws/kinesis");
    if !managed {
        w.skip("StreamEncryption (lamc encrypts streams with alias/aws/kinesis, SEC-02)".into());
    }
}

/// A SAM API's `Cors` / `CorsConfiguration` and `StageName` (its other settings: see
/// [`super::apis`]).
pub(super) fn api(w: &mut Writer, props: &Map<String, Value>, ty: &str) {
    if ty == "AWS::Serverless::Api" {
        w.body.push(Member::Comment(
            "a REST API in the original, an HTTP API here: usage plans, API keys, request \
             validation and models do not come across"
                .into(),
        ));
    }
    let key = if ty == "AWS::Serverless::Api" {
        "Cors"
    } else {
        "CorsConfiguration"
    };
    w.took(if ty == "AWS::Serverless::Api" {
        "Cors"
    } else {
        "CorsConfiguration"
    });
    if let Some(c) = props.get(key) {
        match cors(c, w.scope) {
            Some(block) => w.body.push(block),
            None => w.skip(format!("{key} ({})", shown(c))),
        }
    }
    w.took("StageName");
    if let Some(s) = props.get("StageName") {
        w.body.push(Member::Comment(format!(
            "StageName {}: lamc's API serves its `$default` stage",
            shown(s)
        )));
    }
}

/// A CORS configuration as a `cors { … }` block: SAM's HTTP API form (`AllowOrigins`
/// lists), its REST form (quoted strings: `AllowOrigin: "'*'"`, or one origin string) and
/// a function URL's (`AllowOrigins`).
pub fn cors(c: &Value, scope: &Scope) -> Option<Member> {
    let mut body = Vec::new();
    if let Value::String(origin) = c {
        body.push(Member::Line(format!(
            "origins = [{}]",
            write::string(unquote(origin))
        )));
        return Some(Member::Block("cors".into(), body));
    }
    let c = c.as_object()?;
    for (key, ours) in [
        ("AllowOrigins", "origins"),
        ("AllowOrigin", "origins"),
        ("AllowMethods", "methods"),
        ("AllowHeaders", "headers"),
    ] {
        let Some(v) = c.get(key) else { continue };
        // Each item as lamc says it (`!Ref Origin` is `"${param.origin}"`); an item lamc
        // cannot say makes the whole rule a comment rather than a shorter list.
        let list: Vec<String> = match v {
            Value::Array(items) => items
                .iter()
                .map(|i| scope.expr(i).ok().map(|e| super::convert::quoted(&e)))
                .collect::<Option<_>>()?,
            Value::String(s) => unquote(s)
                .split(',')
                .map(|p| write::string(p.trim()))
                .collect(),
            _ => return None,
        };
        body.push(Member::Line(format!("{ours} = [{}]", list.join(", "))));
    }
    if let Some(n) = c.get("MaxAge").and_then(number) {
        body.push(Member::Line(format!("max_age = {}", fmt_seconds(n))));
    }
    let known = [
        "AllowOrigins",
        "AllowOrigin",
        "AllowMethods",
        "AllowHeaders",
        "MaxAge",
    ];
    if c.keys().any(|k| !known.contains(&k.as_str())) || body.is_empty() {
        return None;
    }
    Some(Member::Block("cors".into(), body))
}

/// `"'*'"` (REST CORS values are quoted for API Gateway) → `*`.
fn unquote(s: &str) -> &str {
    s.strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .unwrap_or(s)
}

pub fn is_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

// ---- alarms --------------------------------------------------------------------------------

/// A CloudWatch alarm on one Lambda metric of a function of the program (or the age or
/// backlog of one of its queues) as a top-level `alarm` line; `Err` says why not.
pub fn alarm(props: &Map<String, Value>, scope: &Scope) -> Result<Member, String> {
    let (path, unit) = alarm_metric(props, scope)?;
    let condition = alarm_condition(props, unit)?;
    let mut line = format!("alarm {path}{condition}");
    let evals = props.get("EvaluationPeriods").and_then(number).unwrap_or(1);
    let points = props
        .get("DatapointsToAlarm")
        .and_then(number)
        .unwrap_or(evals);
    if evals != 1 || points != 1 {
        line.push_str(&format!(" for {points} of {evals}"));
    }
    let notify = alarm_topics(props.get("AlarmActions"), scope)?;
    if !notify.is_empty() {
        line.push_str(&format!(" notify {}", notify.join(", ")));
    }
    let block = alarm_block(props, scope)?;
    if !block.is_empty() {
        line.push_str(&format!(" {{ {} }}", block.join(", ")));
    }
    Ok(Member::Line(line))
}

/// The metric's lamc path (`function.f.errors`, `queue.q.age`) and the unit its
/// threshold is written in.
fn alarm_metric(
    props: &Map<String, Value>,
    scope: &Scope,
) -> Result<(String, &'static str), String> {
    let namespace = props.get("Namespace").and_then(Value::as_str).unwrap_or("");
    let metric = props
        .get("MetricName")
        .and_then(Value::as_str)
        .ok_or("a metric lamc does not read")?;
    let dims = props
        .get("Dimensions")
        .and_then(Value::as_array)
        .ok_or("no dimensions")?;
    let [dim] = dims.as_slice() else {
        return Err("several dimensions".into());
    };
    let target = dim
        .get("Value")
        .and_then(|v| scope.target(v))
        .ok_or("a resource outside the program")?;
    let dim_name = dim.get("Name").and_then(Value::as_str).unwrap_or("");
    match (namespace, dim_name, target.kind) {
        ("AWS/Lambda", "FunctionName", Kind::Function) => {
            let (ours, unit) = lambda_metric(metric).ok_or_else(|| format!("metric {metric}"))?;
            Ok((format!("{}.{ours}", target.path()), unit))
        }
        ("AWS/SQS", "QueueName", Kind::Queue) => match metric {
            "ApproximateAgeOfOldestMessage" => Ok((format!("{}.age", target.path()), "s")),
            "ApproximateNumberOfMessagesVisible" => Ok((format!("{}.visible", target.path()), "")),
            _ => Err(format!("metric {metric}")),
        },
        _ => Err(format!("{namespace} {metric} by {dim_name}")),
    }
}

/// What follows the metric's path: `[.STAT] OP THRESHOLD over PERIOD`.
fn alarm_condition(props: &Map<String, Value>, unit: &str) -> Result<String, String> {
    let stat = statistic(props)?;
    let cmp = props
        .get("ComparisonOperator")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let op = crate::schema::COMPARISON
        .word_for(cmp)
        .ok_or_else(|| format!("comparison {cmp}"))?;
    let threshold = props
        .get("Threshold")
        .and_then(literal)
        .ok_or("a threshold lamc must know")?;
    let threshold = format!("{threshold}{unit}");
    let period = props
        .get("Period")
        .and_then(number)
        .ok_or("a period lamc must know")?;
    Ok(format!(
        "{stat} {op} {threshold} over {}",
        fmt_seconds(period)
    ))
}

/// The alarm's block entries: how missing data is treated, its description.
fn alarm_block(props: &Map<String, Value>, scope: &Scope) -> Result<Vec<String>, String> {
    let mut block = Vec::new();
    if let Some(m) = props.get("TreatMissingData").and_then(Value::as_str) {
        let ours = crate::schema::MISSING_DATA.word_for(m).unwrap_or(
            crate::schema::MISSING_DATA.word_of(MISSING_DATA_VALUES, &MissingData::Missing),
        );
        block.push(format!("missing = {ours}"));
    }
    if let Some(d) = props.get("AlarmDescription") {
        block.push(format!(
            "description = {}",
            scope.expr(d).map_err(|e| format!("AlarmDescription {e}"))?
        ));
    }
    Ok(block)
}

/// A Lambda metric's lamc name and the unit of its threshold (CloudWatch reports times in
/// milliseconds). Not a metric lamc computes (`error_rate`), writes in percent, or adds the
/// alias's dimension to: an alarm by `FunctionName` alone would not say the same.
fn lambda_metric(metric: &str) -> Option<(&'static str, &'static str)> {
    let (ours, m) = FnMetric::ALL
        .iter()
        .find(|(_, m)| m.cloudwatch_name() == metric)?;
    let unit = match m.unit() {
        MetricUnit::Count if !m.per_alias() => "",
        MetricUnit::Duration => "ms",
        _ => return None,
    };
    Some((ours, unit))
}

fn statistic(props: &Map<String, Value>) -> Result<String, String> {
    if let Some(p) = props.get("ExtendedStatistic").and_then(Value::as_str) {
        return Ok(format!(".{p}"));
    }
    match props.get("Statistic").and_then(Value::as_str) {
        None => Ok(String::new()),
        Some(s) => crate::schema::STATISTIC
            .word_for(s)
            .map(|w| format!(".{w}"))
            .ok_or_else(|| format!("statistic {s}")),
    }
}

fn alarm_topics(actions: Option<&Value>, scope: &Scope) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for a in actions.and_then(Value::as_array).into_iter().flatten() {
        match scope.target(a) {
            Some(t) if t.kind == Kind::Topic => out.push(t.path()),
            _ => return Err(format!("alarm action {}", shown(a))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testkit::declared;
    use serde_json::json;

    fn scope() -> Scope {
        declared(&[
            ("Dlq", Kind::Queue, "dlq"),
            ("Worker", Kind::Function, "worker"),
            ("Oncall", Kind::Topic, "oncall"),
        ])
    }

    fn text(ty: &str, props: Value) -> (String, Vec<String>) {
        let mut notes = Notes::default();
        let m = declare(
            ty,
            &Target::new(kind_of(ty).expect("kind"), "x"),
            props.as_object().expect("map"),
            &scope(),
            &mut notes,
            false,
        );
        (write::formatted(&[m]).expect("formats"), notes.skipped)
    }

    #[test]
    fn queues_tables_and_streams() {
        let (t, skipped) = text(
            "AWS::SQS::Queue",
            json!({
                "VisibilityTimeout": 180, "MessageRetentionPeriod": 1209600,
                "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}, "maxReceiveCount": 3},
                "QueueName": "jobs", "KmsMasterKeyId": "k"
            }),
        );
        assert!(t.contains("visibility   = 3m"), "{t}");
        assert!(
            t.contains("retention    = 14d")
                && t.contains("dead_letter  = queue.dlq")
                && t.contains("max_receives = 3"),
            "{t}"
        );
        assert!(
            t.contains("name         = \"jobs\"") && t.contains("kms          = \"k\""),
            "{t}"
        );
        assert!(skipped.is_empty(), "{skipped:?}");
        let (t, skipped) = text(
            "AWS::DynamoDB::Table",
            json!({
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "StreamSpecification": {"StreamViewType": "NEW_IMAGE"}, "BillingMode": "PAY_PER_REQUEST"
            }),
        );
        assert_eq!(
            t,
            "table x { key = { pk = string }, sort = { sk = number }, stream = new }\n"
        );
        assert!(skipped.is_empty());
        let (t, _) = text("AWS::Serverless::SimpleTable", json!({}));
        assert_eq!(t, "table x { key = { id = string } }\n");
        let (t, _) = text(
            "AWS::Kinesis::Stream",
            json!({"ShardCount": 2, "RetentionPeriodHours": 48}),
        );
        assert_eq!(t, "stream x { shards = 2, retention = 48h }\n");
    }

    #[test]
    fn alarms_on_lambda_metrics() {
        let a = alarm(
            json!({
                "Namespace": "AWS/Lambda", "MetricName": "Errors", "Statistic": "Sum",
                "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "Worker"}}],
                "ComparisonOperator": "GreaterThanOrEqualToThreshold", "Threshold": 5,
                "Period": 300, "EvaluationPeriods": 3, "DatapointsToAlarm": 2,
                "AlarmActions": [{"Ref": "Oncall"}], "TreatMissingData": "notBreaching"
            })
            .as_object()
            .expect("map"),
            &scope(),
        );
        assert_eq!(a, Ok(Member::Line("alarm function.worker.errors.sum >= 5 over 5m for 2 of 3 notify topic.oncall { missing = not_breaching }".into())));
        let a = alarm(json!({
            "Namespace": "AWS/Lambda", "MetricName": "Duration", "ExtendedStatistic": "p99",
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "Worker"}}],
            "ComparisonOperator": "GreaterThanThreshold", "Threshold": 2500, "Period": 60, "EvaluationPeriods": 1
        }).as_object().expect("map"), &scope());
        assert_eq!(
            a,
            Ok(Member::Line(
                "alarm function.worker.duration.p99 > 2500ms over 1m".into()
            ))
        );
        let a = alarm(
            json!({"Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
            "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}]})
            .as_object()
            .expect("map"),
            &scope(),
        );
        assert!(a.is_err());
    }
}
