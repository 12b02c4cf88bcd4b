//! The shape of what each construct becomes in the emitted JSON.

use crate::plan_builder;

use lamc::model::*;
use plan_builder::*;
use serde_json::{json, Value as J};

fn rich() -> J {
    plan_json(&rich_model(None))
}

fn res<'a>(doc: &'a J, id: &str) -> &'a J {
    doc.get("Resources")
        .and_then(|r| r.get(id))
        .unwrap_or_else(|| panic!("no resource {id}"))
}

fn props<'a>(doc: &'a J, id: &str) -> &'a J {
    &res(doc, id)["Properties"]
}

fn statements(doc: &J, role: &str) -> Vec<J> {
    props(doc, role)["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn template_header_parameters_and_outputs() {
    let doc = rich();
    let keys: Vec<&String> = doc.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Parameters",
            "Resources",
            "Outputs"
        ]
    );
    assert_eq!(doc["AWSTemplateFormatVersion"], "2010-09-09");
    assert_eq!(doc["Description"], "Image thumbnails");
    assert_eq!(
        doc["Parameters"]["Stage"],
        json!({"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"], "Description": "Deployment stage"})
    );
    assert_eq!(doc["Parameters"]["Retries"]["Type"], "Number");
    assert_eq!(
        doc["Outputs"]["ThumbsBucket"]["Value"],
        json!({"Ref": "ThumbsBucket"})
    );
    assert_eq!(
        doc["Outputs"]["ApiUrl"]["Value"],
        json!({"Fn::GetAtt": ["DefaultApi", "ApiEndpoint"]})
    );
    assert_eq!(
        doc["Outputs"]["LegacyUrl"]["Value"],
        json!({"Fn::Sub": "https://sqs.us-east-1.${AWS::URLSuffix}/123456789012/legacy-jobs"})
    );
}

#[test]
fn artifacts_bucket_parameter_only_with_local_code() {
    assert!(rich()["Parameters"].get("ArtifactsBucket").is_none());
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("a.py"), "x = 1\n").expect("write");
    let doc = plan_json(&rich_model(Some(dir.path())));
    assert_eq!(doc["Parameters"]["ArtifactsBucket"]["Type"], "String");
    let code = &props(&doc, "ResizeFunction")["Code"];
    assert_eq!(code["S3Bucket"], json!({"Ref": "ArtifactsBucket"}));
    let key = code["S3Key"].as_str().expect("key");
    assert!(key.starts_with("resize-") && key.ends_with(".zip"), "{key}");
    assert_eq!(key.len(), "resize-".len() + 16 + ".zip".len());
}

#[test]
fn function_properties() {
    let doc = rich();
    let f = props(&doc, "ResizeFunction");
    assert_eq!(f["Runtime"], "python3.12");
    assert_eq!(f["Handler"], "resize.handler");
    assert_eq!(f["MemorySize"], 2048);
    assert_eq!(f["Timeout"], 30);
    assert_eq!(f["EphemeralStorage"], json!({"Size": 1024}));
    assert_eq!(f["Architectures"], json!(["arm64"]));
    assert_eq!(f["TracingConfig"], json!({"Mode": "Active"}));
    assert_eq!(f["ReservedConcurrentExecutions"], 100);
    assert_eq!(
        f["LoggingConfig"],
        json!({"LogGroup": {"Ref": "ResizeLogGroup"}})
    );
    assert_eq!(f["Role"], json!({"Fn::GetAtt": ["ResizeRole", "Arn"]}));
    assert_eq!(
        f["Environment"]["Variables"]["THUMBS"],
        json!({"Ref": "ThumbsBucket"})
    );
    assert_eq!(f["Environment"]["Variables"]["ARCHIVE"], "corp-archive");
    assert_eq!(
        f["Tags"],
        json!([{"Key": "cost-center", "Value": "42"}, {"Key": "team", "Value": "media"}])
    );
    // Image functions carry no runtime or handler.
    let img = props(&doc, "AuditLogFunction");
    assert_eq!(img["PackageType"], "Image");
    assert!(img.get("Runtime").is_none() && img.get("Handler").is_none());
    // s3(bucket, key)
    assert_eq!(
        props(&doc, "WorkerFunction")["Code"],
        json!({"S3Bucket": "my-code-bucket", "S3Key": "worker.zip"})
    );
}

