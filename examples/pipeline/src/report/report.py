"""Nightly: count sessions and clicks, write the totals to the reports bucket."""

import datetime
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["SESSIONS"])
s3 = boto3.client("s3")


def handler(event, context):
    sessions = clicks = 0
    kwargs = {}
    while True:
        page = table.scan(**kwargs)
        for item in page.get("Items", []):
            sessions += 1
            clicks += int(item.get("clicks", 0))
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    day = datetime.date.today().isoformat()
    body = json.dumps({"day": day, "sessions": sessions, "clicks": clicks})
    s3.put_object(Bucket=os.environ["REPORTS"], Key=f"daily/{day}.json", Body=body)
    return {"sessions": sessions, "clicks": clicks}
