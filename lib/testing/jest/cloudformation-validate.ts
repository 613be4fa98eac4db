/**
 * What aws-cdk-lib gets for `require('@aws/cloudformation-validate')` when a Jest config maps that
 * module here: the worker-wide validator that ./environment provides (see ./shared-validator).
 */
import { SHARED_VALIDATOR_GLOBAL } from './shared-validator';

const provider = (globalThis as Record<string, unknown>)[SHARED_VALIDATOR_GLOBAL] as (() => unknown) | undefined;
if (typeof provider !== 'function') {
  throw new Error(
    "sagemaker-cdk-constructs' cloudformation-validate module needs its test environment: set testEnvironment to " +
      "'sagemaker-cdk-constructs/dist/lib/testing/jest/environment' in the Jest config that maps '@aws/cloudformation-validate' to this module.",
  );
}

export = provider();
