import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { NoSuchBucket, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { groundTruthKey } from '../../../cli/commands/monitor-ground-truth';
import { runCli } from './harness';

const s3 = mockClient(S3Client);
const cloudFormation = mockClient(CloudFormationClient);
let dir: string;

function csv(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function uploaded(): { Bucket?: string; Key?: string; Body?: unknown; ContentType?: string; ServerSideEncryption?: string } {
  return s3.commandCalls(PutObjectCommand)[0].args[0].input;
}

beforeEach(() => {
  s3.reset();
  cloudFormation.reset();
  s3.on(PutObjectCommand).resolves({});
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ground-truth-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('monitor ground-truth', () => {
  test('--help shows the arguments and options', async () => {
    const result = await runCli(['monitor', 'ground-truth', '--help']);
    expect(result.code).toBe(0);
    for (const text of ['Usage: sagemaker-cdk monitor ground-truth', '<file>', '--bucket <name>', '--prefix <prefix>', '--output <name>', '--time <iso>', 'yyyy/mm/dd/hh']) {
      expect(result.stdout).toContain(text);
    }
  });

  test('writes one documented JSON line per label under prefix/yyyy/mm/dd/hh of the collection hour, with the bucket default encryption', async () => {
    const file = csv('labels.csv', 'inference_id,label\nloan-0001,1\r\nloan-0002,0\n\n');

    const result = await runCli(['monitor', 'ground-truth', file, '--bucket', 'monitoring', '--prefix', 'ground-truth/', '--time', '2025-03-07T09:45:00Z']);

    expect(result.code).toBe(0);
    const input = uploaded();
    expect(input.Bucket).toBe('monitoring');
    expect(input.Key).toMatch(/^ground-truth\/2025\/03\/07\/09\/labels-[0-9a-f]{12}\.jsonl$/);
    expect(input.ServerSideEncryption).toBeUndefined();
    expect(String(input.Body).split('\n')).toEqual([
      '{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"loan-0001"},"eventVersion":"0"}',
      '{"groundTruthData":{"data":"0","encoding":"CSV"},"eventMetadata":{"eventId":"loan-0002"},"eventVersion":"0"}',
      '',
    ]);
    expect(result.stdout).toContain(`Wrote 2 ground-truth labels to s3://monitoring/${input.Key}`);
  });

  test('without --time the hour is now, in UTC; the same file gets the same object name again', async () => {
    const file = csv('batch.csv', 'a,1\n');
    await runCli(['monitor', 'ground-truth', file, '--bucket', 'b', '--prefix', 'gt']);
    await runCli(['monitor', 'ground-truth', file, '--bucket', 'b', '--prefix', 'gt']);
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    // The harness clock starts at 2025-01-15T10:00:00Z.
    expect(keys[0]).toMatch(/^gt\/2025\/01\/15\/10\/batch-[0-9a-f]{12}\.jsonl$/);
    expect(keys[1]).toBe(keys[0]);
  });

  test('an offset time is converted to the UTC hour', () => {
    expect(groundTruthKey('/p/', new Date('2025-12-31T23:30:00-02:00'), 'n')).toBe('p/2026/01/01/01/n.jsonl');
    expect(groundTruthKey('', new Date('2025-01-02T03:00:00Z'), 'n')).toBe('2025/01/02/03/n.jsonl');
  });

  test('--json prints the location', async () => {
    const file = csv('labels.csv', 'x,1\n');
    const result = await runCli(['--json', 'monitor', 'ground-truth', file, '--bucket', 'b', '--prefix', 'gt', '--name', 'day-1', '--time', '2025-03-07T09:00:00Z']);
    expect(JSON.parse(result.stdout)).toEqual({ bucket: 'b', key: 'gt/2025/03/07/09/day-1.jsonl', uri: 's3://b/gt/2025/03/07/09/day-1.jsonl', labels: 1, collectedAt: '2025-03-07T09:00:00.000Z' });
  });

  test('with --stack and --output, a stack output holding the s3:// URI gives bucket and prefix', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Inference', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'GroundTruthS3Uri', OutputValue: 's3://monitoring-bucket/loan/ground-truth' }] }],
    });
    const file = csv('labels.csv', 'x,1\n');
    const result = await runCli(['--stack', 'Inference', 'monitor', 'ground-truth', file, '--output', 'GroundTruthS3Uri', '--time', '2025-03-07T09:00:00Z']);
    expect(result.code).toBe(0);
    expect(uploaded()).toMatchObject({ Bucket: 'monitoring-bucket', Key: expect.stringMatching(/^loan\/ground-truth\/2025\/03\/07\/09\//) });
  });

  test('a stack output holding a bucket name needs --prefix', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Inference', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'MonitoringBucketName', OutputValue: 'monitoring-bucket' }] }],
    });
    const file = csv('labels.csv', 'x,1\n');
    const missing = await runCli(['--stack', 'Inference', 'monitor', 'ground-truth', file, '--output', 'MonitoringBucketName']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/holds a bucket name \(monitoring-bucket\); pass --prefix too/);
    const ok = await runCli(['--stack', 'Inference', 'monitor', 'ground-truth', file, '--output', 'MonitoringBucketName', '--prefix', 'gt']);
    expect(ok.code).toBe(0);
    expect(uploaded()).toMatchObject({ Bucket: 'monitoring-bucket', Key: expect.stringMatching(/^gt\//) });
  });
});

describe('monitor ground-truth refuses bad input (exit code 2) before writing anything', () => {
  const refused = async (args: string[], message: RegExp) => {
    const result = await runCli(['monitor', 'ground-truth', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  };

  test('every bad row is listed with its line number', async () => {
    const file = csv('bad.csv', 'inference_id,label\nok-1,1\n only-one-column\n,1\ndup,1\ndup,0\nempty,\n a,b,c\n');
    await refused([file, '--bucket', 'b', '--prefix', 'p'], /bad\.csv has 5 problems:\n {2}- line 3: expected 2 columns .*\n {2}- line 4: inference id "" is not one SageMaker accepts.*\n {2}- line 6: inference id "dup" was labelled already on line 5.*\n {2}- line 7: the label of "empty" is empty\n {2}- line 8: expected 2 columns/);
  });

  test('an inference id longer than SageMaker allows', async () => {
    await refused([csv('long.csv', `${'x'.repeat(65)},1\n`), '--bucket', 'b', '--prefix', 'p'], /line 1: inference id "x+" is not one SageMaker accepts \(1 to 64 printable ASCII/);
  });

  test('a file with no labels', async () => {
    await refused([csv('empty.csv', 'inference_id,label\n'), '--bucket', 'b', '--prefix', 'p'], /empty\.csv holds no labels/);
  });

  test('a file that cannot be read', async () => {
    await refused([path.join(dir, 'missing.csv'), '--bucket', 'b', '--prefix', 'p'], /Cannot read .*missing\.csv/);
  });

  test('no destination, or --bucket without --prefix, or --output without --stack', async () => {
    const file = csv('labels.csv', 'x,1\n');
    await refused([file], /Missing the destination: pass --bucket <name> --prefix <prefix>/);
    await refused([file, '--bucket', 'b'], /Missing --prefix/);
    await refused([file, '--output', 'GroundTruthS3Uri'], /names a stack output; pass --stack <stack> too/);
    await refused([file, '--bucket', 'b', '--prefix', 'p', '--output', 'X'], /either --bucket or --output/);
  });

  test('a time that is not ISO 8601 with a zone', async () => {
    await refused([csv('labels.csv', 'x,1\n'), '--bucket', 'b', '--prefix', 'p', '--time', '2025-03-07 09:00'], /--time "2025-03-07 09:00" is not an ISO 8601 time with a zone/);
  });

  test('an object name with a slash', async () => {
    await refused([csv('labels.csv', 'x,1\n'), '--bucket', 'b', '--prefix', 'p', '--name', 'a/b'], /--name "a\/b" must be letters, digits/);
  });
});

test('an unknown bucket is bad input', async () => {
  s3.on(PutObjectCommand).rejects(new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }));
  const result = await runCli(['monitor', 'ground-truth', csv('labels.csv', 'x,1\n'), '--bucket', 'nope', '--prefix', 'p']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/Bucket "nope" not found in eu-west-1/);
});
