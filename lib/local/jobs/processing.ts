// Processing jobs: the user's ContainerEntrypoint runs on each host with /opt/ml/processing/... and
// /opt/ml/config/{processingjobconfig.json,resourceconfig.json} as in "How Amazon SageMaker Processing
// Configures Your Processing Container" (docs: build-your-own-processing-container.html).
import * as fs from 'fs';
import * as path from 'path';
import type { CreateProcessingJobRequest } from '@aws-sdk/client-sagemaker';
import { classifyImage } from './images';
import { JobFailure, downloadObjects, failedJobResult, hostPath, jobArn, listFiles, selectObjects, shardObjects, uploadDirectory, writeJson } from './s3-io';
import { lastErrorLine, runInSandbox } from './sandbox';
import { CONTAINERS_DIR } from './training';
import { LocalJobStatus, type LocalJobContext, type LocalJobResult } from './types';

/** Runs a CreateProcessingJob request locally. */
export async function runProcessingJob(request: CreateProcessingJobRequest, ctx: LocalJobContext): Promise<LocalJobResult> {
  const started = Date.now();
  const name = request.ProcessingJobName ?? ctx.jobName;
  const base = { ...request, ProcessingJobName: name, ProcessingJobArn: jobArn('processing-job', name, ctx) } as Record<string, unknown>;
  try {
    await runProcessing(request, name, ctx);
    return { status: LocalJobStatus.COMPLETED, properties: { ...base, ProcessingJobStatus: 'Completed' }, durationMs: Date.now() - started };
  } catch (err) {
    return failedJobResult(err, started, base, (reason) => ({ ProcessingJobStatus: 'Failed', ExitMessage: reason }));
  }
}

