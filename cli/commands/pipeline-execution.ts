/**
 * Reading a pipeline execution and its steps, rendering them, and saying where a failed step's
 * logs are. Shared by `pipeline start --wait` and `pipeline status`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineExecutionSteps.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html
 */
import {
  DescribePipelineExecutionCommand,
  paginateListPipelineExecutionSteps,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { type CommandContext } from '../context';
import { CliError, ExitCode, isNotFound } from '../errors';
import { formatDuration, formatTime, renderFields, renderTable } from '../output';

/** Execution statuses after which nothing changes any more. */
export const FINAL_EXECUTION_STATUSES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

/** One step of an execution, as the CLI prints it. */
export interface StepView {
  readonly name: string;
  readonly status: string;
  readonly startTime?: Date;
  readonly endTime?: Date;
  readonly attempts?: number;
  readonly cacheHit: boolean;
  /** The SageMaker job (or Lambda function) the step ran, e.g. `TrainingJob my-job`. */
  readonly resource?: string;
  readonly failureReason?: string;
  /** Where the step's logs are, for job and Lambda steps. */
  readonly logs?: LogLocation;
}

/** A CloudWatch Logs location. */
export interface LogLocation {
  readonly logGroup: string;
  readonly logStreamPrefix?: string;
  /** A command that shows the logs. */
  readonly tailCommand: string;
}

/** An execution with its steps, as the CLI prints it. */
export interface ExecutionView {
  readonly pipelineExecutionArn: string;
  readonly pipelineArn?: string;
  readonly displayName?: string;
  readonly status: string;
  readonly failureReason?: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
  readonly steps: StepView[];
}

/** Reads an execution and all its steps (oldest first); an unknown ARN exits with code 2. */
export async function readExecution(ctx: CommandContext, executionArn: string): Promise<ExecutionView> {
  const region = await ctx.region();
  const sagemaker = ctx.clients.sagemaker;
  let execution;
  try {
    execution = await sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }));
  } catch (error) {
    if (isNotFound(error)) {
      throw new CliError(`Pipeline execution "${executionArn}" not found in ${region}.`, ExitCode.BAD_INPUT);
    }
    throw error;
  }
  const steps: StepView[] = [];
  for await (const page of paginateListPipelineExecutionSteps(
    { client: sagemaker },
    { PipelineExecutionArn: executionArn, SortOrder: 'Ascending' },
  )) {
    for (const step of page.PipelineExecutionSteps ?? []) steps.push(toStepView(step, region));
  }
  return {
    pipelineExecutionArn: execution.PipelineExecutionArn ?? executionArn,
    pipelineArn: execution.PipelineArn,
    displayName: execution.PipelineExecutionDisplayName,
    status: execution.PipelineExecutionStatus ?? 'Unknown',
    failureReason: execution.FailureReason,
    creationTime: execution.CreationTime,
    lastModifiedTime: execution.LastModifiedTime,
    steps,
  };
}

/** The human rendering of an execution: a header and a step table. */
export function renderExecution(view: ExecutionView, now: Date): string {
  const header = renderFields([
    ['Execution', view.pipelineExecutionArn],
    ['Display name', view.displayName],
    ['Status', view.status],
    ['Started', formatTime(view.creationTime)],
    ['Failure', view.failureReason],
  ]);
  const table = renderTable(view.steps, [
    { heading: 'STEP', cell: (s) => s.name },
    { heading: 'STATUS', cell: (s) => s.status + (s.cacheHit ? ' (cached)' : '') },
    { heading: 'STARTED', cell: (s) => formatTime(s.startTime) },
    { heading: 'DURATION', cell: (s) => stepDuration(s, now), alignRight: true },
    { heading: 'RUNS', cell: (s) => s.resource },
  ]);
  return `${header}\n${view.steps.length > 0 ? table : 'No steps have started yet.\n'}${renderFailures(view)}`;
}

/** For each failed step: its reason and where its logs are. Empty when nothing failed. */
export function renderFailures(view: ExecutionView): string {
  const failed = view.steps.filter((s) => s.status === 'Failed');
  const lines: string[] = [];
  for (const step of failed) {
    lines.push(`Step ${step.name} failed: ${step.failureReason ?? 'no reason given'}`);
    if (step.logs) {
      lines.push(`  logs: ${step.logs.logGroup}${step.logs.logStreamPrefix ? ` (streams ${step.logs.logStreamPrefix}*)` : ''}`);
      lines.push(`  view: ${step.logs.tailCommand}`);
    }
  }
  if (failed.length === 0 && view.status === 'Failed' && view.failureReason) {
    lines.push(`Execution failed: ${view.failureReason}`);
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

function stepDuration(step: StepView, now: Date): string | undefined {
  if (!step.startTime) return undefined;
  return formatDuration((step.endTime ?? now).getTime() - step.startTime.getTime());
}

function toStepView(step: PipelineExecutionStep, region: string): StepView {
  const meta = step.Metadata;
  let resource: string | undefined;
  let logs: LogLocation | undefined;
  const job = (kind: string, arn: string | undefined, logGroup: string): void => {
    if (!arn) return;
    const name = arn.split('/').pop() ?? arn;
    resource = `${kind} ${name}`;
    logs = {
      logGroup,
      logStreamPrefix: `${name}/`,
      tailCommand: `aws logs tail ${logGroup} --log-stream-name-prefix ${name}/ --region ${region}`,
    };
  };
  if (meta?.TrainingJob) job('TrainingJob', meta.TrainingJob.Arn, '/aws/sagemaker/TrainingJobs');
  else if (meta?.ProcessingJob) job('ProcessingJob', meta.ProcessingJob.Arn, '/aws/sagemaker/ProcessingJobs');
  else if (meta?.TransformJob) job('TransformJob', meta.TransformJob.Arn, '/aws/sagemaker/TransformJobs');
  else if (meta?.TuningJob?.Arn) {
    const name = meta.TuningJob.Arn.split('/').pop() ?? meta.TuningJob.Arn;
    resource = `HyperParameterTuningJob ${name}`;
    // Tuning runs training jobs named <tuning-job>-<nnn>-<hash>; their logs are training logs.
    logs = {
      logGroup: '/aws/sagemaker/TrainingJobs',
      logStreamPrefix: `${name}-`,
      tailCommand: `aws logs tail /aws/sagemaker/TrainingJobs --log-stream-name-prefix ${name}- --region ${region}`,
    };
  } else if (meta?.Lambda?.Arn) {
    const fn = meta.Lambda.Arn.split(':')[6] ?? meta.Lambda.Arn;
    resource = `Lambda ${fn}`;
    logs = { logGroup: `/aws/lambda/${fn}`, tailCommand: `aws logs tail /aws/lambda/${fn} --region ${region}` };
  } else if (meta?.Model?.Arn) resource = `Model ${meta.Model.Arn.split('/').pop()}`;
  else if (meta?.RegisterModel?.Arn) resource = `ModelPackage ${meta.RegisterModel.Arn.split('/').slice(1).join('/')}`;
  else if (meta?.Condition) resource = `Condition → ${meta.Condition.Outcome ?? '?'}`;
  const failureReason = step.FailureReason ?? meta?.Fail?.ErrorMessage;
  return {
    name: step.StepDisplayName ?? step.StepName ?? '?',
    status: step.StepStatus ?? 'Unknown',
    startTime: step.StartTime,
    endTime: step.EndTime,
    attempts: step.AttemptCount,
    cacheHit: step.CacheHitResult?.SourcePipelineExecutionArn !== undefined,
    resource,
    failureReason,
    logs,
  };
}
