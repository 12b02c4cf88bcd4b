"""CRUD handlers for the notes table (API Gateway HTTP API, payload format 2.0)."""

import json
import os
import uuid

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def _response(status, body=None):
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body) if body is not None else "",
    }


def _note_id(event):
    return event["pathParameters"]["id"]


def list_notes(event, context):
    items = table.scan(Limit=100).get("Items", [])
    return _response(200, items)


def get_note(event, context):
    item = table.get_item(Key={"id": _note_id(event)}).get("Item")
    return _response(200, item) if item else _response(404, {"error": "not found"})


def create_note(event, context):
    body = json.loads(event.get("body") or "{}")
    item = {"id": str(uuid.uuid4()), "text": str(body.get("text", ""))}
    table.put_item(Item=item)
    return _response(201, item)


def update_note(event, context):
    body = json.loads(event.get("body") or "{}")
    table.update_item(
        Key={"id": _note_id(event)},
        UpdateExpression="SET #t = :t",
        ExpressionAttributeNames={"#t": "text"},
        ExpressionAttributeValues={":t": str(body.get("text", ""))},
    )
    return _response(204)


def delete_note(event, context):
    table.delete_item(Key={"id": _note_id(event)})
    return _response(204)
