export const producer = async (event) => {
  console.log(JSON.stringify(event));
  return { statusCode: 200 };
};
export const consumer = async (event) => {
  console.log(JSON.stringify(event));
  return { statusCode: 200 };
};
