//! `lamc deploy` against LocalStack (tests/localstack_support), which creates what moto
//! only accepts, and each setting read back through its service's API
//! (tests/localstack/read_back.py). Rollback is tested on moto (deploy_failures.rs):
//! LocalStack does not roll back.
//!
//! | construct | LocalStack 2026.3.0 |
//! |---|---|
//! | function memory, timeout | read back |
//! | `concurrency { provisioned }` (Version, `live` alias) | read back: the alias on version 1, provisioned concurrency on it |
//! | `concurrency { reserved }` | dropped (`ReservedConcurrentExecutions`): not asserted |
//! | log group | read back: the function's `LoggingConfig` names it; `RetentionInDays` dropped |
//! | `url { auth }`, `on sqs … { batch }`, `async { … }` | read back, each on the alias |
//! | `on schedule … { timezone }` (Scheduler) | read back: expression, time zone, target alias |
//! | `alarm` | read back: metric, threshold, comparison, period, dimensions, actions |
//! | queue `visibility` | read back |
//! | a list parameter's output | read back: items joined with commas |
//!
//! docs/deploy.md has the table for every construct.

#![cfg(feature = "deploy")]

use crate::deploy_support::{app, unique};
use crate::localstack_support::{localstack, resource};

use serde_json::{json, Value};

const APP: &str = r#"app edge {}

param subnets: subnets = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]

queue jobs { visibility = 2m }
topic oncall {}

function worker {
  runtime = python3.12
  handler = "index.handler"
  code    = inline("""def handler(event, context):
    return 1
""")
  memory  = 256MB
  timeout = 20s
  concurrency { reserved = 5, provisioned = 2 }
  on sqs queue.jobs { batch = 7 }
  on schedule cron("30 8 ? * MON-FRI *") { timezone = "Europe/Berlin" }
  url { auth = iam }
  async { retries = 1, max_age = 1h, on_failure = topic.oncall }
  alarm errors >= 5 over 5m notify topic.oncall
}

output subnets = param.subnets
"#;

#[test]
fn what_moto_only_accepts_is_created_and_read_back() {
    let Some(ls) = localstack() else {
        return;
    };
    let stack = unique("edge");
    let (_dir, file) = app(APP);
    let got = ls.deploy(&file, &stack, &[]);

    let f = resource(&got, "WorkerFunction");
    let name = f["physical"].as_str().unwrap_or_default();
    let live = |arn: &Value| {
        arn.as_str()
            .is_some_and(|a| a.ends_with(&format!(":{name}:live")))
    };
    assert_eq!(
        (f["memory"].as_u64(), f["timeout"].as_u64()),
        (Some(256), Some(20))
    );
    assert_eq!(f["logging"]["LogFormat"], "Text");
    assert_eq!(
        f["logging"]["LogGroup"],
        resource(&got, "WorkerLogGroup")["physical"]
    );

    // Provisioned concurrency: a version, the `live` alias on it, the configuration on the alias.
    assert_eq!(f["aliases"], json!([{ "name": "live", "version": "1" }]));
    let provisioned = &f["provisioned"][0];
    assert!(live(&provisioned["arn"]), "{provisioned}");
    assert_eq!(provisioned["requested"], 2);

    // Every trigger goes through the alias.
    let url = &f["urls"][0];
    assert!(live(&url["arn"]), "{url}");
    assert_eq!(url["auth"], "AWS_IAM");
    let mapping = &f["mappings"][0];
    assert!(live(&mapping["arn"]), "{mapping}");
    assert_eq!(mapping["batch"], 7);
    assert_eq!(mapping["source"], resource(&got, "JobsQueue")["arn"]);
    assert_eq!(resource(&got, "JobsQueue")["visibility"], 120);

    let invoke = &f["async"][0];
    assert!(live(&invoke["arn"]), "{invoke}");
    assert_eq!(
        (invoke["retries"].as_u64(), invoke["max_age"].as_u64()),
        (Some(1), Some(3600))
    );
    let topic = &resource(&got, "OncallTopic")["physical"];
    assert_eq!(&invoke["on_failure"], topic);

    let schedule = resource(&got, "WorkerSchedulerSchedule");
    assert_eq!(schedule["expression"], "cron(30 8 ? * MON-FRI *)");
    assert_eq!(schedule["timezone"], "Europe/Berlin");
    assert!(live(&schedule["target"]), "{schedule}");

    let alarm = resource(&got, "WorkerErrorsAlarm");
    assert_eq!(alarm["metric"], "Errors");
    assert_eq!(alarm["threshold"], 5.0);
    assert_eq!(alarm["comparison"], "GreaterThanOrEqualToThreshold");
    assert_eq!(
        (
            alarm["period"].as_u64(),
            alarm["evaluation_periods"].as_u64()
        ),
        (Some(300), Some(1))
    );
    assert_eq!(alarm["dimensions"]["FunctionName"], name);
    assert_eq!(alarm["actions"], json!([topic]));

    // A list parameter's output: its items joined with commas.
    assert_eq!(
        got["outputs"]["Subnets"],
        "subnet-0123456789abcdef0,subnet-0fedcba9876543210"
    );
}