#[test]
fn log_group_is_named_only_for_named_functions() {
    let doc = rich();
    assert_eq!(
        props(&doc, "WorkerLogGroup")["LogGroupName"],
        "/aws/lambda/thumbnails-worker"
    );
    assert!(props(&doc, "ResizeLogGroup").get("LogGroupName").is_none());
    assert_eq!(props(&doc, "ResizeLogGroup")["RetentionInDays"], 30);
}

#[test]
fn role_is_least_privilege() {
    let doc = rich();
    let trust = &props(&doc, "ResizeRole")["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "lambda.amazonaws.com");
    let st = statements(&doc, "ResizeRole");
    assert_eq!(
        st[0],
        json!({"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
               "Resource": {"Fn::GetAtt": ["ResizeLogGroup", "Arn"]}})
    );
    let all = serde_json::to_string(&st).expect("json");
    assert!(!all.contains("logs:CreateLogGroup"));
    // Only X-Ray gets "*".
    for s in &st {
        if s["Resource"] == "*" {
            assert_eq!(
                s["Action"],
                json!(["xray:PutTraceSegments", "xray:PutTelemetryRecords"])
            );
        }
    }
    // s3:PutObject on thumbs is scoped to its objects.
    assert!(st.iter().any(|s| s["Action"] == "s3:PutObject"
        && s["Resource"]
            == json!({"Fn::Join": ["", [{"Fn::GetAtt": ["ThumbsBucket", "Arn"]}, "/*"]]})));
    // Worker: the SQS, DynamoDB and Kinesis poller actions on exactly those ARNs.
    let w = statements(&doc, "WorkerRole");
    assert!(w.iter().any(|s| s["Action"]
        == json!([
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes"
        ])
        && s["Resource"] == json!({"Fn::GetAtt": ["OrdersQueue", "Arn"]})));
    assert!(w.iter().any(|s| s["Resource"]
        == json!({"Fn::GetAtt": ["OrdersTableTable", "StreamArn"]})
        && s["Action"][0] == "dynamodb:DescribeStream"));
    assert!(w
        .iter()
        .any(|s| s["Resource"] == json!({"Ref": "EventsTopic"}) && s["Action"] == "sns:Publish"));
    assert!(w.iter().all(|s| s["Resource"] != "*"));
}

#[test]
fn statements_that_would_close_a_cycle_go_to_a_separate_policy() {
    let doc = rich();
    // resize reads the bucket that notifies it: inline, that is bucket → function → role → bucket.
    let inline = serde_json::to_string(&statements(&doc, "ResizeRole")).expect("json");
    assert!(!inline.contains("UploadsBucket"));
    let p = props(&doc, "ResizePolicy");
    assert_eq!(p["Roles"], json!([{"Ref": "ResizeRole"}]));
    let text = p.to_string();
    assert!(text.contains("UploadsBucket") && text.contains("AuditLogAlias"));
    let deps = &res(&doc, "ResizeEventInvokeConfig")["DependsOn"];
    assert!(deps
        .as_array()
        .expect("deps")
        .contains(&json!("ResizePolicy")));
}

#[test]
fn provisioned_concurrency_uses_a_hashed_version_and_live_alias() {
    let doc = rich();
    let alias = props(&doc, "ResizeAlias");
    assert_eq!(alias["Name"], "live");
    assert_eq!(
        alias["ProvisionedConcurrencyConfig"]["ProvisionedConcurrentExecutions"],
        5
    );
    let version = alias["FunctionVersion"]["Fn::GetAtt"][0]
        .as_str()
        .expect("version id");
    assert!(version.starts_with("ResizeVersion") && version.len() == "ResizeVersion".len() + 10);
    assert_eq!(res(&doc, version)["Type"], "AWS::Lambda::Version");
    let target = props(&doc, "ResizeScalableTarget");
    assert_eq!(
        target["ResourceId"],
        json!({"Fn::Sub": "function:${ResizeFunction}:live"})
    );
    assert_eq!(
        (target["MinCapacity"].clone(), target["MaxCapacity"].clone()),
        (json!(5), json!(50))
    );
    assert_eq!(
        target["ScalableDimension"],
        "lambda:function:ProvisionedConcurrency"
    );
    let policy = props(&doc, "ResizeScalingPolicy");
    assert_eq!(
        policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"],
        0.7
    );
    assert_eq!(
        policy["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]
            ["PredefinedMetricType"],
        "LambdaProvisionedConcurrencyUtilization"
    );
    // Every trigger of resize targets the alias.
    let alias_ref = json!({"Ref": "ResizeAlias"});
    assert_eq!(
        props(&doc, "ResizeUploadsS3Permission")["FunctionName"],
        alias_ref
    );
    assert_eq!(
        props(&doc, "ResizeDefaultApiIntegration")["IntegrationUri"],
        alias_ref
    );
    for c in props(&doc, "UploadsBucket")["NotificationConfiguration"]["LambdaConfigurations"]
        .as_array()
        .expect("configs")
    {
        assert_eq!(c["Function"], alias_ref);
    }
    assert_eq!(props(&doc, "ResizeEventInvokeConfig")["Qualifier"], "live");
    assert_eq!(
        props(&doc, "NotifyEventInvokeConfig")["Qualifier"],
        "$LATEST"
    );
}

#[test]
fn version_id_changes_with_the_configuration() {
    let mut m = rich_model(None);
    let a = plan_json(&m);
    m.functions[0].memory = Some(s(4096));
    let b = plan_json(&m);
    let va = &props(&a, "ResizeAlias")["FunctionVersion"];
    let vb = &props(&b, "ResizeAlias")["FunctionVersion"];
    assert_ne!(va, vb);
}

#[test]
fn event_source_mappings() {
    let doc = rich();
    let m = res(&doc, "WorkerOrdersSqsMapping");
    assert_eq!(m["DependsOn"], json!(["WorkerRole"]));
    let p = &m["Properties"];
    assert_eq!(p["BatchSize"], 100);
    assert_eq!(p["MaximumBatchingWindowInSeconds"], 5);
    assert_eq!(p["ScalingConfig"], json!({"MaximumConcurrency": 5}));
    assert_eq!(
        p["FunctionResponseTypes"],
        json!(["ReportBatchItemFailures"])
    );
    assert!(p.get("StartingPosition").is_none());
    let d = props(&doc, "WorkerOrdersTableDynamodbMapping");
    assert_eq!(d["StartingPosition"], "TRIM_HORIZON");
    assert_eq!(d["BisectBatchOnFunctionError"], true);
    assert_eq!(d["ParallelizationFactor"], 2);
    assert_eq!(
        d["DestinationConfig"],
        json!({"OnFailure": {"Destination": {"Fn::GetAtt": ["DeadLettersQueue", "Arn"]}}})
    );
    let k = props(&doc, "WorkerClicksKinesisMapping");
    assert_eq!(k["StartingPosition"], "LATEST");
    assert_eq!(
        k["EventSourceArn"],
        json!({"Fn::GetAtt": ["ClicksStream", "Arn"]})
    );
    // Existing sources by ARN.
    assert_eq!(
        props(&doc, "WorkerUsersDynamodbMapping")["EventSourceArn"],
        "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000"
    );
    assert_eq!(
        props(&doc, "WorkerLegacySqsMapping")["EventSourceArn"],
        "arn:aws:sqs:us-east-1:123456789012:legacy-jobs"
    );
}

#[test]
fn sns_and_s3_triggers() {
    let doc = rich();
    let sub = props(&doc, "NotifyEventsSnsSubscription");
    assert_eq!(sub["Protocol"], "lambda");
    assert_eq!(sub["TopicArn"], json!({"Ref": "EventsTopic"}));
    assert_eq!(sub["FilterPolicy"], json!({"type": ["order", "refund"]}));
    let perm = props(&doc, "NotifyEventsSnsPermission");
    assert_eq!(perm["Principal"], "sns.amazonaws.com");
    assert_eq!(perm["SourceArn"], json!({"Ref": "EventsTopic"}));

    let bucket = res(&doc, "UploadsBucket");
    assert_eq!(bucket["DependsOn"], json!(["ResizeUploadsS3Permission"]));
    let configs = &bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"];
    assert_eq!(configs[0]["Event"], "s3:ObjectCreated:*");
    assert_eq!(configs[1]["Event"], "s3:ObjectRemoved:*");
    assert_eq!(
        configs[0]["Filter"],
        json!({"S3Key": {"Rules": [{"Name": "prefix", "Value": "images/"}, {"Name": "suffix", "Value": ".jpg"}]}})
    );
    let perm = props(&doc, "ResizeUploadsS3Permission");
    assert_eq!(perm["Principal"], "s3.amazonaws.com");
    assert_eq!(perm["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    // No SourceArn pointing at the bucket (that would be a cycle).
    assert!(!perm.to_string().contains("UploadsBucket"));
}

#[test]
fn schedules() {
    let doc = rich();
    let rule = props(&doc, "NotifySchedule");
    assert_eq!(rule["ScheduleExpression"], "rate(5 minutes)");
    assert_eq!(rule["State"], "ENABLED");
    assert_eq!(rule["Targets"][0]["Id"], "notify-target");
    assert_eq!(
        props(&doc, "NotifySchedulePermission")["SourceArn"],
        json!({"Fn::GetAtt": ["NotifySchedule", "Arn"]})
    );
    let disabled = props(&doc, "NotifySchedule2");
    assert_eq!(disabled["ScheduleExpression"], "rate(1 hour)");
    assert_eq!(disabled["State"], "DISABLED");
    assert_eq!(disabled["Targets"][0]["Input"], "{\"n\":1}");
    let sched = props(&doc, "NotifySchedulerSchedule");
    assert_eq!(sched["ScheduleExpression"], "cron(0 3 * * ? *)");
    assert_eq!(sched["ScheduleExpressionTimezone"], "Europe/Berlin");
    assert_eq!(sched["FlexibleTimeWindow"], json!({"Mode": "OFF"}));
    assert_eq!(
        sched["Target"]["RoleArn"],
        json!({"Fn::GetAtt": ["NotifySchedulerRole", "Arn"]})
    );
    assert_eq!(
        sched["Target"]["Input"],
        json!({"Fn::Join": ["", ["{\"job\":\"cleanup\",\"queue\":\"", {"Ref": "OrdersQueue"}, "\"}"]]})
    );
    assert_eq!(
        props(&doc, "NotifySchedulerSchedule2")["ScheduleExpression"],
        "at(2030-12-31T23:00:00)"
    );
    let role = props(&doc, "NotifySchedulerRole");
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        "scheduler.amazonaws.com"
    );
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"][0],
        json!({"Effect": "Allow", "Action": "lambda:InvokeFunction",
               "Resource": {"Fn::GetAtt": ["NotifyFunction", "Arn"]}})
    );
}

#[test]
fn http_api() {
    let doc = rich();
    let api = props(&doc, "DefaultApi");
    assert_eq!(api["ProtocolType"], "HTTP");
    assert_eq!(
        api["CorsConfiguration"]["AllowOrigins"],
        json!(["https://example.com"])
    );
    let stage = props(&doc, "DefaultApiStage");
    assert_eq!(
        (stage["StageName"].clone(), stage["AutoDeploy"].clone()),
        (json!("$default"), json!(true))
    );
    let integ = props(&doc, "NotifyDefaultApiIntegration");
    assert_eq!(integ["IntegrationType"], "AWS_PROXY");
    assert_eq!(integ["PayloadFormatVersion"], "2.0");
    let route = props(&doc, "NotifyGetUsersIdRoute");
    assert_eq!(route["RouteKey"], "GET /users/{id}");
    assert_eq!(route["AuthorizationType"], "NONE");
    assert_eq!(
        route["Target"],
        json!({"Fn::Join": ["", ["integrations/", {"Ref": "NotifyDefaultApiIntegration"}]]})
    );
    assert_eq!(
        props(&doc, "NotifyGetUsersIdPermission")["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${DefaultApi}/*/GET/users/*"})
    );
    // The admin API defaults routes to IAM auth; ANY becomes * in the ARN.
    assert_eq!(
        props(&doc, "NotifyAnyAdminProxyRoute")["AuthorizationType"],
        "AWS_IAM"
    );
    assert!(
        props(&doc, "NotifyAnyAdminProxyPermission")["SourceArn"]["Fn::Sub"]
            .as_str()
            .expect("sub")
            .ends_with("${AdminApi}/*/*/admin/*")
    );
}

#[test]
fn function_urls() {
    let doc = rich();
    let url = props(&doc, "NotifyUrl");
    assert_eq!(url["AuthType"], "NONE");
    assert_eq!(url["Cors"]["AllowOrigins"], json!(["*"]));
    let p = props(&doc, "NotifyUrlPermission");
    assert_eq!(p["Action"], "lambda:InvokeFunctionUrl");
    assert_eq!(p["FunctionUrlAuthType"], "NONE");
    assert_eq!(p["Principal"], "*");
    let p = props(&doc, "NotifyUrlInvokePermission");
    assert_eq!(p["Action"], "lambda:InvokeFunction");
    assert_eq!(p["InvokedViaFunctionUrl"], true);
    // IAM URL on a provisioned function: qualified by the alias, no public permission.
    let url = res(&doc, "AuditLogUrl");
    assert_eq!(url["Properties"]["Qualifier"], "live");
    assert_eq!(url["DependsOn"], json!(["AuditLogAlias"]));
    assert!(doc["Resources"].get("AuditLogUrlPermission").is_none());
}

#[test]
fn async_config() {
    let doc = rich();
    let c = props(&doc, "ResizeEventInvokeConfig");
    assert_eq!(c["MaximumRetryAttempts"], 1);
    assert_eq!(c["MaximumEventAgeInSeconds"], 3600);
    assert_eq!(
        c["DestinationConfig"],
        json!({"OnSuccess": {"Destination": {"Ref": "AuditLogAlias"}},
               "OnFailure": {"Destination": {"Fn::GetAtt": ["DeadLettersQueue", "Arn"]}}})
    );
}

#[test]
fn resources() {
    let doc = rich();
    let q = props(&doc, "OrdersQueue");
    assert_eq!(q["VisibilityTimeout"], 180);
    assert_eq!(q["DelaySeconds"], 5);
    assert_eq!(
        q["RedrivePolicy"],
        json!({"deadLetterTargetArn": {"Fn::GetAtt": ["DeadLettersQueue", "Arn"]}, "maxReceiveCount": 5})
    );
    assert_eq!(props(&doc, "JobsQueue")["FifoQueue"], true);
    let t = props(&doc, "OncallTopic");
    assert_eq!(
        t["Subscription"],
        json!([{"Endpoint": "oncall@example.com", "Protocol": "email"},
               {"Endpoint": "https://hooks.example.com/alarm", "Protocol": "https"}])
    );
    let b = props(&doc, "ThumbsBucket");
    assert_eq!(b["VersioningConfiguration"], json!({"Status": "Enabled"}));
    assert_eq!(
        b["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"],
        30
    );
    let tbl = props(&doc, "OrdersTableTable");
    assert_eq!(tbl["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(
        tbl["KeySchema"],
        json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "ts", "KeyType": "RANGE"}])
    );
    assert_eq!(
        tbl["AttributeDefinitions"][1],
        json!({"AttributeName": "ts", "AttributeType": "N"})
    );
    assert_eq!(
        tbl["StreamSpecification"],
        json!({"StreamViewType": "NEW_AND_OLD_IMAGES"})
    );
    assert_eq!(
        tbl["TimeToLiveSpecification"],
        json!({"AttributeName": "expires", "Enabled": true})
    );
    assert_eq!(props(&doc, "ClicksStream")["ShardCount"], 2);
    assert_eq!(props(&doc, "ClicksStream")["RetentionPeriodHours"], 48);
    assert_eq!(
        props(&doc, "ViewsStream")["StreamModeDetails"],
        json!({"StreamMode": "ON_DEMAND"})
    );
    // Existing resources create nothing; app tags reach every taggable resource.
    for id in [
        "LegacyQueue",
        "AuditTopic",
        "ArchiveBucket",
        "UsersTable",
        "PartnerStream",
    ] {
        assert!(doc["Resources"].get(id).is_none(), "{id}");
    }
    for id in [
        "OrdersQueue",
        "OncallTopic",
        "ThumbsBucket",
        "OrdersTableTable",
        "ClicksStream",
        "ResizeRole",
        "ResizeLogGroup",
    ] {
        assert!(
            props(&doc, id)["Tags"].to_string().contains("media"),
            "{id}"
        );
    }
    assert_eq!(props(&doc, "DefaultApi")["Tags"], json!({"team": "media"}));
}

