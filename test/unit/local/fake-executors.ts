/**
 * Fake job executors for the engine's tests (no Python): each job writes small outputs to the
 * store and returns what the Describe call would. Not a test file itself.
 */
import type { LocalJobContext, LocalJobExecutors, LocalJobResult, LocalModel } from '../../../lib/local/jobs/types';
import { LocalJobStatus } from '../../../lib/local/jobs/types';

/** A recorded executor call. */
export interface FakeCall {
  readonly kind: 'processing' | 'training' | 'tuning' | 'transform' | 'invoke';
  readonly request: Record<string, unknown>;
  readonly ctx: LocalJobContext;
  readonly model?: LocalModel;
  readonly options?: unknown;
}

/** How the fake behaves. */
export interface FakeOptions {
  /** What the processing output named `evaluation` gets as evaluation.json (undefined: no file). */
  readonly evaluation?: unknown;
  /** Jobs (by step name in the job name) that fail. */
  readonly failing?: string[];
  /**
   * Runs when a job starts (after the call is recorded), with the job's step name: may wait (e.g.
   * for another step to start) and may return the job's result in place of the fake's.
   */
  readonly onStart?: (step: string, ctx: LocalJobContext) => Promise<LocalJobResult | undefined> | LocalJobResult | undefined;
}

/** The step name in a pipeline job name (`[pipelines-]<execution id>-<Step>-<suffix>`). */
export function stepOfJob(jobName: string): string {
  return /^(?:pipelines-)?[a-z0-9]{12}-(.+)-[A-Za-z0-9]+$/.exec(jobName)?.[1] ?? jobName;
}

/**
 * Waits up to `turns` turns of the event loop (not a time) for `condition`; whether it came true.
 * Other jobs progress between turns, so a job can wait for another one to start or end.
 */
export async function waitFor(condition: () => boolean, turns = 200): Promise<boolean> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return true;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return condition();
}

/** The most jobs running at once in a `start:<step>`/`end:<step>` event list. */
export function maxOverlap(events: readonly string[]): number {
  let running = 0;
  let most = 0;
  for (const event of events) {
    running += event.startsWith('start:') ? 1 : -1;
    most = Math.max(most, running);
  }
  return most;
}

/**
 * The fakes; `calls` records every call, `events` every job's `start:<step>` and `end:<step>` in
 * the order they happened.
 */
export function fakeExecutors(options: FakeOptions = {}): LocalJobExecutors & { calls: FakeCall[]; events: string[] } {
  const calls: FakeCall[] = [];
  const events: string[] = [];
  const fails = (ctx: LocalJobContext): LocalJobResult | undefined =>
    (options.failing ?? []).some((step) => ctx.jobName.includes(`-${step}-`))
      ? { status: LocalJobStatus.FAILED, failureReason: 'AlgorithmError: boom', logExcerpt: 'Traceback\nValueError: boom', properties: {}, durationMs: 5 }
      : undefined;
  /** Records the job's start and end around `body`, running `onStart` first. */
  const job = async (ctx: LocalJobContext, body: () => LocalJobResult): Promise<LocalJobResult> => {
    const step = stepOfJob(ctx.jobName);
    events.push(`start:${step}`);
    try {
      return (await options.onStart?.(step, ctx)) ?? fails(ctx) ?? body();
    } finally {
      events.push(`end:${step}`);
    }
  };
  return {
    calls,
    events,
    async runProcessingJob(request, ctx) {
      calls.push({ kind: 'processing', request: request as unknown as Record<string, unknown>, ctx });
      return job(ctx, () => {
        for (const output of request.ProcessingOutputConfig?.Outputs ?? []) {
          const uri = output.S3Output?.S3Uri as string;
          if (output.OutputName === 'evaluation') {
            if (options.evaluation !== undefined) ctx.store.write(`${uri.replace(/\/$/, '')}/evaluation.json`, JSON.stringify(options.evaluation));
          } else {
            ctx.store.write(`${uri.replace(/\/$/, '')}/data.csv`, '1,2,3\n');
          }
        }
        ctx.log('processing done');
        return { status: LocalJobStatus.COMPLETED, properties: { ...request, ProcessingJobStatus: 'Completed' }, durationMs: 5 };
      });
    },
    async runTrainingJob(request, ctx) {
      calls.push({ kind: 'training', request: request as unknown as Record<string, unknown>, ctx });
      return job(ctx, () => {
        const artifacts = `${(request.OutputDataConfig?.S3OutputPath as string).replace(/\/$/, '')}/${ctx.jobName}/output/model.tar.gz`;
        ctx.store.write(artifacts, 'model');
        return {
          status: LocalJobStatus.COMPLETED,
          properties: { ...request, ModelArtifacts: { S3ModelArtifacts: artifacts }, FinalMetricDataList: [{ MetricName: 'validation:auc', Value: 0.81 }] },
          durationMs: 5,
        };
      });
    },
    async runTuningJob(request, ctx, tuning) {
      calls.push({ kind: 'tuning', request: request as unknown as Record<string, unknown>, ctx, options: tuning });
      return job(ctx, () => ({
        status: LocalJobStatus.COMPLETED,
        properties: { ...request, BestTrainingJob: { TrainingJobName: `${ctx.jobName}-001-abc`, FinalHyperParameterTuningJobObjectiveMetric: { MetricName: 'validation:auc', Value: 0.8 } }, TrainingJobSummaries: [{ TrainingJobName: `${ctx.jobName}-001-abc` }] },
        durationMs: 5,
      }));
    },
    async runTransformJob(request, model, ctx) {
      calls.push({ kind: 'transform', request: request as unknown as Record<string, unknown>, ctx, model });
      return job(ctx, () => {
        const out = request.TransformOutput?.S3OutputPath as string;
        ctx.store.write(`${out.replace(/\/$/, '')}/data.csv.out`, '0.5\n');
        return { status: LocalJobStatus.COMPLETED, properties: { ...request, TransformJobStatus: 'Completed' }, durationMs: 5 };
      });
    },
    async invokeModel(model, body, contentType, accept, ctx) {
      calls.push({ kind: 'invoke', request: { body: body.toString(), contentType, accept }, ctx, model });
      return { body: Buffer.from(`0.42 from ${model.modelName}`), contentType: accept ?? 'text/csv' };
    },
  };
}

