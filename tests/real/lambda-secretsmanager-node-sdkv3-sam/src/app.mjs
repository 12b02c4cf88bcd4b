import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";

const client = new SecretsManagerClient({});
const secret = await client.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_NAME }));

export const handler = async () => ({ length: (secret.SecretString ?? "").length });
