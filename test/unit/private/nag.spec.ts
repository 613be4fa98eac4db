import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeActionsWithoutResourceTypes } from '../../../lib/private/nag';
import { TEST_ENV, testApp } from '../../helpers';

/** The acknowledgements recorded on `stack`'s constructs after synth, by construct path. */
function acknowledgements(stack: Stack): Array<{ path: string; rules: Record<string, string> }> {
  (stack.node.root as ReturnType<typeof testApp>).synth();
  return stack.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
    .map((m) => ({ path: c.node.path, rules: m.data as Record<string, string> })));
}

describe('acknowledgeActionsWithoutResourceTypes', () => {
  test('calls on one scope make one acknowledgement naming every action and every reason', () => {
    const stack = new Stack(testApp(), 'Acks', { env: TEST_ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    acknowledgeActionsWithoutResourceTypes(role, ['cloudwatch:PutMetricData'], 'limited to one namespace');
    acknowledgeActionsWithoutResourceTypes(role, ['ecr:GetAuthorizationToken'], 'a registry-wide token');
    acknowledgeActionsWithoutResourceTypes(role, ['ecr:GetAuthorizationToken'], 'a registry-wide token');
    const found = acknowledgements(stack).filter((a) => a.path === 'Acks/Role');
    expect(found).toHaveLength(1);
    expect(Object.values(found[0].rules)).toEqual([
      'cloudwatch:PutMetricData, ecr:GetAuthorizationToken support no resource-level permissions, so IAM requires "*"; limited to one namespace; a registry-wide token. Every other statement of the policy names its resources.',
    ]);
    expect(Object.keys(found[0].rules)[0]).toContain('AwsSolutions-IAM5[Resource::*]');
  });

  test('each scope keeps its own acknowledgement', () => {
    const stack = new Stack(testApp(), 'Acks', { env: TEST_ENV });
    const a = new iam.Role(stack, 'A', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const b = new iam.Role(stack, 'B', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    acknowledgeActionsWithoutResourceTypes(a, ['sagemaker:ListApps']);
    acknowledgeActionsWithoutResourceTypes(b, ['logs:DescribeLogGroups']);
    const found = acknowledgements(stack);
    expect(found.map((f) => [f.path, Object.values(f.rules)[0].split(' support')[0]])).toEqual([
      ['Acks/A', 'sagemaker:ListApps'],
      ['Acks/B', 'logs:DescribeLogGroups'],
    ]);
  });
});
