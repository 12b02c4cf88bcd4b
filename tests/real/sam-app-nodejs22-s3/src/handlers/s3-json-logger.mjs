export const s3JsonLoggerHandler = async (event) => {
  console.log(JSON.stringify(event));
  return { statusCode: 200 };
};
