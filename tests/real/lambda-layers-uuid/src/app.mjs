import { randomUUID } from "node:crypto";

export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ uuid: randomUUID() }) });
