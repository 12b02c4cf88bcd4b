"""Print, as JSON, what a deployed stack's resources hold, read through each service's
own API (not CloudFormation's description of them): `read_back.py ENDPOINT STACK`.

Run with the LocalStack virtualenv's Python (it has boto3). Only the settings the tests
assert on are read; a resource type without a reader is listed with its type alone.
"""
import json
import sys

import boto3

ENDPOINT, STACK = sys.argv[1], sys.argv[2]


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
        "reserved": lam.get_function_concurrency(FunctionName=name).get(
            "ReservedConcurrentExecutions"
        ),
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
            {"arn": u["FunctionArn"], "auth": u["AuthType"]}
            for u in lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"]
        ],
        "mappings": [
            {"arn": m["FunctionArn"], "source": m["EventSourceArn"], "batch": m["BatchSize"]}
            for m in lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]
        ],
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


def schedule(physical_id):
    s = client("scheduler").get_schedule(Name=physical_id.split("/")[-1])
    return {
        "expression": s["ScheduleExpression"],
        "timezone": s.get("ScheduleExpressionTimezone"),
        "target": s["Target"]["Arn"],
        "state": s.get("State"),
    }


def log_group(name):
    groups = client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    return {"retention": next((g.get("retentionInDays") for g in groups if g["logGroupName"] == name), None)}


def queue(url):
    attrs = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return {"visibility": int(attrs["VisibilityTimeout"]), "arn": attrs["QueueArn"]}


READERS = {
    "AWS::Lambda::Function": function,
    "AWS::CloudWatch::Alarm": alarm,
    "AWS::Scheduler::Schedule": schedule,
    "AWS::Logs::LogGroup": log_group,
    "AWS::SQS::Queue": queue,
}


def main():
    cfn = client("cloudformation")
    (stack,) = cfn.describe_stacks(StackName=STACK)["Stacks"]
    out = {
        "status": stack["StackStatus"],
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        "resources": {},
    }
    pages = cfn.get_paginator("list_stack_resources").paginate(StackName=STACK)
    for page in pages:
        for r in page["StackResourceSummaries"]:
            kind, physical = r["ResourceType"], r.get("PhysicalResourceId", "")
            read = READERS.get(kind)
            entry = {"type": kind, "physical": physical}
            if read:
                entry.update(read(physical))
            out["resources"][r["LogicalResourceId"]] = entry
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)


main()
