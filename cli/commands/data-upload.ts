/**
 * `data upload <path> [s3-uri]`: files or directories to S3 with multipart uploads, a progress
 * bar, SSE-KMS, and skipping of unchanged files, so an interrupted run can simply be repeated.
 *
 * Why a re-run is safe: S3 makes an object visible only when PutObject or
 * CompleteMultipartUpload succeeds, so an interrupted file leaves either the previous version or
 * nothing at its key; Ctrl-C aborts the multipart upload in flight so no parts linger; and files
 * already uploaded are recognised by size and ETag (or the ETag recorded in the object's
 * metadata, since SSE-KMS objects do not carry an MD5 ETag) and skipped.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash } from 'crypto';
import { createReadStream, promises as fs } from 'fs';
import * as path from 'path';
import {
  AbortMultipartUploadCommand,
  GetBucketEncryptionCommand,
  HeadObjectCommand,
  S3Client,
  ServerSideEncryption,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type CommandContext } from '../context';
import { CliError, ExitCode, InterruptedError, errorMessage, errorName, isNotFound } from '../errors';
import { formatBytes, formatDuration, progressBar } from '../output';
import { StackOutputKeys } from '../stack-outputs';

const MIB = 1024 * 1024;
/** S3's smallest part (except the last) and largest part count. */
const MIN_PART_SIZE = 5 * MIB;
const MAX_PARTS = 10_000;
const DEFAULT_PART_SIZE = 8 * MIB;
/** Object metadata key (x-amz-meta-…) holding the S3-style ETag of the local file. */
export const SOURCE_ETAG_METADATA = 'sagemaker-cdk-etag';

/** Options of `data upload`. */
export interface DataUploadOptions {
  /** SSE-KMS key id or ARN; else the stack output, else the bucket's default key. */
  readonly kmsKeyId?: string;
  /** Multipart part size in MiB (at least 5). */
  readonly partSizeMib?: number;
  /** Parts uploaded in parallel per file. */
  readonly concurrency?: number;
}

/** What happened to one file. */
export interface FileResult {
  readonly key: string;
  readonly size: number;
  readonly action: 'uploaded' | 'skipped';
  /** Number of parts, 1 for a single PutObject. */
  readonly parts: number;
}

/** The result of `data upload`, printed as JSON with `--json`. */
export interface DataUploadResult {
  readonly bucket: string;
  readonly prefix: string;
  readonly encryption: string;
  readonly kmsKeyId?: string;
  readonly files: FileResult[];
  readonly uploadedBytes: number;
  readonly seconds: number;
}

interface LocalFile {
  readonly absolutePath: string;
  readonly key: string;
  readonly size: number;
}

interface RemoteObject {
  readonly size: number;
  readonly etag: string;
}

interface Encryption {
  readonly algorithm?: ServerSideEncryption;
  readonly kmsKeyId?: string;
  readonly description: string;
}

/** Parses `s3://bucket/prefix`. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) {
    throw new CliError(`"${uri}" is not an S3 URI; expected s3://<bucket>/<prefix>.`, ExitCode.BAD_INPUT);
  }
  return { bucket: match[1], prefix: match[2] };
}

/**
 * The part size for a file: the requested size (default 8 MiB), grown so the file fits in S3's
 * 10,000 parts. Deterministic, so a re-run computes the same multipart ETag.
 */
export function partSizeFor(size: number, requested: number = DEFAULT_PART_SIZE): number {
  const needed = Math.ceil(size / MAX_PARTS / MIB) * MIB;
  return Math.max(requested, MIN_PART_SIZE, needed);
}

/**
 * The ETag S3 gives an unencrypted (or SSE-S3) object uploaded with this part size: the MD5 for
 * a single PutObject, else the MD5 of the parts' MD5s with `-<parts>`. Also returns the plain
 * MD5, which some S3-compatible stores use for every object.
 */
