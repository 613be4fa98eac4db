import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setLocalRunnerFactory } from '../../../cli/commands/local-common';
import { LocalPipelineRunner } from '../../../lib/local/local-runner';
import { fakeExecutors } from '../local/fake-executors';
import { writeSampleAssembly } from '../local/sample-app';
import { runCli } from './harness';

const app = writeSampleAssembly();
let data: string;
let previous: ReturnType<typeof setLocalRunnerFactory>;

beforeAll(() => {
  previous = setLocalRunnerFactory((props) => new LocalPipelineRunner({ ...props, executors: fakeExecutors({ evaluation: { binary_classification_metrics: { auc: { value: 0.8 } } } }) }));
});
afterAll(() => setLocalRunnerFactory(previous));
beforeEach(() => {
  data = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cli-'));
});

const local = (...args: string[]) => runCli(['local', ...args, '--app', app, '--data', data]);

describe('local pipeline run', () => {
  test('runs the stack\'s pipeline, prints each step and exits 0', async () => {
    const result = await local('pipeline', 'run', '--stack', 'Sample-Training');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Pipeline sample-training \(Sample-Training\/PipelineC660917D\), execution [a-z0-9]{12}: Succeeded in /);
    expect(result.stdout).toMatch(/ {2}Register +RegisterModel +Succeeded .*modelPackage=arn:aws:sagemaker:us-east-1:123456789012:model-package\/loan-default\/1/);
    expect(result.stdout).toMatch(/ {2}AucTooLow +Fail +Skipped/);
    expect(result.stderr).toMatch(/\[Preprocess\] Processing pipelines-\S+ Succeeded in/);
    expect(fs.existsSync(path.join(data, '.runner', 'executions'))).toBe(true);
  });

  test('exits 1 and prints the failed step and its cause when the pipeline fails', async () => {
    const result = await local('pipeline', 'run', '--stack', 'Sample-Training', '--param', 'AucThreshold=0.99');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Failed at step AucTooLow: AucTooLow: AUC below 0.99');
  });

  test('--max-parallel-steps 1 runs the steps one at a time and succeeds', async () => {
    const result = await local('pipeline', 'run', '--stack', 'Sample-Training', '--max-parallel-steps', '1');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/step\(s\): .*; at most 1 at once/);
  });

  test('--json prints the run', async () => {
    const result = await runCli(['--json', 'local', 'pipeline', 'run', '--stack', 'Sample-Training', '--pipeline', 'TuningPipeline', '--app', app, '--data', data]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'Succeeded', pipelineName: 'sample-tuning', steps: [{ name: 'Check', status: 'Succeeded' }] });
  });

  test('bad input exits 2: an undeclared or mistyped parameter, an unknown stack or pipeline, no --stack, no cloud assembly', async () => {
    const badParam = await local('pipeline', 'run', '--stack', 'Sample-Training', '--param', 'AucThreshold=high');
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toContain('AucThreshold="high" is not a valid Float');
    const unknownStack = await local('pipeline', 'run', '--stack', 'Nope');
    expect(unknownStack.code).toBe(2);
    expect(unknownStack.stderr).toContain('Its stacks: Sample-Platform, Sample-Training.');
    expect((await local('pipeline', 'run', '--stack', 'Sample-Training', '--pipeline', 'Nope')).code).toBe(2);
    const noStack = await local('pipeline', 'run');
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toContain('local pipeline run needs --stack <stack id>');
    const noCpus = await local('pipeline', 'run', '--stack', 'Sample-Training', '--cpus', '0');
    expect(noCpus.code).toBe(2);
    expect(noCpus.stderr).toContain("The local runner's cpus must be a whole number of CPUs, at least 1, got 0");
    const noParallel = await local('pipeline', 'run', '--stack', 'Sample-Training', '--max-parallel-steps', '0');
    expect(noParallel.code).toBe(2);
    expect(noParallel.stderr).toContain('--max-parallel-steps must be at least 1 (SageMaker runs at least one step at a time).');
    const noAssembly = await runCli(['local', 'pipeline', 'run', '--stack', 'X', '--app', path.join(data, 'nope')]);
    expect(noAssembly.code).toBe(2);
    expect(noAssembly.stderr).toContain('is not a cloud assembly (no manifest.json). Run "npx cdk synth" first');
  });
});

describe('local data upload', () => {
  test('copies a directory into the stack\'s data bucket under the prefix', async () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cli-src-'));
    fs.writeFileSync(path.join(src, 'loans.csv'), 'a,b\n');
    const result = await local('data', 'upload', src, '--stack', 'Sample-Platform', '--prefix', 'raw');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Copied 1 file(s), 4 B, to s3://sample-platform-databuckete3889a50/raw/');
    expect(fs.readFileSync(path.join(data, 'sample-platform-databuckete3889a50', 'raw', 'loans.csv'), 'utf-8')).toBe('a,b\n');
    const unknown = await local('data', 'upload', src, '--stack', 'Sample-Platform', '--bucket', 'Nope');
    expect(unknown.code).toBe(2);
    expect((await local('data', 'upload', path.join(src, 'missing.csv'), 's3://b/x/')).code).toBe(2);
  });
});

describe('local model invoke', () => {
  test('invokes a Model of the stack and writes the response to stdout', async () => {
    const missing = await local('model', 'invoke', '--stack', 'Sample-Training', '--model', 'Model', '--body', '1,2', '--content-type', 'text/csv');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is not in the local store');
    fs.mkdirSync(path.join(data, 'sample-platform-databuckete3889a50', 'models'), { recursive: true });
    fs.writeFileSync(path.join(data, 'sample-platform-databuckete3889a50', 'models', 'model.tar.gz'), 'm');
    const result = await local('model', 'invoke', '--stack', 'Sample-Training', '--model', 'Model', '--body', '1,2', '--content-type', 'text/csv');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('0.42 from Sample-Training-Model0301700E\n');
    const both = await local('model', 'invoke', '--model', 'x', '--body', 'a', '--body-file', 'f', '--content-type', 'text/csv');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --body <text> or --body-file <file>');
  });
});

describe('local model list / approve / reject', () => {
  test('a run registers version 1 as PendingManualApproval; approve and reject change it; list shows it', async () => {
    expect((await local('pipeline', 'run', '--stack', 'Sample-Training')).code).toBe(0);
    const listed = await runCli(['--json', 'local', 'model', 'list', 'loan-default', '--app', app, '--data', data]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ version: 1, approvalStatus: 'PendingManualApproval' })]);

    const approved = await local('model', 'approve', '1', '--group', 'loan-default', '--description', 'AUC 0.8');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('model-package/loan-default/1: PendingManualApproval -> Approved');
    const again = await local('model', 'approve', 'arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/1');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is already Approved');
    const rejected = await local('model', 'reject', '1', '--group', 'loan-default');
    expect(rejected.stdout).toContain('Approved -> Rejected');
    expect((await local('model', 'list', 'loan-default')).stdout).toMatch(/^ {3}1 {2}Rejected/);
  });

  test('bad input exits 2: an unknown group or version, a version number without --group, a malformed version', async () => {
    expect((await local('model', 'list', 'nope')).stderr).toContain('no versions of model package group "nope"');
    const noGroup = await local('model', 'approve', '1');
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toContain('needs --group');
    const unknown = await local('model', 'approve', '7', '--group', 'loan-default');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no model package version loan-default/7');
    expect((await local('model', 'reject', 'latest')).stderr).toContain('neither a version number nor a model package version ARN');
  });
});
