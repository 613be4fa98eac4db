// Hyperparameter tuning: a seeded random search (Strategy Random semantics, whatever the request asks)
// whose trials are ordinary local training jobs.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { CreateHyperParameterTuningJobRequest, CreateTrainingJobRequest, HyperParameterTrainingJobDefinition } from '@aws-sdk/client-sagemaker';
import { JobFailure, failedJobResult, jobArn } from './s3-io';
import { runTrainingJob } from './training';
import { LocalJobStatus, type LocalJobContext, type LocalJobResult, type LocalTuningOptions } from './types';

/** mulberry32: a small seeded PRNG, so a run's trials are repeatable. */
function prng(initial: number): () => number {
  let a = initial >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function formatNumber(v: number): string {
  return String(Number(v.toPrecision(8)));
}

/** Draws one value of a range (API_ContinuousParameterRange / API_IntegerParameterRange ScalingType semantics). */
function draw(rand: () => number, min: number, max: number, scaling: string | undefined, integer: boolean): string {
  let v: number;
  switch (scaling) {
    case 'Logarithmic':
      if (min <= 0) throw new JobFailure(`Logarithmic scaling needs MinValue > 0 (got ${min}).`);
      v = Math.exp(Math.log(min) + rand() * (Math.log(max) - Math.log(min)));
      break;
    case 'ReverseLogarithmic':
      // Only for 0 <= min < max < 1: log scale on 1 - x.
      if (integer || min < 0 || max >= 1) throw new JobFailure(`ReverseLogarithmic scaling needs a continuous range within [0, 1) (got ${min}..${max}).`);
      v = 1 - Math.exp(Math.log(1 - min) + rand() * (Math.log(1 - max) - Math.log(1 - min)));
      break;
    default: // Linear, Auto
      v = integer ? min + Math.floor(rand() * (max - min + 1)) : min + rand() * (max - min);
  }
  if (integer) return String(Math.min(max, Math.max(min, Math.round(v))));
  return formatNumber(Math.min(max, Math.max(min, v)));
}

/** The trial name: `<tuning name>-<NNN>-<8 hex>`, as SageMaker names the training jobs a tuning job launches. */
export function trialName(tuningName: string, index: number): string {
  const hex = crypto.createHash('sha256').update(`${tuningName}/${index}`).digest('hex').slice(0, 8);
  return `${tuningName.slice(0, 32)}-${String(index).padStart(3, '0')}-${hex}`;
}

/**
 * The CheckpointConfig a trial gets. The API reference (HyperParameterTrainingJobDefinition.CheckpointConfig,
 * CheckpointConfig.S3Uri: "the S3 path where you want SageMaker to store checkpoints") and the Python SDK
 * (PR #1015, Session.tune copies the estimator's checkpoint_s3_uri unchanged) document no per-trial
 * suffix, so every trial gets the definition's S3Uri as given: trials of one tuning job share the prefix.
 */
export function trialCheckpointConfig(config: HyperParameterTrainingJobDefinition['CheckpointConfig']): HyperParameterTrainingJobDefinition['CheckpointConfig'] {
  return config ? { ...config } : undefined;
}

/** Runs a CreateHyperParameterTuningJob request locally. */
export async function runTuningJob(request: CreateHyperParameterTuningJobRequest, ctx: LocalJobContext, options?: LocalTuningOptions): Promise<LocalJobResult> {
  const started = Date.now();
  const name = request.HyperParameterTuningJobName ?? ctx.jobName.slice(0, 32);
  const base: Record<string, unknown> = { ...request, HyperParameterTuningJobName: name, HyperParameterTuningJobArn: jobArn('hyper-parameter-tuning-job', name, ctx) };
  try {
    const extra = await runTuning(request, name, ctx, options);
    return { status: LocalJobStatus.COMPLETED, properties: { ...base, ...extra, HyperParameterTuningJobStatus: 'Completed' }, durationMs: Date.now() - started };
  } catch (err) {
    const extra = err instanceof TuningFailure ? err.properties : {};
    return failedJobResult(err, started, { ...base, ...extra }, () => ({ HyperParameterTuningJobStatus: 'Failed' }));
  }
}

class TuningFailure extends JobFailure {
  constructor(message: string, public readonly properties: Record<string, unknown>, logExcerpt?: string) {
    super(message, logExcerpt);
  }
}

interface TrialOutcome {
  readonly name: string;
  readonly arn: string;
  readonly status: 'Completed' | 'Failed';
  readonly tuned: Record<string, string>;
  readonly objective?: number;
  readonly failureReason?: string;
  readonly logExcerpt?: string;
  readonly start: Date;
  readonly end: Date;
}

async function runTuning(request: CreateHyperParameterTuningJobRequest, name: string, ctx: LocalJobContext, options?: LocalTuningOptions): Promise<Record<string, unknown>> {
  const config = request.HyperParameterTuningJobConfig;
  const definitions = request.TrainingJobDefinition ? [request.TrainingJobDefinition] : request.TrainingJobDefinitions ?? [];
  if (definitions.length !== 1) {
    throw new JobFailure(`${name}: the local runner tunes exactly one TrainingJobDefinition (got ${definitions.length}).`);
  }
  const def: HyperParameterTrainingJobDefinition = definitions[0];
  const objective = config?.HyperParameterTuningJobObjective ?? def.TuningObjective;
  if (!objective?.MetricName) throw new JobFailure(`${name}: no HyperParameterTuningJobObjective.MetricName.`);
  const maximize = objective.Type !== 'Minimize';
  const ranges = def.HyperParameterRanges ?? config?.ParameterRanges ?? {};
  const maxJobs = config?.ResourceLimits?.MaxNumberOfTrainingJobs ?? Number.POSITIVE_INFINITY;
  const trials = Math.max(1, Math.min(options?.maxTrials ?? 3, maxJobs));
  const rand = prng(options?.randomSeed ?? 1);
  if (def.CheckpointConfig?.S3Uri) {
    ctx.log(`${name}: every trial uses CheckpointConfig.S3Uri ${def.CheckpointConfig.S3Uri} as given (no per-trial suffix is documented), so a trial may resume from an earlier trial's checkpoints.`);
  }

  const outcomes: TrialOutcome[] = [];
  for (let i = 1; i <= trials; i++) {
    const tuned: Record<string, string> = {};
    for (const r of ranges.IntegerParameterRanges ?? []) tuned[r.Name!] = draw(rand, Number(r.MinValue), Number(r.MaxValue), r.ScalingType, true);
    for (const r of ranges.ContinuousParameterRanges ?? []) tuned[r.Name!] = draw(rand, Number(r.MinValue), Number(r.MaxValue), r.ScalingType, false);
    for (const r of ranges.CategoricalParameterRanges ?? []) {
      const values = r.Values ?? [];
      tuned[r.Name!] = values[Math.floor(rand() * values.length)];
    }
    const trial = trialName(name, i);
    const trialRequest: CreateTrainingJobRequest = {
      TrainingJobName: trial,
      AlgorithmSpecification: {
        TrainingImage: def.AlgorithmSpecification?.TrainingImage,
        AlgorithmName: def.AlgorithmSpecification?.AlgorithmName,
        TrainingInputMode: def.AlgorithmSpecification?.TrainingInputMode ?? 'File',
        MetricDefinitions: def.AlgorithmSpecification?.MetricDefinitions,
      },
      // SageMaker passes the objective to every trial as `_tuning_objective_metric` (sagemaker-training-toolkit
      // params.py TUNING_METRIC_PARAM; the XGBoost container adds it to eval_metric, train_utils.py).
      HyperParameters: { ...(def.StaticHyperParameters ?? {}), ...tuned, _tuning_objective_metric: objective.MetricName },
      InputDataConfig: def.InputDataConfig,
      OutputDataConfig: def.OutputDataConfig,
      ResourceConfig: def.ResourceConfig,
      StoppingCondition: def.StoppingCondition,
      CheckpointConfig: trialCheckpointConfig(def.CheckpointConfig),
      Environment: def.Environment,
      RoleArn: def.RoleArn,
      VpcConfig: def.VpcConfig,
      EnableNetworkIsolation: def.EnableNetworkIsolation,
      RetryStrategy: def.RetryStrategy,
    };
    const workDir = path.join(ctx.workDir, trial);
    fs.mkdirSync(workDir, { recursive: true });
    const t0 = new Date();
    ctx.log(`${name}: trial ${i}/${trials} ${trial} ${JSON.stringify(tuned)}`);
    const result = await runTrainingJob(trialRequest, { ...ctx, workDir, jobName: trial });
    const metric = (result.properties.FinalMetricDataList as Array<{ MetricName: string; Value: number }> | undefined)?.find((m) => m.MetricName === objective.MetricName);
    let status: TrialOutcome['status'] = result.status === LocalJobStatus.COMPLETED ? 'Completed' : 'Failed';
    let failureReason = result.failureReason;
    if (status === 'Completed' && metric === undefined) {
      status = 'Failed';
      const seen = ((result.properties.FinalMetricDataList as Array<{ MetricName: string }> | undefined) ?? []).map((m) => m.MetricName);
      failureReason = `the objective metric ${objective.MetricName} was not found in the trial's log (metrics found: ${seen.length ? seen.join(', ') : 'none'}); check the MetricDefinitions regex against the script's output`;
    }
    ctx.log(`${name}: trial ${trial} ${status}${metric ? ` ${objective.MetricName}=${metric.Value}` : ''}${failureReason ? `: ${failureReason}` : ''}`);
    outcomes.push({ name: trial, arn: jobArn('training-job', trial, ctx), status, tuned, objective: metric?.Value, failureReason, logExcerpt: result.logExcerpt, start: t0, end: new Date() });
  }

  const completed = outcomes.filter((o) => o.status === 'Completed').sort((a, b) => (maximize ? b.objective! - a.objective! : a.objective! - b.objective!));
  const failed = outcomes.filter((o) => o.status === 'Failed');
  const summary = (o: TrialOutcome): Record<string, unknown> => ({
    TrainingJobName: o.name,
    TrainingJobArn: o.arn,
    TrainingJobStatus: o.status,
    TunedHyperParameters: o.tuned,
    CreationTime: o.start.toISOString(),
    TrainingStartTime: o.start.toISOString(),
    TrainingEndTime: o.end.toISOString(),
    ...(o.objective !== undefined ? { FinalHyperParameterTuningJobObjectiveMetric: { Type: objective.Type, MetricName: objective.MetricName, Value: o.objective } } : {}),
    ...(o.failureReason ? { FailureReason: o.failureReason } : {}),
    ObjectiveStatus: o.status === 'Completed' ? 'Succeeded' : 'Failed',
  });
  // Best first: what TuningStep.get_top_model_s3_uri(top_k) indexes (Steps.X.TrainingJobSummaries[top_k].TrainingJobName).
  const summaries = [...completed, ...failed].map(summary);
  const extra: Record<string, unknown> = {
    TrainingJobSummaries: summaries,
    TrainingJobStatusCounters: { Completed: completed.length, InProgress: 0, RetryableError: 0, NonRetryableError: failed.length, Stopped: 0 },
    ObjectiveStatusCounters: { Succeeded: completed.length, Pending: 0, Failed: failed.length },
  };
  if (completed.length === 0) {
    const first = failed[0];
    throw new TuningFailure(`${name}: all ${failed.length} training jobs failed; the first, ${first.name}: ${first.failureReason ?? 'unknown'}`, extra, first.logExcerpt);
  }
  extra.BestTrainingJob = summary(completed[0]);
  return extra;
}
