/**
 * The command as users run it: a child process (through tsx, so no build is needed) talking to
 * a fake SageMaker API on 127.0.0.1. No credentials or internet needed.
 */
import { execFile } from 'child_process';
import * as http from 'http';
import { type AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { SageMakerClient, DescribePipelineCommand } from '@aws-sdk/client-sagemaker';
import { addRetryNotes } from '../../../cli/clients';
import { runCli } from './harness';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'cli', 'main.ts');

interface Result { code: number; stdout: string; stderr: string }

/** Environment with no usable credentials, no shared config and no instance metadata lookups. */
function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: os.tmpdir(), NODE_NO_WARNINGS: '1' };
  Object.assign(env, {
    AWS_CONFIG_FILE: path.join(os.tmpdir(), 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  }, extra);
  return env;
}

function cli(args: string[], env: NodeJS.ProcessEnv = isolatedEnv()): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fake SageMaker JSON API: every request gets the next canned answer (status, error type). */
function fakeSageMaker(answers: Array<{ status: number; body: object }>): Promise<{ url: string; requests: string[]; close: () => void }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(String(req.headers['x-amz-target']));
    req.resume();
    req.on('end', () => {
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer.body));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, requests, close: () => server.close() });
    });
  });
}

describe('the sagemaker-cdk command', () => {
  test('--help lists the commands, global options and exit codes (exit 0)', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const text of ['Usage: sagemaker-cdk', '--region <region>', '--profile <profile>', '--json', '--stack <stack-name>', 'data', 'pipeline', 'endpoint', 'studio', 'Exit codes: 0 success']) {
      expect(result.stdout).toContain(text);
    }
  });

  test('an unknown command is a usage error, exit 2', async () => {
    const result = await cli(['pipeline', 'frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'frobnicate'");
  });

  test('missing credentials: says how to configure them, exit 3', async () => {
    const result = await cli(['--region', 'eu-west-1', 'pipeline', 'list-executions', 'p']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('sagemaker-cdk: No AWS credentials found');
    expect(result.stderr).toContain('Configure credentials with "aws configure" or "aws sso login --profile <name>"');
  });

  test('an unknown pipeline: one line naming it and the region, exit 2', async () => {
    const api = await fakeSageMaker([{ status: 400, body: { __type: 'ResourceNotFound', message: 'Pipeline nope does not exist' } }]);
    try {
      const result = await cli(['--region', 'eu-central-1', 'pipeline', 'start', 'nope'], isolatedEnv({
        AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_SAGEMAKER: api.url,
      }));
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr.trim().split('\n')).toEqual(['sagemaker-cdk: Pipeline "nope" not found in eu-central-1.']);
      expect(api.requests).toEqual(['SageMaker.DescribePipeline']);
    } finally {
      api.close();
    }
  });
});

describe('--help of every command', () => {
  test.each([
    ['data', 'upload', '<path>', '--kms-key-id'],
    ['pipeline', 'start', '--param <key=value>', '--wait'],
    ['pipeline', 'list-executions', '--max-results', '[name]'],
    ['pipeline', 'status', '<execution-arn>', 'failure reasons'],
    ['model', 'list', '[group]', '--status <status>', 'PendingManualApproval', '--max-results <n>'],
    ['model', 'approve', '<version>', '--group <name>', '--description <text>'],
    ['model', 'reject', '<version>', '--group <name>', '--description <text>'],
    ['endpoint', 'status', '--since', 'autoscaling'],
    ['endpoint', 'invoke', '--body <file>', '--content-type <type>'],
    ['studio', 'cleanup', '--user-profile', '--no-wait'],
  ])('%s %s --help', async (group, command, ...expected) => {
    const result = await runCli([group, command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: sagemaker-cdk ${group} ${command}`);
    for (const text of expected) expect(result.stdout).toContain(text);
  });
});

describe('retries', () => {
  test('a throttled request is retried by the SDK with a visible note', async () => {
    const api = await fakeSageMaker([
      { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } },
      { status: 200, body: { PipelineName: 'p', PipelineDefinition: '{}' } },
    ]);
    try {
      const client = new SageMakerClient({ region: 'eu-west-1', endpoint: api.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      const notes: string[] = [];
      addRetryNotes(client, 'SageMaker', (note) => notes.push(note));
      const response = await client.send(new DescribePipelineCommand({ PipelineName: 'p' }));
      expect(response.PipelineName).toBe('p');
      expect(api.requests).toHaveLength(2);
      expect(notes).toEqual(['note: SageMaker DescribePipeline failed (ThrottlingException); retrying, attempt 2 of 3']);
    } finally {
      api.close();
    }
  });
});
