/**
 * Checks a pipeline definition and orders its steps: a step runs after every step it refers to
 * (`{"Get": "Steps.X..."}` anywhere in its Arguments, including Std:JsonGet property files) and
 * every step in its `DependsOn`; steps of a Condition step's IfSteps/ElseSteps run after the
 * Condition step. Ties keep the definition's order, so the order is deterministic. The executor
 * starts each step as soon as its `dependencies` have settled (several at once when they allow),
 * and reports the steps in this order.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html
 */
import { conditionTypeProblems } from './pipeline-conditions';
import { type PipelineDefinition, type StepDefinition } from './pipeline-definition';
import { EXECUTION_VARIABLES, findReferences } from './pipeline-references';

/** The exception types a retry policy may name. */
export const RETRY_EXCEPTION_TYPES = [
  'Step.SERVICE_FAULT',
  'Step.THROTTLING',
  'SageMaker.JOB_INTERNAL_ERROR',
  'SageMaker.CAPACITY_ERROR',
  'SageMaker.RESOURCE_LIMIT',
] as const;

/** The step types retry policies apply to. */
const RETRYABLE_STEP_TYPES = new Set(['Processing', 'Training', 'Tuning', 'AutoML', 'Model', 'RegisterModel', 'Transform', 'NotebookJob', 'CreateModel']);

/** The step types with a cache configuration. */
const CACHEABLE_STEP_TYPES = new Set(['Processing', 'Training', 'Tuning', 'AutoML', 'Transform', 'ClarifyCheck', 'QualityCheck', 'EMR', 'NotebookJob']);

/** A parsed retry policy. */
export interface RetryPolicy {
  readonly exceptionTypes: string[];
  readonly intervalSeconds: number;
  readonly backoffRate: number;
  readonly maxAttempts?: number;
  readonly expireAfterMin?: number;
}

/** A step placed in the run order. */
export interface PlannedStep {
  /** The step's definition. */
  readonly definition: StepDefinition;
  readonly name: string;
  readonly type: string;
  /** The Condition step whose branch holds this step, and which branch. */
  readonly branch?: { readonly condition: string; readonly outcome: boolean };
  /** The steps that must have finished first. */
  readonly dependencies: readonly string[];
  readonly retryPolicies: readonly RetryPolicy[];
  /** The step's CacheConfig (caching is never used locally). */
  readonly cache?: { readonly enabled: boolean; readonly expireAfter?: string };
}

/** The checked, ordered steps. */
export interface PipelinePlan {
  /** Every step (nested ones included), in dependency order (the order of the run's report). */
  readonly steps: readonly PlannedStep[];
}

