// Batch transform and invocations: one long-lived model server process (lib/local/containers/serving.py)
// per job, with the model's model.tar.gz extracted at /opt/ml/model, fed records as batch transform does
// ("Use Batch Transform": SplitType, BatchStrategy, MaxPayloadInMB, AssembleWith; "Associate Prediction
// Results with Input Records": InputFilter, JoinSource, OutputFilter).
import * as fs from 'fs';
import * as path from 'path';
import type { ContainerDefinition, CreateTransformJobRequest } from '@aws-sdk/client-sagemaker';
import { LocalObjectStore } from '../object-store';
import { classifyImage } from './images';
import { filterRecord, isJson } from './jsonpath';
import { JobFailure, extractTar, failedJobResult, jobArn, joinS3, prefixDirectory, selectObjects } from './s3-io';
import { startInSandbox, type SandboxProcess } from './sandbox';
import { CONTAINERS_DIR, jobLabel } from './training';
import { LocalJobStatus, type LocalInvocationResult, type LocalJobContext, type LocalJobResult, type LocalModel } from './types';

/** One response of the model server. */
interface ServerResponse {
  readonly ok: boolean;
  readonly body?: string;
  readonly content_type?: string;
  readonly status?: number;
  readonly error?: string;
}

/** A running model server. */
export class ModelServer {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, (r: ServerResponse) => void>();
  private ready?: Promise<void>;
  private exited = false;

  constructor(private readonly proc: SandboxProcess) {
    proc.child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    proc.child.on('close', () => {
      this.exited = true;
      for (const [, resolve] of this.pending) resolve({ ok: false, status: 500, error: `the model server exited: ${lastLine(this.proc.tail())}` });
      this.pending.clear();
    });
  }

  private readyResolve?: (v: { ready: boolean; error?: string }) => void;

  private onData(chunk: Buffer): void {
    this.buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if ('ready' in msg) {
        this.readyResolve?.(msg as { ready: boolean; error?: string });
      } else {
        const resolve = this.pending.get(msg.id as number);
        this.pending.delete(msg.id as number);
        resolve?.(msg as unknown as ServerResponse);
      }
    }
  }

  /** Waits for the model to load. */
  public waitReady(timeoutMs = 180_000): Promise<void> {
    if (!this.ready) {
      this.ready = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new JobFailure(`the model server did not start within ${timeoutMs / 1000} s.`, this.proc.tail())), timeoutMs);
        this.readyResolve = (msg) => {
          clearTimeout(timer);
          if (msg.ready) resolve();
          else reject(new JobFailure(`the model failed to load: ${msg.error}`, this.proc.tail()));
        };
        this.proc.child.on('close', () => {
          clearTimeout(timer);
          reject(new JobFailure(`the model server exited before it was ready: ${lastLine(this.proc.tail())}`, this.proc.tail()));
        });
      });
    }
    return this.ready;
  }

  /** Sends one request. */
  public invoke(body: Buffer, contentType: string | undefined, accept: string | undefined): Promise<ServerResponse> {
    if (this.exited) return Promise.resolve({ ok: false, status: 500, error: 'the model server is not running' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.proc.child.stdin!.write(`${JSON.stringify({ id, body: body.toString('base64'), content_type: contentType, accept })}\n`);
    });
  }

  public tail(): string {
    return this.proc.tail();
  }

  public close(): void {
    try { this.proc.child.stdin!.end(); } catch { /* closed */ }
    this.proc.kill();
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines[lines.length - 1] ?? '';
}

/** Which server emulates a model's container. */
function serverKind(container: ContainerDefinition): 'xgboost' | 'pytorch' | 'sklearn' {
  const image = classifyImage(container.Image);
  if (image.kind === 'xgboost') return container.Environment?.SAGEMAKER_PROGRAM ? 'sklearn' : 'xgboost';
  if (image.kind === 'pytorch-inference' || image.kind === 'pytorch-training') return 'pytorch';
  if (image.kind === 'sklearn') return 'sklearn';
  throw new JobFailure(`serving ${image.repository || container.Image} (${image.emulation.container}) is not emulated by the local runner.`);
}

