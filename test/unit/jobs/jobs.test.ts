import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Duration, Size, Token } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, Processor, SourceCode } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import {
  BatchStrategy,
  HyperparameterTuningJob,
  Hyperparameters,
  InputMode,
  ParameterRange,
  ProcessingJob,
  S3Location,
  SplitType,
  TrainingInput,
  TrainingJob,
  TransformJob,
  TuningStrategy,
} from '../../../lib/constructs/jobs';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { testStack } from '../../helpers';

const SOURCE = path.join(__dirname, '..', '..', 'fixtures', 'source');

function setup() {
  const stack = testStack();
  const key = new MlKey(stack, 'Key');
  const bucket = new SecureBucket(stack, 'Data', { encryptionKey: key });
  return { stack, key, bucket };
}

function training(overrides: Partial<ConstructorParameters<typeof TrainingJob>[2]> = {}) {
  const { stack, bucket, key } = setup();
  const job = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    hyperparameters: Hyperparameters.xgboost({ maxDepth: 5, eta: 0.2, objective: 'binary:logistic', numRound: 100 }),
    channels: { train: TrainingInput.fromBucket(bucket, 'train/', { contentType: 'text/csv', inputMode: InputMode.FAST_FILE }) },
    outputBucket: bucket,
    encryptionKey: key,
    ...overrides,
  });
  return { stack, bucket, key, job };
}

describe('TrainingJob', () => {
  test('renders a CreateTrainingJob request: seed XGBoost, KMS, isolation', () => {
    const { stack, job, key } = training();
    const request = stack.resolve(job.renderRequest());
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
    const request = stack.resolve(job.renderRequest());
    expect(request.HyperParameters.sagemaker_program).toBe('train.py');
    expect(request.HyperParameters.sagemaker_submit_directory).toMatch(/^\/opt\/ml\/input\/data\/code\/.+\.gz$/);
    expect(request.InputDataConfig.map((c: any) => c.ChannelName)).toEqual(['train', 'code']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('GPU image'))).toHaveLength(0);
  });

  test('distributed training turns inter-container encryption on', () => {
    const { stack, job } = training({ instanceCount: 2 });
    expect(stack.resolve(job.renderRequest()).EnableInterContainerTrafficEncryption).toBe(true);
  });

  test("rejects Spot maxWait below maxRuntime, citing the source document's invalid example", () => {
    expect(() => training({ spot: { maxWait: Duration.seconds(3600) }, maxRuntime: Duration.seconds(86400) })).toThrow(
      /\[TestStack\/Train\] spot.maxWait is 3600 s but maxRuntime is 86400 s: SageMaker requires MaxWaitTimeInSeconds >= MaxRuntimeInSeconds \(the source document's example of 3600 s with 86400 s is rejected by SageMaker\)\. Set spot.maxWait to at least maxRuntime/,
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
    const request = stack.resolve(job.renderRequest());
    expect(request.ResourceConfig.VolumeKmsKeyId).toBeUndefined();
    expect(request.OutputDataConfig.KmsKeyId).toBeDefined();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('local NVMe storage'))).toHaveLength(1);
  });

  test('warns about a GPU image on a CPU instance and a CPU image on a GPU instance', () => {
    const gpuOnCpu = training({ image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }) });
    expect(Annotations.fromStack(gpuOnCpu.stack).findWarning('*', Match.stringLikeRegexp('A GPU image runs on ml.m5.xlarge'))).toHaveLength(1);
    const cpuOnGpu = training({ image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.CPU }), instanceType: InstanceType.ML_P3_2XLARGE });
    expect(Annotations.fromStack(cpuOnGpu.stack).findWarning('*', Match.stringLikeRegexp('A CPU image runs on ml.p3.2xlarge'))).toHaveLength(1);
  });

  test('rejects an empty or badly named channel and a channel named "code" with isolated script mode', () => {
    expect(() => training({ channels: {} })).toThrow(/channels is empty/);
    const { bucket } = setup();
    expect(() => training({ channels: { 'bad name': TrainingInput.fromBucket(bucket, 'x/') } })).toThrow(/channel name "bad name" must be 1-64/);
    expect(() => training({ code: SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }), channels: { code: TrainingInput.fromBucket(bucket, 'x/') } })).toThrow(
      /channel name "code" is taken/,
    );
  });

  test('rejects retry attempts outside 0-30', () => {
    expect(() => training({ retryAttempts: 31 })).toThrow(/retryAttempts is 31, but must be a whole number from 0 to 30/);
  });

  test('unresolved tokens pass through', () => {
    expect(() => training({ instanceCount: Token.asNumber({ Ref: 'Count' }), maxRuntime: Duration.seconds(Token.asNumber({ Ref: 'Max' })) })).not.toThrow();
  });
});

