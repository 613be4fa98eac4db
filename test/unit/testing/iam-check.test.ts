import { aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { checkLeastPrivilege } from '../../../lib/testing';
import { testStack } from '../../helpers';

function roleWith(statements: iam.PolicyStatement[], managed?: iam.IManagedPolicy) {
  const stack = testStack();
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  statements.forEach((s) => role.addToPolicy(s));
  if (managed) role.addManagedPolicy(managed);
  return Template.fromStack(stack).toJSON();
}

describe('checkLeastPrivilege', () => {
  test('accepts scoped statements', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/prefix/*'] })]);
    expect(checkLeastPrivilege(template)).toEqual([]);
  });

  test('accepts unscopable actions on "*"', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] })]);
    expect(checkLeastPrivilege(template)).toEqual([]);
  });

  test('reports a scopable action on "*"', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })]);
    const findings = checkLeastPrivilege(template);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('"s3:GetObject" can be scoped');
  });

  test('reports wildcard actions on "*"', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['sagemaker:*'], resources: ['*'] })]);
    expect(checkLeastPrivilege(template)[0].message).toContain('wildcard');
  });

  test('requires a namespace condition on cloudwatch:PutMetricData', () => {
    const bare = roleWith([new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] })]);
    expect(checkLeastPrivilege(bare)[0].message).toContain('cloudwatch:namespace');
    const scoped = roleWith([
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
      }),
    ]);
    expect(checkLeastPrivilege(scoped)).toEqual([]);
  });

  test('reports AWS managed policies unless allowed with a reason', () => {
    const template = roleWith([], iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerFullAccess'));
    expect(checkLeastPrivilege(template)[0].message).toContain('AmazonSageMakerFullAccess');
    expect(
      checkLeastPrivilege(template, {
        allowManagedPolicies: [{ policyName: 'AmazonSageMakerFullAccess', pathIncludes: 'Role', reason: 'test' }],
      }),
    ).toEqual([]);
  });
});
