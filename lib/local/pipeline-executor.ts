/**
 * Executes a pipeline definition as SageMaker Pipelines does: every step whose dependencies (the
 * steps it refers to, its DependsOn, and for a step of a Condition branch the Condition step) have
 * settled starts at once, up to the pipeline's `ParallelismConfiguration.MaxParallelExecutionSteps`
 * ("By default, a pipeline performs all steps that are available to run in parallel",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-pipeline.html#build-and-manage-pipeline-execution;
 * "When a step does not depend on any other step, it runs immediately upon pipeline execution",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html#build-and-manage-parallelism).
 * Job steps (Processing, Training, Tuning, Transform) go to the local job executors,
 * QualityCheck steps run the Model Monitor analyzer emulation as a processing job (lib/local/quality-check.ts),
 * Model and RegisterModel steps write to the local state, Condition steps choose a branch, Fail
 * steps end the run.
 *
 * After a step fails no further step starts; steps already running finish and are recorded ("When
 * a Fail step and other pipeline steps execute at the same time, the pipeline does not terminate
 * until all concurrent steps are completed",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-fail);
 * every step not started is NotRun and the run fails naming the first step that failed. Whether
 * SageMaker still starts steps that do not depend on the failed one is not documented; the runner
 * starts none.
 *
 * The jobs that run side by side share the runner's CPUs (`cpus`): see {@link cpuShares}.
 *
 * Not emulated: Lambda, Callback, EMR, ClarifyCheck, AutoML, NotebookJob and other
 * step types (the step fails saying so); caching (every step runs); retries (the exception types
 * a retry policy names — throttling, service faults, capacity, resource limits, internal errors —
 * never occur locally, so policies are checked but never trigger).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type {
  CreateHyperParameterTuningJobRequest,
  CreateProcessingJobRequest,
  CreateTrainingJobRequest,
  CreateTransformJobRequest,
} from '@aws-sdk/client-sagemaker';
import { type LocalJobContext, type LocalJobExecutors, type LocalJobResult, LocalJobStatus } from './jobs/types';
import { LocalState, modelContainers } from './local-state';
import { type LocalObjectStore } from './object-store';
import { evaluateConditions } from './pipeline-conditions';
import { type PipelineDefinition } from './pipeline-definition';
import { type PlannedStep, planPipeline } from './pipeline-graph';
import { type ParameterValue, resolveParameters } from './pipeline-parameters';
import { evaluate, lookupPath, parsePath, type PropertyFileContent, type ReferenceScope } from './pipeline-references';
import { analyzerOutputUri, asBoolean, driftBaseline, type QualityCheckFields, readViolations, withBaseline } from './quality-check';
import { formatSeconds, type LocalPipelineRun, type LocalStepRun, summarize, writeReport } from './run-report';

/** The step types the runner executes. */
export const EMULATED_STEP_TYPES = ['Processing', 'Training', 'Tuning', 'Transform', 'QualityCheck', 'Model', 'RegisterModel', 'Condition', 'Fail'] as const;

