/**
 * `pipeline start [name] [--param key=value ...] [--wait]`: starts an execution after checking
 * the parameters against the pipeline's definition, and with `--wait` follows every step until
 * the execution ends.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StartPipelineExecution.html
 */
import { DescribePipelineCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { type CommandContext } from '../context';
import { CliError, ExitCode, InterruptedError, isNotFound } from '../errors';
import { formatTime } from '../output';
import { StackOutputKeys } from '../stack-outputs';
import { type ExecutionView, FINAL_EXECUTION_STATUSES, readExecution, renderExecution, renderFailures } from './pipeline-execution';

/** Options of `pipeline start`. */
export interface PipelineStartOptions {
  /** `key=value` pairs. */
  readonly param?: string[];
  readonly wait?: boolean;
  /** Seconds between polls with `--wait`. */
  readonly pollInterval?: number;
  readonly displayName?: string;
}

/** A parameter a pipeline declares. */
export interface DeclaredParameter {
  readonly name: string;
  readonly parameterType?: string;
  readonly defaultValue?: string;
}

/** The result of `pipeline start` (the last view when waiting). */
export interface PipelineStartResult {
  readonly pipelineName: string;
  readonly pipelineExecutionArn: string;
  readonly execution?: ExecutionView;
}

/** Parses `key=value` arguments; the value may contain `=`. */
export function parseParameters(pairs: readonly string[]): Array<{ Name: string; Value: string }> {
  const seen = new Set<string>();
  return pairs.map((pair) => {
    const index = pair.indexOf('=');
    if (index <= 0) {
      throw new CliError(`--param "${pair}" is not key=value. Write --param Name=value (one per parameter).`, ExitCode.BAD_INPUT);
    }
    const name = pair.slice(0, index);
    if (seen.has(name)) throw new CliError(`--param ${name} is given twice; give each parameter once.`, ExitCode.BAD_INPUT);
    seen.add(name);
    return { Name: name, Value: pair.slice(index + 1) };
  });
}

/** The parameters declared in a pipeline definition (JSON), in order. */
export function declaredParameters(definition: string | undefined): DeclaredParameter[] {
  if (!definition) return [];
  let parsed: { Parameters?: Array<{ Name?: string; Type?: string; DefaultValue?: unknown }> };
  try {
    parsed = JSON.parse(definition);
  } catch {
    return [];
  }
  return (parsed.Parameters ?? [])
    .filter((p) => typeof p.Name === 'string')
    .map((p) => ({
      name: p.Name as string,
      parameterType: p.Type,
      defaultValue: p.DefaultValue === undefined ? undefined : String(p.DefaultValue),
    }));
}

/** Runs `pipeline start`; returns the exit code (0 only when the execution succeeded, with `--wait`). */
export async function pipelineStart(
  ctx: CommandContext,
  nameArgument: string | undefined,
  options: PipelineStartOptions,
): Promise<number> {
  const pipelineName = await ctx.nameOrStackOutput(nameArgument, StackOutputKeys.PIPELINE_NAME, 'pipeline name');
  const region = await ctx.region();
  const parameters = parseParameters(options.param ?? []);
  const pollMs = pollInterval(options.pollInterval);

  let definition: string | undefined;
  try {
    const described = await ctx.clients.sagemaker.send(new DescribePipelineCommand({ PipelineName: pipelineName }));
    definition = described.PipelineDefinition;
  } catch (error) {
    if (isNotFound(error)) throw new CliError(`Pipeline "${pipelineName}" not found in ${region}.`, ExitCode.BAD_INPUT);
    throw error;
  }
  const declared = declaredParameters(definition);
  const unknown = parameters.filter((p) => !declared.some((d) => d.name === p.Name));
  if (unknown.length > 0) {
    const list = declared.length > 0
      ? declared.map((d) => `${d.name} (${d.parameterType ?? '?'}${d.defaultValue !== undefined ? `, default ${d.defaultValue}` : ''})`).join(', ')
      : 'none';
    throw new CliError(
      `Pipeline "${pipelineName}" does not declare parameter(s) ${unknown.map((p) => p.Name).join(', ')}. Declared parameters: ${list}.`,
      ExitCode.BAD_INPUT,
    );
  }

  const started = await ctx.clients.sagemaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: pipelineName,
      PipelineParameters: parameters.length > 0 ? parameters : undefined,
      PipelineExecutionDisplayName: options.displayName,
    }),
  );
  const arn = started.PipelineExecutionArn;
  if (!arn) throw new CliError(`SageMaker started pipeline "${pipelineName}" but returned no execution ARN.`);

  if (!options.wait) {
    ctx.result({ pipelineName, pipelineExecutionArn: arn } satisfies PipelineStartResult, () => `Started ${arn}\n`);
    return ExitCode.SUCCESS;
  }

  ctx.note(`Started ${arn}; following its steps every ${pollMs / 1000}s (Ctrl-C stops following, not the execution).`);
  const execution = await follow(ctx, arn, pollMs);
  ctx.result({ pipelineName, pipelineExecutionArn: arn, execution } satisfies PipelineStartResult, () =>
    renderExecution(execution, ctx.deps.now()),
  );
  if (ctx.json && execution.status !== 'Succeeded') ctx.io.stderr.write(renderFailures(execution));
  return execution.status === 'Succeeded' ? ExitCode.SUCCESS : ExitCode.FAILURE;
}

/**
 * Polls the execution until it ends, printing a line whenever the execution or a step changes
 * status.
 */
export async function follow(ctx: CommandContext, arn: string, pollMs: number): Promise<ExecutionView> {
  const seen = new Map<string, string>();
  let lastStatus = '';
  for (;;) {
    const view = await readExecution(ctx, arn);
    for (const step of view.steps) {
      const label = step.status + (step.attempts && step.attempts > 1 ? ` (attempt ${step.attempts})` : '');
      if (seen.get(step.name) !== label) {
        seen.set(step.name, label);
        ctx.note(`${formatTime(ctx.deps.now())}  ${step.name.padEnd(24)} ${label}${step.resource ? `  ${step.resource}` : ''}`);
      }
    }
    if (view.status !== lastStatus) {
      lastStatus = view.status;
      ctx.note(`${formatTime(ctx.deps.now())}  execution ${view.status}`);
    }
    if (FINAL_EXECUTION_STATUSES.has(view.status)) return view;
    await ctx.sleep(pollMs);
    if (ctx.interrupted) {
      throw new InterruptedError(
        `Stopped following ${arn}; the execution goes on. Check it with: sagemaker-cdk pipeline status ${arn}`,
      );
    }
  }
}

function pollInterval(seconds: number | undefined): number {
  if (seconds === undefined) return 15_000;
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) {
    throw new CliError(`--poll-interval ${seconds} is invalid: pass 1 to 3600 seconds.`, ExitCode.BAD_INPUT);
  }
  return seconds * 1000;
}
