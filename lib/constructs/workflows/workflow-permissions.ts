import { aws_iam as iam } from 'aws-cdk-lib';

/**
 * A state or state machine fragment that tells the workflow which permissions its role needs
 * to run it. An `MlWorkflow` grants its role the statements of every state it reaches and of
 * every fragment in its `states` that implements this interface (the library's job, model,
 * AI service and compilation states do).
 */
export interface IWorkflowPermissions {
  /** The IAM statements the state machine's role needs to run this state or fragment. */
  policyStatements(): iam.PolicyStatement[];
}
