import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Duration, Token } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, Processor, SourceCode } from '../../../lib/constructs/core';
import { Distribution, Hyperparameters, TrainingInput, TrainingJob } from '../../../lib/constructs/jobs';
import { MlKey } from '../../../lib/constructs/security';
import { SOURCE, setup, training } from './support';

describe('TrainingJob', () => {
  test('renders a CreateTrainingJob request: reference XGBoost, KMS, isolation', () => {
    const { stack, job, key } = training();
    const request = stack.resolve(job._renderRequest());
    expect(request.HyperParameters).toEqual({ objective: 'binary:logistic', num_round: '100', max_depth: '5', eta: '0.2' });
    expect(request.ResourceConfig).toEqual({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: stack.resolve(key.keyArn) });
    expect(request.InputDataConfig[0]).toMatchObject({ ChannelName: 'train', ContentType: 'text/csv', InputMode: 'FastFile' });
    expect(request.EnableNetworkIsolation).toBe(true);
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86400 });
  });

  test('PyTorch on ml.p3.2xlarge with script-mode code delivered as the code channel when isolated', () => {
    const { stack, job } = training({
      image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }),
      instanceType: InstanceType.ML_P3_2XLARGE,
      code: SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }),
      hyperparameters: Hyperparameters.of({ num_layers: '3', hidden_units: '64' }),
    });
    const request = stack.resolve(job._renderRequest());
    expect(request.HyperParameters.sagemaker_program).toBe('train.py');
    expect(request.HyperParameters.sagemaker_submit_directory).toMatch(/^\/opt\/ml\/input\/data\/code\/.+\.gz$/);
    expect(request.InputDataConfig.map((c: any) => c.ChannelName)).toEqual(['train', 'code']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('GPU image'))).toHaveLength(0);
  });

  test('distributed training turns inter-container encryption on', () => {
    const { stack, job } = training({ instanceCount: 2 });
    expect(stack.resolve(job._renderRequest()).EnableInterContainerTrafficEncryption).toBe(true);
  });

  test('rejects Spot maxWait below maxRuntime, with an example of the rejected combination', () => {
    expect(() => training({ spot: { maxWait: Duration.seconds(3600) }, maxRuntime: Duration.seconds(86400) })).toThrow(
      /\[TestStack\/Train\] spot.maxWait is 3600 s but maxRuntime is 86400 s: SageMaker requires MaxWaitTimeInSeconds >= MaxRuntimeInSeconds \(for example, maxWait 3600 s with maxRuntime 86400 s is rejected\)\. Set spot.maxWait to at least maxRuntime/,
    );
  });

  test('warns about Spot without checkpoints on long jobs', () => {
    const { stack } = training({ spot: { maxWait: Duration.hours(30) } });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Spot training without checkpoints'))).toHaveLength(1);
  });

  test('rejects an instance count below 1', () => {
    expect(() => training({ instanceCount: 0 })).toThrow(/instanceCount is 0, but must be between 1 and 100; a job needs at least one instance/);
  });

  test('a volume key on an NVMe instance type is dropped with a warning (outputs stay encrypted)', () => {
    const { stack, job } = training({ instanceType: InstanceType.ML_G4DN_XLARGE });
    const request = stack.resolve(job._renderRequest());
    expect(request.ResourceConfig.VolumeKmsKeyId).toBeUndefined();
    expect(request.OutputDataConfig.KmsKeyId).toBeDefined();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('local NVMe storage'))).toHaveLength(1);
  });

  test("the reference distributed training: 2 x ml.m5.xlarge, ShardedByS3Key, encryption on", () => {
    const { bucket } = setup();
    const { stack, job } = training({
      instanceCount: 2,
      channels: {
        train: TrainingInput.fromBucket(bucket, 'train/', { contentType: 'text/csv', distribution: Distribution.SHARDED_BY_S3_KEY }),
        validation: TrainingInput.fromBucket(bucket, 'validation/', { contentType: 'text/csv' }),
      },
    });
    const request = stack.resolve(job._renderRequest());
    expect(request.ResourceConfig).toMatchObject({ InstanceType: 'ml.m5.xlarge', InstanceCount: 2 });
    expect(request.InputDataConfig.map((c: any) => [c.ChannelName, c.DataSource.S3DataSource.S3DataDistributionType])).toEqual([
      ['train', 'ShardedByS3Key'],
      ['validation', 'FullyReplicated'],
    ]);
    expect(request.EnableInterContainerTrafficEncryption).toBe(true);
  });

  test('managed Spot with checkpoints, metric definitions, retry strategy and environment', () => {
    const { stack, bucket } = setup();
    const job = new TrainingJob(stack, 'Train', {
      image: ContainerImage.xgboost('1.7-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      hyperparameters: Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: 100 }),
      channels: { train: TrainingInput.fromBucket(bucket, 'train/') },
      outputBucket: bucket,
      spot: { maxWait: Duration.hours(25), checkpointBucket: bucket, checkpointPrefix: 'ckpt/' },
      maxRuntime: Duration.hours(24),
      metricDefinitions: [{ name: 'validation:auc', regex: 'validation-auc:([0-9.]+)' }],
      retryAttempts: 2,
      environment: { LOG_LEVEL: 'info' },
    });
    const request = stack.resolve(job._renderRequest());
    expect(request.EnableManagedSpotTraining).toBe(true);
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86400, MaxWaitTimeInSeconds: 90000 });
    expect(request.CheckpointConfig.LocalPath).toBe('/opt/ml/checkpoints');
    expect(JSON.stringify(request.CheckpointConfig.S3Uri)).toContain('/ckpt/');
    expect(request.AlgorithmSpecification.MetricDefinitions).toEqual([{ Name: 'validation:auc', Regex: 'validation-auc:([0-9.]+)' }]);
    expect(request.RetryStrategy).toEqual({ MaximumRetryAttempts: 2 });
    expect(request.Environment).toEqual({ LOG_LEVEL: 'info' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Spot training without checkpoints'))).toHaveLength(0);
  });

  test('rejects a volume key on an NVMe instance type, saying why and how to fix it', () => {
    const { stack } = setup();
    expect(() => training({ instanceType: InstanceType.ML_M5D_XLARGE, volumeEncryptionKey: new MlKey(stack, 'VolumeKey') })).toThrow(
      /\[TestStack\/Train\] volumeEncryptionKey is set, but ml\.m5d\.xlarge has local NVMe instance storage, .* Remove volumeEncryptionKey/,
    );
  });

  test('rejects a GPU image on a CPU instance', () => {
    expect(() => training({ image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }) })).toThrow(
      /\[TestStack\/Train\] the image is a GPU image but instanceType ml\.m5\.xlarge has no GPU; use the image's CPU variant/,
    );
  });

  test('rejects a CPU image on a GPU instance', () => {
    expect(() => training({ image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.CPU }), instanceType: InstanceType.ML_P3_2XLARGE })).toThrow(
      /the image is a CPU image but instanceType ml\.p3\.2xlarge is a GPU instance/,
    );
  });

  test('rejects an empty or badly named channel and a channel named "code" with isolated script mode', () => {
    expect(() => training({ channels: {} })).toThrow(/channels is empty/);
    const { bucket } = setup();
    expect(() => training({ channels: { 'bad name': TrainingInput.fromBucket(bucket, 'x/') } })).toThrow(/channel name "bad name" must be 1-64/);
    expect(() => training({ code: SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }), channels: { code: TrainingInput.fromBucket(bucket, 'x/') } })).toThrow(
      /channel name "code" is taken/,
    );
  });

  test('typed XGBoost hyperparameters reject out-of-range values; tokens pass', () => {
    expect(() => Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: 0, eta: 1.5 })).toThrow(
      /Hyperparameters.xgboost: numRound is 0, but must be at least 1. eta is 1.5, but must be between 0 and 1\./,
    );
    expect(() => Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: Token.asNumber({ Ref: 'Rounds' }), maxDepth: 2.5 })).toThrow(/maxDepth is 2.5, but must be a whole number/);
  });

  test('rejects retry attempts outside 0-30', () => {
    expect(() => training({ retryAttempts: 31 })).toThrow(/retryAttempts is 31, but must be a whole number from 0 to 30/);
  });

  test('unresolved tokens pass through', () => {
    expect(() => training({ instanceCount: Token.asNumber({ Ref: 'Count' }), maxRuntime: Duration.seconds(Token.asNumber({ Ref: 'Max' })) })).not.toThrow();
  });
});

