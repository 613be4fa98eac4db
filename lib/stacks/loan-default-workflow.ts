import { aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ProcessingJob, TrainingJob, TransformJob } from '../constructs/jobs';
import { JobRetry, MlWorkflow, SageMakerJobState } from '../constructs/workflows';

/** The jobs of the loan-default flow run by {@link addLoanDefaultWorkflow}. */
export interface LoanDefaultWorkflowProps {
  /** The preprocessing job (writes the train, validation and test splits). */
  readonly prep: ProcessingJob;
  /** The (Spot) training job reading the splits. */
  readonly train: TrainingJob;
  /** The batch transform scoring the test split. */
  readonly transform: TransformJob;
  /** The key for the workflow's logs and state data. */
  readonly key: kms.IKey;
}

/**
 * The loan-default flow as a Step Functions state machine: preprocess → (Spot) training →
 * batch transform, each state retried with the source documents' policy (every 60 s, 5
 * attempts, backoff 2) on SageMaker, throttling and capacity errors. Job names derive from the
 * execution name, so every execution runs new jobs.
 */
export function addLoanDefaultWorkflow(scope: Construct, props: LoanDefaultWorkflowProps): MlWorkflow {
  const retries = [JobRetry.seedPolicy()];
  return new MlWorkflow(scope, 'LoanDefaultWorkflow', {
    comment: 'Loan-default flow: preprocess, Spot training, batch transform',
    encryptionKey: props.key,
    states: [
      new SageMakerJobState(scope, 'WorkflowPreprocess', { stateName: 'Preprocess', job: props.prep, retries }),
      new SageMakerJobState(scope, 'WorkflowTrain', { stateName: 'Train', job: props.train, retries }),
      new SageMakerJobState(scope, 'WorkflowBatchScore', { stateName: 'BatchScore', job: props.transform, retries }),
    ],
  });
}
