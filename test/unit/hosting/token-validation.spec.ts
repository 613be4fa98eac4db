import { CfnParameter, Size, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType, ModelData, Processor } from '../../../lib/constructs/core';
import { Endpoint, EndpointVariant, Model } from '../../../lib/constructs/hosting';
import { PipelineParameter } from '../../../lib/constructs/pipelines';
import { testStack } from '../../helpers';
import { hostingFixture, serverlessModel } from './fixtures';

function numberParameter(stack: Stack, id: string): number {
  return new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
}

// Unresolved tokens and pipeline parameters pass validation untouched (issue 15).
describe('hosting validation lets tokens through', () => {
  test('serverless memorySize from a token in MiB passes and renders the token', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const memory = numberParameter(stack, 'MemoryMb');
    new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.serverless({ model: serverlessModel(stack, bucket), memorySize: Size.mebibytes(memory), maxConcurrency: 5 })] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [{ ServerlessConfig: { MemorySizeInMB: { Ref: 'MemoryMb' }, MaxConcurrency: 5 } }],
    });
  });

  test('serverless memorySize from a token in another unit is rejected with the fix', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const memory = Token.asNumber({ Ref: 'MemoryGb' });
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.serverless({ model: serverlessModel(stack, bucket), memorySize: Size.gibibytes(memory), maxConcurrency: 5 })] })).toThrow(
      /\[TestStack\/Endpoint\] variant: serverless memorySize comes from a token in a unit other than MiB.*give it as Size\.mebibytes\(token\)/,
    );
  });

  test('provisioned-concurrency scaling against a token maxConcurrency passes', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const endpoint = new Endpoint(stack, 'Endpoint', {
      variants: [EndpointVariant.serverless({ model: serverlessModel(stack, bucket), memorySize: Size.mebibytes(2048), maxConcurrency: numberParameter(stack, 'MaxConcurrency'), provisionedConcurrency: 2 })],
    });
    expect(() => endpoint.variant('AllTraffic').autoScaleProvisionedConcurrency({ minCapacity: 1, maxCapacity: 10 })).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 10 });
  });

  test('InstanceType.of accepts a pipeline parameter; its facts are unknown, so no GPU/CPU mismatch error', () => {
    const type = InstanceType.of(PipelineParameter.ofString('InferenceInstanceType', 'ml.m5.xlarge').toString());
    expect(type.family).toBe('');
    expect(type.isGpu).toBe(false);
    expect(type.isKnownFamily).toBe(false);
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const gpuModel = new Model(stack, 'GpuModel', {
      containers: [{ image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }), modelData: ModelData.fromBucket(bucket, 'model/model.tar.gz') }],
    });
    expect(() => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model: gpuModel, instanceType: InstanceType.of(Token.asString({ Ref: 'Type' })) })] })).not.toThrow();
  });

  test('InstanceType.of still rejects a concrete malformed name', () => {
    expect(() => InstanceType.of('m5.xlarge')).toThrow(/Invalid SageMaker instance type "m5\.xlarge": the name must match ml\.<family>\.<size>/);
  });
});
