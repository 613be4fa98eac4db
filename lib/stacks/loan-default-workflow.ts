import { aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ProcessingJob, TrainingJob, TransformJob } from '../constructs/jobs';
import { MlNetwork } from '../constructs/security';
import { JobRetry, MlWorkflow, SageMakerJobState, SageMakerModelState } from '../constructs/workflows';

/** The jobs of the loan-default flow run by {@link addLoanDefaultWorkflow}. */
export interface LoanDefaultWorkflowProps {
  /** The preprocessing job (writes the train, validation and test splits). */
  readonly prep: ProcessingJob;
  /** The (Spot) training job reading the splits. */
  readonly train: TrainingJob;
  /**
   * The batch transform scoring the test split. It runs with the model the workflow creates from
   * the training artifacts (with the training image and the transform's role).
   */
  readonly transform: TransformJob;
  /** The key for the workflow's logs and state data (and of the model artifacts). */
  readonly key: kms.IKey;
  /**
   * The network the created model runs in (use the jobs' network).
   * @default - no VPC
   */
  readonly network?: MlNetwork;
}

/**
 * The loan-default flow as a Step Functions state machine: preprocess → (Spot) training →
 * create a model from the trained artifacts → batch transform with that model, each state retried with JobRetry.serviceErrors() (every 60 s, 5
 * attempts, backoff 2) on SageMaker, throttling and capacity errors. Job names derive from the
 * execution name, so every execution runs new jobs.
 */
export function addLoanDefaultWorkflow(scope: Construct, props: LoanDefaultWorkflowProps): MlWorkflow {
  const retries = [JobRetry.serviceErrors()];
  const train = new SageMakerJobState(scope, 'WorkflowTrain', { stateName: 'Train', job: props.train, retries });
  const model = new SageMakerModelState(scope, 'WorkflowCreateModel', {
    stateName: 'CreateModel',
    trainingState: train,
    image: props.train.image,
    role: props.transform.role,
    encryptionKey: props.key,
    network: props.network,
    retries,
  });
  return new MlWorkflow(scope, 'LoanDefaultWorkflow', {
    comment: 'Loan-default flow: preprocess, Spot training, create model, batch transform',
    encryptionKey: props.key,
    states: [
      new SageMakerJobState(scope, 'WorkflowPreprocess', { stateName: 'Preprocess', job: props.prep, retries }),
      train,
      model,
      new SageMakerJobState(scope, 'WorkflowBatchScore', { stateName: 'BatchScore', job: props.transform, modelName: model.modelNameExpression, retries }),
    ],
  });
}
