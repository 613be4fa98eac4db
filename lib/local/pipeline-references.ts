/**
 * The expressions of the pipeline definition language: `{"Get": "Parameters.X"}`,
 * `{"Get": "Execution.X"}`, `{"Get": "Steps.<Name>.<property path>"}`, `{"Std:Join": ...}` and
 * `{"Std:JsonGet": ...}` — finding them (for the step graph) and evaluating them.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-propertyfile.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-properties.html
 */

/** The execution variables SageMaker Pipelines provides (`{"Get": "Execution.<name>"}`). */
export const EXECUTION_VARIABLES = [
  'PipelineExecutionId',
  'PipelineExecutionArn',
  'StartDateTime',
  'CurrentDateTime',
  'PipelineName',
  'PipelineArn',
  'TrainingJobName',
  'ProcessingJobName',
] as const;

/** One segment of a property path: a field name, a list index, or a `['name']` selector. */
export type PathSegment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'key'; readonly key: string };

/** A reference found in a definition fragment. */
export type PipelineReference =
  | { readonly kind: 'Parameters'; readonly name: string }
  | { readonly kind: 'Execution'; readonly name: string }
  | { readonly kind: 'Steps'; readonly step: string; readonly path: string }
  | { readonly kind: 'Unknown'; readonly expression: string };

/** A property file as the expression evaluator reads it. */
export interface PropertyFileContent {
  /** Where it was read from. */
  readonly uri: string;
  /** The parsed JSON. */
  readonly content: unknown;
}

/** What expressions are evaluated against. */
export interface ReferenceScope {
  /** The value of a pipeline parameter (typed: string, number or boolean). */
  parameter(name: string): unknown;
  /** The value of an execution variable. */
  execution(name: string): unknown;
  /** The properties of a step that has run (throws for a step that has not). */
  stepProperties(step: string): Record<string, unknown>;
  /** Reads and parses a property file of a step that has run. */
  propertyFile(step: string, name: string): PropertyFileContent;
  /** Reads and parses a JSON object of the store (for `Std:JsonGet` with `S3Uri`). */
  jsonObject(uri: string): PropertyFileContent;
}

/** Parses a property path such as `ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri` or `a.b[0].c`. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`The path "${path}" is malformed at character ${i + 1}: ${why}.`);
  };
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (i === 0 || i === path.length - 1 || path[i + 1] === '.') fail('empty field name');
      i += 1;
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) fail('[ without ]');
      const inner = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner) && inner.length >= 2) segments.push({ kind: 'key', key: inner.slice(1, -1) });
      else fail(`[${inner}] is neither a number nor a quoted name`);
      i = close + 1;
    } else if (c === '"') {
      const close = path.indexOf('"', i + 1);
      if (close < 0) fail('unclosed quote');
      segments.push({ kind: 'field', name: path.slice(i + 1, close) });
      i = close + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j += 1;
      segments.push({ kind: 'field', name: path.slice(i, j) });
      i = j;
    }
  }
  if (segments.length === 0) fail('it is empty');
  return segments;
}

/** Renders segments back to a path (for messages). */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) => (s.kind === 'field' ? `${i === 0 ? '' : '.'}${s.name}` : s.kind === 'index' ? `[${s.index}]` : `['${s.key}']`))
    .join('');
}

/** The outcome of following a path: the value, or where it stopped and what was there. */
export type PathLookup =
  | { readonly found: true; readonly value: unknown }
  | { readonly found: false; readonly at: string; readonly available: string };

/**
 * Follows a path through a JSON value. A `['name']` segment on a list selects the element whose
 * `…Name` field (OutputName, ChannelName, MetricName, ...) equals the name, as SageMaker's property
 * references do; on an object it selects the key.
 */
export function lookupPath(value: unknown, segments: readonly PathSegment[]): PathLookup {
  let current = value;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const at = formatPath(segments.slice(0, i));
    const next = step(current, segment);
    if (next === undefined) return { found: false, at, available: describeAvailable(current) };
    current = next;
  }
  return { found: true, value: current };
}

function step(current: unknown, segment: PathSegment): unknown {
  if (segment.kind === 'index') return Array.isArray(current) ? current[segment.index] : undefined;
  if (Array.isArray(current)) {
    if (segment.kind !== 'key') return undefined;
    return current.find((item) => item !== null && typeof item === 'object' &&
      Object.entries(item as Record<string, unknown>).some(([k, v]) => /Name$/.test(k) && v === segment.key));
  }
  if (current === null || typeof current !== 'object') return undefined;
  const name = segment.kind === 'field' ? segment.name : segment.key;
  return Object.prototype.hasOwnProperty.call(current, name) ? (current as Record<string, unknown>)[name] : undefined;
}

function describeAvailable(value: unknown): string {
  if (Array.isArray(value)) {
    const names = value.map((item) => {
      if (item === null || typeof item !== 'object') return undefined;
      const entry = Object.entries(item as Record<string, unknown>).find(([k, v]) => /Name$/.test(k) && typeof v === 'string');
      return entry ? `'${String(entry[1])}'` : undefined;
    }).filter((n): n is string => n !== undefined);
    return `a list of ${value.length}${names.length ? ` (${names.join(', ')})` : ''}`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value as Record<string, unknown>);
    return keys.length ? keys.join(', ') : 'nothing (an empty object)';
  }
  return `the value ${JSON.stringify(value)}`;
}

