"""Kinesis click records → session rows in DynamoDB."""

import base64
import json
import os
import time

import boto3

table = boto3.resource("dynamodb").Table(os.environ["SESSIONS"])


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            click = json.loads(base64.b64decode(record["kinesis"]["data"]))
            table.update_item(
                Key={"user": click["user"], "started": int(click["session"])},
                UpdateExpression="ADD clicks :one SET expires_at = :exp",
                ExpressionAttributeValues={":one": 1, ":exp": int(time.time()) + 86400},
            )
        except Exception:  # noqa: BLE001 - report the record so only it is retried
            failures.append({"itemIdentifier": record["kinesis"]["sequenceNumber"]})
    return {"batchItemFailures": failures}
