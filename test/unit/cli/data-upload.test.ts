/**
 * `data upload` against a real S3-compatible server (s3rver) on 127.0.0.1: multipart uploads,
 * skipping unchanged files on a re-run, and an interrupted upload that leaves nothing behind.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localEtags, parseS3Uri, partSizeFor } from '../../../cli/commands/data-upload';
import { REGION, runCli } from './harness';

// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: object) => {
  middleware: Array<(ctx: KoaContext, next: () => Promise<void>) => Promise<void>>;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
};

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

const MIB = 1024 * 1024;
const BUCKET = 'loan-data';
let server: InstanceType<typeof S3rver>;
let storeDir: string;
let workDir: string;
let endpoint: string;
const calls: Array<{ command: string; input: Record<string, unknown> }> = [];

function client(onCommand?: (command: string) => void): S3Client {
  const s3 = new S3Client({
    region: REGION,
    // s3rver's built-in account.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    endpoint,
    forcePathStyle: true,
    // s3rver predates the SDK's default CRC32 trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({ command: context.commandName ?? '?', input: args.input as Record<string, unknown> });
      const result = await next(args);
      onCommand?.(context.commandName ?? '?');
      return result;
    },
    { step: 'initialize', name: 'testSpy' },
  );
  return s3;
}

function uploadsLeft(): string[] {
  const dir = path.join(storeDir, BUCKET, '._S3rver_uploads');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

function commandsCalled(): string[] {
  return calls.map((c) => c.command);
}

beforeAll(async () => {
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upload-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: storeDir, vhostBuckets: false, configureBuckets: [{ name: BUCKET }] });
  // s3rver 3 does not implement AbortMultipartUpload; emulate S3's (drop the parts, 204).
  server.middleware.unshift(async (ctx, next) => {
    if (ctx.method === 'DELETE' && ctx.query.uploadId) {
      fs.rmSync(path.join(storeDir, BUCKET, '._S3rver_uploads', ctx.query.uploadId), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    await next();
  });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;

  const data = path.join(workDir, 'data');
  fs.mkdirSync(path.join(data, 'test'), { recursive: true });
  fs.writeFileSync(path.join(data, 'train.csv'), 'default,income,age\n0,52000,34\n1,18000,22\n');
  fs.writeFileSync(path.join(data, 'test', 'test.csv'), 'default,income,age\n0,61000,45\n');
  fs.writeFileSync(path.join(data, 'features.bin'), randomBytes(12 * MIB));
  fs.writeFileSync(path.join(workDir, 'big.bin'), randomBytes(20 * MIB));
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(storeDir, { recursive: true, force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
});

describe('data upload', () => {
  test('uploads a directory, the large file in parts, with SSE-KMS and the source ETag recorded', async () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222';
    const s3 = client();
    const result = await runCli(['--json', 'data', 'upload', path.join(workDir, 'data'), `s3://${BUCKET}/raw`, '--kms-key-id', key], { s3 });

    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.files).toEqual([
      { key: 'raw/features.bin', size: 12 * MIB, action: 'uploaded', parts: 2 },
      { key: 'raw/test/test.csv', size: 30, action: 'uploaded', parts: 1 },
      { key: 'raw/train.csv', size: 41, action: 'uploaded', parts: 1 },
    ]);
    expect(summary.encryption).toBe(`aws:kms with ${key} (given with --kms-key-id)`);
    expect(commandsCalled().filter((c) => c === 'UploadPartCommand')).toHaveLength(2);
    for (const call of calls.filter((c) => c.command === 'CreateMultipartUploadCommand' || c.command === 'PutObjectCommand')) {
      expect(call.input).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key });
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'raw/features.bin' }));
    const expected = await localEtags(path.join(workDir, 'data', 'features.bin'), 8 * MIB);
    expect(head.ContentLength).toBe(12 * MIB);
    expect(head.Metadata).toEqual({ 'sagemaker-cdk-etag': expected.s3Etag });
    expect(expected.s3Etag).toMatch(/^[0-9a-f]{32}-2$/);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'raw/train.csv' }));
    expect(await object.Body?.transformToString()).toBe('default,income,age\n0,52000,34\n1,18000,22\n');
    expect(uploadsLeft()).toEqual([]);
  });

  test('a re-run skips unchanged files and uploads only what changed', async () => {
    const s3 = client();
    const dir = path.join(workDir, 'data');
    const again = await runCli(['data', 'upload', dir, `s3://${BUCKET}/raw/`], { s3 });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Uploaded 0 file(s) (0 B)');
    expect(again.stdout).toContain('skipped 3 unchanged file(s)');
    expect(commandsCalled()).not.toContain('PutObjectCommand');
    expect(commandsCalled()).not.toContain('CreateMultipartUploadCommand');
    // The bucket's encryption cannot be read from s3rver: a note, and the bucket default applies.
    expect(again.stderr).toContain('note: could not read the encryption of bucket loan-data');

    fs.appendFileSync(path.join(dir, 'train.csv'), '0,40000,51\n');
    calls.length = 0;
    const changed = await runCli(['--json', 'data', 'upload', dir, `s3://${BUCKET}/raw`], { s3 });
    const actions = JSON.parse(changed.stdout).files.map((f: { key: string; action: string }) => `${f.key}:${f.action}`);
    expect(actions).toEqual(['raw/features.bin:skipped', 'raw/test/test.csv:skipped', 'raw/train.csv:uploaded']);
  });

  test('Ctrl-C during a multipart upload aborts it: no object, no parts left; a re-run completes it', async () => {
    const interrupt = new AbortController();
    let partsDone = 0;
    const s3 = client((command) => {
      if (command === 'UploadPartCommand' && ++partsDone === 1) interrupt.abort();
    });
    const file = path.join(workDir, 'big.bin');

    const stopped = await runCli(['data', 'upload', file, `s3://${BUCKET}/big/`, '--part-size', '5', '--concurrency', '1'], {
      s3,
      interrupt: interrupt.signal,
    });

    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(
      `Interrupted after 0 of 1 file(s). The upload of s3://${BUCKET}/big/big.bin was stopped and its multipart upload aborted; ` +
        'no partial object was written. Run the same command again to continue',
    );
    expect(commandsCalled()).toContain('AbortMultipartUploadCommand');
    expect(commandsCalled()).not.toContain('CompleteMultipartUploadCommand');
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big/big.bin' }))).rejects.toMatchObject({ name: 'NotFound' });
    // lib-storage finishes the part in flight before it gives up; wait for its own clean-up too.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uploadsLeft()).toEqual([]);

    const resumed = await runCli(['data', 'upload', file, `s3://${BUCKET}/big/`, '--part-size', '5'], { s3: client() });
    expect(resumed.code).toBe(0);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big/big.bin' }));
    expect(head.ContentLength).toBe(20 * MIB);
  });

  test('a single file to an exact key', async () => {
    const s3 = client();
    const result = await runCli(['--json', 'data', 'upload', path.join(workDir, 'data', 'train.csv'), `s3://${BUCKET}/exact/loans.csv`], { s3 });
    expect(JSON.parse(result.stdout).files).toEqual([{ key: 'exact/loans.csv', size: 52, action: 'uploaded', parts: 1 }]);
  });

  test('bad input exits 2 with a clear message', async () => {
    const s3 = client();
    const noUri = await runCli(['data', 'upload', workDir, 'raw/'], { s3 });
    expect(noUri).toMatchObject({ code: 2 });
    expect(noUri.stderr).toContain('Missing the destination: pass s3://<bucket>/<prefix>, or --stack <name>');

    const missing = await runCli(['data', 'upload', path.join(workDir, 'nope'), `s3://${BUCKET}/x`], { s3 });
    expect(missing).toMatchObject({ code: 2, stderr: `sagemaker-cdk: Local path "${path.join(workDir, 'nope')}" does not exist.\n` });

    const partSize = await runCli(['data', 'upload', workDir, `s3://${BUCKET}/x`, '--part-size', '2'], { s3 });
    expect(partSize.stderr).toContain('--part-size 2 is invalid: S3 parts are 5 to 5120 MiB');

    const noBucket = await runCli(['data', 'upload', path.join(workDir, 'data', 'train.csv'), 's3://no-such-bucket/x'], { s3 });
    expect(noBucket).toMatchObject({ code: 2, stderr: 'sagemaker-cdk: Bucket "no-such-bucket" not found (eu-west-1).\n' });
  });
});

describe('upload helpers', () => {
  test('parseS3Uri', () => {
    expect(parseS3Uri('s3://b/p/q')).toEqual({ bucket: 'b', prefix: 'p/q' });
    expect(parseS3Uri('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(() => parseS3Uri('b/p')).toThrow('"b/p" is not an S3 URI');
  });

  test('part size grows so that any file fits in 10,000 parts', () => {
    expect(partSizeFor(MIB)).toBe(8 * MIB);
    expect(partSizeFor(200 * 1024 * MIB)).toBe(21 * MIB);
    expect(partSizeFor(MIB, 5 * MIB)).toBe(5 * MIB);
  });

  test('local ETags follow S3: MD5 for one part, MD5 of part MD5s with a count otherwise', async () => {
    const file = path.join(workDir, 'etag.bin');
    fs.writeFileSync(file, Buffer.alloc(6 * MIB, 1));
    const single = await localEtags(file, 8 * MIB);
    expect(single.parts).toBe(1);
    expect(single.s3Etag).toBe(single.md5);
    const multi = await localEtags(file, 5 * MIB);
    expect(multi.parts).toBe(2);
    expect(multi.s3Etag).toMatch(/-2$/);
    expect(multi.md5).toBe(single.md5);
  });
});
