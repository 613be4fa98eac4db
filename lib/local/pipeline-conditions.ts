/**
 * Evaluates the conditions of a Condition step: Equals, GreaterThan, GreaterThanOrEqualTo,
 * LessThan, LessThanOrEqualTo, In, Not and Or; a list of conditions is true when all are.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-condition
 */
import { evaluate, type ReferenceScope } from './pipeline-references';

/** The condition types SageMaker Pipelines supports. */
export const CONDITION_TYPES = ['Equals', 'GreaterThan', 'GreaterThanOrEqualTo', 'LessThan', 'LessThanOrEqualTo', 'In', 'Not', 'Or'] as const;

const COMPARISONS: Record<string, (a: number | string, b: number | string) => boolean> = {
  GreaterThan: (a, b) => a > b,
  GreaterThanOrEqualTo: (a, b) => a >= b,
  LessThan: (a, b) => a < b,
  LessThanOrEqualTo: (a, b) => a <= b,
};

/** A condition that could not be evaluated (names the condition and the values). */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

/** Whether every condition of the list holds. */
export function evaluateConditions(conditions: unknown, scope: ReferenceScope): boolean {
  if (!Array.isArray(conditions)) throw new ConditionError(`Conditions must be a list, got ${JSON.stringify(conditions)}.`);
  // Evaluate every condition, so a broken reference is reported even after a false condition.
  return conditions.map((c) => evaluateCondition(c, scope)).every(Boolean);
}

/** Evaluates one condition. */
export function evaluateCondition(condition: unknown, scope: ReferenceScope): boolean {
  if (condition === null || typeof condition !== 'object') throw new ConditionError(`A condition must be an object, got ${JSON.stringify(condition)}.`);
  const c = condition as Record<string, unknown>;
  const type = c.Type;
  if (type === 'Equals') {
    return equal(evaluate(c.LeftValue, scope), evaluate(c.RightValue, scope));
  }
  if (typeof type === 'string' && type in COMPARISONS) {
    const left = evaluate(c.LeftValue, scope);
    const right = evaluate(c.RightValue, scope);
    const pair = comparable(left, right);
    if (!pair) {
      throw new ConditionError(`${type} compares numbers (or two strings), but got ${JSON.stringify(left)} and ${JSON.stringify(right)}.`);
    }
    return COMPARISONS[type](pair[0], pair[1]);
  }
  if (type === 'In') {
    const query = evaluate(c.QueryValue, scope);
    const values = evaluate(c.Values, scope);
    if (!Array.isArray(values)) throw new ConditionError(`In needs Values (a list), got ${JSON.stringify(values)}.`);
    return values.some((v) => equal(query, v));
  }
  if (type === 'Not') {
    if (c.Expression === undefined) throw new ConditionError('Not needs an Expression (the condition to negate).');
    return !evaluateCondition(c.Expression, scope);
  }
  if (type === 'Or') {
    if (!Array.isArray(c.Conditions)) throw new ConditionError('Or needs Conditions (a list).');
    return c.Conditions.map((inner) => evaluateCondition(inner, scope)).some(Boolean);
  }
  throw new ConditionError(`The condition type ${JSON.stringify(type)} is not one SageMaker Pipelines supports (${CONDITION_TYPES.join(', ')}).`);
}

/** Checks the condition types of a list without evaluating references (before the run starts). */
export function conditionTypeProblems(conditions: unknown, where: string): string[] {
  const problems: string[] = [];
  const check = (condition: unknown, path: string): void => {
    const c = (condition ?? {}) as Record<string, unknown>;
    if (!CONDITION_TYPES.includes(c.Type as (typeof CONDITION_TYPES)[number])) {
      problems.push(`${path}: condition type ${JSON.stringify(c.Type)} is not one SageMaker Pipelines supports (${CONDITION_TYPES.join(', ')}).`);
    } else if (c.Type === 'Not') {
      check(c.Expression, `${path}.Expression`);
    } else if (c.Type === 'Or' && Array.isArray(c.Conditions)) {
      c.Conditions.forEach((inner, i) => check(inner, `${path}.Conditions[${i}]`));
    }
  };
  if (!Array.isArray(conditions)) return [`${where}: Conditions must be a list.`];
  conditions.forEach((condition, i) => check(condition, `${where}.Conditions[${i}]`));
  return problems;
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) return a === Number(b);
  if (typeof b === 'number' && typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a))) return Number(a) === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

function comparable(a: unknown, b: unknown): [number, number] | [string, string] | undefined {
  const num = (v: unknown): number | undefined =>
    typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return [x, y];
  if (typeof a === 'string' && typeof b === 'string') return [a, b];
  return undefined;
}
