import { aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

describe('SecureBucket', () => {
  test('KMS, public access blocked, TLS, versioned, logged, retained', () => {
    const stack = testStack();
    const key = new MlKey(stack, 'Key');
    new SecureBucket(stack, 'Data', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
          ],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'access-logs/' },
      },
    });
    // The access-log bucket: SSE-S3 (S3 delivers access logs only there) and a delivery policy.
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'S3ServerAccessLogsPolicy', Principal: { Service: 'logging.s3.amazonaws.com' } }),
        ]),
      },
    });
    // TLS enforced on the data bucket.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  test('creates its own rotating key when none is given', () => {
    const stack = testStack();
    new SecureBucket(stack, 'Data');
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('destroyOnRemoval is an explicit opt-in that also empties the bucket', () => {
    const stack = testStack();
    new SecureBucket(stack, 'Data', { destroyOnRemoval: true });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  test('uses a given access-log bucket and creates none', () => {
    const stack = testStack();
    const logs = s3.Bucket.fromBucketName(stack, 'Logs', 'central-access-logs');
    new SecureBucket(stack, 'Data', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'ml/' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: 'central-access-logs', LogFilePrefix: 'ml/' },
    });
  });

  test('s3Url and arnForPrefix', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Data');
    const ref = stack.resolve(bucket.bucketName);
    expect(stack.resolve(bucket.s3Url('train/'))).toEqual({ 'Fn::Join': ['', ['s3://', ref, '/train/']] });
    expect(stack.resolve(bucket.arnForPrefix('model/'))).toEqual(stack.resolve(bucket.arnForObjects('model/*')));
    expect(stack.resolve(bucket.s3Url())).toEqual({ 'Fn::Join': ['', ['s3://', ref]] });
  });

  test('is clean under the three nag packs and the IAM check', () => {
    const app = testApp();
    const stack = testStack(app);
    new SecureBucket(stack, 'Data');
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
