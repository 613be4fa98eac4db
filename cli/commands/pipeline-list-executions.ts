/**
 * `pipeline list-executions [name]`: the most recent executions of a pipeline, newest first.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineExecutions.html
 */
import { paginateListPipelineExecutions, type PipelineExecutionSummary } from '@aws-sdk/client-sagemaker';
import { type CommandContext } from '../context';
import { CliError, ExitCode, isNotFound } from '../errors';
import { formatTime, renderTable } from '../output';
import { StackOutputKeys } from '../stack-outputs';

/** Options of `pipeline list-executions`. */
export interface ListExecutionsOptions {
  /** How many executions to show. */
  readonly maxResults?: number;
}

/** Runs `pipeline list-executions`. */
export async function pipelineListExecutions(
  ctx: CommandContext,
  nameArgument: string | undefined,
  options: ListExecutionsOptions,
): Promise<number> {
  const pipelineName = await ctx.nameOrStackOutput(nameArgument, StackOutputKeys.PIPELINE_NAME, 'pipeline name');
  const limit = options.maxResults ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new CliError(`--max-results ${options.maxResults} is invalid: pass a whole number from 1 to 1000.`, ExitCode.BAD_INPUT);
  }
  const executions: PipelineExecutionSummary[] = [];
  try {
    for await (const page of paginateListPipelineExecutions(
      { client: ctx.clients.sagemaker, pageSize: Math.min(limit, 100) },
      { PipelineName: pipelineName, SortBy: 'CreationTime', SortOrder: 'Descending' },
    )) {
      executions.push(...(page.PipelineExecutionSummaries ?? []));
      if (executions.length >= limit) break;
    }
  } catch (error) {
    if (isNotFound(error)) throw new CliError(`Pipeline "${pipelineName}" not found in ${await ctx.region()}.`, ExitCode.BAD_INPUT);
    throw error;
  }
  const shown = executions.slice(0, limit);
  ctx.result(
    shown.map((e) => ({
      pipelineExecutionArn: e.PipelineExecutionArn,
      displayName: e.PipelineExecutionDisplayName,
      status: e.PipelineExecutionStatus,
      startTime: e.StartTime,
      failureReason: e.PipelineExecutionFailureReason,
    })),
    () =>
      shown.length === 0
        ? `Pipeline ${pipelineName} has no executions yet.\n`
        : renderTable(shown, [
            { heading: 'STARTED', cell: (e) => formatTime(e.StartTime) },
            { heading: 'STATUS', cell: (e) => e.PipelineExecutionStatus },
            { heading: 'DISPLAY NAME', cell: (e) => e.PipelineExecutionDisplayName },
            { heading: 'EXECUTION ARN', cell: (e) => e.PipelineExecutionArn },
            { heading: 'FAILURE', cell: (e) => e.PipelineExecutionFailureReason },
          ]),
  );
  return ExitCode.SUCCESS;
}
