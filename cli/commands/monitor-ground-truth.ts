/**
 * `monitor ground-truth <file.csv>`: uploads ground-truth labels for model quality and bias
 * monitors. The CSV holds `inference_id,label` rows (a header row with those names is skipped);
 * each becomes the JSON line Model Monitor merges with the captured prediction whose inferenceId
 * matches, and the file lands in `s3://<bucket>/<prefix>/yyyy/mm/dd/hh/<name>.jsonl`, the hour
 * being when the labels were collected (UTC; `--time`, default now). SSE-KMS comes from the
 * bucket's default encryption.
 *
 * Re-running with the same file in the same hour writes the same object again (the default name
 * carries a hash of the file), so an upload can simply be repeated.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html (InferenceId)
 */
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type CommandContext } from '../context';
import { CliError, ExitCode, errorMessage, isNotFound } from '../errors';
import { parseS3Uri } from './data-upload';

/** Options of `monitor ground-truth`. */
export interface GroundTruthOptions {
  /** The bucket the monitor reads ground truth from. */
  readonly bucket?: string;
  /** The key prefix the monitor reads ground truth from (its ground-truth S3 URI without the bucket). */
  readonly prefix?: string;
  /** With `--stack`: the stack output holding the bucket name or the ground-truth `s3://` URI. */
  readonly output?: string;
  /** When the labels were collected (ISO 8601); the hour of the S3 path. */
  readonly time?: string;
  /** The object name without `.jsonl`. */
  readonly name?: string;
}

/** The result of `monitor ground-truth`, printed as JSON with `--json`. */
export interface GroundTruthResult {
  readonly bucket: string;
  readonly key: string;
  readonly uri: string;
  readonly labels: number;
  readonly collectedAt: string;
}

/** One label of the CSV. */
export interface GroundTruthLabel {
  readonly inferenceId: string;
  readonly label: string;
}

/** SageMaker's InferenceId: 1 to 64 printable ASCII characters, the first not a space. */
const INFERENCE_ID = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;
/** How many problems of a file are listed before "and N more". */
const SHOWN_PROBLEMS = 20;

/**
 * Parses the CSV: `inference_id,label` per line, an optional header of those names, blank lines
 * ignored. Every problem (with its line number) is gathered into one error.
 */
export function parseGroundTruthCsv(text: string, source: string): GroundTruthLabel[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const labels: GroundTruthLabel[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (line.trim() === '') return;
    const fields = line.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
    if (index === 0 && fields.length === 2 && fields[0].toLowerCase() === 'inference_id' && fields[1].toLowerCase() === 'label') return;
    if (fields.length !== 2) {
      problems.push(`line ${lineNumber}: expected 2 columns (inference_id,label), found ${fields.length}`);
      return;
    }
    const [inferenceId, label] = fields;
    if (!INFERENCE_ID.test(inferenceId)) {
      problems.push(`line ${lineNumber}: inference id "${inferenceId}" is not one SageMaker accepts (1 to 64 printable ASCII characters, the first not a space)`);
      return;
    }
    if (label === '') {
      problems.push(`line ${lineNumber}: the label of "${inferenceId}" is empty`);
      return;
    }
    const first = seen.get(inferenceId);
    if (first !== undefined) {
      problems.push(`line ${lineNumber}: inference id "${inferenceId}" was labelled already on line ${first}; give each prediction one label`);
      return;
    }
    seen.set(inferenceId, lineNumber);
    labels.push({ inferenceId, label });
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  - ${p}`);
    if (problems.length > SHOWN_PROBLEMS) shown.push(`  - and ${problems.length - SHOWN_PROBLEMS} more`);
    throw new CliError(`${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${shown.join('\n')}`, ExitCode.BAD_INPUT);
  }
  if (labels.length === 0) {
    throw new CliError(`${source} holds no labels; expected lines of inference_id,label.`, ExitCode.BAD_INPUT);
  }
  return labels;
}

/** The JSON lines Model Monitor reads: one record per label, `eventId` = the inference id. */
export function groundTruthJsonLines(labels: GroundTruthLabel[]): string {
  return (
    labels
      .map((l) => JSON.stringify({ groundTruthData: { data: l.label, encoding: 'CSV' }, eventMetadata: { eventId: l.inferenceId }, eventVersion: '0' }))
      .join('\n') + '\n'
  );
}

/** `<prefix>/yyyy/mm/dd/hh/<name>.jsonl`, the hour in UTC. */
export function groundTruthKey(prefix: string, collectedAt: Date, name: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const hour = [
    String(collectedAt.getUTCFullYear()),
    two(collectedAt.getUTCMonth() + 1),
    two(collectedAt.getUTCDate()),
    two(collectedAt.getUTCHours()),
  ].join('/');
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return `${trimmed ? `${trimmed}/` : ''}${hour}/${name}.jsonl`;
}

/** Runs `monitor ground-truth`. */
export async function monitorGroundTruth(ctx: CommandContext, file: string, options: GroundTruthOptions): Promise<GroundTruthResult> {
  const collectedAt = collectionTime(options.time, ctx.deps.now());
  let content: Buffer;
  try {
    content = await fs.readFile(file);
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${errorMessage(error)}.`, ExitCode.BAD_INPUT);
  }
  const labels = parseGroundTruthCsv(content.toString('utf-8'), file);
  const name = options.name ?? `${path.basename(file, path.extname(file))}-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
  if (!/^[A-Za-z0-9!_.*'()-]+$/.test(name)) {
    throw new CliError(`--name "${name}" must be letters, digits and !_.*'()- only (it becomes the object name <name>.jsonl).`, ExitCode.BAD_INPUT);
  }
  const destination = await resolveDestination(ctx, options);
  const key = groundTruthKey(destination.prefix, collectedAt, name);
  try {
    await ctx.clients.s3.send(
      new PutObjectCommand({
        Bucket: destination.bucket,
        Key: key,
        Body: groundTruthJsonLines(labels),
        ContentType: 'application/jsonlines',
      }),
    );
  } catch (error) {
    if (isNotFound(error)) throw new CliError(`Bucket "${destination.bucket}" not found in ${await ctx.region()}. Check --bucket (or the stack output) and --region.`, ExitCode.BAD_INPUT);
    throw error;
  }
  return {
    bucket: destination.bucket,
    key,
    uri: `s3://${destination.bucket}/${key}`,
    labels: labels.length,
    collectedAt: collectedAt.toISOString(),
  };
}

