import { aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The kinds of SageMaker jobs a runner can run.
 */
export enum JobKind {
  /** CreateProcessingJob */
  PROCESSING = 'Processing',
  /** CreateTrainingJob */
  TRAINING = 'Training',
  /** CreateHyperParameterTuningJob */
  TUNING = 'Tuning',
  /** CreateTransformJob */
  TRANSFORM = 'Transform',
}

/**
 * A job definition: a construct that owns a job's role, assets and grants and renders the
 * SageMaker API request (typed with `@aws-sdk/client-sagemaker`). Runners (SageMaker Pipelines,
 * deploy time, ...) decide how and when it runs; the definition does not change per runner.
 */
export interface IJobDefinition extends IConstruct, iam.IGrantable {
  /** Which CreateXxxJob API the request is for. */
  readonly kind: JobKind;
  /** The execution role SageMaker assumes; a runner must be allowed to pass it. */
  readonly role: iam.IRole;
}
