import json


def list(event, context):
    print(json.dumps(event))
    return {"statusCode": 200}