async function runProcessing(request: CreateProcessingJobRequest, name: string, ctx: LocalJobContext): Promise<void> {
  const app = request.AppSpecification;
  const image = classifyImage(app?.ImageUri);
  if (image.kind === 'clarify') {
    throw new JobFailure(`${image.repository} (${image.emulation.container}) processing is not emulated by the local runner.`);
  }
  const entrypoint = [...(app?.ContainerEntrypoint ?? [])];
  if (image.kind === 'model-monitor') {
    // The analyzer runs its own entry point, configured by environment variables
    // (lib/local/containers/model_monitor_analyzer.py emulates it).
    if (entrypoint.length) {
      throw new JobFailure(`the processing job overrides the ContainerEntrypoint of ${image.repository} (${entrypoint.join(' ')}); the local runner emulates only the analyzer's own entry point.`);
    }
    entrypoint.push('python3', '-u', path.join(CONTAINERS_DIR, 'model_monitor_analyzer.py'));
  }
  if (entrypoint.length === 0) {
    throw new JobFailure(
      `the processing job has no ContainerEntrypoint, so it would run the image's own entry point, which the local runner cannot emulate for ${image.uri || 'this image'} (${image.repository}).`,
    );
  }
  const count = request.ProcessingResources?.ClusterConfig?.InstanceCount ?? 1;
  const hosts = Array.from({ length: count }, (_, i) => `algo-${i + 1}`);
  const inputs = request.ProcessingInputs ?? [];
  const outputs = request.ProcessingOutputConfig?.Outputs ?? [];
  const command = [...entrypoint, ...(app?.ContainerArguments ?? [])];

  const hostDirs = hosts.map((h) => path.join(ctx.workDir, h));
  for (let i = 0; i < hosts.length; i++) {
    const hostDir = hostDirs[i];
    // /opt/ml/config: the request itself and the cluster (build-your-own-processing-container.html).
    writeJson(path.join(hostDir, 'config', 'processingjobconfig.json'), { ...request, ProcessingJobName: name });
    writeJson(path.join(hostDir, 'config', 'resourceconfig.json'), { current_host: hosts[i], hosts });
    for (const input of inputs) {
      const s3 = input.S3Input;
      if (!s3) {
        if (input.DatasetDefinition) throw new JobFailure(`processing input "${input.InputName}": DatasetDefinition (Athena/Redshift) inputs are not emulated.`);
        continue;
      }
      if (!s3.LocalPath || !s3.S3Uri) throw new JobFailure(`processing input "${input.InputName}" has no LocalPath or S3Uri.`);
      const what = `processing input "${input.InputName}"`;
      let objects = selectObjects(ctx.store, s3.S3Uri, s3.S3DataType, what);
      if (s3.S3DataDistributionType === 'ShardedByS3Key') objects = shardObjects(objects, i, count);
      downloadObjects(ctx.store, objects, hostPath(hostDir, s3.LocalPath));
    }
    for (const output of outputs) {
      if (output.S3Output?.LocalPath) fs.mkdirSync(hostPath(hostDir, output.S3Output.LocalPath), { recursive: true });
    }
  }

  // A missing script is the commonest failure: say which file is missing and what the folder holds.
  const localInputs = inputs.filter((i) => i.S3Input?.LocalPath).map((i) => ({ name: i.InputName ?? '', localPath: i.S3Input!.LocalPath! }));
  const missing = missingScript(command, localInputs, hostDirs[0]);
  if (missing) throw new JobFailure(missing);

  const outcomes = await Promise.all(
    hosts.map((host, i) =>
      runInSandbox(
        {
          host,
          hostDir: hostDirs[i],
          command,
          env: { ...(request.Environment ?? {}) },
          maxRuntimeSeconds: request.StoppingCondition?.MaxRuntimeInSeconds,
          logFile: path.join(ctx.workDir, 'logs', `${host}.log`),
          hosts: hosts.length,
        },
        ctx,
      ),
    ),
  );
  for (let i = 0; i < hosts.length; i++) {
    const o = outcomes[i];
    if (o.timedOut) throw new JobFailure(`MaxRuntimeExceeded: ${hosts[i]} ran longer than StoppingCondition.MaxRuntimeInSeconds (${request.StoppingCondition?.MaxRuntimeInSeconds} s).`, o.tail);
    if (o.exitCode !== 0) {
      const line = lastErrorLine(o.tail) ?? '';
      throw new JobFailure(`AlgorithmError: ${hosts[i]} exited with ${o.exitCode ?? o.signal}${line ? `: ${line}` : ''}`, o.tail);
    }
  }
  // Upload every host's outputs (S3UploadMode EndOfJob; Continuous is uploaded at the end too).
  for (const output of outputs) {
    const s3 = output.S3Output;
    if (!s3?.LocalPath || !s3.S3Uri) continue;
    for (const hostDir of hostDirs) uploadDirectory(ctx.store, hostPath(hostDir, s3.LocalPath), s3.S3Uri);
  }
}

/**
 * When the command names a file below one of the inputs' LocalPath that isn't there, a clear message:
 * `/opt/ml/processing/input/code/evaluate.py not found; the code input holds 3ad0…ae.py`.
 */
function missingScript(command: readonly string[], inputs: ReadonlyArray<{ name: string; localPath: string }>, hostDir: string): string | undefined {
  const candidates = command.flatMap((arg) => arg.split(/\s+/)).map((t) => t.replace(/^['"]|['";]$/g, ''));
  for (const arg of candidates) {
    if (!arg.startsWith('/opt/ml/')) continue;
    const owner = inputs.find((i) => arg.startsWith(i.localPath.replace(/\/+$/, '') + '/'));
    if (!owner) continue;
    if (fs.existsSync(hostPath(hostDir, arg))) continue;
    const held = listFiles(hostPath(hostDir, owner.localPath));
    const holds = held.length === 0 ? 'is empty' : `holds ${held.slice(0, 10).join(', ')}${held.length > 10 ? `, … (${held.length} files)` : ''}`;
    return `${arg} not found; the ${owner.name} input ${holds}`;
  }
  return undefined;
}

