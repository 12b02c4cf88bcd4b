import json


def run(event, context):
    print(json.dumps(event))
    return {"statusCode": 200}
