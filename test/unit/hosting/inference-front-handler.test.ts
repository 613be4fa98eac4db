/**
 * The InferenceFront handler against a mocked SageMaker runtime: the CSV rows it sends for the
 * loan-default sample must equal, row for row, the features examples/scripts/preprocess.py (the
 * training preprocessing) writes for the same rows; and every error path answers as documented.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, SageMakerRuntimeServiceException } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { FrontFeature } from '../../../lib/constructs/hosting';
import { handler, ProxyResponse } from '../../../lib/constructs/hosting/handlers/inference-front';

const ROOT = path.join(__dirname, '..', '..', '..');
const PREPROCESS = path.join(ROOT, 'examples', 'scripts', 'preprocess.py');
const SAMPLE = path.join(ROOT, 'examples', 'data', 'loan_default_sample.csv');
// The Python with pandas and scikit-learn, as the local runner's tests use it.
const PYTHON = process.env.SM_LOCAL_TEST_PYTHON ?? '/usr/bin/python3';

/** The loan-default model's features, in the column order preprocess.py gives them. */
const LOAN_FEATURES = [
  FrontFeature.numeric('age', { min: 18, max: 100 }),
  FrontFeature.numeric('annual_income', { min: 0 }),
  FrontFeature.numeric('loan_amount', { min: 0 }),
  FrontFeature.numeric('loan_term_months', { min: 1 }),
  FrontFeature.numeric('interest_rate', { min: 0, max: 100 }),
  FrontFeature.numeric('credit_score', { min: 300, max: 850 }),
  FrontFeature.numeric('employment_years', { min: 0 }),
  FrontFeature.numeric('debt_to_income', { min: 0 }),
  FrontFeature.oneHot('home_ownership', ['MORTGAGE', 'OWN', 'RENT']),
  FrontFeature.oneHot('purpose', ['car', 'credit_card', 'debt_consolidation', 'home_improvement', 'small_business']),
];
const CATEGORICAL = new Set(['home_ownership', 'purpose']);

const runtime = mockClient(SageMakerRuntimeClient);

