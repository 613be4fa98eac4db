import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ContainerImage, Distribution, Hyperparameters, InstanceType, MlPipeline, PipelineParameter, ProcessingJob,
  ProcessingStep, S3Location, TrainingInput, TrainingJob, TrainingStep,
} from 'sagemaker-cdk-constructs';
import { networkSnippet } from './network';

const scripts = path.join(__dirname, '..', 'scripts');

/** The README's pipeline snippet: preprocess, then XGBoost on two Spot instances, weekly. */
export function trainingPipelineSnippet(scope: Construct) {
  const { key, network, data } = networkSnippet(scope);
  // snippet:start
  const prep = new ProcessingJob(scope, 'Prep', {
    image: ContainerImage.sklearn('1.2-1'),
    script: path.join(scripts, 'preprocess.py'),
    arguments: ['--train-shards', '2'], // one file per training instance (ShardedByS3Key)
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [{ inputName: 'raw', source: S3Location.fromBucket(data, 'raw/') }],
    outputs: ['train', 'validation', 'test'].map((name) => ({ outputName: name, bucket: data, prefix: `prepared/${name}/` })),
    network, encryptionKey: key,
  });
  const train = new TrainingJob(scope, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE, instanceCount: 2,
    hyperparameters: Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: 100, maxDepth: 5, eta: 0.2, evalMetric: 'auc' }),
    channels: {
      train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv', distribution: Distribution.SHARDED_BY_S3_KEY }),
      validation: TrainingInput.fromJobOutput(prep.output('validation'), { contentType: 'text/csv' }),
    },
    outputBucket: data,
    spot: { maxWait: Duration.hours(26), checkpointBucket: data }, // checkpoints per execution
    maxRuntime: Duration.hours(24),
    network, encryptionKey: key,
  });
  const pipeline = new MlPipeline(scope, 'Pipeline', {
    parameters: [PipelineParameter.ofFloat('AucThreshold', 0.7)],
    steps: [new ProcessingStep('Preprocess', prep), new TrainingStep('Train', train)],
  });
  pipeline.scheduleWeekly(); // EventBridge Scheduler, Mondays 02:00 UTC
  // snippet:end
  return pipeline;
}
