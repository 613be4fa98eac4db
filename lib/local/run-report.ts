/**
 * The result of a local pipeline run (also written as `report.json`) and its rendering for people.
 */
import * as fs from 'fs';
import * as path from 'path';

/** How a step ended. `Skipped`: in a Condition branch not taken (or after such a step); `NotRun`: the run failed first. */
export type LocalStepStatus = 'Succeeded' | 'Failed' | 'Skipped' | 'NotRun';

/** One step of a run. */
export interface LocalStepRun {
  readonly name: string;
  /** The step type: Processing, Training, Tuning, Transform, Model, RegisterModel, Condition, Fail, ... */
  readonly type: string;
  readonly status: LocalStepStatus;
  readonly durationMs: number;
  /** The job, model or model package name the step created. */
  readonly resourceName?: string;
  readonly failureReason?: string;
  /** Why a `Skipped` step did not run (a branch not taken, a dependency that did not run). */
  readonly skippedBecause?: string;
  /** The end of the job's output, for a failed job. */
  readonly logExcerpt?: string;
  /** The Condition step and branch this step belongs to. */
  readonly branch?: { readonly condition: string; readonly outcome: boolean };
  /** The outputs worth showing (output URIs, model artifacts, metrics, Outcome, ModelPackageArn, ...). */
  readonly summary?: Record<string, string>;
  /** Everything the step exposes to `{"Get": "Steps.<name>...."}`. */
  readonly properties?: Record<string, unknown>;
  /** What looks wrong but does not fail the step on SageMaker either (e.g. a metrics URI with no object). */
  readonly warnings?: string[];
  /** The property files a processing step declared, read after it ran. */
  readonly propertyFiles?: Record<string, { readonly uri: string; readonly content?: unknown; readonly error?: string }>;
}

/** A local pipeline run. */
export interface LocalPipelineRun {
  readonly executionId: string;
  readonly executionArn: string;
  readonly pipelineName: string;
  /** The stack and the pipeline's logical id. */
  readonly stack: string;
  readonly pipelineLogicalId: string;
  readonly status: 'Succeeded' | 'Failed';
  /** The step that failed. */
  readonly failedStep?: string;
  readonly failureReason?: string;
  /** ISO 8601. */
  readonly startTime: string;
  readonly durationMs: number;
  /** The parameter values used. */
  readonly parameters: Record<string, string | number | boolean>;
  /** Every step of the definition (those that did not run too), in the plan's dependency order, whatever order they finished in. */
  readonly steps: LocalStepRun[];
  /** Where report.json was written. */
  readonly reportFile: string;
  /** Notes: other pipelines of the stack, skipped assets, steps not emulated. */
  readonly notes: string[];
}

/** Writes the report as JSON. */
export function writeReport(run: LocalPipelineRun): void {
  fs.mkdirSync(path.dirname(run.reportFile), { recursive: true });
  fs.writeFileSync(run.reportFile, JSON.stringify(run, null, 2) + '\n');
}

/** `3.2 s`, `950 ms`, `2 min 05 s`. */
export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}

/** The run as lines for a terminal: one per step, then the outcome. */
export function renderRun(run: LocalPipelineRun): string {
  const width = Math.max(4, ...run.steps.map((s) => s.name.length));
  const lines = [`Pipeline ${run.pipelineName} (${run.stack}/${run.pipelineLogicalId}), execution ${run.executionId}: ${run.status} in ${formatSeconds(run.durationMs)}`];
  for (const step of run.steps) {
    const time = step.status === 'Succeeded' || step.status === 'Failed' ? ` ${formatSeconds(step.durationMs)}` : '';
    const summary = step.summary ? Object.entries(step.summary).map(([k, v]) => `${k}=${v}`).join('  ') : '';
    lines.push(`  ${step.name.padEnd(width)}  ${step.type.padEnd(13)} ${step.status.padEnd(9)}${time}${summary ? `  ${summary}` : ''}`.trimEnd());
    for (const warning of step.warnings ?? []) lines.push(`    warning: ${warning}`);
  }
  if (run.status === 'Failed') {
    lines.push('', `Failed at step ${run.failedStep ?? '?'}: ${run.failureReason ?? 'no reason given'}`);
    const failed = run.steps.find((s) => s.name === run.failedStep);
    if (failed?.logExcerpt) lines.push('Last lines of its output:', ...failed.logExcerpt.split('\n').map((l) => `  | ${l}`));
  }
  for (const note of run.notes) lines.push(`note: ${note}`);
  lines.push(`Report: ${run.reportFile}`);
  return lines.join('\n') + '\n';
}

/** The properties worth a glance, by step type. */
export function summarize(type: string, properties: Record<string, unknown>): Record<string, string> {
  const summary: Record<string, string> = {};
  const get = (object: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), object);
  switch (type) {
    case 'Processing': {
      const outputs = get(properties, 'ProcessingOutputConfig', 'Outputs');
      if (Array.isArray(outputs)) {
        for (const o of outputs as Array<{ OutputName?: string; S3Output?: { S3Uri?: string } }>) {
          if (o.OutputName && o.S3Output?.S3Uri) summary[o.OutputName] = o.S3Output.S3Uri;
        }
      }
      break;
    }
    case 'Training': {
      const artifacts = get(properties, 'ModelArtifacts', 'S3ModelArtifacts');
      if (typeof artifacts === 'string') summary.model = artifacts;
      const metrics = properties.FinalMetricDataList;
      if (Array.isArray(metrics)) {
        for (const m of metrics as Array<{ MetricName?: string; Value?: number }>) if (m.MetricName) summary[m.MetricName] = String(m.Value);
      }
      break;
    }
    case 'Tuning': {
      const best = get(properties, 'BestTrainingJob', 'TrainingJobName');
      if (typeof best === 'string') summary.best = best;
      const objective = get(properties, 'BestTrainingJob', 'FinalHyperParameterTuningJobObjectiveMetric');
      if (objective && typeof objective === 'object') {
        const o = objective as { MetricName?: string; Value?: number };
        summary[o.MetricName ?? 'objective'] = String(o.Value);
      }
      const summaries = properties.TrainingJobSummaries;
      if (Array.isArray(summaries)) summary.trials = String(summaries.length);
      break;
    }
    case 'Transform': {
      const output = get(properties, 'TransformOutput', 'S3OutputPath');
      if (typeof output === 'string') summary.output = output;
      break;
    }
    case 'Model':
      if (typeof properties.ModelName === 'string') summary.model = properties.ModelName;
      break;
    case 'RegisterModel':
      if (typeof properties.ModelPackageArn === 'string') summary.modelPackage = properties.ModelPackageArn;
      if (typeof properties.ModelApprovalStatus === 'string') summary.approval = properties.ModelApprovalStatus;
      break;
    case 'Condition':
      if (typeof properties.Outcome === 'string') summary.outcome = properties.Outcome;
      break;
    default:
      break;
  }
  return summary;
}
