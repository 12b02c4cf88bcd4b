//! Queues, topics, buckets, tables, streams and HTTP APIs that the stack creates. Existing
//! resources (`from "arn:…"`) produce nothing here; references to them use their ARN.
//!
//! Secure by default, without asking: buckets block every kind of public access, queues
//! and streams are encrypted at rest with keys that need no policy (SEC-01…SEC-03). What a
//! program adds on any kind (`name`, `retain`, `kms`, `tags`) is in the declaration's
//! [`ResourceOptions`]; `kms` replaces the default key where there is one.

use super::ctx::Ctx;
use super::tree::{Node, Props};
use super::Resource;
use crate::model::{
    ApiSpec, BucketSpec, Cors, DeployStr, KeyType, Origin, QueueSpec, ResRef, ResourceOptions,
    Spec, StreamSpec, StreamView, TableSpec, TopicSpec,
};

pub fn lower_all(cx: &mut Ctx) {
    let model = cx.model;
    for r in &model.resources {
        let Origin::Created(spec) = &r.origin else {
            continue;
        };
        let Some(id) = cx.res_id(&r.res_ref()).map(str::to_string) else {
            continue;
        };
        let o = &r.options;
        let resource = match spec {
            Spec::Queue(q) => queue(cx, q, o),
            Spec::Topic(t) => topic(cx, t, o),
            Spec::Bucket(b) => bucket(cx, &r.res_ref(), b, o),
            Spec::Table(t) => table(cx, t, o),
            Spec::Stream(s) => stream(cx, s, o),
            Spec::Api(a) => api(cx, &id, &r.name, a, o),
            Spec::Bus => bus(cx, &r.name, o),
            // Created per API that uses it, with its routes (plan/auth.rs).
            Spec::Auth(_) => continue,
            Spec::Layer(l) => {
                super::layer::lower(cx, &id, &r.name, l);
                continue;
            }
            Spec::Capacity(c) => {
                super::capacity::lower(cx, &id, &r.name, c, o);
                continue;
            }
        };
        // CFN-DP: kept when the stack deletes it or an update replaces it.
        cx.add(&id, resource.retained(o.retains()));
    }
}

/// The `name` a program gave, as text or deploy-time values.
fn given_name(cx: &Ctx, o: &ResourceOptions) -> Option<Node> {
    o.name.as_ref().map(|n| cx.text(&n.value))
}

/// The `kms` key a program chose, as text or deploy-time values.
fn given_key(cx: &Ctx, o: &ResourceOptions) -> Option<Node> {
    o.kms.as_ref().map(|k| cx.text(&k.value))
}

fn queue(cx: &Ctx, q: &QueueSpec, o: &ResourceOptions) -> Resource {
    let redrive = q.dead_letter.as_ref().map(|dl| {
        Props::new()
            .set("deadLetterTargetArn", cx.arn(&dl.value))
            // SQS-10: maxReceiveCount; lamc's default is 5 (XR-04).
            .set(
                "maxReceiveCount",
                Node::int(q.max_receives.as_ref().map_or(5, |m| m.value)),
            )
            .node()
    });
    let key = given_key(cx, o);
    let props = Props::new()
        .opt("QueueName", given_name(cx, o))
        .opt("FifoQueue", q.is_fifo().then_some(Node::Bool(true)))
        .opt(
            "VisibilityTimeout",
            q.visibility.as_ref().map(|v| Node::int(v.value)),
        )
        .opt(
            "MessageRetentionPeriod",
            q.retention.as_ref().map(|v| Node::int(v.value)),
        )
        .opt("DelaySeconds", q.delay.as_ref().map(|v| Node::int(v.value)))
        .opt("RedrivePolicy", redrive)
        // SEC-03: encrypted at rest with SQS-owned keys, which need no key policy, unless
        // the program chose a KMS key (SQS-KMS: the two are exclusive).
        .opt(
            "SqsManagedSseEnabled",
            key.is_none().then_some(Node::Bool(true)),
        )
        .opt("KmsMasterKeyId", key)
        .opt("Tags", cx.tags(&o.tags));
    Resource::new("AWS::SQS::Queue", props)
}

fn topic(cx: &Ctx, t: &TopicSpec, o: &ResourceOptions) -> Resource {
    let subs: Vec<Node> = t
        .email
        .iter()
        .map(|e| ("email", e))
        .chain(t.https.iter().map(|h| ("https", h)))
        .map(|(protocol, endpoint)| {
            Props::new()
                .set("Endpoint", Node::str(endpoint.value.clone()))
                .set("Protocol", Node::str(protocol))
                .node()
        })
        .collect();
    let props = Props::new()
        .opt("TopicName", given_name(cx, o))
        .opt(
            "FifoTopic",
            t.fifo
                .as_ref()
                .filter(|f| f.value)
                .map(|_| Node::Bool(true)),
        )
        .opt(
            "Subscription",
            (!subs.is_empty()).then_some(Node::List(subs)),
        )
        // SEC-04: unencrypted unless the program chose a key.
        .opt("KmsMasterKeyId", given_key(cx, o))
        .opt("Tags", cx.tags(&o.tags));
    Resource::new("AWS::SNS::Topic", props)
}