/** What {@link executePipeline} needs. */
export interface PipelineExecutionOptions {
  /** The parsed definition. */
  readonly definition: PipelineDefinition;
  /** The pipeline's name (PipelineName). */
  readonly pipelineName: string;
  /** The stack and logical id, for the report. */
  readonly stack?: string;
  readonly pipelineLogicalId?: string;
  /** Parameter values by name (as StartPipelineExecution takes them: strings). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The local S3. */
  readonly store: LocalObjectStore;
  /** The job executors. */
  readonly executors: LocalJobExecutors;
  /** The Python that stands in for the containers' `python3`. */
  readonly python: string;
  /**
   * The CPUs the run's jobs may use together: jobs running side by side split them (see
   * {@link cpuShares}), and each gets its share as `LocalJobContext.cpus`.
   * @default no cap: every job may use every CPU
   */
  readonly cpus?: number;
  /**
   * The most steps that run at once: the pipeline's `ParallelismConfiguration.MaxParallelExecutionSteps`
   * (a whole number, at least 1).
   * @default no limit: every step whose dependencies have settled starts
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ParallelismConfiguration.html
   */
  readonly maxParallelSteps?: number;
  readonly account: string;
  readonly region: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** The most trials a Tuning step runs. @default 3 (the executors' default) */
  readonly maxTrials?: number;
  /** Fixes the execution id (tests). @default a random 12-character id */
  readonly executionId?: string;
  /** Notes to add to the report (e.g. from loading the pipeline). */
  readonly notes?: readonly string[];
}

interface StepState {
  readonly status: LocalStepRun['status'];
  readonly properties?: Record<string, unknown>;
}

/** A random pipeline execution id: 12 lower-case letters and digits, as SageMaker makes them. */
export function newExecutionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * A job name `pipelines-<execution id>-<StepName>-<suffix>` within `maxLength` (the step name is
 * shortened, characters SageMaker does not allow in names become `-`).
 */
export function pipelineJobName(executionId: string, stepName: string, maxLength = 63, suffixLength = 10): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const suffix = [...randomBytes(suffixLength)].map((b) => alphabet[b % alphabet.length]).join('');
  const prefix = maxLength >= 50 ? `pipelines-${executionId}-` : `${executionId}-`;
  const room = Math.max(1, maxLength - prefix.length - suffix.length - 1);
  const step = stepName.replace(/[^A-Za-z0-9-]/g, '-').slice(0, room).replace(/-+$/, '') || 'step';
  return `${prefix}${step}-${suffix}`;
}

/**
 * Runs the pipeline and returns the run (also written to
 * `<store root>/.runner/executions/<id>/report.json`).
 *
 * @throws PipelineDefinitionError or ParameterError before anything runs, or an Error for a
 *   `maxParallelSteps` or `cpus` that is not a whole number of at least 1
 */
