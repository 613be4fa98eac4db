import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { App, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { SourceCode } from '../../../lib/constructs/core';
import { SageMakerExecutionRole } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'source');

function newRole(scope: Construct, id = 'Role'): iam.Role {
  return new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
}

/** A fresh directory with the given files (path -> [content, mode]). */
function directoryWith(files: Record<string, [string, number]>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'source-code-'));
  for (const [name, [content, mode]] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    fs.chmodSync(file, mode);
  }
  return dir;
}

interface TarEntry {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly typeflag: string;
  readonly magic: string;
  readonly checksumValid: boolean;
  readonly content: string;
}

/** Gunzips a ustar archive and parses its headers. */
function untar(gz: Buffer): TarEntry[] {
  const tar = zlib.gunzipSync(gz);
  const field = (block: Buffer, offset: number, length: number) => block.subarray(offset, offset + length).toString('utf-8').replace(/\0.*$/s, '');
  const octal = (block: Buffer, offset: number, length: number) => parseInt(field(block, offset, length).trim(), 8);
  const entries: TarEntry[] = [];
  let offset = 0;
  for (; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    header.forEach((byte, i) => (sum += i >= 148 && i < 156 ? 32 : byte));
    const size = octal(header, 124, 12);
    const prefix = field(header, 345, 155);
    const name = field(header, 0, 100);
    entries.push({
      name: prefix ? `${prefix}/${name}` : name,
      mode: octal(header, 100, 8),
      uid: octal(header, 108, 8),
      gid: octal(header, 116, 8),
      mtime: octal(header, 136, 12),
      typeflag: field(header, 156, 1),
      magic: field(header, 257, 6),
      checksumValid: octal(header, 148, 8) === sum,
      content: tar.subarray(offset + 512, offset + 512 + size).toString('utf-8'),
    });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  // Two zero blocks end the archive.
  expect(tar.subarray(offset).length).toBeGreaterThanOrEqual(1024);
  return entries;
}

/** Binds `code` in a new stack and returns the archive bytes the asset publishes, and the config. */
function bound(code: SourceCode, stack: Stack = testStack()) {
  const config = code.bind(stack, newRole(stack));
  const asset = stack.node.findAll().find((c): c is s3_assets.Asset => c instanceof s3_assets.Asset);
  if (!asset) throw new Error('no asset');
  const outdir = (stack.node.root as App).outdir;
  const bytes = fs.readFileSync(path.join(outdir, asset.assetPath));
  return { stack, config, asset, bytes };
}

describe('SourceCode.fromDirectory archive', () => {
  const dir = directoryWith({
    'train.py': ['print("train")\n', 0o644],
    'run.sh': ['#!/bin/sh\npython train.py\n', 0o755],
    'lib/util.py': ['X = 1\n', 0o600],
    'lib/__pycache__/util.cpython-311.pyc': ['cache', 0o644],
    'stale.pyc': ['cache', 0o644],
    [`${'deep/'.repeat(25)}module.py`]: ['Y = 2\n', 0o644],
  });
  const { bytes, config, asset } = bound(SourceCode.fromDirectory(dir, { entryPoint: 'train.py' }));
  const entries = untar(bytes);

  test('holds the files, sorted, with contents; caches are left out', () => {
    expect(entries.map((e) => [e.name, e.content])).toEqual([
      [`${'deep/'.repeat(25)}module.py`, 'Y = 2\n'],
      ['lib/util.py', 'X = 1\n'],
      ['run.sh', '#!/bin/sh\npython train.py\n'],
      ['train.py', 'print("train")\n'],
    ]);
  });

  test('headers are ustar with fixed owners and times, 0644/0755 modes and valid checksums', () => {
    for (const entry of entries) {
      expect(entry).toMatchObject({ uid: 0, gid: 0, mtime: 0, typeflag: '0', magic: 'ustar', checksumValid: true });
    }
    expect(entries.map((e) => [e.name, e.mode.toString(8)])).toEqual([
      [`${'deep/'.repeat(25)}module.py`, '644'],
      ['lib/util.py', '644'],
      ['run.sh', '755'],
      ['train.py', '644'],
    ]);
  });

  test('the gzip header has no timestamp and a fixed OS byte', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
    expect(bytes.readUInt32LE(4)).toBe(0);
    expect(bytes[9]).toBe(255);
  });

  test('bind returns the asset URI and the entry point', () => {
    expect(config.entryPoint).toBe('train.py');
    expect(config.s3Uri).toBe(asset.s3ObjectUrl);
  });
});

describe('SourceCode.fromDirectory determinism', () => {
  test('the same directory gives the same bytes and asset hash on every synth, even after touching files', () => {
    const dir = directoryWith({ 'train.py': ['print(1)\n', 0o644], 'lib/a.py': ['A = 1\n', 0o644] });
    const first = bound(SourceCode.fromDirectory(dir, { entryPoint: 'train.py' }));
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dir, 'train.py'), later, later);
    const second = bound(SourceCode.fromDirectory(dir, { entryPoint: 'train.py' }));
    expect(first.bytes.equals(second.bytes)).toBe(true);
    expect(first.asset.assetHash).toBe(second.asset.assetHash);
    expect(first.stack.resolve(first.config.s3Uri)).toEqual(second.stack.resolve(second.config.s3Uri));
  });

  test('a content change gives a new asset hash', () => {
    const dir = directoryWith({ 'train.py': ['print(1)\n', 0o644] });
    const before = bound(SourceCode.fromDirectory(dir, { entryPoint: 'train.py' }));
    fs.writeFileSync(path.join(dir, 'train.py'), 'print(2)\n');
    const after = bound(SourceCode.fromDirectory(dir, { entryPoint: 'train.py' }));
    expect(after.asset.assetHash).not.toBe(before.asset.assetHash);
  });

  test('the entry point is normalised to a POSIX path relative to the directory', () => {
    expect(bound(SourceCode.fromDirectory(FIXTURE, { entryPoint: './lib/util.py' })).config.entryPoint).toBe('lib/util.py');
  });
});

