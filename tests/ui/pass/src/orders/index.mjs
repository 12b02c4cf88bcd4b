export const handler = async (e) => e;