export async function executePipeline(options: PipelineExecutionOptions): Promise<LocalPipelineRun> {
  const plan = planPipeline(options.definition);
  const parameters = resolveParameters(options.definition.Parameters, options.parameters ?? {});
  for (const [name, value] of [['MaxParallelExecutionSteps', options.maxParallelSteps], ['cpus', options.cpus]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`The pipeline run's ${name} must be a whole number, at least 1, got ${value}: give ${name === 'cpus' ? 'the CPUs its jobs may use' : 'the most steps that may run at once'}.`);
    }
  }
  const executionId = options.executionId ?? newExecutionId();
  const log = options.log ?? (() => undefined);
  const state = new LocalState(options.store.root, options.account, options.region);
  const pipelineArn = `arn:aws:sagemaker:${options.region}:${options.account}:pipeline/${options.pipelineName.toLowerCase()}`;
  const executionArn = `${pipelineArn}/execution/${executionId}`;
  const executionDir = state.executionDirectory(executionId);
  const start = new Date();
  const notes = [...(options.notes ?? [])];
  for (const step of plan.steps) {
    if (!(EMULATED_STEP_TYPES as readonly string[]).includes(step.type)) {
      notes.push(`step ${step.name} is a ${step.type} step, which the local runner does not emulate; the run fails if it reaches it.`);
    }
    if (step.cache?.enabled) notes.push(`step ${step.name} has caching enabled; local runs never reuse earlier results.`);
  }
  const limit = options.maxParallelSteps ?? Number.POSITIVE_INFINITY;
  log(
    `Pipeline ${options.pipelineName}: execution ${executionId}, ${plan.steps.length} step(s): ${plan.steps.map((s) => s.name).join(', ')}` +
      (options.maxParallelSteps !== undefined ? `; at most ${options.maxParallelSteps} at once` : ''),
  );

  const states = new Map<string, StepState>();
  const results = new Map<string, LocalStepRun>();
  /** Steps neither started nor decided (Skipped), in plan order. */
  const pending: PlannedStep[] = [...plan.steps];
  /** The job steps running, each settling when its step has been recorded. */
  const running = new Map<string, Promise<void>>();
  /** The CPUs each running job step holds. */
  const held = new Map<string, number>();
  let failed: { step: string; reason: string } | undefined;

  const runner = new StepRunner(options, state, parameters, states, {
    executionId,
    executionArn,
    pipelineArn,
    startTime: start.toISOString(),
    executionDir,
  });

  const record = (step: PlannedStep, result: LocalStepRun): void => {
    results.set(step.name, result);
    for (const warning of result.warnings ?? []) {
      notes.push(`step ${step.name}: ${warning}`);
      log(`[${step.name}] warning: ${warning}`);
    }
    states.set(step.name, { status: result.status, properties: result.properties });
    if (result.status === 'Failed' && !failed) failed = { step: step.name, reason: result.failureReason ?? 'no reason given' };
  };
  const take = (step: PlannedStep): void => {
    pending.splice(pending.indexOf(step), 1);
  };
  // A step may start once every step it depends on has settled (its Condition step is one of them).
  const ready = (step: PlannedStep): boolean => step.dependencies.every((d) => states.has(d));

  for (;;) {
    // Settle what needs no job, in plan order: skipped steps, and the Model, RegisterModel,
    // Condition and Fail steps, which finish at once (they may make further steps ready).
    let progressed = true;
    while (progressed && !failed) {
      progressed = false;
      for (const step of [...pending]) {
        if (failed) break;
        if (!ready(step)) continue;
        const skipReason = whySkipped(step, states);
        if (skipReason) {
          take(step);
          log(`[${step.name}] ${step.type} skipped: ${skipReason}`);
          record(step, { name: step.name, type: step.type, status: 'Skipped', durationMs: 0, branch: step.branch, skippedBecause: skipReason });
          progressed = true;
        } else if (!JOB_STEP_TYPES.has(step.type) && running.size < limit) {
          take(step);
          record(step, await runner.run(step, undefined));
          progressed = true;
        }
      }
    }
    // Start the job steps that are ready, together, sharing the CPUs the running jobs do not hold.
    if (!failed) {
      const starting = pending.filter((s) => JOB_STEP_TYPES.has(s.type) && ready(s)).slice(0, Math.max(0, limit - running.size));
      const shares = cpuShares(options.cpus, [...held.values()], starting.length);
      starting.forEach((step, i) => {
        take(step);
        const cpus = shares[i];
        if (cpus !== undefined) held.set(step.name, cpus);
        const settled = runner.run(step, cpus)
          .catch((error: unknown): LocalStepRun => ({ name: step.name, type: step.type, branch: step.branch, status: 'Failed', durationMs: 0, failureReason: error instanceof Error ? error.message : String(error) }))
          .then((result) => {
            running.delete(step.name);
            held.delete(step.name);
            record(step, result);
          });
        running.set(step.name, settled);
      });
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  // After a failure nothing more starts: the rest did not run.
  for (const step of pending) {
    results.set(step.name, { name: step.name, type: step.type, status: 'NotRun', durationMs: 0, branch: step.branch });
    states.set(step.name, { status: 'NotRun' });
  }
  // The report keeps the plan's order, whatever order the steps finished in.
  const runs = plan.steps.map((step) => results.get(step.name) as LocalStepRun);

  const run: LocalPipelineRun = {
    executionId,
    executionArn,
    pipelineName: options.pipelineName,
    stack: options.stack ?? '',
    pipelineLogicalId: options.pipelineLogicalId ?? '',
    status: failed ? 'Failed' : 'Succeeded',
    failedStep: failed?.step,
    failureReason: failed ? `${failed.step}: ${failed.reason}` : undefined,
    startTime: start.toISOString(),
    durationMs: Date.now() - start.getTime(),
    parameters,
    steps: runs,
    reportFile: path.join(executionDir, 'report.json'),
    notes,
  };
  writeReport(run);
  log(`Pipeline ${options.pipelineName}: ${run.status} in ${formatSeconds(run.durationMs)}${failed ? ` (${run.failureReason})` : ''}`);
  return run;
}

/** The step types that run a job (and so use CPUs). */
const JOB_STEP_TYPES: ReadonlySet<string> = new Set(['Processing', 'Training', 'Tuning', 'Transform', 'QualityCheck']);

/**
 * The CPUs each of `starting` job steps gets when they start together: the CPUs of the run
 * (`total`) that the running jobs do not hold (`held`), split evenly, the remainder to the first
 * ones (plan order), at least 1 each. A job keeps its share until it ends, since its processes'
 * thread counts are fixed when they start; so a job that starts while others run gets only what
 * they leave, and the run's jobs never hold more than `total` CPUs, except for the one CPU every
 * job gets at least. Without `total` there is no cap (undefined shares).
 *
 * @param total the CPUs the run may use, undefined for no cap
 * @param held the CPUs each running job holds
 * @param starting how many job steps start now
 */
export function cpuShares(total: number | undefined, held: readonly number[], starting: number): Array<number | undefined> {
  if (total === undefined) return Array.from({ length: starting }, () => undefined);
  const free = Math.max(0, total - held.reduce((sum, cpus) => sum + cpus, 0));
  return Array.from({ length: starting }, (_, i) => Math.max(1, Math.floor(free / starting) + (i < free % starting ? 1 : 0)));
}

function whySkipped(step: PlannedStep, states: ReadonlyMap<string, StepState>): string | undefined {
  if (step.branch) {
    const condition = states.get(step.branch.condition);
    if (condition?.status !== 'Succeeded') return `its Condition step ${step.branch.condition} did not run`;
    const outcome = condition.properties?.Outcome === 'True';
    if (outcome !== step.branch.outcome) return `${step.branch.condition} evaluated to ${outcome ? 'True' : 'False'}, so its ${outcome ? 'ElseSteps' : 'IfSteps'} do not run`;
  }
  const notRun = step.dependencies.filter((d) => states.get(d)?.status !== 'Succeeded');
  return notRun.length ? `it depends on ${notRun.join(', ')}, which did not run` : undefined;
}

/** ` on N CPU(s)` for a job's start line (nothing without a cap). */
function cpuNote(cpus: number | undefined): string {
  return cpus === undefined ? '' : ` on ${cpus} CPU${cpus === 1 ? '' : 's'}`;
}

interface ExecutionInfo {
  readonly executionId: string;
  readonly executionArn: string;
  readonly pipelineArn: string;
  readonly startTime: string;
  readonly executionDir: string;
}

/** Runs a step against the states of the steps it depends on (settled before it starts). */
class StepRunner {
  constructor(
    private readonly options: PipelineExecutionOptions,
    private readonly state: LocalState,
    private readonly parameters: Record<string, ParameterValue>,
    private readonly states: ReadonlyMap<string, StepState>,
    private readonly execution: ExecutionInfo,
  ) {}

  /**
   * @param step the step, whose dependencies have settled
   * @param cpus the CPUs its job may use (`LocalJobContext.cpus`), undefined for no cap
   */
  public async run(step: PlannedStep, cpus: number | undefined): Promise<LocalStepRun> {
    const started = Date.now();
    const base = { name: step.name, type: step.type, branch: step.branch };
    const log = this.options.log ?? (() => undefined);
    const finish = (run: Omit<LocalStepRun, 'name' | 'type' | 'durationMs' | 'branch'>): LocalStepRun => {
      const durationMs = Date.now() - started;
      const result: LocalStepRun = { ...base, ...run, durationMs };
      const what = result.resourceName ? ` ${result.resourceName}` : '';
      log(`[${step.name}] ${step.type}${what} ${result.status} in ${formatSeconds(durationMs)}${result.failureReason ? `: ${result.failureReason}` : ''}`);
      return result;
    };
    try {
      switch (step.type) {
        case 'Processing':
        case 'Training':
        case 'Tuning':
        case 'Transform':
          return await this.runJob(step, cpus, finish);
        case 'QualityCheck':
          return await this.runQualityCheck(step, cpus, finish);
        case 'Model':
          return finish(this.createModel(step));
        case 'RegisterModel': {
          const request = this.arguments(step, undefined) as Record<string, unknown>;
          const registered = this.state.registerModelPackage(request);
          const properties = { ...registered };
          const warnings = this.missingObjects({ ModelMetrics: request.ModelMetrics, DriftCheckBaselines: request.DriftCheckBaselines }, 'RegisterModel');
          return finish({ status: 'Succeeded', resourceName: registered.ModelPackageArn, properties, summary: summarize(step.type, properties), warnings: warnings.length ? warnings : undefined });
        }
        case 'Condition': {
          const outcome = evaluateConditions(step.definition.Arguments?.Conditions, this.scope(undefined)) ? 'True' : 'False';
          const properties = { Outcome: outcome };
          return finish({ status: 'Succeeded', properties, summary: summarize(step.type, properties) });
        }
        case 'Fail': {
          const message = evaluate(step.definition.Arguments?.ErrorMessage ?? '', this.scope(undefined));
          return finish({ status: 'Failed', failureReason: typeof message === 'string' ? message : JSON.stringify(message), properties: {} });
        }
        default:
          return finish({
            status: 'Failed',
            failureReason: `${step.type} steps are not emulated locally (the local runner runs ${EMULATED_STEP_TYPES.join(', ')}).`,
          });
      }
    } catch (error) {
      return finish({ status: 'Failed', failureReason: error instanceof Error ? error.message : String(error) });
    }
  }

  private async runJob(step: PlannedStep, cpus: number | undefined, finish: (run: Omit<LocalStepRun, 'name' | 'type' | 'durationMs' | 'branch'>) => LocalStepRun): Promise<LocalStepRun> {
    const isTuning = step.type === 'Tuning';
    // HyperParameterTuningJobName is at most 32 characters; the other job names 63.
    const jobName = isTuning ? pipelineJobName(this.execution.executionId, step.name, 32, 6) : pipelineJobName(this.execution.executionId, step.name);
    const args = this.arguments(step, jobName) as Record<string, unknown>;
    const log = this.options.log ?? (() => undefined);
    const ctx = this.jobContext(step.name, jobName, cpus);
    log(`[${step.name}] ${step.type} ${jobName} started${cpuNote(cpus)}`);
    const executors = this.options.executors;
    let result: LocalJobResult;
    switch (step.type) {
      case 'Processing':
        result = await executors.runProcessingJob({ ...args, ProcessingJobName: jobName } as unknown as CreateProcessingJobRequest, ctx);
        break;
      case 'Training':
        result = await executors.runTrainingJob({ ...args, TrainingJobName: jobName } as unknown as CreateTrainingJobRequest, ctx);
        break;
      case 'Tuning':
        result = await executors.runTuningJob(
          { ...args, HyperParameterTuningJobName: jobName } as unknown as CreateHyperParameterTuningJobRequest,
          ctx,
          this.options.maxTrials !== undefined ? { maxTrials: this.options.maxTrials } : undefined,
        );
        break;
      default: {
        const modelName = args.ModelName;
        const model = typeof modelName === 'string' ? this.state.model(modelName) : undefined;
        if (!model) {
          return finish({
            status: 'Failed',
            resourceName: jobName,
            failureReason: `ModelName ${JSON.stringify(modelName)} is not a model in the local store; models come from a Model step of a pipeline run (saved: ${this.state.modelNames().slice(0, 5).join(', ') || 'none'}).`,
          });
        }
        result = await executors.runTransformJob({ ...args, TransformJobName: jobName } as unknown as CreateTransformJobRequest, model, ctx);
      }
    }
    if (result.status !== LocalJobStatus.COMPLETED) {
      return finish({ status: 'Failed', resourceName: jobName, failureReason: result.failureReason ?? `the ${step.type.toLowerCase()} job failed without a reason`, logExcerpt: result.logExcerpt, properties: result.properties });
    }
    const properties = result.properties;
    const propertyFiles = step.type === 'Processing' ? this.readPropertyFiles(step, properties) : undefined;
    return finish({ status: 'Succeeded', resourceName: jobName, properties, summary: summarize(step.type, properties), propertyFiles });
  }

  /**
   * A QualityCheck step: the analyzer job (with the previous baseline unless SkipCheck), then the
   * step's properties; fails on violations of the previous baseline.
   */
  private async runQualityCheck(step: PlannedStep, cpus: number | undefined, finish: (run: Omit<LocalStepRun, 'name' | 'type' | 'durationMs' | 'branch'>) => LocalStepRun): Promise<LocalStepRun> {
    const jobName = pipelineJobName(this.execution.executionId, step.name);
    const scope = this.scope(jobName);
    const definition = step.definition;
    const fields = evaluate(
      {
        CheckType: definition.CheckType,
        SkipCheck: definition.SkipCheck,
        RegisterNewBaseline: definition.RegisterNewBaseline,
        ModelPackageGroupName: definition.ModelPackageGroupName,
        SuppliedBaselineStatistics: definition.SuppliedBaselineStatistics,
        SuppliedBaselineConstraints: definition.SuppliedBaselineConstraints,
      },
      scope,
    ) as QualityCheckFields;
    const skipCheck = asBoolean(fields.SkipCheck);
    const registerNewBaseline = asBoolean(fields.RegisterNewBaseline);
    const baseline = driftBaseline(fields, this.state);
    // "If it is set to False, the previous baseline of the configured check type must be available"
    // (SkipCheck and RegisterNewBaseline of QualityCheckStepMetadata).
    if ((!skipCheck || !registerNewBaseline) && !baseline) {
      return finish({
        status: 'Failed',
        failureReason: `${!skipCheck ? 'SkipCheck' : 'RegisterNewBaseline'} is false, but there is no previous baseline: no SuppliedBaselineStatistics/SuppliedBaselineConstraints${typeof fields.ModelPackageGroupName === 'string' ? `, and model package group ${fields.ModelPackageGroupName} has no Approved version with ${fields.CheckType === 'MODEL_QUALITY' ? 'ModelQuality' : 'ModelDataQuality'} drift-check baselines` : ' and no ModelPackageGroupName'}. Run with SkipCheck true (and RegisterNewBaseline true) first.`,
      });
    }
    let request = { ...(evaluate(definition.Arguments ?? {}, scope) as Record<string, unknown>), ProcessingJobName: jobName } as unknown as CreateProcessingJobRequest;
    if (!skipCheck && baseline) request = withBaseline(request, baseline, this.options.store);
    const log = this.options.log ?? (() => undefined);
    const ctx = this.jobContext(step.name, jobName, cpus);
    log(`[${step.name}] QualityCheck ${String(fields.CheckType)} ${jobName} started${!skipCheck && baseline ? ` (checking against ${baseline.source})` : ''}${cpuNote(cpus)}`);
    const result = await this.options.executors.runProcessingJob(request, ctx);
    if (result.status !== LocalJobStatus.COMPLETED) {
      return finish({ status: 'Failed', resourceName: jobName, failureReason: result.failureReason ?? 'the analyzer job failed without a reason', logExcerpt: result.logExcerpt });
    }
    const output = analyzerOutputUri(request);
    const calculated = { statistics: `${output}/statistics.json`, constraints: `${output}/constraints.json` };
    for (const uri of Object.values(calculated)) {
      if (!this.options.store.exists(uri)) return finish({ status: 'Failed', resourceName: jobName, failureReason: `the analyzer wrote no ${uri}.` });
    }
    const used = registerNewBaseline ? calculated : baseline;
    const violationReport = `${output}/constraint_violations.json`;
    const violations = !skipCheck ? readViolations(this.options.store, violationReport) : [];
    const properties: Record<string, unknown> = {
      CheckType: fields.CheckType,
      ModelPackageGroupName: fields.ModelPackageGroupName,
      SkipCheck: skipCheck,
      RegisterNewBaseline: registerNewBaseline,
      CheckJobArn: result.properties.ProcessingJobArn,
      CalculatedBaselineStatistics: calculated.statistics,
      CalculatedBaselineConstraints: calculated.constraints,
      ...(used ? { BaselineUsedForDriftCheckStatistics: used.statistics, BaselineUsedForDriftCheckConstraints: used.constraints } : {}),
      ...(violations.length ? { ViolationReport: violationReport } : {}),
    };
    const summary: Record<string, string> = { statistics: calculated.statistics, constraints: calculated.constraints, ...(violations.length ? { violations: String(violations.length) } : {}) };
    if (violations.length) {
      const described = violations.slice(0, 5).map((v) => `${String(v.feature_name ?? v.metric_name)}: ${String(v.constraint_check_type)}`).join('; ');
      return finish({
        status: 'Failed',
        resourceName: jobName,
        properties,
        summary,
        failureReason: `the ${String(fields.CheckType)} check found ${violations.length} violation(s) of ${baseline!.source} (${described}${violations.length > 5 ? '; ...' : ''}); see ${violationReport}.`,
      });
    }
    return finish({ status: 'Succeeded', resourceName: jobName, properties, summary });
  }

  /** S3Uri fields under `value` whose object is not in the store (SageMaker accepts them; later readers fail). */
  private missingObjects(value: unknown, what: string): string[] {
    const warnings: string[] = [];
    const walk = (v: unknown, where: string): void => {
      if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${where}[${i}]`));
      else if (v !== null && typeof v === 'object') {
        for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
          // The store maps `a//b` and `a/b` to one file, but in S3 they are different keys.
          if (key === 'S3Uri' && typeof item === 'string' && item.startsWith('s3://') && (!this.options.store.exists(item) || item.slice(5).includes('//'))) {
            warnings.push(`${where}.S3Uri ${item} is not an object in the local store${item.includes('//', 5) ? ' (note the double slash: Std:Join of a URI ending in / and a file name)' : ''}; ${what} records it anyway, as SageMaker does.`);
          } else walk(item, where ? `${where}.${key}` : key);
        }
      }
    };
    walk(value, '');
    return warnings;
  }

  private createModel(step: PlannedStep): Omit<LocalStepRun, 'name' | 'type' | 'durationMs' | 'branch'> {
    const request = this.arguments(step, undefined) as Record<string, unknown>;
    const containers = modelContainers(request);
    if (containers.length === 0) throw new Error('the Model step has neither PrimaryContainer nor Containers.');
    for (const container of containers) {
      const url = container.ModelDataUrl;
      if (typeof url === 'string' && url.startsWith('s3://') && !this.options.store.exists(url) && this.options.store.list(url).length === 0) {
        throw new Error(`ModelDataUrl ${url} is not in the local store.`);
      }
    }
    const suffix = randomBytes(3).toString('hex');
    const room = 63 - `pipelines-${this.execution.executionId}--${suffix}`.length;
    const modelName = `pipelines-${this.execution.executionId}-${step.name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, room)}-${suffix}`;
    const record = this.state.saveModel({
      modelName,
      containers,
      executionRoleArn: typeof request.ExecutionRoleArn === 'string' ? request.ExecutionRoleArn : undefined,
      createdBy: { pipelineExecutionId: this.execution.executionId, stepName: step.name },
    });
    const properties = { ...request, ModelName: modelName, ModelArn: record.modelArn, CreationTime: record.creationTime };
    return { status: 'Succeeded', resourceName: modelName, properties, summary: summarize(step.type, properties) };
  }

  /** A fresh work directory for the step's job, and the context the job executors take. */
  private jobContext(stepName: string, jobName: string, cpus: number | undefined): LocalJobContext {
    const workDir = path.join(this.execution.executionDir, 'jobs', stepName);
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.mkdirSync(workDir, { recursive: true });
    const log = this.options.log ?? (() => undefined);
    return {
      store: this.options.store,
      workDir,
      jobName,
      python: this.options.python,
      cpus,
      log: (line) => log(`[${stepName}] ${line}`),
      account: this.options.account,
      region: this.options.region,
      runId: this.execution.executionId,
    };
  }

  private readPropertyFiles(step: PlannedStep, properties: Record<string, unknown>): LocalStepRun['propertyFiles'] {
    const files: NonNullable<LocalStepRun['propertyFiles']> = {};
    for (const declaration of step.definition.PropertyFiles ?? []) {
      try {
        const file = readPropertyFile(this.options.store, step.name, properties, declaration.PropertyFileName, step.definition.PropertyFiles ?? []);
        files[declaration.PropertyFileName] = { uri: file.uri, content: file.content };
      } catch (error) {
        files[declaration.PropertyFileName] = { uri: '', error: (error as Error).message };
      }
    }
    return Object.keys(files).length ? files : undefined;
  }

  private arguments(step: PlannedStep, jobName: string | undefined): unknown {
    return evaluate(step.definition.Arguments ?? {}, this.scope(jobName));
  }

  private scope(jobName: string | undefined): ReferenceScope {
    const states = this.states;
    const store = this.options.store;
    const stepState = (name: string): StepState => {
      const s = states.get(name);
      if (!s || s.status !== 'Succeeded' || !s.properties) throw new Error(`step ${name} has not run successfully (${s?.status ?? 'not run yet'}), so its properties are not available.`);
      return s;
    };
    const declarations = (name: string) => findStep(this.options.definition.Steps, name)?.PropertyFiles ?? [];
    return {
      parameter: (name) => {
        if (!(name in this.parameters)) throw new Error(`Parameters.${name} is not a parameter of the pipeline.`);
        return this.parameters[name];
      },
      execution: (name) => {
        switch (name) {
          case 'PipelineExecutionId': return this.execution.executionId;
          case 'PipelineExecutionArn': return this.execution.executionArn;
          case 'StartDateTime': return this.execution.startTime;
          case 'CurrentDateTime': return new Date().toISOString();
          case 'PipelineName': return this.options.pipelineName;
          case 'PipelineArn': return this.execution.pipelineArn;
          case 'TrainingJobName':
          case 'ProcessingJobName':
            if (!jobName) throw new Error(`Execution.${name} is only available in the arguments of a job step.`);
            return jobName;
          default: throw new Error(`Execution.${name} is not an execution variable.`);
        }
      },
      stepProperties: (name) => stepState(name).properties as Record<string, unknown>,
      propertyFile: (name, file) => readPropertyFile(store, name, stepState(name).properties as Record<string, unknown>, file, declarations(name)),
      jsonObject: (uri) => {
        if (!store.exists(uri)) throw new Error(`Std:JsonGet: there is no ${uri} in the local store.`);
        return { uri, content: parseJson(store.read(uri).toString('utf-8'), uri) };
      },
    };
  }
}

