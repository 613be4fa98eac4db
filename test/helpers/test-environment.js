/**
 * Jest's Node environment, plus the worker-wide CloudFormation validator of
 * shared-cloudformation-validate.js for test/helpers/cloudformation-validate.js to hand out
 * (jest.config.js maps `@aws/cloudformation-validate` to that file).
 */
'use strict';
const { TestEnvironment } = require('jest-environment-node');
const sharedValidator = require('./shared-cloudformation-validate');

class SageMakerCdkTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__sharedCloudFormationValidate = sharedValidator;
  }
}

module.exports = SageMakerCdkTestEnvironment;
