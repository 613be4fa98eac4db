import { Duration, Token, aws_stepfunctions as sfn } from 'aws-cdk-lib';

/**
 * Error names a SageMaker job state can be retried or caught on. Step Functions prefixes the
 * exceptions of the SageMaker API with `SageMaker.`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export class SageMakerError {
  /** Any error of the SageMaker API (internal failures, validation, capacity). */
  public static readonly SAGEMAKER_EXCEPTION = 'SageMaker.AmazonSageMakerException';
  /** The SageMaker API throttled the call. */
  public static readonly THROTTLING = 'SageMaker.ThrottlingException';
  /** A service quota (instances, concurrent jobs) is exhausted: capacity errors. */
  public static readonly RESOURCE_LIMIT_EXCEEDED = 'SageMaker.ResourceLimitExceededException';
  /** The job ran and failed (a `.sync` task whose job ends in `Failed`). */
  public static readonly TASK_FAILED = sfn.Errors.TASKS_FAILED;
  /** The state's timeout or heartbeat expired. */
  public static readonly TIMEOUT = sfn.Errors.TIMEOUT;
  /** Every error. */
  public static readonly ALL = sfn.Errors.ALL;
}

/** Properties of a {@link JobRetry}. */
export interface JobRetryProps {
  /**
   * The errors retried.
   * @default - SageMaker API errors, throttling and capacity (resource limit) errors
   */
  readonly errors?: string[];
  /**
   * The wait before the first retry.
   * @default Duration.seconds(60)
   */
  readonly interval?: Duration;
  /**
   * How many retries at most (0 switches retrying off).
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * How much the wait grows per retry (at least 1).
   * @default 2
   */
  readonly backoffRate?: number;
  /**
   * The longest wait between two retries.
   * @default - no limit
   */
  readonly maxDelay?: Duration;
  /**
   * Randomize the waits so that many executions do not retry in step.
   * @default false
   */
  readonly jitter?: boolean;
}

/**
 * How a SageMaker job state is retried. The default ({@link JobRetry.serviceErrors}): every
 * 60 s, 5 attempts, backoff rate 2, on SageMaker API, throttling and capacity errors.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error
 */
export class JobRetry {
  /** The errors {@link JobRetry.serviceErrors} retries. */
  public static readonly DEFAULT_ERRORS: string[] = [SageMakerError.SAGEMAKER_EXCEPTION, SageMakerError.THROTTLING, SageMakerError.RESOURCE_LIMIT_EXCEEDED];

  /**
   * Retries the errors SageMaker returns for a failed service call, throttling and exhausted
   * capacity or limits: interval 60 s, 5 attempts, backoff 2.
   */
  public static serviceErrors(): JobRetry {
    return new JobRetry({});
  }

  /** The errors retried. */
  public readonly errors: string[];
  /** The wait before the first retry. */
  public readonly interval: Duration;
  /** How many retries at most. */
  public readonly maxAttempts: number;
  /** How much the wait grows per retry. */
  public readonly backoffRate: number;
  /** The longest wait between two retries, if limited. */
  public readonly maxDelay?: Duration;
  /** Whether the waits are randomized. */
  public readonly jitter: boolean;

  constructor(props: JobRetryProps = {}) {
    this.errors = [...(props.errors ?? JobRetry.DEFAULT_ERRORS)];
    this.interval = props.interval ?? Duration.seconds(60);
    this.maxAttempts = props.maxAttempts ?? 5;
    this.backoffRate = props.backoffRate ?? 2;
    this.maxDelay = props.maxDelay;
    this.jitter = props.jitter ?? false;
  }

  /**
   * What is wrong with the policy (empty when it is valid). Unresolved tokens are not checked.
   * The state that uses the policy reports these with its path.
   */
  public problems(): string[] {
    const problems: string[] = [];
    if (this.errors.length === 0) problems.push('retry errors is empty; name the errors to retry on (e.g. SageMakerError.THROTTLING).');
    const attempts = this.maxAttempts;
    if (!Token.isUnresolved(attempts) && (attempts < 0 || !Number.isInteger(attempts) || attempts > 99999999)) {
      problems.push(`retry maxAttempts is ${attempts}, but must be a whole number from 0 to 99999999; use 0 to switch retrying off.`);
    }
    const rate = this.backoffRate;
    if (!Token.isUnresolved(rate) && !(rate >= 1)) {
      problems.push(`retry backoffRate is ${rate}, but must be at least 1 (1 keeps the interval constant, 2 doubles it per retry).`);
    }
    const interval = this.interval.toMilliseconds();
    if (!Token.isUnresolved(interval) && (interval < 1000 || interval % 1000 !== 0)) {
      problems.push(`retry interval is ${this.interval.toHumanString()}, but must be a whole number of seconds, at least 1.`);
    }
    return problems;
  }

  /** The policy as Step Functions' retry properties. */
  public toRetryProps(): sfn.RetryProps {
    return {
      errors: this.errors,
      interval: this.interval,
      maxAttempts: this.maxAttempts,
      backoffRate: this.backoffRate,
      maxDelay: this.maxDelay,
      jitterStrategy: this.jitter ? sfn.JitterType.FULL : undefined,
    };
  }
}
