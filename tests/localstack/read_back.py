"""Print, as JSON, what a deployed stack's resources hold, read through each service's
own API (not CloudFormation's description of them): `read_back.py ENDPOINT STACK`.

`read_back.py ENDPOINT --left TYPE=PHYSICAL_ID …` prints, for each resource, whether it
still exists (after the stack was deleted: `retain = true` keeps it).

Run with the LocalStack virtualenv's Python (it has boto3). Only the settings the tests
assert on are read; a resource type without a reader is listed with its type alone.
Settings LocalStack drops (docs/deploy.md) are not read, so that no test relies on them.
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]


def client(service):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def function(name):
    lam = client("lambda")
    config = lam.get_function_configuration(FunctionName=name)
    return {
        "memory": config.get("MemorySize"),
        "timeout": config.get("Timeout"),
        "runtime": config.get("Runtime"),
        "logging": config.get("LoggingConfig"),
        "layers": [layer["Arn"] for layer in config.get("Layers", [])],
        "reserved": lam.get_function_concurrency(FunctionName=name).get(
            "ReservedConcurrentExecutions"
        ),
        "versions": [
            v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]
        ],
        "aliases": [
            {"name": a["Name"], "version": a["FunctionVersion"]}
            for a in lam.list_aliases(FunctionName=name)["Aliases"]
        ],
        "provisioned": [
            {
                "arn": p["FunctionArn"],
                "requested": p["RequestedProvisionedConcurrentExecutions"],
            }
            for p in lam.list_provisioned_concurrency_configs(FunctionName=name)[
                "ProvisionedConcurrencyConfigs"
            ]
        ],
        "urls": [
            {"arn": u["FunctionArn"], "auth": u["AuthType"], "invoke_mode": u.get("InvokeMode")}
            for u in lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"]
        ],
        "mappings": [mapping(m) for m in lam.list_event_source_mappings(FunctionName=name)[
            "EventSourceMappings"
        ]],
        "async": [
            {
                "arn": c["FunctionArn"],
                "retries": c.get("MaximumRetryAttempts"),
                "max_age": c.get("MaximumEventAgeInSeconds"),
                "on_failure": c.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"),
            }
            for c in lam.list_function_event_invoke_configs(FunctionName=name)[
                "FunctionEventInvokeConfigs"
            ]
        ],
        "permissions": permissions(lam, name),
    }


def mapping(m):
    filters = m.get("FilterCriteria", {}).get("Filters", [])
    return {
        "arn": m["FunctionArn"],
        "source": m["EventSourceArn"],
        "batch": m["BatchSize"],
        # Each filter is a JSON document in a string: parsed, so that key order and
        # spacing do not matter.
        "filters": [json.loads(f["Pattern"]) for f in filters],
    }


def permissions(lam, name):
    """The resource policy's statements on the function and on each of its aliases."""
    qualifiers = [None] + [a["Name"] for a in lam.list_aliases(FunctionName=name)["Aliases"]]
    out = []
    for q in qualifiers:
        args = {"FunctionName": name, **({"Qualifier": q} if q else {})}
        try:
            policy = json.loads(lam.get_policy(**args)["Policy"])
        except lam.exceptions.ResourceNotFoundException:
            continue
        for s in policy["Statement"]:
            condition = s.get("Condition", {})
            principal = s["Principal"]
            out.append({
                "qualifier": q,
                # `{"Service": "events.amazonaws.com"}`, or `"*"` for a public URL.
                "principal": principal.get("Service", principal)
                if isinstance(principal, dict)
                else principal,
                "action": s["Action"],
                "source": condition.get("ArnLike", {}).get("AWS:SourceArn"),
            })
    return out


def layer(arn):
    v = client("lambda").get_layer_version_by_arn(Arn=arn)
    return {
        "runtimes": v.get("CompatibleRuntimes"),
        "architectures": v.get("CompatibleArchitectures"),
        "description": v.get("Description"),
    }


def alarm(name):
    (a,) = client("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"]
    return {
        "metric": a["MetricName"],
        "threshold": a["Threshold"],
        "comparison": a["ComparisonOperator"],
        "period": a["Period"],
        "evaluation_periods": a["EvaluationPeriods"],
        "dimensions": {d["Name"]: d["Value"] for d in a.get("Dimensions", [])},
        "actions": a.get("AlarmActions", []),
    }


def when(value):
    return value.isoformat() if value else None


