/**
 * `local model invoke --model <id|name> (--body <text> | --body-file <f>) --content-type <t>`:
 * sends one request to a model served locally under its container's serving contract. The
 * response body goes to stdout.
 */
import * as fs from 'fs';
import { type CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';
import { LocalModelNotFoundError, type LocalInvokeResult } from '../../lib/local/local-runner';
import { localRunner, type LocalOptions } from './local-common';

/** Options of `local model invoke`. */
export interface LocalModelInvokeOptions extends LocalOptions {
  readonly model: string;
  readonly body?: string;
  readonly bodyFile?: string;
  readonly contentType: string;
  readonly accept?: string;
}

/** The JSON result of `local model invoke --json`. */
export interface LocalModelInvokeResult {
  readonly modelName: string;
  readonly contentType: string;
  /** The response body as UTF-8 text. */
  readonly body: string;
}

/** Runs `local model invoke`; returns the exit code. */
export async function localModelInvoke(ctx: CommandContext, options: LocalModelInvokeOptions): Promise<number> {
  if ((options.body === undefined) === (options.bodyFile === undefined)) {
    throw new CliError('Pass the request body with exactly one of --body <text> or --body-file <file>.', ExitCode.BAD_INPUT);
  }
  let body: Buffer;
  if (options.bodyFile !== undefined) {
    if (!fs.existsSync(options.bodyFile)) throw new CliError(`--body-file ${options.bodyFile} does not exist.`, ExitCode.BAD_INPUT);
    body = fs.readFileSync(options.bodyFile);
  } else {
    body = Buffer.from(options.body ?? '');
  }
  const runner = localRunner(ctx, options);
  const stack = ctx.options.stack;
  // Finding the model is bad input; a failing container is a failure.
  let result: LocalInvokeResult;
  try {
    result = await runner.invokeModel({ stack, model: options.model, body, contentType: options.contentType, accept: options.accept });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof LocalModelNotFoundError) throw new CliError(message, ExitCode.BAD_INPUT);
    throw new CliError(`The local model failed: ${message}`, ExitCode.FAILURE);
  }
  if (ctx.json) {
    ctx.result({ modelName: result.modelName, contentType: result.contentType, body: result.body.toString('utf-8') } satisfies LocalModelInvokeResult, () => '');
  } else {
    ctx.note(`${result.modelName} answered (${result.contentType}, ${result.body.length} bytes)`);
    ctx.io.stdout.write(result.body);
    if (!result.body.toString('utf-8').endsWith('\n')) ctx.io.stdout.write('\n');
  }
  return ExitCode.SUCCESS;
}