/** Runs preprocess.py on the sample and returns the baseline file: the encoded features, with a header. */
function preprocessedFeatures(): { header: string[]; rows: number[][] } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'front-preprocess-'));
  try {
    fs.mkdirSync(path.join(base, 'input'));
    fs.copyFileSync(SAMPLE, path.join(base, 'input', 'loan_default_sample.csv'));
    // The script's encoding runs unchanged; only its paths move to the temp dir, and its random
    // split is replaced by one keeping every row, in file order, in the train split, so that its
    // baseline.csv (the train features as the endpoint receives them) lines up with the sample.
    const wrapper = [
      'import importlib.util, sys',
      'script, base = sys.argv[1], sys.argv[2]',
      'spec = importlib.util.spec_from_file_location("preprocess", script)',
      'module = importlib.util.module_from_spec(spec)',
      'spec.loader.exec_module(module)',
      'module.BASE = base',
      'module.train_test_split = lambda frame, **kwargs: (frame, frame.iloc[0:0])',
      'sys.argv = [script]',
      'module.main()',
    ].join('\n');
    execFileSync(PYTHON, ['-c', wrapper, PREPROCESS, base], { encoding: 'utf-8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const lines = fs.readFileSync(path.join(base, 'baseline', 'baseline.csv'), 'utf-8').trim().split('\n');
    return { header: lines[0].split(','), rows: lines.slice(1).map((line) => line.split(',').map(Number)) };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** The sample's rows as the JSON records a caller sends (no customer id, no label). */
function sampleRecords(): Array<Record<string, string | number>> {
  const [header, ...lines] = fs.readFileSync(SAMPLE, 'utf-8').trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => {
    const record: Record<string, string | number> = {};
    line.split(',').forEach((value, i) => {
      const column = columns[i];
      if (column === 'customer_id' || column === 'default') return;
      record[column] = CATEGORICAL.has(column) ? value : Number(value);
    });
    return record;
  });
}

function setEnvironment(features = LOAN_FEATURES, threshold = '0.5'): void {
  process.env.ENDPOINT_NAME = 'loan-default';
  process.env.FEATURES = JSON.stringify(features.map((f) => f._spec()));
  process.env.THRESHOLD = threshold;
  process.env.POSITIVE_LABEL = 'default';
  process.env.NEGATIVE_LABEL = 'repaid';
}

function post(body: unknown): Promise<ProxyResponse> {
  return handler({ httpMethod: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) }, { awsRequestId: 'req-1' });
}

function answer(probabilities: number[], variant = 'AllTraffic') {
  return { Body: new TextEncoder().encode(probabilities.join('\n') + '\n') as never, ContentType: 'text/csv', InvokedProductionVariant: variant };
}

function sentRows(): string[] {
  const input = runtime.commandCalls(InvokeEndpointCommand)[0].args[0].input;
  return Buffer.from(input.Body as Uint8Array).toString('utf-8').split('\n');
}

const RECORD = {
  age: 61, annual_income: 43748.43, loan_amount: 4653.62, loan_term_months: 36, interest_rate: 15.38,
  credit_score: 667, employment_years: 0, debt_to_income: 0.208, home_ownership: 'OWN', purpose: 'home_improvement',
};

const ENVIRONMENT = ['ENDPOINT_NAME', 'FEATURES', 'THRESHOLD', 'POSITIVE_LABEL', 'NEGATIVE_LABEL'];
const savedEnvironment = Object.fromEntries(ENVIRONMENT.map((name) => [name, process.env[name]]));

beforeEach(() => {
  runtime.reset();
  setEnvironment();
});

afterAll(() => {
  for (const name of ENVIRONMENT) {
    if (savedEnvironment[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnvironment[name];
  }
});

describe('the encoding equals the training preprocessing', () => {
  test('every sample row becomes the CSV row preprocess.py makes of it, in the same column order', async () => {
    const expected = preprocessedFeatures();
    expect(LOAN_FEATURES.flatMap((f) => f.columns)).toEqual(expected.header);
    const records = sampleRecords();
    expect(records).toHaveLength(500);
    runtime.on(InvokeEndpointCommand).resolves(answer(records.map(() => 0.25)));

    const response = await post({ records });

    expect(response.statusCode).toBe(200);
    const rows = sentRows();
    expect(rows).toHaveLength(expected.rows.length);
    rows.forEach((row, i) => expect([i, row.split(',').map(Number)]).toEqual([i, expected.rows[i]]));
    expect(runtime).toHaveReceivedCommandWith(InvokeEndpointCommand, { EndpointName: 'loan-default', ContentType: 'text/csv', Accept: 'text/csv' });
  }, 120000);
});

describe('responses', () => {
  test('one record with an id: the id is the InferenceId, the label follows the threshold, modelVersion is the variant', async () => {
    runtime.on(InvokeEndpointCommand).resolves(answer([0.73], 'Challenger'));
    const response = await post({ id: 'loan-0042', ...RECORD });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ id: 'loan-0042', predictions: [{ probability: 0.73, label: 'default' }], modelVersion: 'Challenger' });
    expect(runtime).toHaveReceivedCommandWith(InvokeEndpointCommand, { InferenceId: 'loan-0042' });
    expect(sentRows()).toEqual(['61,43748.43,4653.62,36,15.38,667,0,0.208,0,1,0,0,0,0,1,0']);
  });

  test('a batch gets one prediction per record, in order; a probability at the threshold is positive', async () => {
    setEnvironment(LOAN_FEATURES, '0.3');
    runtime.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('0.3,1.2e-05') as never });
    const response = await post({ records: [RECORD, { ...RECORD, home_ownership: 'RENT' }] });
    expect(JSON.parse(response.body)).toEqual({
      predictions: [
        { probability: 0.3, label: 'default' },
        { probability: 0.000012, label: 'repaid' },
      ],
    });
    expect(runtime.commandCalls(InvokeEndpointCommand)[0].args[0].input.InferenceId).toBeUndefined();
  });

  test('a base64-encoded body is decoded', async () => {
    runtime.on(InvokeEndpointCommand).resolves(answer([0.1]));
    const response = await handler({ httpMethod: 'POST', body: Buffer.from(JSON.stringify(RECORD)).toString('base64'), isBase64Encoded: true });
    expect(response.statusCode).toBe(200);
  });
});