export async function localEtags(file: string, partSize: number): Promise<{ s3Etag: string; md5: string; parts: number }> {
  const whole = createHash('md5');
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: MIB })) {
    let buffer = chunk as Buffer;
    whole.update(buffer);
    while (buffer.length > 0) {
      const take = Math.min(partSize - inPart, buffer.length);
      part.update(buffer.subarray(0, take));
      inPart += take;
      buffer = buffer.subarray(take);
      if (inPart === partSize) {
        partDigests.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0 || partDigests.length === 0) partDigests.push(part.digest());
  const md5 = whole.digest('hex');
  if (partDigests.length === 1) return { s3Etag: md5, md5, parts: 1 };
  const combined = createHash('md5').update(Buffer.concat(partDigests)).digest('hex');
  return { s3Etag: `${combined}-${partDigests.length}`, md5, parts: partDigests.length };
}

/** Runs `data upload`. */
export async function dataUpload(
  ctx: CommandContext,
  localPath: string,
  s3Uri: string | undefined,
  options: DataUploadOptions,
): Promise<DataUploadResult> {
  const destination = await resolveDestination(ctx, s3Uri);
  const files = await collectFiles(localPath, destination.prefix);
  const requestedPartSize = validatePartSize(options.partSizeMib);
  const concurrency = validateConcurrency(options.concurrency);
  const s3 = ctx.clients.s3;
  const encryption = await resolveEncryption(ctx, s3, destination.bucket, options.kmsKeyId);
  const remote = await listRemote(s3, destination.bucket, commonPrefix(files, destination.prefix));

  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const progress = new UploadProgress(ctx, totalBytes, files.length);
  const tracker = MultipartTracker.of(s3);
  const results: FileResult[] = [];
  const started = ctx.deps.now().getTime();
  let uploadedBytes = 0;

  for (const file of files) {
    if (ctx.interrupted) throw interrupted(destination.bucket, results, files.length, undefined);
    const partSize = partSizeFor(file.size, requestedPartSize);
    const etags = await localEtags(file.absolutePath, partSize);
    if (await isUnchanged(s3, destination.bucket, file, remote.get(file.key), etags)) {
      results.push({ key: file.key, size: file.size, action: 'skipped', parts: etags.parts });
      progress.fileDone(file, 'skipped');
      continue;
    }
    const upload = new Upload({
      client: s3,
      partSize,
      queueSize: concurrency,
      leavePartsOnError: false,
      params: {
        Bucket: destination.bucket,
        Key: file.key,
        Body: createReadStream(file.absolutePath),
        ContentLength: file.size,
        ServerSideEncryption: encryption.algorithm,
        SSEKMSKeyId: encryption.kmsKeyId,
        Metadata: { [SOURCE_ETAG_METADATA]: etags.s3Etag },
      },
    });
    upload.on('httpUploadProgress', (event) => progress.fileProgress(event.loaded ?? 0));
    const onInterrupt = (): void => void upload.abort();
    ctx.deps.interrupt.addEventListener('abort', onInterrupt, { once: true });
    try {
      await upload.done();
    } catch (error) {
      if (ctx.interrupted || errorName(error) === 'AbortError') {
        const aborted = await tracker.abortOpenUploads(s3, (line) => ctx.note(line));
        progress.finish();
        throw interrupted(destination.bucket, results, files.length, { key: file.key, aborted });
      }
      await tracker.abortOpenUploads(s3, (line) => ctx.note(line));
      progress.finish();
      throw new CliError(`Upload of ${file.absolutePath} to s3://${destination.bucket}/${file.key} failed: ${errorName(error)}: ${errorMessage(error)}`);
    } finally {
      ctx.deps.interrupt.removeEventListener('abort', onInterrupt);
    }
    uploadedBytes += file.size;
    results.push({ key: file.key, size: file.size, action: 'uploaded', parts: etags.parts });
    progress.fileDone(file, 'uploaded');
  }
  progress.finish();
  const seconds = (ctx.deps.now().getTime() - started) / 1000;
  return {
    bucket: destination.bucket,
    prefix: destination.prefix,
    encryption: encryption.description,
    kmsKeyId: encryption.kmsKeyId,
    files: results,
    uploadedBytes,
    seconds,
  };
}

/** The human summary of a {@link DataUploadResult}. */
export function renderUploadSummary(result: DataUploadResult): string {
  const uploaded = result.files.filter((f) => f.action === 'uploaded');
  const skipped = result.files.length - uploaded.length;
  const rate = result.seconds > 0 ? ` at ${formatBytes(result.uploadedBytes / result.seconds)}/s` : '';
  return (
    `Uploaded ${uploaded.length} file(s) (${formatBytes(result.uploadedBytes)}) to s3://${result.bucket}/${result.prefix} ` +
    `in ${formatDuration(result.seconds * 1000)}${rate}; skipped ${skipped} unchanged file(s).\n` +
    `Encryption: ${result.encryption}.\n`
  );
}

async function resolveDestination(ctx: CommandContext, s3Uri: string | undefined): Promise<{ bucket: string; prefix: string }> {
  if (s3Uri?.startsWith('s3://')) return parseS3Uri(s3Uri);
  // Without an s3:// URI the bucket comes from the stack and the argument (if any) is a key prefix.
  const outputs = await ctx.outputs();
  if (!outputs) {
    throw new CliError(
      `Missing the destination: pass s3://<bucket>/<prefix>, or --stack <name> to upload to the stack's "${StackOutputKeys.DATA_BUCKET_NAME}" bucket.`,
      ExitCode.BAD_INPUT,
    );
  }
  const bucket = outputs.require(StackOutputKeys.DATA_BUCKET_NAME, 'data bucket name');
  return { bucket, prefix: (s3Uri ?? '').replace(/^\/+/, '') };
}

async function collectFiles(localPath: string, prefix: string): Promise<LocalFile[]> {
  const root = path.resolve(localPath);
  let stat;
  try {
    stat = await fs.stat(root);
  } catch {
    throw new CliError(`Local path "${localPath}" does not exist.`, ExitCode.BAD_INPUT);
  }
  if (stat.isFile()) {
    // Like `aws s3 cp`: a prefix ending in "/" (or empty) receives the file under its own name.
    const key = prefix === '' || prefix.endsWith('/') ? `${prefix}${path.basename(root)}` : prefix;
    return [{ absolutePath: root, key, size: stat.size }];
  }
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const files: LocalFile[] = [];
  for (const relative of await walk(root)) {
    const absolutePath = path.join(root, relative);
    const fileStat = await fs.stat(absolutePath);
    files.push({ absolutePath, key: base + relative.split(path.sep).join('/'), size: fileStat.size });
  }
  if (files.length === 0) throw new CliError(`Directory "${localPath}" contains no files.`, ExitCode.BAD_INPUT);
  return files;
}

async function walk(dir: string, relative = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, relative), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const entry of entries) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(dir, child)));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

