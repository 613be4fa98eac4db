import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MlNetwork } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

describe('MlNetwork', () => {
  const app = testApp();
  const stack = testStack(app);
  const network = new MlNetwork(stack, 'Network');
  const template = Template.fromStack(stack);

  test('isolated subnets only, in two AZs, no NAT or internet gateway', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    expect(network.subnetIds).toHaveLength(2);
  });

  test('flow logs to a KMS-encrypted, retained log group', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
    });
  });

  test('S3 gateway endpoint and the SageMaker interface endpoints, reachable from workloads only', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } })).map(
      (r) => JSON.stringify((r as { Properties: { ServiceName: unknown } }).Properties.ServiceName),
    );
    for (const name of ['sagemaker.api', 'sagemaker.runtime', 'sagemaker.featurestore-runtime', 'studio', 'notebook', '.sts', '.logs', '.monitoring', 'ecr.api', 'ecr.dkr']) {
      expect(services.some((s) => s.includes(name))).toBe(true);
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('WorkloadSecurityGroup'), 'GroupId'] },
    });
  });

  test('the workload security group talks to itself and HTTPS out, nothing else', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('SageMaker workloads'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
    });
    const selfIngress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { Description: Match.stringLikeRegexp('Between SageMaker workloads') },
    });
    expect(Object.keys(selfIngress)).toHaveLength(2);
  });

  test('the default security group is restricted', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('is clean under the three nag packs and the IAM check', () => {
    expectNagClean(app);
    expectLeastPrivilege(stack, {
      allowManagedPolicies: [
        {
          policyName: 'service-role/AWSLambdaBasicExecutionRole',
          pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider',
          reason: "aws-cdk-lib's own provider that empties the default security group; its role is not ours to shape",
        },
      ],
    });
  });
});

describe('MlNetwork validation', () => {
  test('rejects fewer than 2 AZs', () => {
    expect(() => new MlNetwork(testStack(), 'Network', { maxAzs: 1 })).toThrow(
      /\[TestStack\/Network\] maxAzs is 1, but SageMaker workloads need subnets in at least 2 Availability Zones; set maxAzs to 2 or more/,
    );
  });

  test('rejects new-VPC settings next to a given VPC', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Existing', { maxAzs: 2 });
    expect(() => new MlNetwork(stack, 'Network', { vpc, maxAzs: 3 })).toThrow(/maxAzs and ipAddresses apply to a new VPC only/);
  });

  test('rejects subnets without a VPC', () => {
    expect(() => new MlNetwork(testStack(), 'Network', { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toThrow(
      /subnets applies to a given vpc only/,
    );
  });

  test('uses a given VPC and its chosen subnets, and endpoints can be left out', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Existing', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const network = new MlNetwork(stack, 'Network', { vpc, endpoints: false });
    expect(network.vpc).toBe(vpc);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });
});
