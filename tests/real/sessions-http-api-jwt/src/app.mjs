export const lambdaHandler = async (event) => {
  console.log(JSON.stringify(event.requestContext?.authorizer ?? {}));
  return { statusCode: 200, body: JSON.stringify({ route: event.routeKey }) };
};