/** Whether a value is a `{"Get": ...}`, `{"Std:Join": ...}` or `{"Std:JsonGet": ...}` expression. */
export function isExpression(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Get' || keys[0] === 'Std:Join' || keys[0] === 'Std:JsonGet');
}

/** Parses the string of a `{"Get": ...}`. */
export function parseGet(expression: string): PipelineReference {
  const match = /^(Parameters|Execution|Steps)\.(.+)$/.exec(expression);
  if (!match) return { kind: 'Unknown', expression };
  if (match[1] === 'Parameters') return { kind: 'Parameters', name: match[2] };
  if (match[1] === 'Execution') return { kind: 'Execution', name: match[2] };
  const stepMatch = /^([^.[]+)(?:\.(.*))?$/.exec(match[2]);
  if (!stepMatch) return { kind: 'Unknown', expression };
  return { kind: 'Steps', step: stepMatch[1], path: stepMatch[2] ?? '' };
}

/** Every reference in a definition fragment (Std:Join values and Std:JsonGet property files included). */
export function findReferences(value: unknown): PipelineReference[] {
  const found: PipelineReference[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      if (isExpression(record) && typeof record.Get === 'string') {
        found.push(parseGet(record.Get));
        return;
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(value);
  return found;
}

/** The names of the steps a fragment refers to. */
export function referencedSteps(value: unknown): string[] {
  const steps = findReferences(value).flatMap((r) => (r.kind === 'Steps' ? [r.step] : []));
  return [...new Set(steps)];
}

/**
 * Replaces every expression in `value` with its value, giving the concrete request SageMaker
 * would send. Throws with a message naming the expression and the cause.
 */
export function evaluate(value: unknown, scope: ReferenceScope): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, scope));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (isExpression(record)) {
    if ('Get' in record) return evaluateGet(record.Get, scope);
    if ('Std:Join' in record) return evaluateJoin(record['Std:Join'], scope);
    return evaluateJsonGet(record['Std:JsonGet'], scope);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) result[key] = evaluate(item, scope);
  return result;
}

function evaluateGet(expression: unknown, scope: ReferenceScope): unknown {
  if (typeof expression !== 'string') throw new Error(`{"Get": ${JSON.stringify(expression)}} needs a string.`);
  const reference = parseGet(expression);
  switch (reference.kind) {
    case 'Parameters': return scope.parameter(reference.name);
    case 'Execution': return scope.execution(reference.name);
    case 'Steps': {
      if (reference.path === '' || reference.path.startsWith('PropertyFiles.')) {
        throw new Error(`{"Get": "${expression}"} can only be read through Std:JsonGet.`);
      }
      const properties = scope.stepProperties(reference.step);
      const lookup = lookupPath(properties, parsePath(reference.path));
      if (!lookup.found) {
        throw new Error(`{"Get": "${expression}"}: step ${reference.step} has no ${reference.path}; at ${lookup.at ? `"${lookup.at}"` : 'the top level'} it has: ${lookup.available}.`);
      }
      return lookup.value;
    }
    default:
      throw new Error(`{"Get": "${expression}"} is not a reference SageMaker Pipelines knows (Parameters.*, Execution.*, Steps.*).`);
  }
}

function evaluateJoin(spec: unknown, scope: ReferenceScope): string {
  const join = spec as { On?: unknown; Values?: unknown };
  if (!join || !Array.isArray(join.Values)) throw new Error(`Std:Join needs Values (a list), got ${JSON.stringify(spec)}.`);
  const on = join.On === undefined ? '' : String(evaluate(join.On, scope));
  return join.Values.map((item) => toText(evaluate(item, scope))).join(on);
}

/** How Std:Join renders a value. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function evaluateJsonGet(spec: unknown, scope: ReferenceScope): unknown {
  const jsonGet = spec as { PropertyFile?: unknown; S3Uri?: unknown; Path?: unknown };
  if (!jsonGet || typeof jsonGet.Path !== 'string') throw new Error(`Std:JsonGet needs a Path, got ${JSON.stringify(spec)}.`);
  let file: PropertyFileContent;
  let label: string;
  if (jsonGet.PropertyFile !== undefined) {
    const get = jsonGet.PropertyFile as { Get?: unknown };
    const reference = typeof get?.Get === 'string' ? parseGet(get.Get) : undefined;
    const match = reference?.kind === 'Steps' ? /^PropertyFiles\.(.+)$/.exec(reference.path) : null;
    if (!reference || reference.kind !== 'Steps' || !match) {
      throw new Error(`Std:JsonGet PropertyFile must be {"Get": "Steps.<step>.PropertyFiles.<name>"}, got ${JSON.stringify(jsonGet.PropertyFile)}.`);
    }
    file = scope.propertyFile(reference.step, match[1]);
    label = `property file ${match[1]} (${file.uri})`;
  } else if (jsonGet.S3Uri !== undefined) {
    const uri = evaluate(jsonGet.S3Uri, scope);
    if (typeof uri !== 'string') throw new Error(`Std:JsonGet S3Uri evaluated to ${JSON.stringify(uri)}, not a string.`);
    file = scope.jsonObject(uri);
    label = `the JSON file ${uri}`;
  } else {
    throw new Error(`Std:JsonGet needs PropertyFile or S3Uri, got ${JSON.stringify(spec)}.`);
  }
  const lookup = lookupPath(file.content, parsePath(jsonGet.Path));
  if (!lookup.found) {
    throw new Error(`${label} has no "${jsonGet.Path}"; at ${lookup.at ? `"${lookup.at}"` : 'the top level'} it has: ${lookup.available}`);
  }
  return lookup.value;
}
