// Training jobs under the SageMaker training container contract ("How Amazon SageMaker Provides
// Training Information", docs your-algorithms-training-algo-running-container.html): per host
// /opt/ml/input/config/{hyperparameters,inputdataconfig,resourceconfig}.json, channels at
// /opt/ml/input/data/<channel>, /opt/ml/model, /opt/ml/output/{data,failure}, /opt/ml/checkpoints.
import * as fs from 'fs';
import * as path from 'path';
import type { CreateTrainingJobRequest } from '@aws-sdk/client-sagemaker';
import { checkCheckpointOwner, normalizePrefix, recordCheckpointOwner } from './checkpoints';
import { classifyImage, isFrameworkTrainingImage } from './images';
import { JobFailure, downloadObjects, failedJobResult, hostPath, jobArn, joinS3, packTarGz, selectObjects, shardObjects, type SelectedObject, uploadDirectory, writeJson } from './s3-io';
import { lastErrorLine, runInSandbox, type SandboxOutcome } from './sandbox';
import { LocalJobStatus, type LocalJobContext, type LocalJobResult } from './types';

/**
 * Where the Python container emulations live: lib/local/containers next to this file's folder, or, when
 * running compiled from dist/lib/local/jobs (tsc copies no .py files), the source tree's lib/local/containers.
 */
export const CONTAINERS_DIR = [path.resolve(__dirname, '..', 'containers'), path.resolve(__dirname, '..', '..', '..', '..', 'lib', 'local', 'containers')]
  .find((d) => fs.existsSync(path.join(d, 'serving.py'))) ?? path.resolve(__dirname, '..', 'containers');

/** The step-ish label for messages: `Train` of `pipelines-<id>-Train-<suffix>`, else the job name. */
export function jobLabel(jobName: string): string {
  const m = /^pipelines-[A-Za-z0-9]+-(.+)-[A-Za-z0-9]{6,}$/.exec(jobName);
  return m ? m[1] : jobName;
}

/**
 * The metric definitions of the built-in XGBoost algorithm (sagemaker-xgboost-container 1.7-1,
 * algorithm_mode/metrics.py, the "XGBoost tuning metrics" doc): `validation:<metric>` with the regex
 * `.*\[[0-9]+\].*#011validation-<metric>:(\S+)` (`#011` is how CloudWatch shows the tab).
 */
export const XGBOOST_MAXIMIZE_METRICS = ['accuracy', 'auc', 'aucpr', 'balanced_accuracy', 'f1', 'f1_binary', 'f1_macro', 'map', 'ndcg', 'precision', 'r2', 'recall', 'precision_macro', 'precision_micro', 'recall_macro', 'recall_micro'];
export const XGBOOST_MINIMIZE_METRICS = ['aft-nloglik', 'cox-nloglik', 'error', 'gamma-deviance', 'gamma-nloglik', 'interval-regression-accuracy', 'logloss', 'mae', 'mape', 'merror', 'mlogloss', 'mphe', 'mse', 'poisson-nloglik', 'rmse', 'rmsle', 'tweedie-nloglik'];
export const XGBOOST_METRIC_DEFINITIONS: ReadonlyArray<{ Name: string; Regex: string }> = [...XGBOOST_MAXIMIZE_METRICS, ...XGBOOST_MINIMIZE_METRICS].map((m) => ({
  Name: `validation:${m}`,
  Regex: `.*\\[[0-9]+\\].*#011validation-${m}:(\\S+)`,
}));

