"""DynamoDB stream of the sessions table → one JSON object per change in S3."""

import json
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        key = f"changes/{record['eventID']}.json"
        s3.put_object(Bucket=os.environ["REPORTS"], Key=key, Body=json.dumps(record["dynamodb"]))
