/**
 * The test harness shares aws-cdk-lib's CloudFormation validator across the test files of a Jest
 * worker, with the library's own test environment (lib/testing/jest). These tests show that what every other
 * test relies on still holds: a template breaking CloudFormation's schema fails the synth, whatever
 * engine an earlier synth built, and aws-cdk-lib's own plugin is the one doing it.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SHARED_VALIDATOR_GLOBAL } from '../../lib/testing/jest/shared-validator';
import { TEST_ENV, testApp } from '../helpers';

/** A stack whose bucket has a property that AWS::S3::Bucket's schema does not have. */
function brokenBucketStack(): Stack {
  const stack = new Stack(testApp(), 'Broken', { env: TEST_ENV });
  new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { NoSuchProperty: 'x' } });
  return stack;
}

/** Synthesizes the app of `stack`. */
function synthOf(stack: Stack): void {
  (stack.node.root as App).synth();
}

describe('the worker-wide CloudFormation validator', () => {
  test('aws-cdk-lib loads the shared module', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module aws-cdk-lib requires, by the same name
    const loaded = require('@aws/cloudformation-validate') as { CompositeEngine: unknown };
    expect(loaded).toBe(((globalThis as Record<string, unknown>)[SHARED_VALIDATOR_GLOBAL] as () => unknown)());
    expect(typeof loaded.CompositeEngine).toBe('function');
  });

  test('a schema error fails the synth, naming the property', () => {
    expect(() => synthOf(brokenBucketStack())).toThrow(/NoSuchProperty/);
  });

  test('a valid template passes after a synth that met other resource types', () => {
    const app = testApp();
    const stack = new Stack(app, 'Valid', { env: TEST_ENV });
    new s3.CfnBucket(stack, 'Bucket', {});
    new sqs.CfnQueue(stack, 'Queue', {});
    expect(() => app.synth()).not.toThrow();
  });

  test('a schema error is still found after the engine has validated other templates', () => {
    const app = testApp();
    const stack = new Stack(app, 'Queue', { env: TEST_ENV });
    new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'not a number' } });
    expect(() => app.synth()).toThrow(/VisibilityTimeout/);
    expect(() => synthOf(brokenBucketStack())).toThrow(/NoSuchProperty/);
  });
});
