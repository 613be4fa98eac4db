import { countProblem, isConcreteText, lengthProblem } from './errors';

/**
 * Limits of the SageMaker API that CloudFormation does not check at synth, so a template that
 * breaks them only fails at deploy or run time. Every helper returns problem sentences (value,
 * rule, fix) for `throwIfProblems`; tokens and job references (pipeline parameters, step
 * properties) pass.
 */

/** Limits of one `Environment` map of the SageMaker API. */
export interface EnvironmentLimits {
  /** The request the map belongs to, for messages (e.g. `CreateTrainingJob`). */
  readonly api: string;
  readonly maxEntries: number;
  readonly maxKeyLength: number;
  readonly maxValueLength: number;
}

/**
 * CreateTrainingJob `Environment`: at most 100 entries, keys `[a-zA-Z_][a-zA-Z0-9_]*` of at most
 * 512 characters, values of at most 512.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html#sagemaker-CreateTrainingJob-request-Environment
 */
export const TRAINING_ENVIRONMENT: EnvironmentLimits = { api: 'CreateTrainingJob', maxEntries: 100, maxKeyLength: 512, maxValueLength: 512 };

/**
 * CreateProcessingJob `Environment`: at most 100 entries, keys `[a-zA-Z_][a-zA-Z0-9_]*` of at
 * most 256 characters, values of at most 256.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateProcessingJob.html#sagemaker-CreateProcessingJob-request-Environment
 */
export const PROCESSING_ENVIRONMENT: EnvironmentLimits = { api: 'CreateProcessingJob', maxEntries: 100, maxKeyLength: 256, maxValueLength: 256 };

/**
 * CreateTransformJob `Environment`: at most 16 entries, keys `[a-zA-Z_][a-zA-Z0-9_]*` of at most
 * 1024 characters, values of at most 10240.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html#sagemaker-CreateTransformJob-request-Environment
 */
export const TRANSFORM_ENVIRONMENT: EnvironmentLimits = { api: 'CreateTransformJob', maxEntries: 16, maxKeyLength: 1024, maxValueLength: 10240 };

/**
 * ContainerDefinition `Environment` (CreateModel): at most 100 entries, keys
 * `[a-zA-Z_][a-zA-Z0-9_]*` of at most 1024 characters, values of at most 1024.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html#sagemaker-Type-ContainerDefinition-Environment
 */
export const CONTAINER_ENVIRONMENT: EnvironmentLimits = { api: 'CreateModel ContainerDefinition', maxEntries: 100, maxKeyLength: 1024, maxValueLength: 1024 };

const ENVIRONMENT_KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Problems of an environment map: entry count, key pattern and length, value length. */
export function environmentProblems(what: string, environment: Record<string, string> | undefined, limits: EnvironmentLimits): string[] {
  if (!environment) return [];
  const problems: string[] = [];
  const keys = Object.keys(environment);
  const count = countProblem(what, keys.length, limits.maxEntries, `${limits.api} rejects more; pass fewer variables (for example one JSON-encoded value)`);
  if (count) problems.push(count);
  for (const key of keys) {
    if (!isConcreteText(key)) continue;
    if (!ENVIRONMENT_KEY.test(key) || key.length > limits.maxKeyLength) {
      const shown = key.length > 60 ? `${key.slice(0, 40)}...` : key;
      problems.push(
        `${what} has the variable name "${shown}" (${key.length} characters), but names must match [a-zA-Z_][a-zA-Z0-9_]* and have at most ${limits.maxKeyLength} characters (${limits.api}); ` +
          `rename it, e.g. "${key.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1').slice(0, limits.maxKeyLength)}".`,
      );
    }
    const value = lengthProblem(`${what}.${key}`, environment[key], 0, limits.maxValueLength, `${limits.api} rejects longer values; shorten it or pass a file (an S3 input) instead`);
    if (value) problems.push(value);
  }
  return problems;
}