fn bucket(cx: &Ctx, r: &ResRef, b: &BucketSpec, o: &ResourceOptions) -> Resource {
    let versioning = b
        .versioning
        .as_ref()
        .filter(|v| v.value)
        .map(|_| Props::new().set("Status", Node::str("Enabled")).node());
    let lifecycle = b.expire_days.as_ref().map(|d| {
        let rule = Props::new()
            .set("Id", Node::str("expire"))
            .set("Status", Node::str("Enabled"))
            .set("ExpirationInDays", Node::int(d.value))
            .node();
        Props::new().set("Rules", Node::List(vec![rule])).node()
    });
    // The program's name; else, for a bucket that would close a cycle, a name known in
    // advance (see `known`). A given name is known in advance too (`Ctx::attr`).
    let name =
        given_name(cx, o).or_else(|| cx.is_known(r).then(|| super::known::bucket_name(&r.name)));
    let props = Props::new()
        .opt("BucketName", name)
        .opt("VersioningConfiguration", versioning)
        .opt("LifecycleConfiguration", lifecycle)
        .set("PublicAccessBlockConfiguration", block_public_access())
        .opt("Tags", cx.tags(&o.tags));
    Resource::new("AWS::S3::Bucket", props)
}

/// SEC-01: every way a bucket or its objects could be made public is blocked.
fn block_public_access() -> Node {
    Props::new()
        .set("BlockPublicAcls", Node::Bool(true))
        .set("BlockPublicPolicy", Node::Bool(true))
        .set("IgnorePublicAcls", Node::Bool(true))
        .set("RestrictPublicBuckets", Node::Bool(true))
        .node()
}

fn key_type(t: KeyType) -> &'static str {
    match t {
        KeyType::String => "S",
        KeyType::Number => "N",
        KeyType::Binary => "B",
    }
}

fn table(cx: &Ctx, t: &TableSpec, o: &ResourceOptions) -> Resource {
    let (schema, defs) = key_schema(t);
    let ttl = t.ttl.as_ref().map(|a| {
        Props::new()
            .set("AttributeName", cx.text(&a.value))
            .set("Enabled", Node::Bool(true))
            .node()
    });
    // DDB-PITR
    let pitr = t.pitr.as_ref().filter(|p| p.value).map(|_| {
        Props::new()
            .set("PointInTimeRecoveryEnabled", Node::Bool(true))
            .node()
    });
    // DDB-SSE: a KMS key of the program's instead of the AWS owned key.
    let sse = given_key(cx, o).map(|key| {
        Props::new()
            .set("SSEEnabled", Node::Bool(true))
            .set("SSEType", Node::str("KMS"))
            .set("KMSMasterKeyId", key)
            .node()
    });
    let props = Props::new()
        .opt("TableName", given_name(cx, o))
        .set("BillingMode", Node::str("PAY_PER_REQUEST"))
        .set("KeySchema", Node::List(schema))
        .set("AttributeDefinitions", Node::List(defs))
        .opt("StreamSpecification", stream_specification(t))
        .opt("TimeToLiveSpecification", ttl)
        .opt("PointInTimeRecoverySpecification", pitr)
        .opt("SSESpecification", sse)
        .opt("Tags", cx.tags(&o.tags));
    Resource::new("AWS::DynamoDB::Table", props)
}

/// The table's `KeySchema` (partition key, then sort key) and the `AttributeDefinitions`
/// of those keys.
fn key_schema(t: &TableSpec) -> (Vec<Node>, Vec<Node>) {
    let mut keys = vec![(&t.key.value, "HASH")];
    if let Some(sort) = &t.sort {
        keys.push((&sort.value, "RANGE"));
    }
    let schema = keys
        .iter()
        .map(|((name, _), kt)| {
            Props::new()
                .set("AttributeName", Node::str(name.clone()))
                .set("KeyType", Node::str(*kt))
                .node()
        })
        .collect();
    let defs = keys
        .iter()
        .map(|((name, ty), _)| {
            Props::new()
                .set("AttributeName", Node::str(name.clone()))
                .set("AttributeType", Node::str(key_type(*ty)))
                .node()
        })
        .collect();
    (schema, defs)
}

