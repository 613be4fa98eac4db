/**
 * `local data upload <path> [s3-uri] [--stack <platform stack>] [--bucket <id>] [--prefix raw/]`:
 * copies a file or directory into the local object store, into a stack's bucket (by default its
 * data bucket) as the local runner names it.
 */
import { type CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';
import { formatBytes } from '../output';
import { asBadInput, localRunner, type LocalOptions } from './local-common';

/** Options of `local data upload`. */
export interface LocalDataUploadOptions extends LocalOptions {
  /** Output name or logical id of the bucket. */
  readonly bucket?: string;
  /** The key prefix. @default '' */
  readonly prefix?: string;
}

/** The result of `local data upload`. */
export interface LocalDataUploadResult {
  readonly destination: string;
  readonly uris: string[];
  readonly bytes: number;
}

/** Runs `local data upload`; returns the exit code. */
export async function localDataUpload(ctx: CommandContext, localPath: string, s3Uri: string | undefined, options: LocalDataUploadOptions): Promise<number> {
  const stack = ctx.options.stack;
  if (!s3Uri && !stack) throw new CliError('Pass the destination: --stack <stack id> (its data bucket) or an s3://bucket/prefix argument.', ExitCode.BAD_INPUT);
  const runner = localRunner(ctx, options, s3Uri === undefined);
  const destination = s3Uri ?? `s3://${await asBadInput(() => runner.bucketOf(stack as string, options.bucket))}/${normalizePrefix(options.prefix)}`;
  const uploaded = await asBadInput(() => runner.uploadData(localPath, destination));
  const result: LocalDataUploadResult = { destination, uris: uploaded.uris, bytes: uploaded.bytes };
  ctx.result(result, () => `Copied ${uploaded.uris.length} file(s), ${formatBytes(uploaded.bytes)}, to ${destination} in the local store ${runner.store.root}\n`);
  return ExitCode.SUCCESS;
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}
