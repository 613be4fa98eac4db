import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, ModelData, SourceCode } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import { MlNetwork, SecureBucket } from '../../../lib/constructs/security';
import { testStack } from '../../helpers';
import * as path from 'path';

describe('Model', () => {
  test('one container: network-isolated, no fixed name, a scoped role, and it waits for the role policies', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Bucket');
    new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'm/model.tar.gz') }] });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::SageMaker::Model', {
      Properties: {
        EnableNetworkIsolation: true,
        ModelName: Match.absent(),
        PrimaryContainer: { Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', Mode: 'SingleModel', ModelDataUrl: Match.anyValue() },
      },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('ModelRolePolicy1')]),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('iam::aws:policy');
  });

  test('serial inference pipeline and source code environment', () => {
    const stack = testStack();
    new Model(stack, 'Model', {
      containers: [
        { image: ContainerImage.sklearn('1.2-1'), sourceCode: SourceCode.fromDirectory(path.join(__dirname, '..', '..', 'fixtures', 'source'), { entryPoint: 'train.py' }) },
        { image: ContainerImage.xgboost('1.7-1'), environment: { A: '1' } },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      Containers: [
        Match.objectLike({ Environment: { SAGEMAKER_PROGRAM: 'train.py', SAGEMAKER_SUBMIT_DIRECTORY: Match.anyValue() } }),
        Match.objectLike({ Environment: { A: '1' } }),
      ],
      InferenceExecutionConfig: { Mode: 'Serial' },
    });
  });

  test('multi-model mode serves a prefix', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Bucket');
    new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'models/'), multiModel: true }] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: Match.objectLike({ Mode: 'MultiModel' }) });
  });

  test('in a VPC with the network\'s endpoints security group and ENI permissions scoped to the VPC', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network', { endpoints: false });
    const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }], vpc: network.vpc, securityGroups: [network.endpointsSecurityGroup] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::Model', {
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('EndpointsSecurityGroup'), 'GroupId'] }], Subnets: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['ec2:CreateNetworkInterface']),
            Condition: { ArnEquals: { 'ec2:Vpc': stack.resolve(stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: network.vpc.vpcId })) } },
          }),
        ]),
      },
    });
    expect(model.connections.securityGroups).toHaveLength(1);
  });

  test('fromModelName builds the ARN', () => {
    const stack = testStack();
    const model = Model.fromModelName(stack, 'Imported', 'my-model');
    expect(model.modelArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model/my-model');
  });

  test.each([
    [{ containers: [] }, /containers is empty/],
    [{ containers: Array.from({ length: 16 }, () => ({ image: ContainerImage.xgboost('1.7-1') })) }, /holds at most 15/],
    [{ containers: [{ image: ContainerImage.xgboost('1.7-1'), multiModel: true }] }, /multi-model container needs modelData/],
    [{ containers: [{ image: ContainerImage.xgboost('1.7-1'), multiModel: true }, { image: ContainerImage.xgboost('1.7-1') }] }, /must be the only container/],
  ])('rejects bad containers (%#)', (props, message) => {
    expect(() => new Model(testStack(), 'Model', props)).toThrow(message);
  });

  test('rejects VPC settings without a VPC, naming the construct', () => {
    const stack = testStack();
    const network = new MlNetwork(stack, 'Network', { endpoints: false });
    expect(() => new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }], securityGroups: [network.securityGroup] })).toThrow(
      /\[TestStack\/Model\] vpcSubnets and securityGroups need vpc/,
    );
  });

  test('asking for connections without a VPC is a clear error', () => {
    const model = new Model(testStack(), 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
    expect(() => model.connections).toThrow(/has no VPC configuration/);
  });
});
