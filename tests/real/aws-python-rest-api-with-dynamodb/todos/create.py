import json


def create(event, context):
    print(json.dumps(event))
    return {"statusCode": 200}
