import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelData, SourceCode } from '../../../lib/constructs/core';
import { SecureBucket } from '../../../lib/constructs/security';
import { deterministicTarGz } from '../../../lib/private/deterministic-tar';
import { testStack } from '../../helpers';

const SOURCE = path.join(__dirname, '..', '..', 'fixtures', 'source');

function role(stack: ReturnType<typeof testStack>) {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
}

/** Reads the entries of a ustar archive: [name, mode, size, content]. */
function untar(bytes: Buffer): Array<[string, string, number, string]> {
  const tar = zlib.gunzipSync(bytes);
  const entries: Array<[string, string, number, string]> = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf-8').replace(/\0.*$/s, '');
    const mode = header.subarray(100, 107).toString('ascii');
    const size = parseInt(header.subarray(124, 135).toString('ascii'), 8);
    const content = tar.subarray(offset + 512, offset + 512 + size).toString('utf-8');
    entries.push([name, mode, size, content]);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe('ModelData', () => {
  test('fromBucket renders the URI and grants read on exactly the object and decrypt on the key', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Models');
    const config = ModelData.fromBucket(bucket, 'models/model.tar.gz').bind(stack, role(stack));
    expect(stack.resolve(config.s3Uri)).toEqual({ 'Fn::Join': ['', ['s3://', stack.resolve(bucket.bucketName), '/models/model.tar.gz']] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(bucket.arnForObjects('models/model.tar.gz')) },
          Match.objectLike({ Action: 'kms:Decrypt' }),
        ]),
      },
    });
  });

  test('a prefix (multi-model) grants the objects under it and listing', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Models');
    ModelData.fromBucket(bucket, 'multi/').bind(stack, role(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 's3:GetObject', Effect: 'Allow', Resource: stack.resolve(bucket.arnForObjects('multi/*')) },
          { Action: 's3:ListBucket', Effect: 'Allow', Resource: stack.resolve(bucket.bucketArn) },
        ]),
      },
    });
  });

  test('rejects an empty or absolute key', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Models');
    expect(() => ModelData.fromBucket(bucket, '/model.tar.gz')).toThrow(/must be an object key such as "models\/model.tar.gz" \(no leading "\/"\)/);
    expect(() => ModelData.fromBucket(bucket, '')).toThrow(/must be an object key/);
  });

  test('fromAsset needs an existing .tar.gz file', () => {
    expect(() => ModelData.fromAsset(SOURCE)).toThrow(/needs model artifacts as a .tar.gz file/);
    expect(() => ModelData.fromAsset('/nonexistent/model.tar.gz')).toThrow(/no such file/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'model-')), 'model.tar.gz');
    fs.writeFileSync(file, deterministicTarGz(SOURCE));
    const stack = testStack();
    const config = ModelData.fromAsset(file).bind(stack, role(stack));
    expect(JSON.stringify(stack.resolve(config.s3Uri))).toMatch(/^"s3:\/\/cdk-.*\.gz"$/);
  });
});

describe('SourceCode', () => {
  test('packs a directory into a deterministic tar.gz with the files and their modes', () => {
    const first = deterministicTarGz(SOURCE);
    const second = deterministicTarGz(SOURCE);
    expect(first.equals(second)).toBe(true);
    expect(first[9]).toBe(255);
    expect(untar(first)).toEqual([
      ['lib/util.py', '0000644', 6, 'X = 1\n'],
      ['train.py', '0000644', 15, 'print("train")\n'],
    ]);
  });

  test('the asset hash is the same on every synth', () => {
    const hashes = [0, 1].map(() => {
      const stack = testStack();
      const config = SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }).bind(stack, role(stack));
      expect(config.entryPoint).toBe('train.py');
      return JSON.stringify(stack.resolve(config.s3Uri));
    });
    expect(hashes[0]).toEqual(hashes[1]);
  });

  test('bind grants read on exactly the code object', () => {
    const stack = testStack();
    SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }).bind(stack, role(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Resource: Match.anyValue() })]) },
    });
  });

  test('rejects a missing directory and an entry point outside it', () => {
    expect(() => SourceCode.fromDirectory('/nonexistent-dir', { entryPoint: 'train.py' })).toThrow(/no such directory/);
    expect(() => SourceCode.fromDirectory(SOURCE, { entryPoint: 'missing.py' })).toThrow(/entry point "missing.py" is not a file inside the directory/);
    expect(() => SourceCode.fromDirectory(SOURCE, { entryPoint: '../source/train.py/..' })).toThrow(/is not a file inside the directory/);
  });
});
