import json


def update(event, context):
    print(json.dumps(event))
    return {"statusCode": 200}