/** Starts the model server of a model in a fresh host directory. */
export async function startModelServer(model: LocalModel, ctx: LocalJobContext, extraEnv: Record<string, string>, label: string): Promise<ModelServer> {
  if (model.containers.length !== 1) {
    throw new JobFailure(`model ${model.modelName} has ${model.containers.length} containers; inference pipelines are not emulated (one container only).`);
  }
  const container = model.containers[0];
  const kind = serverKind(container);
  const hostDir = path.join(ctx.workDir, 'algo-1');
  const modelDir = path.join(hostDir, 'model');
  fs.mkdirSync(modelDir, { recursive: true });
  if (container.ModelDataUrl) {
    if (!ctx.store.exists(container.ModelDataUrl)) throw new JobFailure(`the model data ${container.ModelDataUrl} of model ${model.modelName} does not exist.`);
    extractTar(ctx.store.pathOf(container.ModelDataUrl), modelDir);
  } else if (container.ModelDataSource?.S3DataSource?.S3Uri) {
    const src = container.ModelDataSource.S3DataSource;
    if (src.CompressionType === 'Gzip') extractTar(ctx.store.pathOf(src.S3Uri!), modelDir);
    else for (const o of selectObjects(ctx.store, src.S3Uri!, src.S3DataType, label)) ctx.store.getFile(o.uri, path.join(modelDir, ...o.relativePath.split('/')));
  }
  const proc = startInSandbox(
    {
      host: 'algo-1',
      hostDir,
      command: ['python3', '-u', path.join(CONTAINERS_DIR, 'serving.py')],
      env: { ...(container.Environment ?? {}), ...extraEnv, SM_LOCAL_SERVER: kind },
      logFile: path.join(ctx.workDir, 'logs', 'algo-1.log'),
    },
    ctx,
  );
  const server = new ModelServer(proc);
  try {
    await server.waitReady();
  } catch (err) {
    server.close();
    throw err;
  }
  return server;
}

/** Splits an object into records (SplitType). */
function splitRecords(body: Buffer, splitType: string | undefined): string[] {
  switch (splitType ?? 'None') {
    case 'None':
      return [body.toString('utf8')];
    case 'Line': {
      const lines = body.toString('utf8').split('\n').map((l) => l.replace(/\r$/, ''));
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      return lines;
    }
    default:
      throw new JobFailure(`SplitType ${splitType} is not emulated (Line or None).`);
  }
}

/** Groups records into requests (BatchStrategy, MaxPayloadInMB; SageMaker's default payload limit is 6 MB). */
function batchRecords(records: string[], strategy: string | undefined, maxPayloadMb: number | undefined, splitType: string | undefined): string[][] {
  if (strategy !== 'MultiRecord' || (splitType ?? 'None') === 'None') return records.map((r) => [r]);
  const limit = (maxPayloadMb && maxPayloadMb > 0 ? maxPayloadMb : 6) * 1024 * 1024;
  const batches: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const r of records) {
    const n = Buffer.byteLength(r) + 1;
    if (cur.length > 0 && size + n > limit) {
      batches.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(r);
    size += n;
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}

/** Splits a response into one output per input record. */
function splitResponse(body: string, count: number, accept: string | undefined): string[] {
  const trimmed = body.replace(/\n+$/, '');
  if (count === 1) return [trimmed];
  const lines = trimmed.split('\n');
  if (lines.length === count) return lines;
  // A JSON document holding a list (e.g. {"predictions": [...]}) is one record per element.
  if ((accept ?? '').includes('json')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      const list = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown>)?.predictions;
      if (Array.isArray(list) && list.length === count) return list.map((x) => JSON.stringify(x));
    } catch { /* not JSON */ }
  }
  return lines;
}

/** JoinSource Input: the input record and its prediction (CSV: columns appended; JSON: SageMakerOutput). */
function joinRecord(input: string, output: string, contentType: string | undefined): string {
  if (isJson(contentType, input)) {
    const parsed = JSON.parse(input) as unknown;
    let out: unknown = output;
    try { out = JSON.parse(output); } catch { /* keep text */ }
    if (Array.isArray(parsed)) return JSON.stringify([...parsed, out]);
    return JSON.stringify({ ...(parsed as Record<string, unknown>), SageMakerOutput: out });
  }
  return `${input},${output}`;
}

