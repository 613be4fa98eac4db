/**
 * What aws-cdk-lib gets for `require('@aws/cloudformation-validate')` under Jest (see
 * jest.config.js): the worker-wide validator of shared-cloudformation-validate.js that
 * test-environment.js provides.
 */
'use strict';
if (!globalThis.__sharedCloudFormationValidate) {
  throw new Error('test/helpers/cloudformation-validate.js needs the test environment of test/helpers/test-environment.js (jest.config.js)');
}
module.exports = globalThis.__sharedCloudFormationValidate;