describe('ProcessingJob', () => {
  test('seed ScriptProcessor: ml.m5.xlarge, script as code input, outputs to S3 with KMS', () => {
    const { stack, bucket, key } = setup();
    const job = new ProcessingJob(stack, 'Prep', {
      image: ContainerImage.sklearn('1.2-1'),
      script: path.join(SOURCE, 'train.py'),
      instanceType: InstanceType.ML_M5_XLARGE,
      inputs: [{ inputName: 'raw', source: S3Location.fromBucket(bucket, 'raw/') }],
      outputs: [{ outputName: 'train', bucket, prefix: 'prepared/train/' }],
      encryptionKey: key,
    });
    const request = stack.resolve(job.renderRequest());
    expect(request.AppSpecification.ContainerEntrypoint).toEqual(['python3', '/opt/ml/processing/input/code/train.py']);
    expect(request.ProcessingInputs.map((i: any) => i.InputName)).toEqual(['raw', 'code']);
    expect(request.ProcessingResources.ClusterConfig).toMatchObject({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 });
    expect(request.NetworkConfig).toMatchObject({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true });
    expect(job.outputLocalPath('train')).toBe('/opt/ml/processing/train');
    expect(() => job.output('nope')).toThrow(/has no output named "nope"; its outputs are: train/);
  });

  test('rejects duplicate input/output names and a missing script', () => {
    const { stack, bucket } = setup();
    expect(() => new ProcessingJob(stack, 'Dup', {
      image: ContainerImage.sklearn('1.2-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      inputs: [{ inputName: 'data', source: S3Location.fromBucket(bucket, 'a/') }],
      outputs: [{ outputName: 'data', bucket, prefix: 'b/' }],
    })).toThrow(/input and output names must be unique, but data repeat/);
    expect(() => new ProcessingJob(stack, 'NoScript', { image: ContainerImage.sklearn('1.2-1'), instanceType: InstanceType.ML_M5_XLARGE, script: '/nope.py' })).toThrow(
      /script "\/nope.py" is not a file/,
    );
  });
});

describe('HyperparameterTuningJob', () => {
  function tuning(overrides: Partial<ConstructorParameters<typeof HyperparameterTuningJob>[2]> = {}) {
    const { stack, job } = training();
    return () => new HyperparameterTuningJob(stack, 'Tune', {
      trainingJob: job,
      objectiveMetric: 'validation:auc',
      ranges: [ParameterRange.continuous('learning_rate', 0.01, 0.1), ParameterRange.integer('num_layers', 2, 5), ParameterRange.categorical('hidden_units', ['32', '64', '128'])],
      maxJobs: 10,
      maxParallelJobs: 2,
      ...overrides,
    });
  }

  test('the seed configuration builds', () => {
    expect(tuning()).not.toThrow();
  });

  test('rejects max parallel above max jobs', () => {
    expect(tuning({ maxJobs: 2, maxParallelJobs: 3 })).toThrow(/maxParallelJobs 3 is above maxJobs 2/);
  });

  test('rejects a range with min >= max', () => {
    expect(tuning({ ranges: [ParameterRange.continuous('eta', 0.5, 0.1)] })).toThrow(/continuous range "eta" has min 0.5 >= max 0.1/);
  });

  test('rejects a categorical range with no values', () => {
    expect(tuning({ ranges: [ParameterRange.categorical('units', [])] })).toThrow(/categorical range "units" has no values/);
  });

  test('rejects continuous ranges with grid search', () => {
    expect(tuning({ strategy: TuningStrategy.GRID })).toThrow(/Grid strategy cannot search continuous ranges/);
  });
});

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
      joinSource: 'Input',
      outputBucket: bucket,
      instanceType: InstanceType.ML_M5_XLARGE,
      encryptionKey: key,
    });
    const request = stack.resolve(job.renderRequest());
    expect(request).toMatchObject({ BatchStrategy: 'MultiRecord', MaxPayloadInMB: 6, DataProcessing: { JoinSource: 'Input' } });
    expect(request.TransformInput).toMatchObject({ ContentType: 'text/csv', SplitType: 'Line' });
    expect(request.TransformOutput.AssembleWith).toBe('Line');
  });

  test('rejects a payload above 100 MB', () => {
    const { stack, bucket } = setup();
    const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
    expect(() => new TransformJob(stack, 'Score', { model, input: S3Location.fromBucket(bucket, 't/'), outputBucket: bucket, instanceType: InstanceType.ML_M5_XLARGE, maxPayload: Size.mebibytes(200) })).toThrow(
      /maxPayload \(MB\) is 200, but must be between 0 and 100/,
    );
  });
});