function findStep(steps: readonly unknown[], name: string): PipelineDefinition['Steps'][number] | undefined {
  for (const raw of steps) {
    const step = raw as PipelineDefinition['Steps'][number];
    if (step?.Name === name) return step;
    if (step?.Type === 'Condition') {
      const nested = [...((step.Arguments?.IfSteps as unknown[]) ?? []), ...((step.Arguments?.ElseSteps as unknown[]) ?? [])];
      const found = findStep(nested, name);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Reads a property file of a processing step: `<S3Uri of its output>/<FilePath>` in the store.
 *
 * @throws a message naming the property file, the URI and what the output holds
 */
export function readPropertyFile(
  store: LocalObjectStore,
  stepName: string,
  properties: Record<string, unknown>,
  fileName: string,
  declarations: ReadonlyArray<{ PropertyFileName: string; OutputName: string; FilePath: string }>,
): PropertyFileContent {
  const declaration = declarations.find((d) => d.PropertyFileName === fileName);
  if (!declaration) throw new Error(`step ${stepName} declares no property file ${fileName}.`);
  const lookup = lookupPath(properties, parsePath(`ProcessingOutputConfig.Outputs['${declaration.OutputName}'].S3Output.S3Uri`));
  if (!lookup.found || typeof lookup.value !== 'string') {
    throw new Error(`property file ${fileName}: step ${stepName} has no output "${declaration.OutputName}".`);
  }
  const base = lookup.value;
  const uri = `${base.replace(/\/+$/, '')}/${declaration.FilePath.replace(/^\/+/, '')}`;
  if (!store.exists(uri)) {
    const present = store.list(base.endsWith('/') ? base : `${base}/`).map((u) => u.slice(base.replace(/\/?$/, '/').length));
    throw new Error(
      `property file ${fileName} (${uri}) does not exist: step ${stepName} wrote ${present.length ? `only ${present.slice(0, 10).join(', ')}` : 'nothing'} to its output "${declaration.OutputName}" (${base}).`,
    );
  }
  return { uri, content: parseJson(store.read(uri).toString('utf-8'), `property file ${fileName} (${uri})`) };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}