function validatePartSize(mib: number | undefined): number {
  if (mib === undefined) return DEFAULT_PART_SIZE;
  if (!Number.isInteger(mib) || mib < 5 || mib > 5120) {
    throw new CliError(`--part-size ${mib} is invalid: S3 parts are 5 to 5120 MiB. Pass a whole number of MiB in that range.`, ExitCode.BAD_INPUT);
  }
  return mib * MIB;
}

function validateConcurrency(value: number | undefined): number {
  if (value === undefined) return 4;
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    throw new CliError(`--concurrency ${value} is invalid: pass a whole number from 1 to 64.`, ExitCode.BAD_INPUT);
  }
  return value;
}

async function resolveEncryption(ctx: CommandContext, s3: S3Client, bucket: string, given: string | undefined): Promise<Encryption> {
  if (given) return kms(given, 'given with --kms-key-id');
  const fromStack = (await ctx.outputs())?.get(StackOutputKeys.DATA_KEY_ARN);
  if (fromStack) return kms(fromStack, `from stack output ${StackOutputKeys.DATA_KEY_ARN}`);
  try {
    const response = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const rule = response.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    if (rule?.SSEAlgorithm === ServerSideEncryption.aws_kms || rule?.SSEAlgorithm === ServerSideEncryption.aws_kms_dsse) {
      return {
        algorithm: rule.SSEAlgorithm,
        kmsKeyId: rule.KMSMasterKeyID,
        description: `${rule.SSEAlgorithm} with ${rule.KMSMasterKeyID ?? 'the AWS managed key'} (the bucket's default)`,
      };
    }
    return { description: `${rule?.SSEAlgorithm ?? 'AES256'} (the bucket's default)` };
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') {
      throw new CliError(`Bucket "${bucket}" not found (${await ctx.region()}).`, ExitCode.BAD_INPUT);
    }
    ctx.note(`note: could not read the encryption of bucket ${bucket} (${errorName(error)}); the bucket's default encryption applies. Pass --kms-key-id to choose the key.`);
    return { description: "the bucket's default" };
  }
}

function kms(keyId: string, source: string): Encryption {
  return { algorithm: ServerSideEncryption.aws_kms, kmsKeyId: keyId, description: `aws:kms with ${keyId} (${source})` };
}

function commonPrefix(files: readonly LocalFile[], prefix: string): string {
  return files.length === 1 ? files[0].key : prefix;
}

async function listRemote(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, RemoteObject>> {
  const objects = new Map<string, RemoteObject>();
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        if (object.Key && object.ETag !== undefined) {
          objects.set(object.Key, { size: object.Size ?? -1, etag: stripQuotes(object.ETag) });
        }
      }
    }
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') throw new CliError(`Bucket "${bucket}" not found.`, ExitCode.BAD_INPUT);
    throw error;
  }
  return objects;
}

