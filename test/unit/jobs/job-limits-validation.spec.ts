import * as path from 'path';
import { Duration, Size } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, Processor, SourceCode } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import { Hyperparameters, HyperparameterTuningJob, ParameterRange, ProcessingJob, S3Location, TrainingInput, TransformJob } from '../../../lib/constructs/jobs';
import { SOURCE, setup, training } from './support';

// Limits of the SageMaker API that CloudFormation does not check at synth (issue 15): each limit
// is tested on both sides; messages name the construct path, the value, the rule and the fix.
const many = (n: number, value = 'x') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`K${i}`, value]));

describe('training job boundaries', () => {
  test('Spot maxWait equal to maxRuntime passes; one second less fails', () => {
    expect(() => training({ maxRuntime: Duration.hours(2), spot: { maxWait: Duration.hours(2) } })).not.toThrow();
    expect(() => training({ maxRuntime: Duration.hours(2), spot: { maxWait: Duration.seconds(7199) } })).toThrow(
      /\[TestStack\/Train\] spot\.maxWait is 7199 s but maxRuntime is 7200 s: SageMaker requires MaxWaitTimeInSeconds >= MaxRuntimeInSeconds.*Set spot\.maxWait to at least maxRuntime/,
    );
  });

  test.each([1, 100])('instanceCount %d passes', (instanceCount) => {
    expect(() => training({ instanceCount })).not.toThrow();
  });
  test.each([0, 101])('instanceCount %d fails', (instanceCount) => {
    expect(() => training({ instanceCount })).toThrow(new RegExp(`\\[TestStack/Train\\] instanceCount is ${instanceCount}, but must be between 1 and 100; a job needs at least one instance`));
  });

  test.each([0, 30])('retryAttempts %d passes', (retryAttempts) => {
    expect(() => training({ retryAttempts })).not.toThrow();
  });
  test('retryAttempts 31 fails', () => {
    expect(() => training({ retryAttempts: 31 })).toThrow(/\[TestStack\/Train\] retryAttempts is 31, but must be a whole number from 0 to 30; set retryAttempts between 0 and 30/);
  });
});

describe('metric definitions (MetricDefinition: Name 1-255, Regex 1-500, a compiling regex with a capture group)', () => {
  test('a regex that does not compile fails', () => {
    expect(() => training({ metricDefinitions: [{ name: 'validation:auc', regex: 'auc=([0-9.]+' }] })).toThrow(
      /\[TestStack\/Train\] metricDefinitions\[0\]\.regex "auc=\(\[0-9\.\]\+" is not a valid regular expression \(.*\); fix its syntax/,
    );
  });
  test('a regex without a capture group fails', () => {
    expect(() => training({ metricDefinitions: [{ name: 'loss', regex: 'loss=[0-9.]+' }] })).toThrow(
      /metricDefinitions\[0\]\.regex "loss=\[0-9\.\]\+" has no capture group, so SageMaker cannot read a value from it; put the value in parentheses/,
    );
  });
  test('name: 255 characters pass, 256 fail', () => {
    expect(() => training({ metricDefinitions: [{ name: 'n'.repeat(255), regex: 'v=([0-9]+)' }] })).not.toThrow();
    expect(() => training({ metricDefinitions: [{ name: 'n'.repeat(256), regex: 'v=([0-9]+)' }] })).toThrow(/metricDefinitions\[0\]\.name "n{40}\.\.\." has 256 characters, but must have 1 to 255/);
  });
  test('regex: 500 characters pass, 501 fail', () => {
    const regex = (n: number) => `(${'a'.repeat(n - 2)})`;
    expect(() => training({ metricDefinitions: [{ name: 'm', regex: regex(500) }] })).not.toThrow();
    expect(() => training({ metricDefinitions: [{ name: 'm', regex: regex(501) }] })).toThrow(/metricDefinitions\[0\]\.regex ".*" has 501 characters, but must have 1 to 500; shorten the regular expression/);
  });
});

