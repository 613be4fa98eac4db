import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Token, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ModelData } from '../../../lib/constructs/core';
import { SageMakerExecutionRole } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

function newRole(scope: Construct, id = 'Role'): iam.Role {
  return new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
}

/** A small gzip file standing in for model.tar.gz (ModelData does not look inside). */
function modelArchive(name = 'model.tar.gz'): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'model-')), name);
  fs.writeFileSync(file, zlib.gzipSync(Buffer.alloc(1024)));
  return file;
}

describe('ModelData.fromBucket', () => {
  test('renders the URI and grants read on exactly the object and decrypt on the bucket key', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Models', { bucketName: 'models-bucket', encryptionKey: key });
    const config = ModelData.fromBucket(bucket, 'models/model.tar.gz').bind(stack, newRole(stack));
    expect(stack.resolve(config.s3Uri)).toBe('s3://models-bucket/models/model.tar.gz');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::models-bucket/models/model.tar.gz' },
          { Action: 'kms:Decrypt', Effect: 'Allow', Resource: KEY_ARN },
        ],
      },
    });
  });

  test('a bucket without a key gets no KMS statement', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Models', 'models-bucket');
    ModelData.fromBucket(bucket, 'model.tar.gz').bind(stack, newRole(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::models-bucket/model.tar.gz' }] },
    });
  });

  test('a prefix (multi-model) grants the objects under it and listing that prefix only', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Models', 'models-bucket');
    const config = ModelData.fromBucket(bucket, 'multi/').bind(stack, newRole(stack));
    expect(stack.resolve(config.s3Uri)).toBe('s3://models-bucket/multi/');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::models-bucket/multi/*' },
          { Action: 's3:ListBucket', Effect: 'Allow', Resource: 'arn:aws:s3:::models-bucket', Condition: { StringLike: { 's3:prefix': ['multi/*'] } } },
        ],
      },
    });
  });

  test.each(['/model.tar.gz', '', '  '])('rejects the key "%s"', (key) => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Models', 'models-bucket');
    expect(() => ModelData.fromBucket(bucket, key)).toThrow(
      `ModelData.fromBucket: key "${key}" is not an object key. Give the key inside the bucket, such as "models/model.tar.gz" (no leading "/").`,
    );
  });

  test('a token key is not validated', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Models', 'models-bucket');
    expect(() => ModelData.fromBucket(bucket, Token.asString({ Ref: 'ModelKey' }))).not.toThrow();
  });
});

describe('ModelData.fromAsset', () => {
  test('publishes the archive as a file asset and grants read on exactly that object', () => {
    const stack = testStack();
    const config = ModelData.fromAsset(modelArchive()).bind(stack, newRole(stack));
    const asset = stack.node.findAll().find((c): c is s3_assets.Asset => c instanceof s3_assets.Asset);
    expect(asset?.isFile).toBe(true);
    expect(config.s3Uri).toBe(asset?.s3ObjectUrl);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 's3:GetObject', Resource: stack.resolve(asset?.bucket.arnForObjects(asset.s3ObjectKey)) })] },
    });
  });

  test('one asset per stack; two model archives bound in one scope do not clash', () => {
    const stack = testStack();
    const first = ModelData.fromAsset(modelArchive());
    first.bind(stack, newRole(stack, 'A'));
    first.bind(stack, newRole(stack, 'B'));
    ModelData.fromAsset(modelArchive('other.tgz')).bind(stack, newRole(stack, 'C'));
    expect(stack.node.findAll().filter((c) => c instanceof s3_assets.Asset).map((c) => c.node.id)).toEqual(['ModelDataAsset', 'ModelDataAsset2']);
  });

  test('rejects a directory or a file that is not a .tar.gz', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-dir-'));
    expect(() => ModelData.fromAsset(dir)).toThrow(/SageMaker needs model artifacts as a gzip-compressed tar file \(\.tar\.gz or \.tgz\)\. Pack the directory first/);
    expect(() => ModelData.fromAsset(path.join(dir, 'model.pkl'))).toThrow(/needs model artifacts as a gzip-compressed tar file/);
  });

  test('rejects a missing file', () => {
    expect(() => ModelData.fromAsset('/nonexistent/model.tar.gz')).toThrow(
      'ModelData.fromAsset("/nonexistent/model.tar.gz"): there is no such file. Give the path of an existing model.tar.gz.',
    );
  });
});

describe('ModelData nag', () => {
  test('an execution role reading model data is nag-clean and least-privilege', () => {
    const app = testApp();
    const stack = testStack(app);
    const role = new SageMakerExecutionRole(stack, 'Role');
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Models', { bucketName: 'models-bucket', encryptionKey: key });
    ModelData.fromBucket(bucket, 'models/model.tar.gz').bind(stack, role);
    ModelData.fromAsset(modelArchive()).bind(stack, role);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
