//! Buses, rules, trigger options, named and retained resources, authorizers and existing
//! resources of language v2 §2–5, deployed on LocalStack (tests/localstack_support) and read
//! back through each service's API (tests/localstack/read_back.py), then deleted: what
//! says `retain = true` is left.
//!
//! | construct | LocalStack 2026.3.0 |
//! |---|---|
//! | `bus NAME {}` (`AWS::Events::EventBus`) | read back: its name |
//! | `on event bus.X { pattern }` (`AWS::Events::Rule`) | read back: bus, `EventPattern`, target (the alias), the invoke permission |
//! | `on sqs … { filter }` | read back: `FilterCriteria`, mapping on the alias |
//! | `on schedule … { window, retries, max_age, on_failure, start, end, group }` | read back: `FlexibleTimeWindow`, `RetryPolicy`, `DeadLetterConfig`, dates, group |
//! | `url { stream = true }` | read back: `InvokeMode` |
//! | `name`, `kms` on queue and topic; `name` on bucket | read back: names (deploy-time `${aws.stack_name}` resolved), `KmsMasterKeyId`, public access block |
//! | `retain = true` | read back: `DeletionPolicy: Retain` kept them after `lamc destroy` |
//! | `allow … on secret.X / parameter.X` | read back: the role's policy (iam GetRolePolicy) |
//! | `api` with `auth` (JWT and Lambda), `payload`, `throttle`, `access_log` | not created (API Gateway v2 is not in LocalStack's community build: physical ID `unknown`); the invoke permissions and the access-log group are read back, the rest only linted |
//! | `pitr`, `kms` and `name` on table and stream | only linted: DynamoDB and Kinesis need downloads LocalStack cannot make here |

#![cfg(feature = "deploy")]

use crate::deploy_support::{app, unique};
use crate::localstack_support::{localstack, resource, LocalStack};

use serde_json::{json, Value};

const APP: &str = r#"app shop {}

bus orders {}
queue jobs { name = "jobs-${aws.stack_name}", visibility = 1m, kms = "alias/jobs", retain = true }
queue late {}
topic alerts { name = "alerts-${aws.stack_name}", kms = "alias/aws/sns", retain = true }
bucket reports { name = "reports-${aws.stack_name}", retain = true }

secret db from "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
parameter flag from "arn:aws:ssm:us-east-1:123456789012:parameter/app/flag"

function authz {
  runtime = python3.13
  handler = "index.handler"
  code    = inline("""def handler(e, c): return {"isAuthorized": False}""")
}

auth users    { jwt { issuer = "https://example.auth0.com/", audience = ["orders-api"] } }
auth partners { function = function.authz, cache = 5m, identity = ["$request.header.x-key"] }

api shop {
  auth       = auth.users
  payload    = v2
  throttle   = { rate = 100, burst = 50 }
  access_log = true
}

function worker {
  runtime = python3.13
  handler = "index.handler"
  code    = inline("""def handler(e, c): return 1""")
  publish = true
  on event bus.orders {
    pattern = { source = ["shop.orders"], "detail-type" = ["Order Placed"],
                detail = { total = [{ numeric = [">", 100] }] } }
  }
  on sqs queue.jobs { filter = [{ body = { kind = ["order"] } }, { attributes = { SenderId = ["me"] } }] }
  on schedule cron("0 8 ? * MON-FRI *") {
    timezone   = "Europe/Paris"
    window     = 15m
    retries    = 3
    max_age    = 1h
    on_failure = queue.late
    start      = "2027-01-01T00:00:00"
    end        = "2027-12-31T00:00:00"
    group      = "default"
  }
  on http "GET /orders" via api.shop { scopes = ["orders:read"] }
  on http "POST /partner/orders" via api.shop { auth = auth.partners }
  url { auth = iam, stream = true }
  allow "secretsmanager:GetSecretValue" on secret.db
  allow "ssm:GetParameter" on parameter.flag
  allow "sns:Publish" on topic.alerts
  allow "s3:GetObject" on bucket.reports
}
"#;

#[test]
fn events_trigger_options_and_named_resources_are_created_and_read_back() {
    let Some(ls) = localstack() else {
        return;
    };
    let stack = unique("shop");
    let (_dir, file) = app(APP);
    let got = ls.deploy(&file, &stack, &[]);
    let worker = resource(&got, "WorkerFunction");
    let alias = format!(
        "arn:aws:lambda:us-east-1:000000000000:function:{}:live",
        worker["physical"].as_str().unwrap_or_default()
    );

    rule_on_the_bus(&got, &alias);
    filter_schedule_and_url(&got, &alias);
    named_resources(&got, &stack);
    role_policy(&got);
    api_permissions(&got);
    retained_after_destroy(ls, &got, &stack);
}

/// The rule is on the bus lamc created, with the pattern as written, and invokes the alias,
/// which lets exactly that rule invoke it.
fn rule_on_the_bus(got: &Value, alias: &str) {
    let bus = resource(got, "OrdersBus");
    let rule = resource(got, "WorkerOrdersEventRule");
    assert_eq!(rule["bus"], bus["name"]);
    assert_eq!(
        rule["pattern"],
        json!({ "source": ["shop.orders"], "detail-type": ["Order Placed"],
                "detail": { "total": [{ "numeric": [">", 100] }] } })
    );
    assert_eq!(rule["targets"], json!([alias]));
    let permission = json!({ "qualifier": "live", "principal": "events.amazonaws.com",
                             "action": "lambda:InvokeFunction", "source": rule["arn"] });
    let permissions = &resource(got, "WorkerFunction")["permissions"];
    assert!(
        permissions
            .as_array()
            .is_some_and(|p| p.contains(&permission)),
        "{permissions:#}"
    );
}

