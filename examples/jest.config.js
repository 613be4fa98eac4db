/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // The library's serializer masks asset hashes in snapshots.
  snapshotSerializers: ['sagemaker-cdk-constructs/dist/lib/testing/snapshot-serializer'],
};