/** Runs a CreateTransformJob request locally. */
export async function runTransformJob(request: CreateTransformJobRequest, model: LocalModel, ctx: LocalJobContext): Promise<LocalJobResult> {
  const started = Date.now();
  const name = request.TransformJobName ?? ctx.jobName;
  const base: Record<string, unknown> = { ...request, TransformJobName: name, TransformJobArn: jobArn('transform-job', name, ctx) };
  let server: ModelServer | undefined;
  try {
    const label = jobLabel(name);
    const input = request.TransformInput;
    const src = input?.DataSource?.S3DataSource;
    if (!src?.S3Uri) throw new JobFailure(`TransformInput has no S3DataSource.`);
    if (input?.CompressionType && input.CompressionType !== 'None') throw new JobFailure(`CompressionType ${input.CompressionType} is not emulated.`);
    const outputPath = request.TransformOutput?.S3OutputPath;
    if (!outputPath) throw new JobFailure(`TransformOutput has no S3OutputPath.`);
    const objects = selectObjects(ctx.store, src.S3Uri, src.S3DataType, `transform input`);
    if (objects.length === 0) throw new JobFailure(`no object under ${src.S3Uri}.`);
    const contentType = input?.ContentType;
    const accept = request.TransformOutput?.Accept;
    const dp = request.DataProcessing;
    // What SageMaker sets in batch transform containers (the XGBoost container's serve.py reads SAGEMAKER_BATCH;
    // "How Containers Serve Requests" lists SAGEMAKER_BATCH_STRATEGY and SAGEMAKER_MAX_PAYLOAD_IN_MB).
    server = await startModelServer(model, ctx, {
      ...(request.Environment ?? {}),
      SAGEMAKER_BATCH: 'true',
      SAGEMAKER_BATCH_STRATEGY: request.BatchStrategy === 'MultiRecord' ? 'MULTI_RECORD' : 'SINGLE_RECORD',
      SAGEMAKER_MAX_PAYLOAD_IN_MB: String(request.MaxPayloadInMB ?? 6),
    }, label);
    const inputDir = prefixDirectory(LocalObjectStore.parseUri(src.S3Uri).key);
    let recordsDone = 0;
    for (const o of objects) {
      const records = splitRecords(ctx.store.read(o.uri), input?.SplitType);
      const outputs: string[] = [];
      for (const batch of batchRecords(records, request.BatchStrategy, request.MaxPayloadInMB, input?.SplitType)) {
        let filtered: string[];
        try {
          filtered = batch.map((r) => filterRecord(r, contentType, dp?.InputFilter));
        } catch (e) {
          throw new JobFailure(`InputFilter ${dp?.InputFilter}: ${(e as Error).message}`);
        }
        const payload = Buffer.from(filtered.join('\n'));
        const response = await server.invoke(payload, contentType, accept);
        if (!response.ok) {
          throw new JobFailure(`${o.uri}: the model server answered ${response.status ?? 500}: ${response.error}`, server.tail());
        }
        const text = Buffer.from(response.body ?? '', 'base64').toString('utf8');
        const predictions = splitResponse(text, batch.length, accept);
        if (dp?.JoinSource === 'Input' && predictions.length !== batch.length) {
          throw new JobFailure(`${o.uri}: ${batch.length} records gave ${predictions.length} predictions, so JoinSource Input cannot pair them.`);
        }
        for (let i = 0; i < predictions.length; i++) {
          const joined = dp?.JoinSource === 'Input' ? joinRecord(batch[i], predictions[i], contentType) : predictions[i];
          try {
            outputs.push(filterRecord(joined, dp?.JoinSource === 'Input' ? contentType : accept, dp?.OutputFilter));
          } catch (e) {
            throw new JobFailure(`OutputFilter ${dp?.OutputFilter}: ${(e as Error).message}`);
          }
        }
        recordsDone += batch.length;
      }
      const objectKey = LocalObjectStore.parseUri(o.uri).key;
      const target = joinS3(outputPath, `${objectKey.slice(inputDir.length)}.out`);
      const assembled = request.TransformOutput?.AssembleWith === 'Line' ? outputs.map((r) => `${r}\n`).join('') : outputs.join('');
      ctx.store.write(target, assembled);
      ctx.log(`${label}: ${o.uri} -> ${target} (${records.length} records)`);
    }
    ctx.log(`${label}: ${recordsDone} records transformed`);
    return { status: LocalJobStatus.COMPLETED, properties: { ...base, TransformJobStatus: 'Completed', ModelName: request.ModelName ?? model.modelName }, durationMs: Date.now() - started };
  } catch (err) {
    return failedJobResult(err, started, base, () => ({ TransformJobStatus: 'Failed' }), server?.tail());
  } finally {
    server?.close();
  }
}

/** Invokes a model once (InvokeEndpoint): a model server for the call, stopped afterwards. */
export async function invokeModel(model: LocalModel, body: Buffer, contentType: string, accept: string | undefined, ctx: LocalJobContext): Promise<LocalInvocationResult> {
  const server = await startModelServer(model, ctx, {}, model.modelName);
  try {
    const response = await server.invoke(body, contentType, accept);
    if (!response.ok) throw new Error(`${model.modelName}: the model answered ${response.status ?? 500}: ${response.error}`);
    return { body: Buffer.from(response.body ?? '', 'base64'), contentType: response.content_type ?? accept ?? 'application/octet-stream' };
  } finally {
    server.close();
  }
}
