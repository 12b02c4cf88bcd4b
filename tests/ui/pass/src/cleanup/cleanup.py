def handler(event, context):
    print("nightly cleanup", event)
    return {"removed": 0}
