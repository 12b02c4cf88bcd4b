import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = record["s3"]["object"]["key"]
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        # A real resize would use Pillow; copying keeps the example dependency-free.
        s3.put_object(Bucket=os.environ["THUMBS"], Key=key, Body=body)