/** The last match of each metric regex over the log (SageMaker publishes the last value as final). */
export function extractMetrics(log: string, definitions: ReadonlyArray<{ Name?: string; Regex?: string }>): Array<{ MetricName: string; Value: number; Timestamp: string }> {
  const lines = log.split('\n');
  const out: Array<{ MetricName: string; Value: number; Timestamp: string }> = [];
  for (const def of definitions) {
    if (!def.Name || !def.Regex) continue;
    let re: RegExp;
    try {
      re = new RegExp(def.Regex);
    } catch {
      continue;
    }
    let value: number | undefined;
    for (const line of lines) {
      // Match the line as written and as CloudWatch shows it (tabs as #011), which is what regexes are written against.
      const m = re.exec(line.replace(/\t/g, '#011')) ?? re.exec(line);
      if (m && m[1] !== undefined && Number.isFinite(Number(m[1]))) value = Number(m[1]);
    }
    if (value !== undefined) out.push({ MetricName: def.Name, Value: value, Timestamp: new Date().toISOString() });
  }
  return out;
}

type TrainingMode = 'xgboost-algorithm' | 'script';

/** Runs a CreateTrainingJob request locally. */
export async function runTrainingJob(request: CreateTrainingJobRequest, ctx: LocalJobContext): Promise<LocalJobResult> {
  const started = Date.now();
  const name = request.TrainingJobName ?? ctx.jobName;
  const base: Record<string, unknown> = {
    ...request, TrainingJobName: name, TrainingJobArn: jobArn('training-job', name, ctx), TrainingStartTime: new Date(started).toISOString(),
  };
  try {
    const extra = await runTraining(request, name, ctx);
    return {
      status: LocalJobStatus.COMPLETED,
      properties: { ...base, ...extra, TrainingJobStatus: 'Completed', SecondaryStatus: 'Completed', TrainingEndTime: new Date().toISOString() },
      durationMs: Date.now() - started,
    };
  } catch (err) {
    return failedJobResult(err, started, base, () => ({ TrainingJobStatus: 'Failed', SecondaryStatus: 'Failed' }));
  }
}

