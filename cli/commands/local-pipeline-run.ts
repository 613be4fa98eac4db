/**
 * `local pipeline run --stack <id> [--pipeline <id>] [--param Name=Value]...`: runs a synthesized
 * pipeline on this machine (no AWS account, no Docker). Exit 0 when it succeeds, 1 when a step
 * fails (the step and its cause are printed), 2 on bad input.
 */
import { type LocalPipelineRun, renderRun } from '../../lib/local/run-report';
import { type CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';
import { asBadInput, localRunner, type LocalOptions, requireStack } from './local-common';
import { parseParameters } from './pipeline-start';

/** Options of `local pipeline run`. */
export interface LocalPipelineRunOptions extends LocalOptions {
  readonly pipeline?: string;
  /** `Name=Value` pairs. */
  readonly param?: string[];
  readonly maxTrials?: number;
  /** The most steps running at once, in place of the pipeline's ParallelismConfiguration. */
  readonly maxParallelSteps?: number;
}

/** Runs `local pipeline run`; returns the exit code. */
export async function localPipelineRun(ctx: CommandContext, options: LocalPipelineRunOptions): Promise<number> {
  const stack = requireStack(ctx, 'local pipeline run');
  const parameters = Object.fromEntries(parseParameters(options.param ?? []).map((p) => [p.Name, p.Value]));
  if (options.maxTrials !== undefined && options.maxTrials < 1) throw new CliError('--max-trials must be at least 1.', ExitCode.BAD_INPUT);
  if (options.maxParallelSteps !== undefined && options.maxParallelSteps < 1) {
    throw new CliError('--max-parallel-steps must be at least 1 (SageMaker runs at least one step at a time).', ExitCode.BAD_INPUT);
  }
  const runner = localRunner(ctx, options);
  const run: LocalPipelineRun = await asBadInput(() =>
    runner.runPipeline({ stack, pipeline: options.pipeline, parameters, maxTrials: options.maxTrials, maxParallelSteps: options.maxParallelSteps }),
  );
  ctx.result(run, () => renderRun(run));
  if (run.status !== 'Succeeded') {
    if (ctx.json) ctx.note(`Failed at step ${run.failedStep ?? '?'}: ${run.failureReason ?? 'no reason given'}`);
    return ExitCode.FAILURE;
  }
  return ExitCode.SUCCESS;
}
