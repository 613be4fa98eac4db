import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ContainerImage, Hyperparameters, InstanceType, MlWorkflow, Processor, SageMakerJobState,
  SourceCode, TrainingInput, TrainingJob,
} from 'sagemaker-cdk-constructs';
import { networkSnippet } from './network';

const scripts = path.join(__dirname, '..', 'scripts');

/** The README's Step Functions snippet: a GPU training job run by a state machine. */
export function workflowSnippet(scope: Construct) {
  const { key, network, data } = networkSnippet(scope);
  // snippet:start
  const train = new TrainingJob(scope, 'GpuTrain', {
    image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }),
    code: SourceCode.fromDirectory(path.join(scripts, 'pytorch'), { entryPoint: 'train.py' }),
    instanceType: InstanceType.ML_P3_2XLARGE,
    hyperparameters: Hyperparameters.of({ epochs: '20', learning_rate: '0.01' }),
    channels: {
      train: TrainingInput.fromBucket(data, 'prepared/train/', { contentType: 'text/csv' }),
      validation: TrainingInput.fromBucket(data, 'prepared/validation/', { contentType: 'text/csv' }),
    },
    outputBucket: data,
    spot: { maxWait: Duration.hours(26), checkpointBucket: data },
    maxRuntime: Duration.hours(24),
    network, encryptionKey: key,
  });
  const workflow = new MlWorkflow(scope, 'Workflow', {
    encryptionKey: key,
    states: [new SageMakerJobState(scope, 'TrainState', { job: train })], // createTrainingJob.sync
  });
  // snippet:end
  return workflow;
}