/// DDB-01: the stream and what its records hold, when the table has one.
fn stream_specification(t: &TableSpec) -> Option<Node> {
    t.stream.as_ref().map(|s| {
        let view = match s.value {
            StreamView::NewAndOld => "NEW_AND_OLD_IMAGES",
            StreamView::New => "NEW_IMAGE",
            StreamView::Old => "OLD_IMAGE",
            StreamView::Keys => "KEYS_ONLY",
        };
        Props::new().set("StreamViewType", Node::str(view)).node()
    })
}

/// EVB-01: a custom bus needs a name, unique in the account and region: the program's, else
/// the stack's name and lamc's, both of characters a bus name may hold (CFN-10,
/// `[/._-A-Za-z0-9]`). EVB-02: a KMS key of the program's instead of an AWS owned key.
fn bus(cx: &Ctx, name: &str, o: &ResourceOptions) -> Resource {
    let generated = || Node::sub(format!("${{AWS::StackName}}-{name}"));
    let props = Props::new()
        .set("Name", given_name(cx, o).unwrap_or_else(generated))
        .opt("KmsKeyIdentifier", given_key(cx, o))
        .opt("Tags", cx.tags(&o.tags));
    Resource::new("AWS::Events::EventBus", props)
}

/// SEC-02: the AWS managed key of Kinesis Data Streams.
pub const KINESIS_MANAGED_KEY: &str = "alias/aws/kinesis";

fn stream(cx: &Ctx, s: &StreamSpec, o: &ResourceOptions) -> Resource {
    let on_demand = s.on_demand.as_ref().is_some_and(|o| o.value);
    let mut props = Props::new().opt("Name", given_name(cx, o));
    if on_demand {
        // KIN-04
        props.put(
            "StreamModeDetails",
            Props::new()
                .set("StreamMode", Node::str("ON_DEMAND"))
                .node(),
        );
    } else {
        // KIN-03: provisioned mode needs a shard count; one shard when none is given.
        props.put(
            "ShardCount",
            Node::int(s.shards.as_ref().map_or(1, |n| n.value)),
        );
    }
    let props = props
        .opt(
            "RetentionPeriodHours",
            s.retention_hours.as_ref().map(|h| Node::int(h.value)),
        )
        // SEC-02 / KIN-05: encrypted with the AWS managed key, which needs no extra
        // permission for producers or consumers, unless the program chose a key.
        .set(
            "StreamEncryption",
            Props::new()
                .set("EncryptionType", Node::str("KMS"))
                .set(
                    "KeyId",
                    given_key(cx, o).unwrap_or_else(|| Node::str(KINESIS_MANAGED_KEY)),
                )
                .node(),
        )
        .opt("Tags", cx.tags(&o.tags));
    Resource::new("AWS::Kinesis::Stream", props)
}

/// One HTTP API with its `$default` stage (auto-deployed). Routes and integrations are
/// added by the http triggers.
fn api(cx: &mut Ctx, id: &str, name: &str, a: &ApiSpec, o: &ResourceOptions) -> Resource {
    let props = Props::new()
        .set("Name", Node::sub(format!("${{AWS::StackName}}-{name}")))
        .set("ProtocolType", Node::str("HTTP"))
        .opt("CorsConfiguration", a.cors.as_ref().map(|c| cors(cx, c)))
        .opt("Tags", cx.tags_map(&o.tags));
    let stage_id = cx.ids.alloc(&[name, "ApiStage"]);
    let stage = Props::new()
        .set("ApiId", Node::ref_(id))
        .set("StageName", Node::str("$default"))
        .set("AutoDeploy", Node::Bool(true));
    let stage = super::api::stage_settings(cx, name, a, stage).opt("Tags", cx.tags_map(&o.tags));
    cx.add(&stage_id, Resource::new("AWS::ApiGatewayV2::Stage", stage));
    super::api::domain(cx, id, &stage_id, name, a);
    Resource::new("AWS::ApiGatewayV2::Api", props)
}

/// CORS settings in the shape both API Gateway V2 and function URLs use.
pub fn cors(cx: &Ctx, c: &Cors) -> Node {
    let list = |items: &Vec<crate::model::S<String>>| {
        (!items.is_empty()).then(|| Node::list_of_str(items.iter().map(|i| i.value.clone())))
    };
    // Origins and headers may be deploy-time values (`"https://${param.domain}"`).
    let texts = |items: &Vec<crate::model::S<DeployStr>>| {
        (!items.is_empty()).then(|| cx.text_list(items.iter().map(|i| &i.value)))
    };
    Props::new()
        .opt("AllowOrigins", texts(&c.origins))
        .opt("AllowMethods", list(&c.methods))
        .opt("AllowHeaders", texts(&c.headers))
        .opt("MaxAge", c.max_age.as_ref().map(|m| Node::int(m.value)))
        .node()
}
