/**
 * `pipeline status <execution-arn>`: the execution and each step's status, with the failed
 * steps' reasons and log locations.
 */
import { type CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';
import { readExecution, renderExecution } from './pipeline-execution';

const EXECUTION_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[^/]+\/execution\/[^/]+$/;

/** Runs `pipeline status`. */
export async function pipelineStatus(ctx: CommandContext, executionArn: string): Promise<number> {
  if (!EXECUTION_ARN.test(executionArn)) {
    throw new CliError(
      `"${executionArn}" is not a pipeline execution ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>). ` +
        'List them with: sagemaker-cdk pipeline list-executions <pipeline-name>',
      ExitCode.BAD_INPUT,
    );
  }
  const view = await readExecution(ctx, executionArn);
  ctx.result(view, () => renderExecution(view, ctx.deps.now()));
  return ExitCode.SUCCESS;
}
