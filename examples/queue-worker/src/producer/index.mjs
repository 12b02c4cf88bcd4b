import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});

export const handler = async (event) => {
  const order = JSON.parse(event.body ?? "{}");
  if (!order.id) {
    return { statusCode: 400, body: JSON.stringify({ error: "order id required" }) };
  }
  await sqs.send(
    new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(order) }),
  );
  return { statusCode: 202, body: JSON.stringify({ accepted: order.id }) };
};
