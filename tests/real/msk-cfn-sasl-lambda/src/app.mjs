// Logs how many records each partition of the batch holds.
export const lambdaHandler = async (event) => {
  for (const [partition, records] of Object.entries(event.records ?? {})) {
    console.log(partition, records.length);
  }
};
