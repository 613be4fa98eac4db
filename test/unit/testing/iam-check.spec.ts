import { aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LeastPrivilege, checkLeastPrivilege, formatIamFindings } from '../../../lib/testing';
import { testStack } from '../../helpers';

function roleWith(statements: iam.PolicyStatement[], managed?: iam.IManagedPolicy) {
  const stack = testStack();
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  statements.forEach((s) => role.addToPolicy(s));
  if (managed) role.addManagedPolicy(managed);
  return Template.fromStack(stack).toJSON();
}

describe('LeastPrivilege.check', () => {
  test('accepts scoped statements', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/prefix/*'] })]);
    expect(LeastPrivilege.check(template)).toEqual([]);
  });

  test('accepts unscopable actions on "*"', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] })]);
    expect(LeastPrivilege.check(template)).toEqual([]);
  });

  test('reports a scopable action on "*"', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })]);
    const findings = LeastPrivilege.check(template);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('"s3:GetObject" can be scoped');
  });

  test('reports wildcard actions on "*"', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['sagemaker:*'], resources: ['*'] })]);
    expect(LeastPrivilege.check(template)[0].message).toContain('wildcard');
  });

  test('requires a namespace condition on cloudwatch:PutMetricData', () => {
    const bare = roleWith([new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] })]);
    expect(LeastPrivilege.check(bare)[0].message).toContain('cloudwatch:namespace');
    const scoped = roleWith([
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
      }),
    ]);
    expect(LeastPrivilege.check(scoped)).toEqual([]);
  });

  test('reports AWS managed policies unless allowed with a reason', () => {
    const template = roleWith([], iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerFullAccess'));
    expect(LeastPrivilege.check(template)[0].message).toContain('AmazonSageMakerFullAccess');
    expect(
      LeastPrivilege.check(template, {
        allowManagedPolicies: [{ policyName: 'AmazonSageMakerFullAccess', pathIncludes: 'Role', reason: 'test' }],
      }),
    ).toEqual([]);
  });

  test('formats findings one per line and publishes the unscopable actions with their reasons', () => {
    const findings = [{ logicalId: 'RoleDefaultPolicy', path: 'Stack/Role/DefaultPolicy/Resource', message: 'action "s3:*" is a wildcard on Resource "*"' }];
    expect(LeastPrivilege.formatFindings(findings)).toBe('- Stack/Role/DefaultPolicy/Resource (RoleDefaultPolicy): action "s3:*" is a wildcard on Resource "*"');
    expect(LeastPrivilege.formatFindings([])).toBe('');
    expect(LeastPrivilege.UNSCOPABLE_ACTIONS['ecr:GetAuthorizationToken']).toContain('registry-wide token');
  });

  test('the TypeScript aliases give the same results as the class', () => {
    const template = roleWith([new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })]);
    expect(checkLeastPrivilege(template)).toEqual(LeastPrivilege.check(template));
    expect(formatIamFindings(checkLeastPrivilege(template))).toBe(LeastPrivilege.formatFindings(LeastPrivilege.check(template)));
  });
});
