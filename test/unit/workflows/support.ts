import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { ContainerImage, InstanceType, ModelData } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import {
  Distribution,
  HyperparameterTuningJob,
  Hyperparameters,
  ParameterRange,
  ProcessingJob,
  S3Location,
  TrainingInput,
  TrainingJob,
  TransformJob,
} from '../../../lib/constructs/jobs';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { MlWorkflow } from '../../../lib/constructs/workflows';

export const SCRIPTS = path.join(__dirname, '..', '..', '..', 'examples', 'scripts');

/** The loan-default jobs: preprocess, Spot training, evaluation, tuning and batch transform. */
export function loanDefaultJobs(stack: Stack) {
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const prep = new ProcessingJob(stack, 'Preprocess', {
    image: ContainerImage.sklearn('1.2-1'),
    script: path.join(SCRIPTS, 'preprocess.py'),
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [{ inputName: 'raw', source: S3Location.fromBucket(data, 'raw/') }],
    outputs: ['train', 'validation', 'test'].map((name) => ({ outputName: name, bucket: data, prefix: `prepared/${name}/` })),
    encryptionKey: key,
  });
  const train = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    instanceCount: 2,
    hyperparameters: Hyperparameters.xgboost({ maxDepth: 5, eta: 0.2, objective: 'binary:logistic', numRound: 100, evalMetric: 'auc' }),
    channels: {
      train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv', distribution: Distribution.SHARDED_BY_S3_KEY }),
      validation: TrainingInput.fromJobOutput(prep.output('validation'), { contentType: 'text/csv' }),
    },
    outputBucket: data,
    spot: { maxWait: Duration.hours(25), checkpointBucket: data },
    maxRuntime: Duration.hours(24),
    encryptionKey: key,
  });
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
  });
  const tuning = new HyperparameterTuningJob(stack, 'Tune', {
    trainingJob: train,
    objectiveMetric: 'validation:auc',
    ranges: [ParameterRange.continuous('eta', 0.01, 0.1), ParameterRange.integer('max_depth', 2, 5)],
    maxJobs: 10,
    maxParallelJobs: 2,
  });
  const model = new Model(stack, 'BatchModel', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(data, 'models/model.tar.gz') }] });
  const transform = new TransformJob(stack, 'BatchScore', {
    model,
    input: S3Location.fromJobOutput(prep.output('test')),
    contentType: 'text/csv',
    outputBucket: data,
    instanceType: InstanceType.ML_M5_XLARGE,
    encryptionKey: key,
  });
  return { key, data, prep, train, evaluate, tuning, model, transform };
}

/** The state machine's definition as parsed JSON, deploy-time values replaced by "X". */
export function definitionOf(stack: Stack, workflow: MlWorkflow): { StartAt: string; States: Record<string, any> } {
  const resolved = stack.resolve((workflow.stateMachine.node.defaultChild as CfnStateMachine).definitionString) as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof resolved === 'string' ? resolved : resolved['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'X')).join('');
  return JSON.parse(text);
}