/// The queue mapping's filters, the schedule's options, the streaming URL.
fn filter_schedule_and_url(got: &Value, alias: &str) {
    let worker = resource(got, "WorkerFunction");
    let mapping = &worker["mappings"][0];
    assert_eq!(mapping["arn"], alias);
    assert_eq!(
        mapping["filters"],
        json!([{ "body": { "kind": ["order"] } }, { "attributes": { "SenderId": ["me"] } }])
    );
    let schedule = resource(got, "WorkerSchedulerSchedule");
    assert_eq!(schedule["target"], alias);
    assert_eq!(
        schedule["window"],
        json!({ "Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15 })
    );
    assert_eq!(
        schedule["retry"],
        json!({ "MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3 })
    );
    assert_eq!(schedule["dead_letter"], resource(got, "LateQueue")["arn"]);
    assert_eq!(
        (&schedule["start"], &schedule["end"]),
        (
            &json!("2027-01-01T00:00:00+00:00"),
            &json!("2027-12-31T00:00:00+00:00")
        )
    );
    assert_eq!(
        (&schedule["group"], &schedule["timezone"]),
        (&json!("default"), &json!("Europe/Paris"))
    );
    assert_eq!(
        worker["urls"],
        json!([{ "arn": alias, "auth": "AWS_IAM", "invoke_mode": "RESPONSE_STREAM" }])
    );
}

/// Names with the stack's name in them, the keys, and the bucket closed to the public.
fn named_resources(got: &Value, stack: &str) {
    let jobs = resource(got, "JobsQueue");
    assert_eq!(
        (&jobs["name"], &jobs["kms"], &jobs["visibility"]),
        (
            &json!(format!("jobs-{stack}")),
            &json!("alias/jobs"),
            &json!(60)
        )
    );
    let alerts = resource(got, "AlertsTopic");
    assert_eq!(
        (&alerts["name"], &alerts["kms"]),
        (&json!(format!("alerts-{stack}")), &json!("alias/aws/sns"))
    );
    let reports = resource(got, "ReportsBucket");
    assert_eq!(reports["physical"], format!("reports-{stack}"));
    assert_eq!(
        reports["public_access_block"],
        json!({ "BlockPublicAcls": true, "BlockPublicPolicy": true,
                "IgnorePublicAcls": true, "RestrictPublicBuckets": true })
    );
}

/// `allow … on` an existing secret and parameter (their ARNs as written) and on this
/// stack's topic and bucket objects, in the role's policy.
fn role_policy(got: &Value) {
    let statements = &resource(got, "WorkerRole")["policies"]["execution"]["Statement"];
    let bucket = resource(got, "ReportsBucket")["physical"]
        .as_str()
        .unwrap_or_default();
    let expected = [
        json!({ "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" }),
        json!({ "Effect": "Allow", "Action": "ssm:GetParameter",
                "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/app/flag" }),
        json!({ "Effect": "Allow", "Action": "sns:Publish",
                "Resource": resource(got, "AlertsTopic")["physical"] }),
        json!({ "Effect": "Allow", "Action": "s3:GetObject",
                "Resource": format!("arn:aws:s3:::{bucket}/*") }),
    ];
    for statement in expected {
        assert!(
            statements
                .as_array()
                .is_some_and(|s| s.contains(&statement)),
            "{statement} not in {statements:#}"
        );
    }
}

/// API Gateway v2 is not created, but what lamc adds for it on the Lambda side is: each
/// route's permission on the alias, the Lambda authorizer's on the authorizer function,
/// and the access-log group.
fn api_permissions(got: &Value) {
    let sources = |id: &str| -> Vec<String> {
        resource(got, id)["permissions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["principal"] == "apigateway.amazonaws.com")
            .filter_map(|p| p["source"].as_str().map(str::to_string))
            .collect()
    };
    let routes = sources("WorkerFunction");
    assert!(
        routes.iter().any(|s| s.ends_with("/*/GET/orders"))
            && routes.iter().any(|s| s.ends_with("/*/POST/partner/orders")),
        "{routes:?}"
    );
    let authorizer = sources("AuthzFunction");
    assert!(
        authorizer.len() == 1 && authorizer[0].contains("/authorizers/"),
        "{authorizer:?}"
    );
    let logs = resource(got, "ShopApiAccessLogs");
    assert_eq!(logs["type"], "AWS::Logs::LogGroup");
    assert!(
        logs["physical"]
            .as_str()
            .is_some_and(|p| p.contains("ShopApiAccessLogs")),
        "{logs}"
    );
}

/// `lamc destroy` deletes the stack; `retain = true` keeps the queue, topic and bucket
/// (`DeletionPolicy: Retain`), and the queue without it is gone.
fn retained_after_destroy(ls: &LocalStack, got: &Value, stack: &str) {
    let id = |logical: &str| {
        resource(got, logical)["physical"]
            .as_str()
            .unwrap_or_default()
    };
    let (jobs, late, alerts, reports) = (
        id("JobsQueue"),
        id("LateQueue"),
        id("AlertsTopic"),
        id("ReportsBucket"),
    );
    ls.destroy(stack);
    let left = ls.left(&[
        ("AWS::SQS::Queue", jobs),
        ("AWS::SQS::Queue", late),
        ("AWS::SNS::Topic", alerts),
        ("AWS::S3::Bucket", reports),
    ]);
    assert_eq!(
        left,
        json!({ jobs: true, late: false, alerts: true, reports: true })
    );
}
