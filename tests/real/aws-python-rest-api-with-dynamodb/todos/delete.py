import json


def delete(event, context):
    print(json.dumps(event))
    return {"statusCode": 200}