/** A definition shaped like the example training pipeline (Preprocess → Train → Evaluate → CheckAuc). */
export function trainingDefinition(overrides: { elseSteps?: unknown[]; path?: string } = {}): Record<string, unknown> {
  const out = (name: string) => ({ OutputName: name, S3Output: { S3Uri: `s3://data-bucket/prepared/${name}/`, LocalPath: `/opt/ml/processing/${name}`, S3UploadMode: 'EndOfJob' } });
  return {
    Version: '2020-12-01',
    Parameters: [{ Name: 'AucThreshold', Type: 'Float', DefaultValue: 0.7 }],
    Steps: [
      {
        Name: 'Preprocess',
        Type: 'Processing',
        Arguments: {
          AppSpecification: { ImageUri: 'img' },
          ProcessingInputs: [{ InputName: 'raw', S3Input: { S3Uri: 's3://data-bucket/raw/', LocalPath: '/opt/ml/processing/input/raw' } }],
          ProcessingOutputConfig: { Outputs: [out('train'), out('test')] },
        },
        RetryPolicies: [{ ExceptionType: ['Step.THROTTLING', 'SageMaker.CAPACITY_ERROR'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 5 }],
        CacheConfig: { Enabled: true, ExpireAfter: 'P7D' },
      },
      {
        Name: 'Train',
        Type: 'Training',
        Arguments: {
          AlgorithmSpecification: { TrainingImage: 'xgb', TrainingInputMode: 'File' },
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3Uri: { Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" } } } }],
          OutputDataConfig: { S3OutputPath: 's3://artifacts/models/' },
        },
      },
      {
        Name: 'Evaluate',
        Type: 'Processing',
        Arguments: {
          ProcessingInputs: [{ InputName: 'model', S3Input: { S3Uri: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } } }],
          ProcessingOutputConfig: { Outputs: [{ OutputName: 'evaluation', S3Output: { S3Uri: 's3://artifacts/evaluation/', LocalPath: '/opt/ml/processing/evaluation' } }] },
        },
        PropertyFiles: [{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }],
      },
      {
        Name: 'CheckAuc',
        Type: 'Condition',
        Arguments: {
          Conditions: [{
            Type: 'GreaterThanOrEqualTo',
            LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: overrides.path ?? 'binary_classification_metrics.auc.value' } },
            RightValue: { Get: 'Parameters.AucThreshold' },
          }],
          IfSteps: [
            {
              Name: 'Register',
              Type: 'RegisterModel',
              Arguments: {
                ModelPackageGroupName: 'loan-default',
                ModelApprovalStatus: 'PendingManualApproval',
                InferenceSpecification: { Containers: [{ Image: 'xgb', ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } }] },
                ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: { 'Std:Join': { On: '/', Values: [{ Get: "Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri" }, 'evaluation.json'] } } } } },
              },
            },
            { Name: 'CreateModel', Type: 'Model', Arguments: { ExecutionRoleArn: 'arn:aws:iam::123456789012:role/r', PrimaryContainer: { Image: 'xgb', ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } } } },
            {
              Name: 'BatchScore',
              Type: 'Transform',
              Arguments: {
                ModelName: { Get: 'Steps.CreateModel.ModelName' },
                TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: { Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri" } } } },
                TransformOutput: { S3OutputPath: 's3://artifacts/batch/' },
                TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
              },
            },
          ],
          ElseSteps: overrides.elseSteps ?? [{ Name: 'AucTooLow', Type: 'Fail', Arguments: { ErrorMessage: { 'Std:Join': { On: ' ', Values: ['AUC below', { Get: 'Parameters.AucThreshold' }] } } } }],
        },
      },
    ],
  };
}