#[test]
fn alarms() {
    let doc = rich();
    let e = props(&doc, "ResizeErrorsAlarm");
    assert_eq!(e["Namespace"], "AWS/Lambda");
    assert_eq!(e["MetricName"], "Errors");
    assert_eq!(e["Statistic"], "Sum");
    assert_eq!(e["Period"], 300);
    assert_eq!(e["Threshold"], 5);
    assert_eq!(e["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
    assert_eq!(e["AlarmActions"], json!([{"Ref": "OncallTopic"}]));
    assert_eq!(
        e["Dimensions"],
        json!([{"Name": "FunctionName", "Value": {"Ref": "ResizeFunction"}}])
    );
    let d = props(&doc, "ResizeDurationAlarm");
    assert_eq!(d["ExtendedStatistic"], "p99");
    assert!(d.get("Statistic").is_none());
    assert_eq!(
        (
            d["DatapointsToAlarm"].clone(),
            d["EvaluationPeriods"].clone()
        ),
        (json!(3), json!(5))
    );
    assert_eq!(d["Threshold"], 20000);
    assert_eq!(d["TreatMissingData"], "notBreaching");
    assert_eq!(
        d["AlarmActions"][1],
        "arn:aws:sns:us-east-1:123456789012:audit"
    );
    let r = props(&doc, "ResizeErrorRateAlarm");
    assert!(r.get("MetricName").is_none() && r.get("Period").is_none());
    assert_eq!(r["Metrics"][2]["Expression"], "100 * errors / invocations");
    assert_eq!(
        r["Metrics"][0]["MetricStat"]["Metric"]["MetricName"],
        "Errors"
    );
    assert_eq!(
        r["Metrics"][1]["MetricStat"]["Metric"]["MetricName"],
        "Invocations"
    );
    let p = props(&doc, "ResizeProvisionedUtilizationAlarm");
    assert_eq!(p["Threshold"], 0.9);
    assert_eq!(
        p["Dimensions"][1],
        json!({"Name": "Resource", "Value": {"Fn::Sub": "${ResizeFunction}:live"}})
    );
    let q = props(&doc, "DeadLettersQueueVisibleAlarm");
    assert_eq!(q["Namespace"], "AWS/SQS");
    assert_eq!(q["MetricName"], "ApproximateNumberOfMessagesVisible");
    assert_eq!(
        q["Dimensions"][0]["Value"],
        json!({"Fn::GetAtt": ["DeadLettersQueue", "QueueName"]})
    );
    let age = props(&doc, "LegacyBacklogAlarm");
    assert_eq!(age["MetricName"], "ApproximateAgeOfOldestMessage");
    assert_eq!(age["Threshold"], 600);
    assert_eq!(age["Dimensions"][0]["Value"], "legacy-jobs");
}

#[test]
fn logical_ids_are_unique_alphanumeric_and_short() {
    let mut m = rich_model(None);
    // `a_b` and `ab` both become `AB…`/`Ab…`-style IDs; collisions get suffixes.
    m.functions.push(function("x_y"));
    m.functions.push(function("xY"));
    let doc = plan_json(&m);
    let ids: Vec<&String> = doc["Resources"].as_object().expect("obj").keys().collect();
    assert!(ids.iter().any(|i| *i == "XYFunction"));
    assert!(ids.iter().any(|i| *i == "XYFunction2"));
    for id in ids {
        assert!(
            id.len() <= 255 && !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()),
            "{id}"
        );
    }
}

#[test]
fn minimal_function_defaults() {
    let mut m = Model::default();
    m.functions.push(function("hello"));
    let doc = plan_json(&m);
    assert!(doc.get("Description").is_none() && doc.get("Parameters").is_none());
    let f = props(&doc, "HelloFunction");
    assert_eq!(f["MemorySize"], 128);
    assert_eq!(f["Timeout"], 3);
    assert!(f.get("Tags").is_none());
    assert_eq!(f["Code"]["ZipFile"], "def handler(e, c):\n    return e\n");
    let kinds: Vec<&str> = doc["Resources"]
        .as_object()
        .expect("obj")
        .values()
        .map(|r| r["Type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        [
            "AWS::Lambda::Function",
            "AWS::Logs::LogGroup",
            "AWS::IAM::Role"
        ]
    );
}

/// A schedule with Scheduler options, an SQS source in provisioned mode, and the
/// catch-all route.
fn v2_triggers() -> J {
    let mut m = rich_model(None);
    m.resources.push(queue("late"));
    let mut f = function("timer");
    let options = ScheduleOptions {
        name: Some(s(DeployStr::literal("nightly"))),
        window: Some(s(900)),
        retries: Some(s(3)),
        max_age: Some(s(3600)),
        on_failure: Some(s(rr(Kind::Queue, "late"))),
        start: Some(s(DeployStr::literal("2027-01-01T00:00:00"))),
        end: Some(s(DeployStr::literal("2027-12-31T00:00:00Z"))),
        group: Some(s(DeployStr::literal("reports"))),
    };
    let named_rule = ScheduleOptions {
        name: Some(s(DeployStr::literal("hourly"))),
        ..Default::default()
    };
    for (expr, options) in [
        (Schedule::Rate(86_400), options),
        (Schedule::Rate(3600), named_rule),
    ] {
        f.triggers.push(trigger(TriggerKind::Schedule {
            expr: s(expr),
            timezone: None,
            input: None,
            enabled: None,
            options: Box::new(options),
        }));
    }
    let mut pollers = sqs("late");
    if let TriggerKind::Sqs { pollers: p, .. } = &mut pollers.kind {
        *p = Some(s(Pollers {
            min: s(2),
            max: s(20),
        }));
    }
    f.triggers.push(pollers);
    f.triggers.push(http("ANY", DEFAULT_ROUTE, "default"));
    m.functions.push(f);
    plan_json(&m)
}

#[test]
fn scheduler_options_become_the_schedules_properties_and_its_roles_send_permission() {
    let doc = v2_triggers();
    let sched = props(&doc, "TimerSchedulerSchedule");
    assert_eq!(sched["Name"], "nightly");
    assert_eq!(sched["GroupName"], "reports");
    assert_eq!(
        sched["FlexibleTimeWindow"],
        json!({"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15})
    );
    assert_eq!(sched["StartDate"], "2027-01-01T00:00:00Z");
    assert_eq!(sched["EndDate"], "2027-12-31T00:00:00Z");
    assert_eq!(
        sched["Target"]["RetryPolicy"],
        json!({"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3})
    );
    let late = json!({"Fn::GetAtt": ["LateQueue", "Arn"]});
    assert_eq!(sched["Target"]["DeadLetterConfig"]["Arn"], late);
    let send = statements(&doc, "TimerSchedulerRole");
    assert!(
        send.iter()
            .any(|st| st["Action"] == "sqs:SendMessage" && st["Resource"] == late),
        "{send:#?}"
    );
    // `name` alone keeps the rule, named.
    assert_eq!(props(&doc, "TimerSchedule")["Name"], "hourly");
    assert_eq!(res(&doc, "TimerSchedule")["Type"], "AWS::Events::Rule");
}

#[test]
fn pollers_and_the_catch_all_route() {
    let doc = v2_triggers();
    let mapping = props(&doc, "TimerLateSqsMapping");
    assert_eq!(
        mapping["ProvisionedPollerConfig"],
        json!({"MinimumPollers": 2, "MaximumPollers": 20})
    );
    assert_eq!(props(&doc, "TimerDefaultRoute")["RouteKey"], "$default");
    let source = &props(&doc, "TimerDefaultPermission")["SourceArn"];
    assert!(source.to_string().ends_with("/*/*\"}"), "{source}");
}
