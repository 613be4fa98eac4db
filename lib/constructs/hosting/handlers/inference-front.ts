/**
 * Lambda handler of an InferenceFront: the pre- and post-processing between an API Gateway REST
 * API (Lambda proxy integration) and a SageMaker endpoint serving a binary classifier that reads
 * CSV rows (for example the built-in XGBoost algorithm with `binary:logistic`).
 *
 * Request: `POST` JSON, either `{ "id"?: string, "records": [ { <feature>: value, ... }, ... ] }`
 * or one record object (whose `id` field, unless a feature is called `id`, is the request id).
 * Every record is checked against the feature schema of the `FEATURES` environment variable:
 * numeric fields must be JSON numbers within their bounds, categorical fields one of their
 * categories; missing and unknown fields are refused. All problems are answered together with
 * HTTP 400. Valid records become CSV rows in the model's column order (categorical features
 * one-hot encoded), sent in one InvokeEndpoint call with `InferenceId` = the request's `id`, so
 * the captured data can be joined with ground-truth labels uploaded later.
 *
 * Response: 200 `{ "id"?, "predictions": [ { "probability", "label" } ], "modelVersion"? }`, the
 * label being POSITIVE_LABEL when the probability is at least THRESHOLD; `modelVersion` is the
 * production variant that answered. Endpoint throttling answers 429, other endpoint failures
 * 502, both with a message that reveals nothing of the endpoint's internals; the details go to
 * the function's log.
 *
 * Imports only the AWS SDK v3 that the Node.js Lambda runtime ships.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

/** The part of an API Gateway Lambda proxy event the handler reads. */
export interface ProxyEvent {
  readonly httpMethod?: string;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/** The part of the Lambda context the handler reads. */
export interface InvocationContext {
  readonly awsRequestId?: string;
}

/** A Lambda proxy response. */
export interface ProxyResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One feature as the construct describes it (lib/constructs/hosting/front-feature-spec.ts). */
interface FeatureSpec {
  readonly name: string;
  readonly kind: 'numeric' | 'oneHot';
  readonly min?: number;
  readonly max?: number;
  readonly categories?: string[];
}

/** The function's configuration, from its environment. */
interface FrontConfig {
  readonly endpointName: string;
  readonly features: FeatureSpec[];
  readonly threshold: number;
  readonly positiveLabel: string;
  readonly negativeLabel: string;
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/** SageMaker's InferenceId: 1 to 64 printable ASCII characters, the first not a space. */
const INFERENCE_ID = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;

/** Error names (and the HTTP status) of a throttled request. */
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

let client: SageMakerRuntimeClient | undefined;

/** The runtime client; tests replace it through aws-sdk-client-mock. */
function runtime(): SageMakerRuntimeClient {
  client ??= new SageMakerRuntimeClient({});
  return client;
}

let cachedConfig: { readonly key: string; readonly config: FrontConfig } | undefined;

/** Reads (once per environment) and checks the configuration the construct wrote. */
function config(): FrontConfig {
  const env = process.env;
  const key = [env.ENDPOINT_NAME, env.FEATURES, env.THRESHOLD, env.POSITIVE_LABEL, env.NEGATIVE_LABEL].join('\u0000');
  if (cachedConfig?.key === key) return cachedConfig.config;
  const endpointName = env.ENDPOINT_NAME ?? '';
  const features = JSON.parse(env.FEATURES ?? '[]') as FeatureSpec[];
  const threshold = Number(env.THRESHOLD ?? '0.5');
  if (!endpointName || !Array.isArray(features) || features.length === 0 || !(threshold >= 0 && threshold <= 1)) {
    throw new Error('ENDPOINT_NAME, FEATURES (a non-empty JSON list) and THRESHOLD (0 to 1) must be set.');
  }
  const result: FrontConfig = {
    endpointName,
    features,
    threshold,
    positiveLabel: env.POSITIVE_LABEL ?? 'positive',
    negativeLabel: env.NEGATIVE_LABEL ?? 'negative',
  };
  cachedConfig = { key, config: result };
  return result;
}

function respond(statusCode: number, body: object): ProxyResponse {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The request id and records of a body, or the problems that make it unusable. */
function readRequest(body: JsonValue, features: FeatureSpec[]): { id?: string; records: JsonObject[]; single: boolean } | { problems: string[] } {
  if (!isObject(body)) {
    return { problems: ['The body must be a JSON object: {"id"?: "...", "records": [{...}]} or one record {...}.'] };
  }
  const idIsFeature = features.some((f) => f.name === 'id');
  const batch = 'records' in body && !features.some((f) => f.name === 'records');
  const rawId = batch || !idIsFeature ? body.id : undefined;
  const problems: string[] = [];
  if (rawId !== undefined && (typeof rawId !== 'string' || !INFERENCE_ID.test(rawId))) {
    problems.push(`id ${show(rawId)} must be a string of 1 to 64 printable ASCII characters that does not start with a space (it becomes the SageMaker InferenceId).`);
  }
  let records: JsonObject[] = [];
  if (batch) {
    const list = body.records;
    if (!Array.isArray(list) || list.length === 0) {
      problems.push('records must be a non-empty list of record objects.');
    } else {
      list.forEach((r, i) => {
        if (!isObject(r)) problems.push(`records[${i}] must be an object of feature values, got ${show(r)}.`);
      });
      records = list.filter(isObject);
    }
    for (const field of Object.keys(body)) {
      if (field !== 'id' && field !== 'records') problems.push(`${field} is not a request field; send "id" and "records" only.`);
    }
  } else {
    const record: JsonObject = { ...body };
    if (rawId !== undefined) delete record.id;
    records = [record];
  }
  if (problems.length > 0) return { problems };
  return { id: rawId as string | undefined, records, single: !batch };
}

/** The CSV row of one record, or its problems (each naming the field). */
function encode(record: JsonObject, features: FeatureSpec[], where: string): { row?: string; problems: string[] } {
  const problems: string[] = [];
  const columns: string[] = [];
  for (const feature of features) {
    const field = `${where}${feature.name}`;
    const value = record[feature.name];
    if (value === undefined || value === null) {
      problems.push(`${field} is missing.`);
      continue;
    }
    if (feature.kind === 'numeric') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push(`${field} is ${show(value)}, but must be a number.`);
      } else if (feature.min !== undefined && value < feature.min) {
        problems.push(`${field} is ${value}, below its minimum ${feature.min}.`);
      } else if (feature.max !== undefined && value > feature.max) {
        problems.push(`${field} is ${value}, above its maximum ${feature.max}.`);
      } else {
        columns.push(String(value));
      }
      continue;
    }
    const categories = feature.categories ?? [];
    if (typeof value !== 'string' || !categories.includes(value)) {
      problems.push(`${field} is ${show(value)}, which is not an allowed category; allowed: ${categories.join(', ')}.`);
      continue;
    }
    for (const category of categories) columns.push(category === value ? '1' : '0');
  }
  const known = new Set(features.map((f) => f.name));
  for (const field of Object.keys(record)) {
    if (!known.has(field)) problems.push(`${where}${field} is not a feature of the model; the features are ${features.map((f) => f.name).join(', ')}.`);
  }
  return problems.length > 0 ? { problems } : { row: columns.join(','), problems };
}

/** One probability per row from a CSV response (values separated by newlines or commas). */
function parseProbabilities(text: string, rows: number): number[] | undefined {
  const values = text.split(/[\r\n,]+/).map((v) => v.trim()).filter((v) => v !== '');
  if (values.length !== rows) return undefined;
  const numbers = values.map(Number);
  return numbers.every((p) => Number.isFinite(p) && p >= 0 && p <= 1) ? numbers : undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function log(level: 'info' | 'warn' | 'error', message: string, details: object = {}): void {
  const line = JSON.stringify({ message, ...details });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** Validates and encodes the request, calls the endpoint and shapes its answer. */
export async function handler(event: ProxyEvent, context: InvocationContext = {}): Promise<ProxyResponse> {
  const requestId = context.awsRequestId;
  let settings: FrontConfig;
  try {
    settings = config();
  } catch (error) {
    log('error', 'The function environment is invalid', { error: String(error) });
    return respond(500, { message: 'The inference service is misconfigured.', requestId });
  }
  if (event.httpMethod !== undefined && event.httpMethod !== 'POST') {
    return respond(405, { message: `Use POST, not ${event.httpMethod}.` });
  }
  const text = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body) : '';
  let body: JsonValue;
  try {
    body = JSON.parse(text) as JsonValue;
  } catch {
    return respond(400, { message: 'The body must be JSON (Content-Type: application/json).', problems: ['The body is not valid JSON.'] });
  }
  const request = readRequest(body, settings.features);
  if ('problems' in request) return respond(400, { message: 'The request is invalid.', problems: request.problems });

  const rows: string[] = [];
  const problems: string[] = [];
  request.records.forEach((record, i) => {
    const encoded = encode(record, settings.features, request.single ? '' : `records[${i}].`);
    problems.push(...encoded.problems);
    if (encoded.row !== undefined) rows.push(encoded.row);
  });
  if (problems.length > 0) {
    return respond(400, { message: `The request has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, problems });
  }

  let answer;
  try {
    answer = await runtime().send(
      new InvokeEndpointCommand({
        EndpointName: settings.endpointName,
        ContentType: 'text/csv',
        Accept: 'text/csv',
        Body: Buffer.from(rows.join('\n'), 'utf-8'),
        InferenceId: request.id,
      }),
    );
  } catch (error) {
    const name = errorName(error);
    const throttled = THROTTLING.has(name) || httpStatus(error) === 429;
    log(throttled ? 'warn' : 'error', 'InvokeEndpoint failed', { endpointName: settings.endpointName, error: name, detail: error instanceof Error ? error.message : String(error) });
    if (throttled) return respond(429, { message: 'The model is receiving too many requests; retry with backoff.', requestId });
    return respond(502, { message: 'The model could not answer the request.', requestId });
  }
  const output = Buffer.from(answer.Body ?? new Uint8Array()).toString('utf-8');
  const probabilities = parseProbabilities(output, rows.length);
  if (!probabilities) {
    log('error', 'Unexpected model response', { endpointName: settings.endpointName, rows: rows.length, contentType: answer.ContentType, bytes: output.length });
    return respond(502, { message: 'The model answered in an unexpected format.', requestId });
  }
  return respond(200, {
    ...(request.id !== undefined ? { id: request.id } : {}),
    predictions: probabilities.map((probability) => ({
      probability,
      label: probability >= settings.threshold ? settings.positiveLabel : settings.negativeLabel,
    })),
    ...(answer.InvokedProductionVariant ? { modelVersion: answer.InvokedProductionVariant } : {}),
  });
}
