/**
 * `endpoint invoke [name] --body <file|-> --content-type <type>`: one real-time inference
 * request; the response body goes to stdout unchanged.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
import { promises as fs } from 'fs';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { type CommandContext } from '../context';
import { CliError, ExitCode, errorMessage, errorName, isNotFound } from '../errors';
import { StackOutputKeys } from '../stack-outputs';

/** Options of `endpoint invoke`. */
export interface EndpointInvokeOptions {
  /** A file path, or `-` for stdin. */
  readonly body: string;
  readonly contentType: string;
  readonly accept?: string;
  readonly targetVariant?: string;
}

/** SageMaker's limit for a real-time request payload. */
const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

/** Runs `endpoint invoke`. */
export async function endpointInvoke(ctx: CommandContext, nameArgument: string | undefined, options: EndpointInvokeOptions): Promise<number> {
  const endpointName = await ctx.nameOrStackOutput(nameArgument, StackOutputKeys.ENDPOINT_NAME, 'endpoint name');
  const body = await readBody(ctx, options.body);
  if (body.length > MAX_PAYLOAD_BYTES) {
    throw new CliError(`The request body is ${body.length} bytes; real-time endpoints accept at most 25 MiB. Use batch transform or async inference for larger payloads.`, ExitCode.BAD_INPUT);
  }
  let response;
  try {
    response = await ctx.clients.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: endpointName,
        Body: body,
        ContentType: options.contentType,
        Accept: options.accept,
        TargetVariant: options.targetVariant,
      }),
    );
  } catch (error) {
    if (errorName(error) === 'ModelError') {
      const e = error as { OriginalStatusCode?: number; OriginalMessage?: string; LogStreamArn?: string };
      throw new CliError(
        `The model behind endpoint "${endpointName}" returned an error (status ${e.OriginalStatusCode ?? '?'}): ` +
          `${e.OriginalMessage ?? errorMessage(error)}. Logs: /aws/sagemaker/Endpoints/${endpointName}` +
          (e.LogStreamArn ? ` (${e.LogStreamArn})` : ''),
      );
    }
    if (isNotFound(error)) throw new CliError(`Endpoint "${endpointName}" not found in ${await ctx.region()}.`, ExitCode.BAD_INPUT);
    throw error;
  }
  const payload = Buffer.from(response.Body ?? new Uint8Array());
  if (ctx.json) {
    ctx.result(
      {
        endpointName,
        contentType: response.ContentType,
        invokedProductionVariant: response.InvokedProductionVariant,
        body: payload.toString('utf-8'),
      },
      () => '',
    );
  } else {
    ctx.io.stdout.write(payload);
    if (payload.length > 0 && payload[payload.length - 1] !== 0x0a && ctx.io.stdout.isTTY) ctx.io.stdout.write('\n');
  }
  return ExitCode.SUCCESS;
}

async function readBody(ctx: CommandContext, source: string): Promise<Buffer> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.deps.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks);
  }
  try {
    return await fs.readFile(source);
  } catch (error) {
    throw new CliError(`Cannot read --body ${source}: ${errorMessage(error)}.`, ExitCode.BAD_INPUT);
  }
}
