import { aws_s3 as s3, aws_sqs as sqs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
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

  test('sends no events to EventBridge by default', () => {
    const stack = testStack();
    new SecureBucket(stack, 'Data');
    const buckets = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'));
    expect(buckets.map((b) => b.Properties.NotificationConfiguration)).toEqual([undefined, undefined]);
  });

  test('eventBridgeEnabled is set on the bucket resource, without the notifications Lambda, and is nag clean', () => {
    const app = testApp();
    const stack = testStack(app);
    const bucket = new SecureBucket(stack, 'Data', { eventBridgeEnabled: true });
    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources[stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)].Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });

  test('eventBridgeEnabled stays on when a notification added later brings the notifications custom resource', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Data', { eventBridgeEnabled: true });
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SqsDestination(new sqs.Queue(stack, 'Queue', { enforceSSL: true })));
    // The custom resource replaces the bucket's whole notification configuration, so it carries EventBridge too.
    Template.fromStack(stack).hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {}, QueueConfigurations: [Match.objectLike({ Events: ['s3:ObjectCreated:*'] })] },
    });
  });

  test('is clean under the three nag packs and the IAM check', () => {
    const app = testApp();
    const stack = testStack(app);
    new SecureBucket(stack, 'Data');
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