describe('400: every problem of the request, each naming its field', () => {
  const problems = async (body: unknown) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(runtime).not.toHaveReceivedCommand(InvokeEndpointCommand);
    return (JSON.parse(response.body) as { problems: string[] }).problems;
  };

  test('an unknown category names the field and the allowed values', async () => {
    expect(await problems({ ...RECORD, home_ownership: 'CONDO' })).toEqual([
      'home_ownership is "CONDO", which is not an allowed category; allowed: MORTGAGE, OWN, RENT.',
    ]);
  });

  test('missing and extra fields are all listed, per record', async () => {
    const { age: _age, purpose: _purpose, ...partial } = RECORD;
    expect(await problems({ records: [RECORD, { ...partial, zip: '12345' }] })).toEqual([
      'records[1].age is missing.',
      'records[1].purpose is missing.',
      expect.stringMatching(/^records\[1\]\.zip is not a feature of the model; the features are age, annual_income, .*purpose\.$/),
    ]);
  });

  test('values of the wrong type or out of bounds', async () => {
    expect(await problems({ ...RECORD, age: '61', credit_score: 900, annual_income: -1, purpose: 3 })).toEqual([
      'age is "61", but must be a number.',
      'annual_income is -1, below its minimum 0.',
      'credit_score is 900, above its maximum 850.',
      'purpose is 3, which is not an allowed category; allowed: car, credit_card, debt_consolidation, home_improvement, small_business.',
    ]);
  });

  test('a body that is not JSON, not an object, or has no records', async () => {
    expect(await problems('age=61')).toEqual(['The body is not valid JSON.']);
    expect(await problems([RECORD])).toEqual([expect.stringMatching(/^The body must be a JSON object/)]);
    expect(await problems({ records: [] })).toEqual(['records must be a non-empty list of record objects.']);
    expect(await problems({ records: [RECORD, 7], extra: 1 })).toEqual(['records[1] must be an object of feature values, got 7.', 'extra is not a request field; send "id" and "records" only.']);
  });

  test('an id SageMaker would refuse as InferenceId', async () => {
    expect(await problems({ id: ' starts-with-space', records: [RECORD] })).toEqual([expect.stringMatching(/^id " starts-with-space" must be a string of 1 to 64 printable ASCII/)]);
    expect(await problems({ id: 'x'.repeat(65), records: [RECORD] })).toHaveLength(1);
    expect(await problems({ id: 42, records: [RECORD] })).toHaveLength(1);
  });
});

describe('endpoint failures', () => {
  // The handler logs the failure (with the endpoint's details) for the operator.
  let logs: jest.SpyInstance[] = [];
  beforeEach(() => {
    logs = [jest.spyOn(console, 'warn').mockImplementation(() => undefined), jest.spyOn(console, 'error').mockImplementation(() => undefined)];
  });
  afterEach(() => logs.forEach((spy) => spy.mockRestore()));

  test('throttling answers 429', async () => {
    runtime.on(InvokeEndpointCommand).rejects(new SageMakerRuntimeServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }));
    const response = await post(RECORD);
    expect(response.statusCode).toBe(429);
    expect(JSON.parse(response.body)).toEqual({ message: 'The model is receiving too many requests; retry with backoff.', requestId: 'req-1' });
  });

  test('an HTTP 429 of any name answers 429', async () => {
    runtime.on(InvokeEndpointCommand).rejects(Object.assign(new Error('slow down'), { name: 'SomethingElse', $metadata: { httpStatusCode: 429 } }));
    expect((await post(RECORD)).statusCode).toBe(429);
  });

  test('a model error answers 502 without the model\'s message or a stack', async () => {
    const error = new ModelError({ message: 'Traceback (most recent call last): secret internals', $metadata: { httpStatusCode: 424 }, OriginalStatusCode: 500 });
    runtime.on(InvokeEndpointCommand).rejects(error);
    const response = await post(RECORD);
    expect(response.statusCode).toBe(502);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('secret internals'));
    expect(response.body).not.toMatch(/Traceback|secret|at /);
    expect(JSON.parse(response.body)).toEqual({ message: 'The model could not answer the request.', requestId: 'req-1' });
  });

  test('a response without one probability per row answers 502', async () => {
    runtime.on(InvokeEndpointCommand).resolves(answer([0.1, 0.2]));
    const response = await post(RECORD);
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body).message).toBe('The model answered in an unexpected format.');
  });
});

describe('other requests', () => {
  test('a method other than POST answers 405', async () => {
    expect((await handler({ httpMethod: 'GET' })).statusCode).toBe(405);
  });

  test('an environment without features answers 500 and logs why', async () => {
    process.env.FEATURES = '[]';
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await post(RECORD);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('The function environment is invalid'));
    errors.mockRestore();
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: 'The inference service is misconfigured.', requestId: 'req-1' });
  });
});
