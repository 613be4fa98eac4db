import { Stack, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MlKey, MlNetwork, SageMakerExecutionRole, WorkloadClass } from '../../../lib/constructs/security';
import { testStack } from '../../helpers';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>>; Principal?: { Service?: string } };

function roleStatements(stack: Stack, role: iam.IRole): Statement[] {
  const ref = JSON.stringify([stack.resolve(role.roleName)]);
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === ref)
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (s: Statement) => [s.Action].flat();

describe('SageMakerExecutionRole.grantVpcAccess', () => {
  test('with a VPC, the ENI create/attach/delete actions carry ArnEquals ec2:Vpc; Describe* are on "*" without one', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network');
    const role = new SageMakerExecutionRole(stack, 'Role');
    role.grantVpcAccess(network.vpc);
    const statements = roleStatements(stack, role);
    const manage = statements.find((s) => actionsOf(s).includes('ec2:CreateNetworkInterface'))!;
    expect(actionsOf(manage).sort()).toEqual(['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission']);
    expect(manage.Resource).toBe('*');
    expect(manage.Condition).toEqual({ ArnEquals: { 'ec2:Vpc': stack.resolve(stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: network.vpc.vpcId })) } });
    const describe = statements.find((s) => actionsOf(s).includes('ec2:DescribeSubnets'))!;
    expect(describe.Condition).toBeUndefined();
    expect(actionsOf(describe).every((a) => a.startsWith('ec2:Describe'))).toBe(true);
  });
});

describe('SageMakerExecutionRole.grantKeyUse', () => {
  test('every statement is limited to SageMaker, S3 and EC2 (volumes) in this region (kms:ViaService); CreateGrant only for AWS resources', () => {
    const stack = testStack();
    const key = new MlKey(stack, 'Key');
    const role = new SageMakerExecutionRole(stack, 'Role');
    role.grantKeyUse(key);
    const keyStatements = roleStatements(stack, role).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(keyStatements.length).toBeGreaterThan(0);
    for (const statement of keyStatements) {
      expect(statement.Condition?.StringEquals?.['kms:ViaService']).toEqual(['sagemaker.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com']);
    }
    const createGrant = keyStatements.filter((s) => actionsOf(s).includes('kms:CreateGrant'));
    expect(createGrant).toHaveLength(1);
    expect(createGrant[0].Condition?.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
  });
});

describe('MlNetwork security groups per workload class', () => {
  const stack = testStack();
  const network = new MlNetwork(stack, 'Network');
  const template = Template.fromStack(stack);
  const id = (sg: { securityGroupId: string }) => stack.resolve(sg.securityGroupId);

  test('four groups: jobs (the former securityGroup), endpoints, development, handlers', () => {
    expect(network.securityGroup).toBe(network.jobsSecurityGroup);
    expect(network.securityGroupFor(WorkloadClass.JOBS)).toBe(network.jobsSecurityGroup);
    expect(network.securityGroupFor(WorkloadClass.ENDPOINTS)).toBe(network.endpointsSecurityGroup);
    expect(network.securityGroupFor(WorkloadClass.DEVELOPMENT)).toBe(network.developmentSecurityGroup);
    expect(network.securityGroupFor(WorkloadClass.HANDLERS)).toBe(network.handlersSecurityGroup);
    const ids = [network.jobsSecurityGroup, network.endpointsSecurityGroup, network.developmentSecurityGroup, network.handlersSecurityGroup].map((sg) => JSON.stringify(id(sg)));
    expect(new Set(ids).size).toBe(4);
  });

  test('only jobs (TCP+UDP) and development (TCP) talk to their own members; nobody talks across classes', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    const between = ingress.filter((p) => JSON.stringify(p.SourceSecurityGroupId) === JSON.stringify(p.GroupId));
    const byGroup = (sg: { securityGroupId: string }) => between.filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(id(sg))).map((p) => p.IpProtocol).sort();
    expect(byGroup(network.jobsSecurityGroup)).toEqual(['tcp', 'udp']);
    expect(byGroup(network.developmentSecurityGroup)).toEqual(['tcp']);
    expect(byGroup(network.endpointsSecurityGroup)).toEqual([]);
    expect(byGroup(network.handlersSecurityGroup)).toEqual([]);
    const cross = ingress.filter((p) => p.SourceSecurityGroupId && JSON.stringify(p.SourceSecurityGroupId) !== JSON.stringify(p.GroupId) && JSON.stringify(p.GroupId) !== JSON.stringify(id(network.endpointSecurityGroup!)));
    expect(cross).toEqual([]);
  });

  test('each group reaches the interface endpoints over HTTPS and has HTTPS egress only (besides its own members)', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    for (const sg of [network.jobsSecurityGroup, network.endpointsSecurityGroup, network.developmentSecurityGroup, network.handlersSecurityGroup]) {
      expect(ingress.some((p) => JSON.stringify(p.GroupId) === JSON.stringify(id(network.endpointSecurityGroup!)) && JSON.stringify(p.SourceSecurityGroupId) === JSON.stringify(id(sg)) && p.FromPort === 443)).toBe(true);
      const logicalId = (id(sg) as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const egress = template.toJSON().Resources[logicalId].Properties.SecurityGroupEgress as Array<{ CidrIp?: string; FromPort: number }>;
      expect(egress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
    }
  });
});

describe('MlKey confused-deputy conditions', () => {
  test('statements other constructs add for log delivery, EventBridge and CloudWatch get aws:SourceAccount and aws:SourceArn', () => {
    const stack = testStack();
    const key = new MlKey(stack, 'Key');
    // What aws-cdk-lib writes for Step Functions log delivery and an EventBridge SNS target.
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')], actions: ['kms:Decrypt*'], resources: ['*'] }));
    key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as Statement[];
    const delivery = statements.find((s) => s.Principal?.Service === 'delivery.logs.amazonaws.com')!;
    expect(delivery.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:123456789012:*' },
    });
    const events = statements.find((s) => s.Principal?.Service === 'events.amazonaws.com')!;
    expect(events.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/*' },
    });
  });

  test('a plain kms.Key is not changed (the guard is MlKey\'s)', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Plain');
    new sns.Topic(stack, 'T', { masterKey: key });
    key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt');
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as Statement[];
    expect(statements.find((s) => s.Principal?.Service === 'events.amazonaws.com')!.Condition).toBeUndefined();
  });
});