describe('hyperparameters (CreateTrainingJob: at most 100, keys <= 256, values <= 2500)', () => {
  test('100 hyperparameters pass, 101 fail', () => {
    expect(() => training({ hyperparameters: Hyperparameters.of(many(100)) })).not.toThrow();
    expect(() => training({ hyperparameters: Hyperparameters.of(many(101)) })).toThrow(/\[TestStack\/Train\] hyperparameters has 101 entries, but SageMaker allows at most 100; pass fewer/);
  });
  test('script-mode code counts: 98 plus sagemaker_program and sagemaker_submit_directory pass, 99 fail', () => {
    const code = SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' });
    const image = ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.CPU });
    expect(() => training({ image, code, hyperparameters: Hyperparameters.of(many(98)) })).not.toThrow();
    expect(() => training({ image, code, hyperparameters: Hyperparameters.of(many(99)) })).toThrow(/hyperparameters has 101 entries/);
  });
  test('a 256-character key passes, 257 fail', () => {
    expect(() => training({ hyperparameters: Hyperparameters.of({ ['k'.repeat(256)]: '1' }) })).not.toThrow();
    expect(() => training({ hyperparameters: Hyperparameters.of({ ['k'.repeat(257)]: '1' }) })).toThrow(/hyperparameter name "k{40}\.\.\." has 257 characters, but must have 1 to 256; shorten the name/);
  });
  test('a 2500-character value passes, 2501 fail', () => {
    expect(() => training({ hyperparameters: Hyperparameters.of({ labels: 'v'.repeat(2500) }) })).not.toThrow();
    expect(() => training({ hyperparameters: Hyperparameters.of({ labels: 'v'.repeat(2501) }) })).toThrow(
      /\[TestStack\/Train\] hyperparameter labels "v{40}\.\.\." has 2501 characters, but must have 0 to 2500; shorten the value or read it from a file/,
    );
  });
});

describe('training environment (CreateTrainingJob: at most 100, names [a-zA-Z_][a-zA-Z0-9_]* <= 512, values <= 512)', () => {
  test('a name starting with a digit fails', () => {
    expect(() => training({ environment: { '1ST': 'x' } })).toThrow(/\[TestStack\/Train\] environment has the variable name "1ST" .*\(CreateTrainingJob\); rename it, e\.g\. "_1ST"/);
  });
  test('a 512-character name passes, 513 fail', () => {
    expect(() => training({ environment: { ['E'.repeat(512)]: 'x' } })).not.toThrow();
    expect(() => training({ environment: { ['E'.repeat(513)]: 'x' } })).toThrow(/environment has the variable name "E{40}\.\.\." \(513 characters\), but names must match .* at most 512 characters/);
  });
  test('a 512-character value passes, 513 fail', () => {
    expect(() => training({ environment: { MODE: 'v'.repeat(512) } })).not.toThrow();
    expect(() => training({ environment: { MODE: 'v'.repeat(513) } })).toThrow(/environment\.MODE "v{40}\.\.\." has 513 characters, but must have 0 to 512; CreateTrainingJob rejects longer values/);
  });
  test('100 variables pass, 101 fail', () => {
    expect(() => training({ environment: many(100) })).not.toThrow();
    expect(() => training({ environment: many(101) })).toThrow(/environment has 101 entries, but SageMaker allows at most 100; CreateTrainingJob rejects more/);
  });
});

describe('tuning job limits', () => {
  function tune(overrides: Partial<ConstructorParameters<typeof HyperparameterTuningJob>[2]> = {}, trainingOverrides: Parameters<typeof training>[0] = {}) {
    const { stack, job } = training(trainingOverrides);
    return () => new HyperparameterTuningJob(stack, 'Tune', { trainingJob: job, objectiveMetric: 'validation:auc', ranges: [ParameterRange.integer('max_depth', 2, 5)], maxJobs: 10, maxParallelJobs: 2, ...overrides });
  }
  const ranges = (n: number) => Array.from({ length: n }, (_, i) => ParameterRange.integer(`p${i}`, 1, 5));

  test('30 hyperparameter ranges pass, 31 fail', () => {
    expect(tune({ ranges: ranges(30) })).not.toThrow();
    expect(tune({ ranges: ranges(31) })).toThrow(/\[TestStack\/Tune\] ranges has 31 hyperparameter ranges, but a tuning job searches at most 30 in total; tune fewer hyperparameters/);
  });
  test('a categorical range of 30 values passes, 31 fail', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `${i}`);
    expect(tune({ ranges: [ParameterRange.categorical('c', values(30))] })).not.toThrow();
    expect(tune({ ranges: [ParameterRange.categorical('c', values(31))] })).toThrow(/categorical range "c" has 31 values, but SageMaker allows at most 30/);
  });
  test('built-in XGBoost: its own validation:* metrics need no metric definition; other names fail', () => {
    expect(tune({ objectiveMetric: 'validation:logloss' })).not.toThrow();
    expect(tune({ objectiveMetric: 'accuracy' })).toThrow(
      /\[TestStack\/Tune\] objectiveMetric "accuracy" is not among the training job's metric definitions \(none\) or one of the built-in XGBoost metrics \(validation:\* or train:\*\), so SageMaker cannot read the objective from the logs; add a metricDefinition named "accuracy" to the training job TestStack\/Train/,
    );
  });
  test('a framework image: the objective must be one of the metric definitions', () => {
    const image = ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.CPU });
    const code = SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' });
    expect(tune({}, { image, code, hyperparameters: Hyperparameters.of({}), metricDefinitions: [{ name: 'validation:auc', regex: 'validation:auc=([0-9\\.]+)' }] })).not.toThrow();
    expect(tune({}, { image, code, hyperparameters: Hyperparameters.of({}), metricDefinitions: [{ name: 'val_auc', regex: 'val_auc=([0-9\\.]+)' }] })).toThrow(
      /objectiveMetric "validation:auc" is not among the training job's metric definitions \(val_auc\), so SageMaker cannot read the objective/,
    );
  });
});

