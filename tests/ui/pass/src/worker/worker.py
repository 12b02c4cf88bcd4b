def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            process(record)
        except Exception:
            failures.append({"itemIdentifier": record.get("messageId") or record.get("eventID")})
    return {"batchItemFailures": failures}


def process(record):
    return record
