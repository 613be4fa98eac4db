import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, ModelData } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import {
  Distribution,
  HyperparameterTuningJob,
  Hyperparameters,
  ObjectiveType,
  ParameterRange,
  ProcessingJob,
  S3Location,
  ScalingType,
  TrainingInput,
  TrainingJob,
  TransformJob,
} from '../../../lib/constructs/jobs';
import {
  Condition,
  ConditionStep,
  CreateModelStep,
  FailStep,
  MlPipeline,
  PipelineParameter,
  ProcessingStep,
  PropertyFile,
  RegisterModelStep,
  RetryPolicy,
  TrainingStep,
  TransformStep,
  TuningStep,
} from '../../../lib/constructs/pipelines';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { MlKey, MlNetwork, SageMakerExecutionRole, SecureBucket } from '../../../lib/constructs/security';

export const SCRIPTS = path.join(__dirname, '..', '..', '..', 'examples', 'scripts');

/** The source documents' loan-default flow as a pipeline, used by several tests. */
export function loanDefaultPipeline(stack: Stack, options: { network?: boolean } = {}) {
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const network = options.network ? new MlNetwork(stack, 'Network', { encryptionKey: key }) : undefined;
  const threshold = PipelineParameter.ofFloat('AucThreshold', 0.7);
  const trainCount = PipelineParameter.ofInteger('TrainInstanceCount', 2);

  const prep = new ProcessingJob(stack, 'Preprocess', {
    image: ContainerImage.sklearn('1.2-1'),
    script: path.join(SCRIPTS, 'preprocess.py'),
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [{ inputName: 'raw', source: S3Location.fromBucket(data, 'raw/') }],
    outputs: ['train', 'validation', 'test'].map((name) => ({ outputName: name, bucket: data, prefix: `prepared/${name}/` })),
    encryptionKey: key,
    network,
  });
  const train = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    instanceCount: trainCount.asNumber(),
    hyperparameters: Hyperparameters.xgboost({ maxDepth: 5, eta: 0.2, objective: 'binary:logistic', numRound: 100, evalMetric: 'auc' }),
    channels: {
      train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv', distribution: Distribution.SHARDED_BY_S3_KEY }),
      validation: TrainingInput.fromJobOutput(prep.output('validation'), { contentType: 'text/csv' }),
    },
    outputBucket: data,
    spot: { maxWait: Duration.hours(25), checkpointBucket: data },
    maxRuntime: Duration.hours(24),
    encryptionKey: key,
    network,
  });
  const report = new PropertyFile({ name: 'EvaluationReport', outputName: 'evaluation', path: 'evaluation.json' });
  const evaluate = new ProcessingJob(stack, 'Evaluate', {
    image: ContainerImage.xgboost('1.7-1'),
    script: path.join(SCRIPTS, 'evaluate.py'),
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [
      { inputName: 'model', source: S3Location.fromJobOutput(train.modelArtifacts), localPath: '/opt/ml/processing/model' },
      { inputName: 'test', source: S3Location.fromJobOutput(prep.output('test')), localPath: '/opt/ml/processing/test' },
    ],
    outputs: [{ outputName: 'evaluation', bucket: data, prefix: 'evaluation/' }],
    encryptionKey: key,
    network,
  });
  const registry = new ModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'loan-default' });
  const modelRole = new SageMakerExecutionRole(stack, 'ModelRole');
  modelRole.grantReadPrefix(data, 'models/');
  const retry = [RetryPolicy.throttlingAndCapacity()];

  const prepStep = new ProcessingStep('Preprocess', prep, { retryPolicies: retry, cacheFor: Duration.days(30) });
  const trainStep = new TrainingStep('Train', train, { retryPolicies: retry });
  const evaluateStep = new ProcessingStep('Evaluate', evaluate, { propertyFiles: [report] });
  const register = new RegisterModelStep('Register', {
    modelPackageGroup: registry,
    image: ContainerImage.xgboost('1.7-1'),
    modelDataUrl: trainStep.modelArtifactsUri,
    role: modelRole,
    modelMetrics: { step: evaluateStep, outputName: 'evaluation', fileName: 'evaluation.json' },
  });
  const createModel = new CreateModelStep('CreateModel', { image: ContainerImage.xgboost('1.7-1'), modelDataUrl: trainStep.modelArtifactsUri, role: modelRole });
  const batchModel = new Model(stack, 'BatchModel', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(data, 'models/model.tar.gz') }] });
  const transform = new TransformJob(stack, 'BatchScore', {
    model: batchModel,
    input: S3Location.fromJobOutput(prep.output('test')),
    contentType: 'text/csv',
    outputBucket: data,
    instanceType: InstanceType.ML_M5_XLARGE,
    encryptionKey: key,
  });
  const transformStep = new TransformStep('BatchScore', transform, { modelStep: createModel });
  const condition = new ConditionStep('CheckAuc', {
    conditions: [Condition.greaterThanOrEqualTo(report.getNumber('binary_classification_metrics.auc.value'), threshold.asNumber())],
    ifSteps: [register, createModel, transformStep],
    elseSteps: [new FailStep('AucTooLow', 'AUC below the threshold')],
  });
  const tuning = new HyperparameterTuningJob(stack, 'Tune', {
    trainingJob: train,
    objectiveMetric: 'validation:auc',
    objectiveType: ObjectiveType.MAXIMIZE,
    ranges: [
      ParameterRange.continuous('eta', 0.01, 0.1, ScalingType.LOGARITHMIC),
      ParameterRange.integer('max_depth', 2, 5),
      ParameterRange.categorical('min_child_weight', ['1', '5', '10']),
    ],
    maxJobs: 10,
    maxParallelJobs: 2,
  });
  const pipeline = new MlPipeline(stack, 'Pipeline', {
    pipelineName: 'loan-default',
    steps: [prepStep, trainStep, evaluateStep, condition],
    parameters: [threshold, trainCount],
  });
  const tuningPipeline = new MlPipeline(stack, 'TuningPipeline', { pipelineName: 'loan-default-tuning', steps: [new TuningStep('Tune', tuning)] });
  return { key, data, network, prep, train, evaluate, registry, pipeline, tuningPipeline, prepStep, trainStep, evaluateStep, condition, report, tuning };
}
