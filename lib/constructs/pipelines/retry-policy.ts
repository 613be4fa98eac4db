import { Duration, Token } from 'aws-cdk-lib';
import { SageMakerConstructError } from '../../private/errors';

/** Errors a step can be retried on. */
export enum RetryableError {
  /** A fault of the SageMaker Pipelines service. */
  SERVICE_FAULT = 'Step.SERVICE_FAULT',
  /** Throttling of a service call. */
  THROTTLING = 'Step.THROTTLING',
  /** An internal error of the job. */
  JOB_INTERNAL_ERROR = 'SageMaker.JOB_INTERNAL_ERROR',
  /** Not enough capacity (e.g. Spot or GPU instances). */
  CAPACITY_ERROR = 'SageMaker.CAPACITY_ERROR',
  /** A resource limit (quota) was hit. */
  RESOURCE_LIMIT = 'SageMaker.RESOURCE_LIMIT',
}

/** Properties of a {@link RetryPolicy}. */
export interface RetryPolicyProps {
  /** The errors retried. */
  readonly errors: RetryableError[];
  /**
   * The wait before the first retry.
   * @default Duration.seconds(60)
   */
  readonly interval?: Duration;
  /**
   * How many attempts at most (1 to 20).
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * How much the wait grows per retry (at least 1).
   * @default 2
   */
  readonly backoffRate?: number;
}

/**
 * How a pipeline step is retried.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html
 */
export class RetryPolicy {
  /**
   * Every 60 s, 5 attempts, backoff 2, on throttling and capacity errors: the errors that a
   * later attempt can get past.
   */
  public static throttlingAndCapacity(): RetryPolicy {
    return new RetryPolicy({ errors: [RetryableError.THROTTLING, RetryableError.CAPACITY_ERROR, RetryableError.RESOURCE_LIMIT] });
  }

  /** The errors retried. */
  public readonly errors: RetryableError[];
  /** The wait before the first retry. */
  public readonly interval: Duration;
  /** How many attempts at most. */
  public readonly maxAttempts: number;
  /** How much the wait grows per retry. */
  public readonly backoffRate: number;

  constructor(props: RetryPolicyProps) {
    this.errors = props.errors;
    this.interval = props.interval ?? Duration.seconds(60);
    this.maxAttempts = props.maxAttempts ?? 5;
    this.backoffRate = props.backoffRate ?? 2;
    // IntervalSeconds: at most 43200 (12 hours); BackoffRate: a multiplier of at least 1.
    // https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html
    const problems: string[] = [];
    if (this.errors.length === 0) problems.push('errors is empty; name the errors to retry on (RetryableError.THROTTLING, ...)');
    if (!Token.isUnresolved(this.maxAttempts) && (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1 || this.maxAttempts > 20)) {
      problems.push(`maxAttempts is ${this.maxAttempts}, but must be a whole number from 1 to 20; set maxAttempts between 1 and 20`);
    }
    if (!Token.isUnresolved(this.backoffRate) && this.backoffRate < 1) problems.push(`backoffRate is ${this.backoffRate}, but must be at least 1; use 1 for a constant interval`);
    if (!this.interval.isUnresolved()) {
      const seconds = this.interval.toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 43200) {
        problems.push(`interval is ${seconds} s, but must be whole seconds from 1 to 43200 (12 hours); set interval between Duration.seconds(1) and Duration.hours(12)`);
      }
    }
    if (problems.length === 1) throw new SageMakerConstructError(`RetryPolicy (retrying ${this.errors.join(', ') || 'no errors'}): ${problems[0]}.`);
    if (problems.length > 1) {
      throw new SageMakerConstructError(`RetryPolicy (retrying ${this.errors.join(', ') || 'no errors'}): ${problems.length} problems:\n${problems.map((p) => `  - ${p}.`).join('\n')}`);
    }
  }

  /**
   * The policy as the pipeline definition has it.
   * @internal
   */
  public _render(): Record<string, unknown> {
    return {
      ExceptionType: this.errors,
      IntervalSeconds: this.interval.toSeconds(),
      BackoffRate: this.backoffRate,
      MaxAttempts: this.maxAttempts,
    };
  }
}