describe('processing and transform limits', () => {
  function processing(environment: Record<string, string>) {
    const { stack, bucket } = setup();
    return () =>
      new ProcessingJob(stack, 'Prep', {
        image: ContainerImage.sklearn('1.2-1'),
        script: path.join(SOURCE, 'train.py'),
        instanceType: InstanceType.ML_M5_XLARGE,
        outputs: [{ outputName: 'train', bucket, prefix: 'train/' }],
        environment,
      });
  }
  test('processing environment (CreateProcessingJob): 256-character values pass, 257 fail', () => {
    expect(processing({ MODE: 'v'.repeat(256) })).not.toThrow();
    expect(processing({ MODE: 'v'.repeat(257) })).toThrow(/\[TestStack\/Prep\] environment\.MODE "v{40}\.\.\." has 257 characters, but must have 0 to 256; CreateProcessingJob rejects longer values/);
  });

  function transform(props: Partial<ConstructorParameters<typeof TransformJob>[2]>) {
    const { stack, bucket } = setup();
    const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
    return () => new TransformJob(stack, 'Score', { model, input: S3Location.fromBucket(bucket, 't/'), outputBucket: bucket, instanceType: InstanceType.ML_M5_XLARGE, ...props });
  }
  test('maxPayload x maxConcurrentTransforms: 100 MB passes, above fails', () => {
    expect(transform({ maxPayload: Size.mebibytes(10), maxConcurrentTransforms: 10 })).not.toThrow();
    expect(transform({ maxPayload: Size.mebibytes(10), maxConcurrentTransforms: 11 })).toThrow(
      /\[TestStack\/Score\] maxPayload 10 MB x maxConcurrentTransforms 11 is 110 MB, but SageMaker allows at most 100 MB in flight per instance; lower maxConcurrentTransforms to at most 10 or lower maxPayload/,
    );
  });
  test('the default 6 MB payload counts: 16 concurrent transforms pass, 17 fail', () => {
    expect(transform({ maxConcurrentTransforms: 16 })).not.toThrow();
    expect(transform({ maxConcurrentTransforms: 17 })).toThrow(/maxPayload 6 MB \(the default\) x maxConcurrentTransforms 17 is 102 MB/);
  });
  test('transform environment (CreateTransformJob): 16 variables pass, 17 fail', () => {
    expect(transform({ environment: many(16) })).not.toThrow();
    expect(transform({ environment: many(17) })).toThrow(/\[TestStack\/Score\] environment has 17 entries, but SageMaker allows at most 16; CreateTransformJob rejects more/);
  });
});

describe('S3 URIs given as strings', () => {
  test('S3Location.fromUri and TrainingInput.fromUri need s3://', () => {
    expect(() => S3Location.fromUri('s3://bucket/raw/')).not.toThrow();
    expect(() => S3Location.fromUri('bucket/raw/')).toThrow(/S3Location\.fromUri: the URI "bucket\/raw\/" is not an S3 URI: it must start with "s3:\/\/" and name a bucket; give it as "s3:\/\/my-bucket\/path\/"/);
    expect(() => TrainingInput.fromUri('https://bucket.example.com/raw/')).toThrow(/is not an S3 URI/);
  });
});
