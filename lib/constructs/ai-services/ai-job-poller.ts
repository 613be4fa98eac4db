// The start / wait / describe / choice loop shared by the asynchronous AI service jobs
// (Transcribe, Polly, Comprehend batch jobs). Not exported from the barrel: internal plumbing.
import { Duration, Stack, Token, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { JobRetry } from '../workflows';

/**
 * The base name of a job fragment's states: letters and digits, starting with a letter. The
 * states are `<name>Start`, `<name>Wait`, `<name>Describe`, `<name>Status`, `<name>Succeeded`,
 * `<name>Failed` (and `<name>Stopped`); Step Functions state names have at most 80 characters,
 * so the base name has at most 71.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-machine-structure.html
 */
const BASE_NAME = /^[A-Za-z][A-Za-z0-9]{0,70}$/;

/** The longest wait a Wait state takes (its `Seconds` field). */
const MAX_WAIT_SECONDS = 99999999;

/**
 * Regions AWS knows in which a service has no endpoint, per AWS's endpoint data (botocore 1.43.11,
 * botocore/data/endpoints.json: every partition's regions without an endpoint of the service).
 * Regions not listed (including regions newer than that data) pass. Amazon Comprehend's table is
 * `ComprehendTextState.isAvailableIn`.
 * @see https://docs.aws.amazon.com/general/latest/gr/transcribe.html
 * @see https://docs.aws.amazon.com/general/latest/gr/pol.html
 */
export const REGIONS_WITHOUT_ENDPOINT: Readonly<Record<'transcribe' | 'polly', readonly string[]>> = {
  transcribe: [
    'ap-east-2', 'ap-northeast-3', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-west-1',
    'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'mx-central-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1',
    'eusc-de-east-1',
  ],
  // In China, Polly runs in cn-northwest-1 (Ningxia) only: https://docs.amazonaws.cn/en_us/aws/latest/userguide/polly.html
  polly: [
    'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-6', 'ap-southeast-7', 'ca-west-1', 'eu-south-1', 'il-central-1',
    'me-central-1', 'mx-central-1', 'cn-north-1', 'us-gov-east-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1',
    'us-isof-east-1', 'us-isof-south-1',
  ],
};

/** A problem when the stack's (concrete) region has no endpoint of the service, else undefined. */
export function regionProblem(scope: IConstruct, serviceName: string, available: (region: string) => boolean): string | undefined {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region) || available(region)) return undefined;
  return `${serviceName} has no endpoint in ${region} (AWS's endpoint data), so the state machine cannot call it there; run the workflow in a region that offers it (e.g. us-east-1, eu-west-1).`;
}

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

/** The states of one polling loop. */
export interface AiJobPollerStates {
  readonly start: sfn.CustomState;
  readonly wait: sfn.Wait;
  readonly describe: sfn.CustomState;
  readonly status: sfn.Choice;
  readonly succeeded: sfn.Pass;
  readonly failed: sfn.Fail;
  readonly stopped?: sfn.Fail;
}

/** Whether `value` is read at run time (a JSONPath or an intrinsic function) rather than fixed. */
export function isRuntimeValue(value: string | undefined): boolean {
  return value !== undefined && !Token.isUnresolved(value) && (value.startsWith('$') || value.startsWith('States.'));
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
  const seconds = pollInterval.toMilliseconds();
  if (!Token.isUnresolved(seconds) && (seconds < 1000 || seconds % 1000 !== 0 || seconds / 1000 > MAX_WAIT_SECONDS)) {
    problems.push(`pollInterval is ${pollInterval.toHumanString()}, but a Wait state waits a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}; e.g. Duration.seconds(30).`);
  }
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
 * Builds the loop in `scope`: Start → Wait (`pollInterval`) → Describe → Status (Choice):
 * `completed` → `<name>Succeeded` (a Pass end state; the description is at `$.<name>`),
 * `failed` → `<name>Failed` (a Fail state whose cause is the service's failure reason),
 * `stopped` → `<name>Stopped`, anything else → Wait again. Start and Describe are AWS SDK
 * integration tasks (`arn:<partition>:states:::aws-sdk:<service>:<api>`) with the retries given.
 *
 * The loop has no poll limit of its own: a job that never ends is bounded by the service's own
 * job limits and by the state machine's `timeout` (`MlWorkflowProps.timeout`); Step Functions
 * cannot put a `TimeoutSeconds` on a loop of states. Each poll adds about ten events to the
 * execution history, which holds at most 25,000 (about 2,400 polls): the poll interval must
 * grow with the job's expected duration.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
export function buildAiJobPoller(scope: Construct, config: AiJobPollerConfig): AiJobPollerStates {
  const partition = Stack.of(scope).partition;
  const resultPath = `$.${config.name}`;
  const integration = (api: string) => `arn:${partition}:states:::aws-sdk:${config.service}:${api}`;
  const start = new sfn.CustomState(scope, `${config.name}Start`, {
    stateJson: {
      Type: 'Task',
      Comment: `Starts ${config.comment}`,
      Resource: integration(config.startApi),
      Parameters: config.startParameters,
      ...(config.startResultSelector ? { ResultSelector: config.startResultSelector } : {}),
      ResultPath: resultPath,
    },
  });
  const wait = new sfn.Wait(scope, `${config.name}Wait`, {
    time: sfn.WaitTime.duration(config.pollInterval),
    comment: `Waits between two status checks of ${config.comment}`,
  });
  const describe = new sfn.CustomState(scope, `${config.name}Describe`, {
    stateJson: {
      Type: 'Task',
      Comment: `Describes ${config.comment}`,
      Resource: integration(config.describeApi),
      Parameters: { [`${config.idField}.$`]: `${resultPath}.${config.idPath}` },
      ResultPath: resultPath,
    },
  });
  for (const retry of config.retries) {
    if (retry.maxAttempts === 0) continue;
    start.addRetry(retry.toRetryProps());
    describe.addRetry(retry.toRetryProps());
  }
  const succeeded = new sfn.Pass(scope, `${config.name}Succeeded`, { comment: `${config.comment} finished; its description is at ${resultPath}` });
  const failed = new sfn.Fail(scope, `${config.name}Failed`, {
    comment: `${config.comment} failed`,
    error: config.errorName,
    causePath: `${resultPath}.${config.failureReasonPath}`,
  });
  const stopped = config.stopped
    ? new sfn.Fail(scope, `${config.name}Stopped`, { comment: `${config.comment} was stopped`, error: config.errorName, cause: `The job was stopped (status ${config.stopped}).` })
    : undefined;
  const statusPath = `${resultPath}.${config.statusPath}`;
  const status = new sfn.Choice(scope, `${config.name}Status`, { comment: `Checks the status of ${config.comment}` })
    .when(sfn.Condition.stringEquals(statusPath, config.completed), succeeded)
    .when(sfn.Condition.stringEquals(statusPath, config.failed), failed);
  if (stopped && config.stopped) status.when(sfn.Condition.stringEquals(statusPath, config.stopped), stopped);
  status.otherwise(wait);
  start.next(wait);
  wait.next(describe);
  describe.next(status);
  return { start, wait, describe, status, succeeded, failed, stopped };
}

