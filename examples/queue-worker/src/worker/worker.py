"""Processes order messages; reports failed ones so only they are retried."""

import json


def process(order):
    if "id" not in order:
        raise ValueError("order without id")
    print(f"processing order {order['id']}")


def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            process(json.loads(record["body"]))
        except Exception as err:  # noqa: BLE001 - every failure is reported back
            print(f"order {record['messageId']} failed: {err}")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
