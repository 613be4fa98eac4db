import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../lib/stacks';
import { expectLeastPrivilege, expectNagClean, stacksOf, testApp } from '../helpers';
import { sharedCpuProfile, sharedExampleApp } from './shared-example';

/**
 * Managed policies that aws-cdk-lib's own singleton providers attach to their roles; the
 * example stacks create no role with a managed policy themselves.
 */
export const CDK_PROVIDER_MANAGED_POLICIES = [
  {
    policyName: 'service-role/AWSLambdaBasicExecutionRole',
    pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider',
    reason: "aws-cdk-lib's provider that empties the VPC's default security group",
  },
];

describe('example app', () => {
  test('builds both profiles by default, env-agnostic', () => {
    const app = testApp();
    buildExampleApp(app);
    const names = stacksOf(app).map((s) => s.stackName).sort();
    expect(names).toEqual(expect.arrayContaining(['SageMakerCpu-Platform', 'SageMakerGpu-Platform']));
    for (const stack of stacksOf(app)) {
      expect(Stack.of(stack).resolve(stack.region)).toEqual({ Ref: 'AWS::Region' });
    }
  });

  test('builds one profile with -c profile=gpu, in a given environment', () => {
    const app = testApp();
    buildExampleApp(app, { profile: 'gpu', account: '123456789012', region: 'eu-west-1' });
    const stacks = stacksOf(app);
    expect(stacks.map((s) => s.stackName).every((n) => n.startsWith('SageMakerGpu-'))).toBe(true);
    expect(stacks[0].region).toBe('eu-west-1');
  });

  test('rejects an unknown profile with the accepted values', () => {
    expect(() => buildExampleApp(testApp(), { profile: 'tpu' })).toThrow(/Unknown profile "tpu": use -c profile=cpu, -c profile=gpu or -c profile=all/);
  });

  test('every example stack is clean under the three nag packs, the schema rules and the IAM check', () => {
    const app = sharedExampleApp();
    expectNagClean(app);
    for (const stack of stacksOf(app)) {
      expectLeastPrivilege(stack, { allowManagedPolicies: CDK_PROVIDER_MANAGED_POLICIES });
    }
  });

  test('no run-time reference marker leaks into a template (each runner renders them; IAM gets a wildcard)', () => {
    const app = sharedExampleApp();
    for (const stack of stacksOf(app)) {
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('{{smcdk-ref:');
    }
  });

  test('the platform stack exports what the other stacks and the CLI need', () => {
    const cpu = sharedCpuProfile();
    const outputs = Template.fromStack(cpu.platform).toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['DataBucketName', 'ArtifactsBucketName', 'DataKeyArn']));
  });
});