describe('SourceCode.fromDirectory binding', () => {
  test('grants read on exactly the archive object, and the list SageMaker makes of it as an S3Prefix input', () => {
    const { stack, asset } = bound(SourceCode.fromDirectory(FIXTURE, { entryPoint: 'train.py' }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(asset.bucket.arnForObjects(asset.s3ObjectKey)) },
          { Action: 's3:ListBucket', Effect: 'Allow', Resource: stack.resolve(asset.bucket.bucketArn), Condition: { StringLike: { 's3:prefix': [asset.s3ObjectKey] } } },
        ],
      },
    });
  });

  test('names the archive as SageMaker writes it: the last segment of the object key, known at synth', () => {
    const stack = testStack();
    const config = SourceCode.fromDirectory(FIXTURE, { entryPoint: 'train.py' }).bind(stack, newRole(stack));
    expect(config.fileName).toMatch(/^[0-9a-f]{64}\.(tar\.)?gz$/);
    expect(stack.resolve(config.s3Uri).endsWith(`/${config.fileName}`)).toBe(true);
  });

  test('one asset per stack however often it is bound; two codes in one scope do not clash', () => {
    const stack = testStack();
    const code = SourceCode.fromDirectory(FIXTURE, { entryPoint: 'train.py' });
    const other = SourceCode.fromDirectory(FIXTURE, { entryPoint: 'lib/util.py' });
    code.bind(stack, newRole(stack, 'A'));
    code.bind(stack, newRole(stack, 'B'));
    other.bind(stack, newRole(stack, 'C'));
    expect(stack.node.findAll().filter((c) => c instanceof s3_assets.Asset).map((c) => c.node.id)).toEqual(['SourceCode', 'SourceCode2']);
  });
});

describe('SourceCode validation', () => {
  test('a missing directory', () => {
    expect(() => SourceCode.fromDirectory('/nonexistent-dir', { entryPoint: 'train.py' })).toThrow(
      'SourceCode.fromDirectory("/nonexistent-dir"): there is no such directory. Give the folder that holds your scripts.',
    );
  });

  test('a file instead of a directory', () => {
    expect(() => SourceCode.fromDirectory(path.join(FIXTURE, 'train.py'), { entryPoint: 'train.py' })).toThrow(/there is no such directory/);
  });

  test.each(['missing.py', '../source/train.py/..', '/etc/passwd', 'lib'])('the entry point "%s" that is not a file inside the directory', (entryPoint) => {
    expect(() => SourceCode.fromDirectory(FIXTURE, { entryPoint })).toThrow(
      `the entry point "${entryPoint}" is not a file inside the directory. Give the script's path relative to the directory, e.g. "train.py".`,
    );
  });
});

describe('SourceCode.fromBucket', () => {
  test('renders the URI and grants read on the archive and decrypt on the key', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Code', { bucketName: 'code-bucket', encryptionKey: key });
    const config = SourceCode.fromBucket(bucket, 'code/sourcedir.tar.gz', { entryPoint: 'train.py' }).bind(stack, newRole(stack));
    expect(stack.resolve(config.s3Uri)).toBe('s3://code-bucket/code/sourcedir.tar.gz');
    expect(config.entryPoint).toBe('train.py');
    expect(config.fileName).toBe('sourcedir.tar.gz');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::code-bucket/code/sourcedir.tar.gz' },
          { Action: 's3:ListBucket', Effect: 'Allow', Resource: 'arn:aws:s3:::code-bucket', Condition: { StringLike: { 's3:prefix': ['code/sourcedir.tar.gz'] } } },
          { Action: 'kms:Decrypt', Effect: 'Allow', Resource: key.keyArn },
        ],
      },
    });
  });

  test('rejects a key that is not an archive and an absolute entry point', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Code', 'code-bucket');
    expect(() => SourceCode.fromBucket(bucket, 'code/train.py', { entryPoint: 'train.py' })).toThrow(
      /SourceCode.fromBucket: key "code\/train.py" is not a .tar.gz archive\..*e\.g\. "code\/sourcedir.tar.gz"/,
    );
    expect(() => SourceCode.fromBucket(bucket, 'code/sourcedir.tar.gz', { entryPoint: '/train.py' })).toThrow(
      /SourceCode.fromBucket: the entry point "\/train.py" must be a path relative to the archive's root/,
    );
  });
});

describe('SourceCode nag', () => {
  test('an execution role reading a code archive is nag-clean and least-privilege', () => {
    const app = testApp();
    const stack = testStack(app);
    const role = new SageMakerExecutionRole(stack, 'Role');
    SourceCode.fromDirectory(FIXTURE, { entryPoint: 'train.py' }).bind(stack, role);
    expectNagClean(app);
    expectLeastPrivilege(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject' })]) },
    });
  });
});
