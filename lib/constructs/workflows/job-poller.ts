// The start / wait / describe / choice loop of a Step Functions fragment that runs a job the
// service offers no `.sync` integration for (Neo compilation jobs, Transcribe, Polly and
// Comprehend batch jobs). Internal plumbing: not exported from the barrel.
import { Duration, Token, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { JobRetry } from './job-retry';

/** The longest wait a Wait state takes (its `Seconds` field). */
const MAX_WAIT_SECONDS = 99999999;

/** The states of a loop, for their comments. */
export type JobPollerStateKind = 'start' | 'wait' | 'describe' | 'status' | 'succeeded' | 'failed' | 'stopped';

/** How one job is started, described and judged. */
export interface JobPollerConfig {
  /**
   * The base name of the states (`<name>Wait`, `<name>Describe`, `<name>Status`, `<name>Failed`,
   * `<name>Stopped`); the job's description is kept at `$.<name>`.
   */
  readonly name: string;
  /** The start state's name. @default `<name>Start` */
  readonly startStateName?: string;
  /** The name of the Pass state that ends the loop when the job completed. @default `<name>Succeeded` */
  readonly succeededStateName?: string;
  /** The partition of the integration ARNs (a literal, or `Aws.PARTITION`). */
  readonly partition: string;
  /** The AWS SDK integration's service name, e.g. `transcribe`. */
  readonly service: string;
  /** The API that starts the job, e.g. `startTranscriptionJob`. */
  readonly startApi: string;
  /** The start request (keys ending in `.$` are JSONPaths or intrinsic functions). */
  readonly startParameters: Record<string, unknown>;
  /** Reshapes the start response (e.g. to the describe response's shape). @default - none */
  readonly startResultSelector?: Record<string, unknown>;
  /** The API that describes the job, e.g. `getTranscriptionJob`. */
  readonly describeApi: string;
  /** The describe request (it reads the job's name or id from the start result or the execution). */
  readonly describeParameters: Record<string, unknown>;
  /** Where the job's status is in the describe result (below `$.<name>`). */
  readonly statusPath: string;
  /** The status of a job that finished well. */
  readonly completed: string;
  /** The status of a job that failed. */
  readonly failed: string;
  /** The error name of the Fail state of a failed job. */
  readonly failedError: string;
  /** Where the service's reason for a failure is in the describe result (below `$.<name>`). */
  readonly failureReasonPath: string;
  /** The status of a job someone stopped, if the service has one. @default - none */
  readonly stopped?: string;
  /** The error name of the Fail state of a stopped job. @default - failedError */
  readonly stoppedError?: string;
  /** The cause of the Fail state of a stopped job. */
  readonly stoppedCause?: string;
  /** The wait between two describe calls. */
  readonly pollInterval: Duration;
  /** How the start and describe calls are retried. */
  readonly retries: JobRetry[];
  /** The states' comments. @default - none */
  readonly comments?: Partial<Record<JobPollerStateKind, string>>;
}

/** The states of one polling loop. */
export interface JobPollerStates {
  readonly start: sfn.CustomState;
  readonly wait: sfn.Wait;
  readonly describe: sfn.CustomState;
  readonly status: sfn.Choice;
  readonly succeeded: sfn.Pass;
  readonly failed: sfn.Fail;
  readonly stopped?: sfn.Fail;
}

/** The problem of a poll interval a Wait state cannot take, else undefined. Unresolved tokens pass. */
export function pollIntervalProblem(pollInterval: Duration): string | undefined {
  const millis = pollInterval.toMilliseconds();
  if (Token.isUnresolved(millis) || (millis >= 1000 && millis % 1000 === 0 && millis / 1000 <= MAX_WAIT_SECONDS)) return undefined;
  return `pollInterval is ${pollInterval.toHumanString()}, but a Wait state waits a whole number of seconds, at least 1 and at most ${MAX_WAIT_SECONDS}; e.g. Duration.seconds(30).`;
}

/**
 * Builds the loop in `scope`: Start → Wait (`pollInterval`) → Describe → Status (Choice):
 * `completed` → the succeeded Pass state (an end state; the description is at `$.<name>`),
 * `failed` → `<name>Failed` (a Fail state whose cause is the service's failure reason),
 * `stopped` → `<name>Stopped`, anything else → Wait again. Start and Describe are AWS SDK
 * integration tasks (`arn:<partition>:states:::aws-sdk:<service>:<api>`) with the retries given.
 * Each state's construct id is its state name.
 *
 * The loop has no poll limit of its own: a job that never ends is bounded by the service's own
 * job limits and by the state machine's `timeout` (`MlWorkflowProps.timeout`); Step Functions
 * cannot put a `TimeoutSeconds` on a loop of states. Each poll adds about ten events to the
 * execution history, which holds at most 25,000 (about 2,400 polls): the poll interval must
 * grow with the job's expected duration.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
export function buildJobPoller(scope: Construct, config: JobPollerConfig): JobPollerStates {
  const partition = config.partition;
  const resultPath = `$.${config.name}`;
  const comments = config.comments ?? {};
  const task = (id: string, api: string, comment: string | undefined, fields: Record<string, unknown>) =>
    new sfn.CustomState(scope, id, {
      stateJson: { Type: 'Task', Comment: comment, Resource: `arn:${partition}:states:::aws-sdk:${config.service}:${api}`, ...fields, ResultPath: resultPath },
    });
  const start = task(config.startStateName ?? `${config.name}Start`, config.startApi, comments.start, {
    Parameters: config.startParameters,
    ResultSelector: config.startResultSelector,
  });
  const wait = new sfn.Wait(scope, `${config.name}Wait`, { time: sfn.WaitTime.duration(config.pollInterval), comment: comments.wait });
  const describe = task(`${config.name}Describe`, config.describeApi, comments.describe, { Parameters: config.describeParameters });
  for (const retry of config.retries) {
    if (retry.maxAttempts === 0) continue;
    start.addRetry(retry.toRetryProps());
    describe.addRetry(retry.toRetryProps());
  }
  const succeeded = new sfn.Pass(scope, config.succeededStateName ?? `${config.name}Succeeded`, { comment: comments.succeeded });
  const failed = new sfn.Fail(scope, `${config.name}Failed`, { comment: comments.failed, error: config.failedError, causePath: `${resultPath}.${config.failureReasonPath}` });
  const stopped = config.stopped
    ? new sfn.Fail(scope, `${config.name}Stopped`, { comment: comments.stopped, error: config.stoppedError ?? config.failedError, cause: config.stoppedCause })
    : undefined;
  const statusPath = `${resultPath}.${config.statusPath}`;
  const status = new sfn.Choice(scope, `${config.name}Status`, { comment: comments.status })
    .when(sfn.Condition.stringEquals(statusPath, config.completed), succeeded)
    .when(sfn.Condition.stringEquals(statusPath, config.failed), failed);
  if (stopped && config.stopped) status.when(sfn.Condition.stringEquals(statusPath, config.stopped), stopped);
  status.otherwise(wait);
  start.next(wait);
  wait.next(describe);
  describe.next(status);
  return { start, wait, describe, status, succeeded, failed, stopped };
}
