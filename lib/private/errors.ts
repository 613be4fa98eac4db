import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { referenceMarkerPattern } from './reference-marker';

/**
 * The error our constructs throw for bad input. The message always starts with the construct
 * path, then says what value was given, the rule, and how to fix it.
 */
export class SageMakerConstructError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SageMakerConstructError';
  }
}

/** Builds (does not throw) an error whose message names the construct path. */
export function validationError(scope: IConstruct, problem: string): SageMakerConstructError {
  return new SageMakerConstructError(`[${scope.node.path}] ${problem}`);
}

/**
 * Throws one error listing every problem, or does nothing when the list is empty.
 * Gather the problems of one construct before calling, so users fix them in one go.
 */
export function throwIfProblems(scope: IConstruct, problems: string[]): void {
  if (problems.length === 1) {
    throw validationError(scope, problems[0]);
  }
  if (problems.length > 1) {
    throw validationError(scope, `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** True when `value` is set and is a concrete value (not an unresolved token), so it can be checked. */
export function isConcrete<T>(value: T | undefined): value is T {
  if (value === undefined) return false;
  return !Token.isUnresolved(value);
}

/**
 * Returns a problem sentence when a concrete number lies outside [min, max], else undefined.
 * Unresolved tokens and undefined pass.
 */
export function rangeProblem(what: string, value: number | undefined, min: number, max: number, fix?: string): string | undefined {
  if (!isConcrete(value)) return undefined;
  if (value < min || value > max || Number.isNaN(value)) {
    return `${what} is ${value}, but must be between ${min} and ${max}${fix ? `; ${fix}` : ''}.`;
  }
  return undefined;
}

/** Returns a problem sentence when a concrete number is not an integer. */
export function integerProblem(what: string, value: number | undefined): string | undefined {
  if (!isConcrete(value)) return undefined;
  return Number.isInteger(value) ? undefined : `${what} is ${value}, but must be a whole number.`;
}

/**
 * True when `text` is set and concrete: neither an unresolved token nor holding a job reference
 * (pipeline parameter or step property), so it can be checked at synth.
 */
export function isConcreteText(text: string | undefined): text is string {
  return isConcrete(text) && !referenceMarkerPattern().test(text);
}

/**
 * Returns a problem sentence when concrete text is shorter than `min` or longer than `max`
 * characters, else undefined. Tokens and job references pass.
 */
export function lengthProblem(what: string, text: string | undefined, min: number, max: number, fix?: string): string | undefined {
  if (!isConcreteText(text)) return undefined;
  if (text.length < min || text.length > max) {
    const shown = text.length > 60 ? `${text.slice(0, 40)}...` : text;
    return `${what} "${shown}" has ${text.length} characters, but must have ${min === max ? min : `${min} to ${max}`}${fix ? `; ${fix}` : ''}.`;
  }
  return undefined;
}

/** Returns a problem sentence when a list (or map) has more than `max` entries, else undefined. */
export function countProblem(what: string, count: number, max: number, fix?: string): string | undefined {
  return count > max ? `${what} has ${count} entries, but SageMaker allows at most ${max}${fix ? `; ${fix}` : ''}.` : undefined;
}
