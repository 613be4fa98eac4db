/** @type {import('jest').Config} */
module.exports = {
  // Jest's Node environment, sharing aws-cdk-lib's CloudFormation validator across the test files
  // of a worker: the library's own, which users can set too (lib/testing/jest/shared-validator.ts
  // says why).
  testEnvironment: '<rootDir>/lib/testing/jest/environment.ts',
  roots: ['<rootDir>/test', '<rootDir>/examples/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    // Transpile only: `npm run typecheck` and `npm run build` do the type checking, so tests stay fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleNameMapper: {
    // The examples app imports the library by its package name, as a user would.
    '^sagemaker-cdk-constructs$': '<rootDir>/lib/index.ts',
    '^@aws/cloudformation-validate$': '<rootDir>/lib/testing/jest/cloudformation-validate.ts',
  },
  snapshotSerializers: ['<rootDir>/test/helpers/snapshot-serializer.ts'],
  // aws-cdk-lib's printout of validation reports (warnings tests provoke on purpose) stays quiet.
  // The AWS SDK's Node-version notice stays out of test output (see the file).
  setupFiles: ['<rootDir>/test/helpers/test-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/quiet-validation-report.ts'],
  testTimeout: 60000,
  // Jest's default is one worker fewer than the CPUs, which on a 2-CPU machine (CI's) runs the
  // suites one at a time; the suites are CPU-bound synthesis, so use every CPU.
  maxWorkers: '100%',
  // A worker that holds the shared CloudFormation validator (test/helpers/shared-cloudformation-
  // validate.js) and a large heap can take longer than Jest's default 500 ms to tear down after its
  // last suite, with nothing left open but its channel to Jest and stdio (process._getActiveHandles());
  // Jest then kills it and prints "a worker process has failed to exit gracefully". With 5 s no run
  // printed it (six synthesis suites: 3 of 3 runs printed it at 500 ms, 0 of 4 at 5 s).
  workerGracefulExitTimeout: 5000,
};