/** The human rendering of the result. */
export function renderGroundTruthSummary(result: GroundTruthResult): string {
  return (
    `Wrote ${result.labels} ground-truth label${result.labels === 1 ? '' : 's'} to ${result.uri}\n` +
    'Model quality and bias monitors reading this prefix merge them with the captured predictions whose inference id matches.\n'
  );
}

function collectionTime(time: string | undefined, now: Date): Date {
  if (time === undefined) return now;
  // ISO 8601 with a date and, when a time is given, a zone (Z or an offset), so the UTC hour is unambiguous.
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const parsed = new Date(time);
  if (!iso.test(time) || Number.isNaN(parsed.getTime())) {
    throw new CliError(`--time "${time}" is not an ISO 8601 time with a zone, e.g. 2025-01-15T10:30:00Z.`, ExitCode.BAD_INPUT);
  }
  return parsed;
}

async function resolveDestination(ctx: CommandContext, options: GroundTruthOptions): Promise<{ bucket: string; prefix: string }> {
  if (options.bucket) {
    if (options.output) throw new CliError('Pass either --bucket or --output (a stack output), not both.', ExitCode.BAD_INPUT);
    if (options.prefix === undefined) {
      throw new CliError("Missing --prefix: the key prefix of the monitor's ground-truth S3 URI (s3://<bucket>/<prefix>).", ExitCode.BAD_INPUT);
    }
    return { bucket: options.bucket, prefix: options.prefix };
  }
  if (!options.output) {
    throw new CliError(
      "Missing the destination: pass --bucket <name> --prefix <prefix> (the monitor's ground-truth S3 URI), " +
        'or --stack <stack> --output <output> naming a stack output that holds the bucket name or the s3:// URI.',
      ExitCode.BAD_INPUT,
    );
  }
  const outputs = await ctx.outputs();
  if (!outputs) throw new CliError(`--output ${options.output} names a stack output; pass --stack <stack> too.`, ExitCode.BAD_INPUT);
  const value = outputs.require(options.output, 'ground-truth bucket or S3 URI');
  if (value.startsWith('s3://')) {
    const uri = parseS3Uri(value);
    return { bucket: uri.bucket, prefix: options.prefix ?? uri.prefix };
  }
  if (options.prefix === undefined) {
    throw new CliError(`Stack output "${options.output}" holds a bucket name (${value}); pass --prefix too.`, ExitCode.BAD_INPUT);
  }
  return { bucket: value, prefix: options.prefix };
}
