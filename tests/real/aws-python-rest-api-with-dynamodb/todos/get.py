import json


def get(event, context):
    print(json.dumps(event))
    return {"statusCode": 200}
