import { Size } from 'aws-cdk-lib';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import { AssemblyType, BatchStrategy, JoinSource, S3Location, SplitType, TransformJob } from '../../../lib/constructs/jobs';
import { setup } from './support';

describe('TransformJob', () => {
  test('renders batch transform with split type, strategy, payload, join source and KMS', () => {
    const { stack, bucket, key } = setup();
    const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
    const job = new TransformJob(stack, 'Score', {
      model,
      input: S3Location.fromBucket(bucket, 'test/'),
      contentType: 'text/csv',
      splitType: SplitType.LINE,
      batchStrategy: BatchStrategy.MULTI_RECORD,
      maxPayload: Size.mebibytes(6),
      joinSource: JoinSource.INPUT,
      outputBucket: bucket,
      instanceType: InstanceType.ML_M5_XLARGE,
      encryptionKey: key,
    });
    const request = stack.resolve(job._renderRequest());
    expect(request).toMatchObject({ BatchStrategy: 'MultiRecord', MaxPayloadInMB: 6, DataProcessing: { JoinSource: 'Input' } });
    expect(request.TransformInput).toMatchObject({ ContentType: 'text/csv', SplitType: 'Line' });
    expect(request.TransformOutput.AssembleWith).toBe(AssemblyType.LINE);
    expect(request.TransformOutput.KmsKeyId).toEqual(stack.resolve(key.keyArn));
    expect(request.TransformResources).toEqual({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeKmsKeyId: stack.resolve(key.keyArn) });
    expect(request.ModelName).toEqual(stack.resolve(model.modelName));
  });

  test('rejects a payload above 100 MB', () => {
    const { stack, bucket } = setup();
    const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
    expect(() => new TransformJob(stack, 'Score', { model, input: S3Location.fromBucket(bucket, 't/'), outputBucket: bucket, instanceType: InstanceType.ML_M5_XLARGE, maxPayload: Size.mebibytes(200) })).toThrow(
      /maxPayload \(MB\) is 200, but must be between 0 and 100/,
    );
  });
});