async function isUnchanged(
  s3: S3Client,
  bucket: string,
  file: LocalFile,
  remote: RemoteObject | undefined,
  etags: { s3Etag: string; md5: string },
): Promise<boolean> {
  if (!remote || remote.size !== file.size) return false;
  if (remote.etag === etags.s3Etag || remote.etag === etags.md5) return true;
  // SSE-KMS objects have no MD5 ETag: compare the ETag this CLI recorded when it uploaded them.
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: file.key }));
    return head.Metadata?.[SOURCE_ETAG_METADATA] === etags.s3Etag;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function stripQuotes(etag: string): string {
  return etag.replace(/"/g, '');
}

function interrupted(
  bucket: string,
  results: readonly FileResult[],
  total: number,
  current: { key: string; aborted: string[] } | undefined,
): InterruptedError {
  const done = results.length;
  const inFlight = current
    ? ` The upload of s3://${bucket}/${current.key} was stopped` +
      (current.aborted.length > 0 ? ' and its multipart upload aborted' : '') +
      '; no partial object was written.'
    : '';
  return new InterruptedError(
    `Interrupted after ${done} of ${total} file(s).${inFlight} Run the same command again to continue; unchanged files are skipped.`,
  );
}

/**
 * Remembers the multipart uploads a client has open, so that Ctrl-C can abort them even when
 * lib-storage's own clean-up has not run yet (it runs after the parts in flight finish).
 */
class MultipartTracker {
  private static readonly trackers = new WeakMap<S3Client, MultipartTracker>();

  static of(client: S3Client): MultipartTracker {
    let tracker = MultipartTracker.trackers.get(client);
    if (!tracker) {
      tracker = new MultipartTracker();
      tracker.attach(client);
      MultipartTracker.trackers.set(client, tracker);
    }
    return tracker;
  }

  private readonly open = new Map<string, { bucket: string; key: string }>();

  /** Aborts every open multipart upload; returns their upload ids. */
  async abortOpenUploads(client: S3Client, note: (line: string) => void): Promise<string[]> {
    const aborted: string[] = [];
    for (const [uploadId, { bucket, key }] of [...this.open]) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
        aborted.push(uploadId);
      } catch (error) {
        if (errorName(error) === 'NoSuchUpload') {
          aborted.push(uploadId);
        } else {
          note(
            `note: could not abort multipart upload ${uploadId} of s3://${bucket}/${key} (${errorName(error)}); ` +
              'its parts stay invisible and are removed by the bucket lifecycle rule for incomplete uploads, or abort it with ' +
              `"aws s3api abort-multipart-upload --bucket ${bucket} --key ${key} --upload-id ${uploadId}".`,
          );
        }
      }
      this.open.delete(uploadId);
    }
    return aborted;
  }

  private attach(client: S3Client): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { Bucket?: string; Key?: string; UploadId?: string };
        const output = result.output as { UploadId?: string };
        if (context.commandName === 'CreateMultipartUploadCommand' && output.UploadId && input.Bucket && input.Key) {
          this.open.set(output.UploadId, { bucket: input.Bucket, key: input.Key });
        } else if (
          (context.commandName === 'CompleteMultipartUploadCommand' || context.commandName === 'AbortMultipartUploadCommand') &&
          input.UploadId
        ) {
          this.open.delete(input.UploadId);
        }
        return result;
      },
      { step: 'initialize', name: 'sagemakerCdkMultipartTracker' },
    );
  }
}

/**
 * The progress display: a redrawn bar with bytes and rate on a terminal, one line per file
 * otherwise (logs, CI, `--json`).
 */
class UploadProgress {
  private doneBytes = 0;
  private currentLoaded = 0;
  private doneFiles = 0;
  private lastDraw = 0;
  private readonly start: number;
  private readonly live: boolean;

  constructor(
    private readonly ctx: CommandContext,
    private readonly totalBytes: number,
    private readonly totalFiles: number,
  ) {
    this.start = Date.now();
    this.live = ctx.io.stderr.isTTY === true;
  }

  fileProgress(loaded: number): void {
    this.currentLoaded = loaded;
    const now = Date.now();
    if (this.live && now - this.lastDraw > 100) {
      this.lastDraw = now;
      this.draw();
    }
  }

  fileDone(file: LocalFile, action: 'uploaded' | 'skipped'): void {
    this.doneBytes += file.size;
    this.currentLoaded = 0;
    this.doneFiles += 1;
    if (this.live) {
      this.draw();
    } else {
      this.ctx.note(`${action === 'uploaded' ? 'uploaded' : 'unchanged, skipped'} ${file.key} (${formatBytes(file.size)}) [${this.doneFiles}/${this.totalFiles}]`);
    }
  }

  finish(): void {
    if (this.live) this.ctx.io.stderr.write('\n');
  }

  private draw(): void {
    const done = this.doneBytes + this.currentLoaded;
    const seconds = Math.max(0.001, (Date.now() - this.start) / 1000);
    this.ctx.io.stderr.write(
      `\r${progressBar(done, this.totalBytes)} ${formatBytes(done)} / ${formatBytes(this.totalBytes)} ` +
        `${formatBytes(done / seconds)}/s  files ${this.doneFiles}/${this.totalFiles}   `,
    );
  }
}