/**
 * CreateTrainingJob `HyperParameters`: at most 100 entries, keys of at most 256 characters,
 * values of at most 2500.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html#sagemaker-CreateTrainingJob-request-HyperParameters
 */
export function hyperparameterProblems(hyperparameters: Record<string, string>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(hyperparameters);
  const count = countProblem('hyperparameters', keys.length, 100, 'pass fewer (script-mode code adds sagemaker_program and sagemaker_submit_directory), or read a config file from an input channel');
  if (count) problems.push(count);
  for (const key of keys) {
    const keyProblem = lengthProblem('hyperparameter name', key, 1, 256, 'shorten the name');
    if (keyProblem) problems.push(keyProblem);
    const valueProblem = lengthProblem(`hyperparameter ${key.length > 60 ? `${key.slice(0, 40)}...` : key}`, hyperparameters[key], 0, 2500, 'shorten the value or read it from a file in an input channel');
    if (valueProblem) problems.push(valueProblem);
  }
  return problems;
}

/** A metric SageMaker reads from the training logs. */
export interface MetricDefinitionLike {
  readonly name: string;
  readonly regex: string;
}

/**
 * MetricDefinition: Name 1-255 characters, Regex 1-500 characters; the regex must compile and
 * its first capture group is the value.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MetricDefinition.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-define-metrics-variables.html
 */
export function metricDefinitionProblems(definitions: MetricDefinitionLike[] | undefined): string[] {
  const problems: string[] = [];
  for (const [i, definition] of (definitions ?? []).entries()) {
    const what = `metricDefinitions[${i}]`;
    const name = lengthProblem(`${what}.name`, definition.name, 1, 255, 'use a short metric name such as "validation:auc"');
    if (name) problems.push(name);
    const length = lengthProblem(`${what}.regex`, definition.regex, 1, 500, 'shorten the regular expression');
    if (length) problems.push(length);
    if (!isConcreteText(definition.regex) || definition.regex.length === 0) continue;
    let compiled: RegExp | undefined;
    try {
      compiled = new RegExp(definition.regex);
    } catch (e) {
      problems.push(`${what}.regex "${definition.regex}" is not a valid regular expression (${(e as Error).message}); fix its syntax, e.g. "validation:auc=([0-9\\.]+)".`);
    }
    // A regex matches the empty string once per group-free alternative; count the groups.
    if (compiled && new RegExp(`${definition.regex}|`).exec('')!.length - 1 === 0) {
      problems.push(`${what}.regex "${definition.regex}" has no capture group, so SageMaker cannot read a value from it; put the value in parentheses, e.g. "${definition.name}=([0-9\\.]+)".`);
    }
  }
  return problems;
}

/**
 * A SageMaker resource name (endpoint, endpoint config, model, pipeline, feature group, model
 * package group, notebook instance): `^[a-zA-Z0-9](-*[a-zA-Z0-9])*`, at most `maxLength`
 * characters.
 */
export function resourceNameProblem(what: string, name: string | undefined, maxLength: number, docPage: string): string | undefined {
  if (!isConcreteText(name)) return undefined;
  if (name.length >= 1 && name.length <= maxLength && /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(name)) return undefined;
  const suggestion = name.replace(/[^a-zA-Z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '') || 'my-name';
  return (
    `${what} "${name}" (${name.length} characters) must be 1-${maxLength} letters, digits and hyphens, starting and ending with a letter or digit ` +
    `(pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9])*, ${docPage}); rename it, e.g. "${suggestion}", or leave it unset for a generated name.`
  );
}

/** Problems of a string S3 URI: it must start with `s3://` and name a bucket. */
export function s3UriProblem(what: string, uri: string | undefined, example = 's3://my-bucket/path/'): string | undefined {
  if (!isConcreteText(uri)) return undefined;
  if (/^s3:\/\/[^/]+/.test(uri)) return undefined;
  return `${what} "${uri}" is not an S3 URI: it must start with "s3://" and name a bucket; give it as "${example}".`;
}