def schedule(physical_id):
    group, _, name = physical_id.rpartition("/")
    s = client("scheduler").get_schedule(Name=name, GroupName=group or "default")
    target = s["Target"]
    return {
        "expression": s["ScheduleExpression"],
        "timezone": s.get("ScheduleExpressionTimezone"),
        "target": target["Arn"],
        "state": s.get("State"),
        "group": s.get("GroupName"),
        "window": s.get("FlexibleTimeWindow"),
        "retry": target.get("RetryPolicy"),
        "dead_letter": target.get("DeadLetterConfig", {}).get("Arn"),
        "start": when(s.get("StartDate")),
        "end": when(s.get("EndDate")),
    }


def log_group(name):
    groups = client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    return {"retention": next((g.get("retentionInDays") for g in groups if g["logGroupName"] == name), None)}


def queue(url):
    attrs = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return {
        "name": url.rsplit("/", 1)[-1],
        "visibility": int(attrs["VisibilityTimeout"]),
        "arn": attrs["QueueArn"],
        "kms": attrs.get("KmsMasterKeyId"),
    }


def topic(arn):
    attrs = client("sns").get_topic_attributes(TopicArn=arn)["Attributes"]
    return {"name": arn.rsplit(":", 1)[-1], "kms": attrs.get("KmsMasterKeyId")}


def bucket(name):
    block = client("s3").get_public_access_block(Bucket=name)
    return {"public_access_block": block["PublicAccessBlockConfiguration"]}


def role(name):
    iam = client("iam")
    names = iam.list_role_policies(RoleName=name)["PolicyNames"]
    return {
        "policies": {
            n: iam.get_role_policy(RoleName=name, PolicyName=n)["PolicyDocument"] for n in names
        }
    }


def bus(name):
    b = client("events").describe_event_bus(Name=name)
    return {"name": b["Name"], "arn": b["Arn"]}


def rule(physical_id):
    # A rule on a bus other than the default one is `BUS|RULE`.
    bus_name, _, name = physical_id.rpartition("|")
    events = client("events")
    args = {"Name": name, "EventBusName": bus_name or "default"}
    r = events.describe_rule(**args)
    targets = events.list_targets_by_rule(Rule=name, EventBusName=args["EventBusName"])
    return {
        "bus": r.get("EventBusName"),
        "arn": r["Arn"],
        "state": r.get("State"),
        "pattern": json.loads(r["EventPattern"]),
        "targets": [t["Arn"] for t in targets["Targets"]],
    }


READERS = {
    "AWS::Lambda::Function": function,
    "AWS::Lambda::LayerVersion": layer,
    "AWS::CloudWatch::Alarm": alarm,
    "AWS::Scheduler::Schedule": schedule,
    "AWS::Logs::LogGroup": log_group,
    "AWS::SQS::Queue": queue,
    "AWS::SNS::Topic": topic,
    "AWS::S3::Bucket": bucket,
    "AWS::IAM::Role": role,
    "AWS::Events::EventBus": bus,
    "AWS::Events::Rule": rule,
}


def stack(name):
    cfn = client("cloudformation")
    (s,) = cfn.describe_stacks(StackName=name)["Stacks"]
    out = {
        "status": s["StackStatus"],
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])},
        "resources": {},
    }
    pages = cfn.get_paginator("list_stack_resources").paginate(StackName=name)
    for page in pages:
        for r in page["StackResourceSummaries"]:
            kind, physical = r["ResourceType"], r.get("PhysicalResourceId", "")
            read = READERS.get(kind)
            entry = {"type": kind, "physical": physical}
            if read:
                entry.update(read(physical))
            out["resources"][r["LogicalResourceId"]] = entry
    return out


def exists(kind, physical):
    try:
        if kind == "AWS::SQS::Queue":
            client("sqs").get_queue_attributes(QueueUrl=physical)
        elif kind == "AWS::SNS::Topic":
            client("sns").get_topic_attributes(TopicArn=physical)
        elif kind == "AWS::S3::Bucket":
            client("s3").head_bucket(Bucket=physical)
        else:
            raise SystemExit(f"read_back.py: no existence check for {kind}")
    except ClientError:
        return False
    return True


def main():
    if sys.argv[2] == "--left":
        pairs = [a.split("=", 1) for a in sys.argv[3:]]
        out = {physical: exists(kind, physical) for kind, physical in pairs}
    else:
        out = stack(sys.argv[2])
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)


main()