/** A definition the runner refuses before running anything (lists every problem). */
export class PipelineDefinitionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The pipeline definition has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join(' ')}`);
    this.name = 'PipelineDefinitionError';
  }
}

/** Checks the definition and orders its steps; throws {@link PipelineDefinitionError}. */
export function planPipeline(definition: PipelineDefinition): PipelinePlan {
  const problems: string[] = [];
  const flat: Array<{ step: StepDefinition; branch?: PlannedStep['branch'] }> = [];
  const flatten = (steps: unknown, where: string, branch?: PlannedStep['branch']): void => {
    if (steps === undefined) return;
    if (!Array.isArray(steps)) {
      problems.push(`${where} must be a list of steps.`);
      return;
    }
    for (const [i, raw] of steps.entries()) {
      const step = raw as StepDefinition;
      if (!step || typeof step.Name !== 'string' || typeof step.Type !== 'string') {
        problems.push(`${where}[${i}] needs a Name and a Type.`);
        continue;
      }
      flat.push({ step, branch });
      if (step.Type === 'Condition') {
        flatten(step.Arguments?.IfSteps, `${step.Name}.IfSteps`, { condition: step.Name, outcome: true });
        flatten(step.Arguments?.ElseSteps, `${step.Name}.ElseSteps`, { condition: step.Name, outcome: false });
      }
    }
  };
  flatten(definition.Steps, 'Steps');

  const names = flat.map((f) => f.step.Name);
  const byName = new Map(flat.map((f) => [f.step.Name, f.step]));
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length) problems.push(`Step names must be unique, but ${repeated.join(', ')} repeat.`);
  const parameters = new Set((definition.Parameters ?? []).map((p) => p.Name));

  const planned: PlannedStep[] = flat.map(({ step, branch }) => {
    if (!/^[A-Za-z0-9\-_]{1,64}$/.test(step.Name)) problems.push(`Step name "${step.Name}" must be 1 to 64 letters, digits, - or _.`);
    // Check steps take references outside Arguments too (SuppliedBaseline*, SkipCheck, ...).
    const checkFields = ['SkipCheck', 'RegisterNewBaseline', 'ModelPackageGroupName', 'SuppliedBaselineStatistics', 'SuppliedBaselineConstraints', 'ModelName'].map((f) => step[f]);
    const args = step.Type === 'Condition'
      ? { ...step.Arguments, IfSteps: undefined, ElseSteps: undefined }
      : step.Type === 'QualityCheck' || step.Type === 'ClarifyCheck' ? { ...step.Arguments, '': checkFields } : step.Arguments;
    const dependencies = new Set<string>();
    if (branch) dependencies.add(branch.condition);
    for (const reference of findReferences(args)) {
      if (reference.kind === 'Parameters' && !parameters.has(reference.name)) {
        problems.push(`Step ${step.Name} refers to Parameters.${reference.name}, which the pipeline does not declare (declared: ${[...parameters].join(', ') || 'none'}).`);
      } else if (reference.kind === 'Execution' && !(EXECUTION_VARIABLES as readonly string[]).includes(reference.name)) {
        problems.push(`Step ${step.Name} refers to Execution.${reference.name}, which is not an execution variable (${EXECUTION_VARIABLES.join(', ')}).`);
      } else if (reference.kind === 'Unknown') {
        problems.push(`Step ${step.Name} has {"Get": "${reference.expression}"}, which is not Parameters.*, Execution.* or Steps.*.`);
      } else if (reference.kind === 'Steps') {
        const target = byName.get(reference.step);
        if (!target) problems.push(`Step ${step.Name} refers to step "${reference.step}", which is not in the pipeline (steps: ${names.join(', ')}).`);
        else if (reference.step === step.Name) problems.push(`Step ${step.Name} refers to its own properties (${reference.path}).`);
        else {
          dependencies.add(reference.step);
          const file = /^PropertyFiles\.(.+)$/.exec(reference.path)?.[1];
          if (file && !(target.PropertyFiles ?? []).some((p) => p.PropertyFileName === file)) {
            problems.push(`Step ${step.Name} reads property file ${file} of step ${reference.step}, which declares ${(target.PropertyFiles ?? []).map((p) => p.PropertyFileName).join(', ') || 'no property files'}.`);
          }
        }
      }
    }
    for (const dependency of step.DependsOn ?? []) {
      if (!byName.has(dependency)) problems.push(`Step ${step.Name} DependsOn "${dependency}", which is not a step of the pipeline.`);
      else if (dependency === step.Name) problems.push(`Step ${step.Name} DependsOn itself.`);
      else dependencies.add(dependency);
    }
    if (step.Type === 'Condition') problems.push(...conditionTypeProblems(step.Arguments?.Conditions, step.Name));
    if (step.Type === 'Processing') {
      for (const file of step.PropertyFiles ?? []) {
        const outputs = (step.Arguments?.ProcessingOutputConfig as { Outputs?: Array<{ OutputName?: string }> } | undefined)?.Outputs ?? [];
        if (!outputs.some((o) => o.OutputName === file.OutputName)) {
          problems.push(`Step ${step.Name} property file ${file.PropertyFileName} reads output "${file.OutputName}", which the step does not have (outputs: ${outputs.map((o) => o.OutputName).join(', ') || 'none'}).`);
        }
      }
    }
    return {
      definition: step,
      name: step.Name,
      type: step.Type,
      branch,
      dependencies: [...dependencies],
      retryPolicies: parseRetryPolicies(step, problems),
      cache: parseCacheConfig(step, problems),
    };
  });
  if (problems.length) throw new PipelineDefinitionError(problems);
  return { steps: order(planned) };
}

function order(steps: PlannedStep[]): PlannedStep[] {
  const remaining = new Map(steps.map((s) => [s.name, s]));
  const done = new Set<string>();
  const result: PlannedStep[] = [];
  while (remaining.size > 0) {
    const next = steps.find((s) => remaining.has(s.name) && s.dependencies.every((d) => done.has(d)));
    if (!next) throw new PipelineDefinitionError([`The steps depend on each other in a cycle: ${describeCycle([...remaining.values()])}.`]);
    remaining.delete(next.name);
    done.add(next.name);
    result.push(next);
  }
  return result;
}

function describeCycle(blocked: PlannedStep[]): string {
  const byName = new Map(blocked.map((s) => [s.name, s]));
  // Walk from any blocked step along blocked dependencies until a step repeats.
  const path: string[] = [];
  let current: PlannedStep | undefined = blocked[0];
  while (current && !path.includes(current.name)) {
    path.push(current.name);
    current = current.dependencies.map((d) => byName.get(d)).find((d): d is PlannedStep => d !== undefined);
  }
  if (!current) return blocked.map((s) => s.name).join(', ');
  const cycle = path.slice(path.indexOf(current.name));
  return [...cycle, current.name].join(' → ');
}

function parseRetryPolicies(step: StepDefinition, problems: string[]): RetryPolicy[] {
  if (step.RetryPolicies === undefined) return [];
  if (!Array.isArray(step.RetryPolicies)) {
    problems.push(`Step ${step.Name}: RetryPolicies must be a list.`);
    return [];
  }
  if (!RETRYABLE_STEP_TYPES.has(step.Type)) problems.push(`Step ${step.Name}: ${step.Type} steps do not take RetryPolicies.`);
  return step.RetryPolicies.map((raw, i) => {
    const where = `Step ${step.Name} RetryPolicies[${i}]`;
    const policy = (raw ?? {}) as Record<string, unknown>;
    const types = policy.ExceptionType;
    if (!Array.isArray(types) || types.length === 0) problems.push(`${where}: ExceptionType must be a non-empty list.`);
    const exceptionTypes = Array.isArray(types) ? types.map(String) : [];
    for (const type of exceptionTypes) {
      if (!(RETRY_EXCEPTION_TYPES as readonly string[]).includes(type)) problems.push(`${where}: exception type ${type} is not one of ${RETRY_EXCEPTION_TYPES.join(', ')}.`);
    }
    const number = (name: string, min: number, max: number, integer: boolean): number | undefined => {
      const value = policy[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || value < min || value > max || (integer && !Number.isInteger(value))) {
        problems.push(`${where}: ${name} is ${JSON.stringify(value)}, but must be ${integer ? 'a whole number ' : ''}from ${min} to ${max}.`);
        return undefined;
      }
      return value;
    };
    return {
      exceptionTypes,
      intervalSeconds: number('IntervalSeconds', 1, 43200, true) ?? 1,
      backoffRate: number('BackoffRate', 1, Number.MAX_SAFE_INTEGER, false) ?? 2,
      maxAttempts: number('MaxAttempts', 1, 20, true),
      expireAfterMin: number('ExpireAfterMin', 1, 14400, true),
    };
  });
}

function parseCacheConfig(step: StepDefinition, problems: string[]): PlannedStep['cache'] {
  if (step.CacheConfig === undefined) return undefined;
  const config = step.CacheConfig as { Enabled?: unknown; ExpireAfter?: unknown };
  if (!CACHEABLE_STEP_TYPES.has(step.Type)) problems.push(`Step ${step.Name}: ${step.Type} steps do not take a CacheConfig.`);
  if (typeof config.Enabled !== 'boolean') problems.push(`Step ${step.Name}: CacheConfig.Enabled must be true or false.`);
  if (config.ExpireAfter !== undefined && (typeof config.ExpireAfter !== 'string' || !/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(config.ExpireAfter))) {
    problems.push(`Step ${step.Name}: CacheConfig.ExpireAfter ${JSON.stringify(config.ExpireAfter)} is not an ISO 8601 duration such as P30D or PT12H.`);
  }
  return { enabled: config.Enabled === true, expireAfter: typeof config.ExpireAfter === 'string' ? config.ExpireAfter : undefined };
}
