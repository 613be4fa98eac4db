// What the asynchronous AI service jobs (Transcribe, Polly, Comprehend batch jobs) share on top
// of the workflows' polling loop (lib/constructs/workflows/job-poller.ts): their state names,
// comments and shared checks. Not exported from the barrel: internal plumbing.
import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { JobRetry } from '../workflows';
import { JobPollerStates, buildJobPoller, pollIntervalProblem } from '../workflows/job-poller';

/**
 * The base name of a job fragment's states: letters and digits, starting with a letter. The
 * states are `<name>Start`, `<name>Wait`, `<name>Describe`, `<name>Status`, `<name>Succeeded`,
 * `<name>Failed` (and `<name>Stopped`); Step Functions state names have at most 80 characters,
 * so the base name has at most 71.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-machine-structure.html
 */
const BASE_NAME = /^[A-Za-z][A-Za-z0-9]{0,70}$/;

/** How one asynchronous job is started, described and judged. */
export interface AiJobPollerConfig {
  /** The base name of the states; the job's description ends at `$.<name>`. */
  readonly name: string;
  /** The AWS SDK integration's service name, e.g. `transcribe`. */
  readonly service: string;
  /** The API that starts the job, e.g. `startTranscriptionJob`. */
  readonly startApi: string;
  /** The start request (keys ending in `.$` are JSONPaths or intrinsic functions). */
  readonly startParameters: Record<string, unknown>;
  /**
   * Reshapes the start response to the shape of the describe response, so that the describe
   * request reads the job's id from the same path on the first and on every later poll.
   */
  readonly startResultSelector?: Record<string, unknown>;
  /** The API that describes the job, e.g. `getTranscriptionJob`. */
  readonly describeApi: string;
  /** The describe request's field naming the job, e.g. `TranscriptionJobName`. */
  readonly idField: string;
  /** Where the job's id is in the (start or describe) result, e.g. `TranscriptionJob.TranscriptionJobName`. */
  readonly idPath: string;
  /** Where the job's status is in the describe result. */
  readonly statusPath: string;
  /** The status of a job that finished well. */
  readonly completed: string;
  /** The status of a job that failed. */
  readonly failed: string;
  /** Where the service's reason for a failure is in the describe result. */
  readonly failureReasonPath: string;
  /** The status of a job someone stopped, if the service has one. */
  readonly stopped?: string;
  /** The error name of the Fail states, e.g. `Transcribe.JobFailed`. */
  readonly errorName: string;
  /** The wait between two describe calls. */
  readonly pollInterval: Duration;
  /** How the start and describe calls are retried. */
  readonly retries: JobRetry[];
  /** What the job does, for the states' comments. */
  readonly comment: string;
}

/**
 * The problems of the settings every job fragment shares: its base name, poll interval and
 * retries. Unresolved tokens are not checked.
 */
export function pollerProblems(name: string, pollInterval: Duration, retries: JobRetry[]): string[] {
  const problems: string[] = [];
  if (!Token.isUnresolved(name) && !BASE_NAME.test(name)) {
    problems.push(
      `state name "${name}" must be 1-71 letters and digits, starting with a letter: the fragment's states are named <name>Start, <name>Wait, ..., <name>Succeeded (at most 80 characters each), and the job's description ends at $.<name>.`,
    );
  }
  const interval = pollIntervalProblem(pollInterval);
  if (interval) problems.push(interval);
  for (const retry of retries) problems.push(...retry.problems());
  return problems;
}

/**
 * The job name `<execution name>-<name>` (`States.Format('{}-<name>', $$.Execution.Name)`): a
 * rerun (a new execution) never collides with an earlier job.
 */
export function executionJobName(name: string): string {
  return `States.Format('{}-${name}', $$.Execution.Name)`;
}

/**
 * Builds the job's polling loop (see `buildJobPoller`): states `<name>Start` ... `<name>Succeeded`,
 * the describe call reading the job's id from the start (or last describe) result, one error name
 * for failed and stopped jobs, and comments naming the job.
 */
export function buildAiJobPoller(scope: Construct, config: AiJobPollerConfig): JobPollerStates {
  const c = config.comment;
  return buildJobPoller(scope, {
    name: config.name,
    partition: Stack.of(scope).partition,
    service: config.service,
    startApi: config.startApi,
    startParameters: config.startParameters,
    startResultSelector: config.startResultSelector,
    describeApi: config.describeApi,
    describeParameters: { [`${config.idField}.$`]: `$.${config.name}.${config.idPath}` },
    statusPath: config.statusPath,
    completed: config.completed,
    failed: config.failed,
    failedError: config.errorName,
    failureReasonPath: config.failureReasonPath,
    stopped: config.stopped,
    stoppedCause: `The job was stopped (status ${config.stopped}).`,
    pollInterval: config.pollInterval,
    retries: config.retries,
    comments: {
      start: `Starts ${c}`,
      wait: `Waits between two status checks of ${c}`,
      describe: `Describes ${c}`,
      status: `Checks the status of ${c}`,
      succeeded: `${c} finished; its description is at $.${config.name}`,
      failed: `${c} failed`,
      stopped: `${c} was stopped`,
    },
  });
}