async function runTraining(request: CreateTrainingJobRequest, name: string, ctx: LocalJobContext): Promise<Record<string, unknown>> {
  const label = jobLabel(name);
  const algo = request.AlgorithmSpecification;
  if (!algo?.TrainingImage) {
    throw new JobFailure(`AlgorithmSpecification.AlgorithmName (${algo?.AlgorithmName ?? 'none'}) is not emulated; the local runner needs a TrainingImage.`);
  }
  const image = classifyImage(algo.TrainingImage);
  const hps = { ...(request.HyperParameters ?? {}) };
  let mode: TrainingMode;
  if (image.kind === 'xgboost' && !('sagemaker_program' in hps)) mode = 'xgboost-algorithm';
  else if (isFrameworkTrainingImage(image.kind)) mode = 'script';
  else throw new JobFailure(`training with ${image.repository || algo.TrainingImage} (${image.emulation.container}) is not emulated by the local runner.`);
  if (mode === 'script' && !('sagemaker_program' in hps) && !request.Environment?.SAGEMAKER_PROGRAM) {
    throw new JobFailure(`${image.repository} runs the training script named by the sagemaker_program hyperparameter, and there is none.`);
  }

  const checkpoint = request.CheckpointConfig;
  if (checkpoint?.S3Uri) checkCheckpointOwner(ctx.store, checkpoint.S3Uri, ctx.runId);

  const count = request.ResourceConfig?.InstanceCount ?? 1;
  const instanceType = request.ResourceConfig?.InstanceType ?? 'local';
  const hosts = Array.from({ length: count }, (_, i) => `algo-${i + 1}`);
  const hostDirs = hosts.map((h) => path.join(ctx.workDir, h));
  const channels = request.InputDataConfig ?? [];
  const checkpointLocal = checkpoint ? checkpoint.LocalPath ?? '/opt/ml/checkpoints' : undefined;

  // Select every channel's objects once; shard per host.
  const selected = new Map<string, SelectedObject[]>();
  for (const ch of channels) {
    const s3 = ch.DataSource?.S3DataSource;
    if (!s3?.S3Uri) throw new JobFailure(`channel "${ch.ChannelName}" has no S3DataSource (FileSystemDataSource is not emulated).`);
    if ((ch.InputMode ?? algo.TrainingInputMode ?? 'File') !== 'File') {
      ctx.log(`${label}: channel "${ch.ChannelName}" asks for ${ch.InputMode ?? algo.TrainingInputMode} input mode; the local runner provides File mode.`);
    }
    selected.set(ch.ChannelName!, selectObjects(ctx.store, s3.S3Uri, s3.S3DataType, `channel "${ch.ChannelName}"`));
  }

  for (let i = 0; i < hosts.length; i++) {
    const hostDir = hostDirs[i];
    const cfg = path.join(hostDir, 'input', 'config');
    writeJson(path.join(cfg, 'hyperparameters.json'), hps);
    const dataConfig: Record<string, Record<string, string>> = {};
    for (const ch of channels) {
      const s3 = ch.DataSource!.S3DataSource!;
      dataConfig[ch.ChannelName!] = {
        ...(ch.ContentType ? { ContentType: ch.ContentType } : {}),
        TrainingInputMode: ch.InputMode ?? algo.TrainingInputMode ?? 'File',
        S3DistributionType: s3.S3DataDistributionType ?? 'FullyReplicated',
        RecordWrapperType: ch.RecordWrapperType ?? 'None',
      };
      let objects = selected.get(ch.ChannelName!)!;
      if (s3.S3DataDistributionType === 'ShardedByS3Key' && count > 1) {
        objects = shardObjects(objects, i, count);
        if (objects.length === 0) {
          // SageMaker itself would start this host anyway and leave it idle (and billed); failing is more useful.
          const total = selected.get(ch.ChannelName!)!.length;
          throw new JobFailure(
            `host ${hosts[i]} of ${count} gets no object of channel "${ch.ChannelName}" (ShardedByS3Key over ${total} object${total === 1 ? '' : 's'} under ${s3.S3Uri}): write at least as many files as instances`,
          );
        }
      }
      downloadObjects(ctx.store, objects, path.join(hostDir, 'input', 'data', ch.ChannelName!));
    }
    writeJson(path.join(cfg, 'inputdataconfig.json'), dataConfig);
    writeJson(path.join(cfg, 'resourceconfig.json'), {
      current_host: hosts[i],
      current_instance_type: instanceType,
      current_group_name: 'homogeneousCluster',
      hosts,
      instance_groups: [{ instance_group_name: 'homogeneousCluster', instance_type: instanceType, hosts }],
      network_interface_name: 'eth0',
    });
    if (checkpoint?.S3Uri && checkpointLocal) {
      // The toolkit's SM_CHECKPOINT_CONFIG_FILE (read by the XGBoost container's training.py).
      writeJson(path.join(cfg, 'checkpointconfig.json'), { LocalPath: checkpointLocal, S3Uri: checkpoint.S3Uri });
      const localDir = hostPath(hostDir, checkpointLocal);
      fs.mkdirSync(localDir, { recursive: true });
      downloadObjects(ctx.store, selectObjects(ctx.store, normalizePrefix(checkpoint.S3Uri), 'S3Prefix', `checkpoints`), localDir);
    }
    for (const d of ['model', 'output/data', 'code']) fs.mkdirSync(path.join(hostDir, ...d.split('/')), { recursive: true });
  }

  const script = path.join(CONTAINERS_DIR, mode === 'xgboost-algorithm' ? 'xgboost_algorithm.py' : 'training_toolkit.py');
  const baseEnv: Record<string, string> = {
    ...(request.Environment ?? {}),
    TRAINING_JOB_NAME: name,
    TRAINING_JOB_ARN: jobArn('training-job', name, ctx),
    SM_CHECKPOINT_CONFIG_FILE: '/opt/ml/input/config/checkpointconfig.json',
  };
  const outcomes: SandboxOutcome[] = await Promise.all(
    hosts.map((host, i) => {
      const env: Record<string, string> = { ...baseEnv, SM_CURRENT_HOST: host, SM_HOSTS: JSON.stringify(hosts) };
      if (mode === 'xgboost-algorithm' && hosts.length > 1) {
        env.SM_LOCAL_XGB_ROLE = i === 0 ? 'master' : 'worker';
        if (i === 0) {
          const peers: Record<string, string[]> = {};
          // Only sharded channels add rows: a fully replicated channel is the same data on every
          // host (in the container each host evaluates it and Rabit averages, not concatenates).
          for (const ch of channels) {
            if (ch.DataSource?.S3DataSource?.S3DataDistributionType !== 'ShardedByS3Key') continue;
            peers[ch.ChannelName!] = hostDirs.slice(1).map((d) => path.join(d, 'input', 'data', ch.ChannelName!));
          }
          env.SM_LOCAL_PEER_CHANNEL_DIRS = JSON.stringify(peers);
        }
      }
      return runInSandbox(
        {
          host,
          hostDir: hostDirs[i],
          command: ['python3', '-u', script],
          env,
          cwd: '/opt/ml/code',
          maxRuntimeSeconds: request.StoppingCondition?.MaxRuntimeInSeconds,
          logFile: path.join(ctx.workDir, 'logs', `${host}.log`),
          hosts: hosts.length,
        },
        ctx,
      );
    }),
  );

  // Checkpoints are synced to S3 during training, so they are there whether the job succeeds or not.
  if (checkpoint?.S3Uri && checkpointLocal) {
    for (let i = hostDirs.length - 1; i >= 0; i--) uploadDirectory(ctx.store, hostPath(hostDirs[i], checkpointLocal), normalizePrefix(checkpoint.S3Uri));
    recordCheckpointOwner(ctx.store, checkpoint.S3Uri, ctx.runId, name);
  }

  for (let i = 0; i < hosts.length; i++) {
    const o = outcomes[i];
    if (o.timedOut) {
      throw new JobFailure(`MaxRuntimeExceeded: the job ran longer than StoppingCondition.MaxRuntimeInSeconds (${request.StoppingCondition?.MaxRuntimeInSeconds} s) on ${hosts[i]}.`, o.tail);
    }
    if (o.exitCode !== 0) {
      const failureFile = path.join(hostDirs[i], 'output', 'failure');
      const failure = fs.existsSync(failureFile) ? fs.readFileSync(failureFile, 'utf8').trim() : '';
      throw new JobFailure(failure || `AlgorithmError: ${hosts[i]} exited with ${o.exitCode ?? o.signal}: ${lastErrorLine(o.tail) ?? ''}`, o.tail);
    }
  }

  // Model and output data of algo-1, as <S3OutputPath>/<job name>/output/{model,output}.tar.gz.
  const outputPath = request.OutputDataConfig?.S3OutputPath;
  const extra: Record<string, unknown> = {};
  if (outputPath) {
    const prefix = joinS3(outputPath, `${name}/output`);
    const modelTar = path.join(ctx.workDir, 'model.tar.gz');
    packTarGz(path.join(hostDirs[0], 'model'), modelTar);
    ctx.store.putFile(`${prefix}/model.tar.gz`, modelTar);
    const outTar = path.join(ctx.workDir, 'output.tar.gz');
    packTarGz(path.join(hostDirs[0], 'output', 'data'), outTar);
    ctx.store.putFile(`${prefix}/output.tar.gz`, outTar);
    extra.ModelArtifacts = { S3ModelArtifacts: `${prefix}/model.tar.gz` };
    extra.OutputDataConfig = { ...request.OutputDataConfig };
  }
  const log = fs.readFileSync(path.join(ctx.workDir, 'logs', `${hosts[0]}.log`), 'utf8');
  const definitions = [...(mode === 'xgboost-algorithm' ? XGBOOST_METRIC_DEFINITIONS : []), ...(algo.MetricDefinitions ?? [])];
  extra.FinalMetricDataList = extractMetrics(log, definitions);
  return extra;
}
