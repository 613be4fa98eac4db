import { Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { turnOnEventBridgeNotifications } from '../../private/bucket-eventbridge';
import { acknowledgeFindings } from '../../private/nag';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';

/**
 * Properties of a {@link SecureBucket}.
 */
export interface SecureBucketProps {
  /**
   * The KMS key that encrypts objects by default (SSE-KMS with an S3 bucket key).
   * @default - a new customer-managed key with rotation on (child `Key`), retained on delete
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The bucket that receives S3 server access logs. S3 delivers access logs only to buckets
   * encrypted with S3-managed keys, so the log bucket cannot use the KMS key.
   * @default - a new log bucket child named `AccessLogs` (SSE-S3, versioned, TLS only, retained)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Key prefix for the access logs in the log bucket.
   * @default 'access-logs/'
   */
  readonly serverAccessLogsPrefix?: string;

  /**
   * Delete the bucket and every object in it when it leaves the stack. Data loss is
   * permanent, so this is an explicit opt-in; by default the bucket (and its log bucket) is
   * retained.
   * @default false
   */
  readonly destroyOnRemoval?: boolean;

  /**
   * Lifecycle rules, e.g. to expire old object versions.
   * @default - noncurrent versions expire after 90 days, incomplete multipart uploads after 7
   */
  readonly lifecycleRules?: s3.LifecycleRule[];

  /**
   * Send the bucket's S3 event notifications to Amazon EventBridge. This is set on the bucket
   * resource itself (no notifications Lambda function), and stays on when notifications are
   * added with `addEventNotification` (which manage the bucket's whole notification
   * configuration through aws-cdk-lib's custom resource).
   * @default false
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  readonly eventBridgeEnabled?: boolean;
}

/**
 * An S3 bucket for ML data and artifacts with safe defaults: SSE-KMS with a customer-managed
 * key (rotation on), all public access blocked, TLS 1.2+ enforced, object ownership enforced,
 * versioning on, server access logging on, retained on stack delete unless
 * `destroyOnRemoval` is set.
 *
 * It is an `s3.Bucket`, so it goes anywhere an `IBucket` does.
 */
export class SecureBucket extends s3.Bucket {
  /** The bucket that receives this bucket's server access logs. */
  public readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    const destroy = props.destroyOnRemoval ?? false;
    const removalPolicy = destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    super(scope, id, {
      encryption: s3.BucketEncryption.KMS,
      // Without a key, s3.Bucket creates a customer-managed key with rotation on (child "Key").
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsBucket ? props.serverAccessLogsPrefix ?? 'access-logs/' : undefined,
      lifecycleRules: props.lifecycleRules ?? [
        { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      // Not s3.Bucket's eventBridgeEnabled: that adds the notifications custom resource (a Lambda
      // function and its role) for what one property of the bucket resource does (see below).
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    assertSingleCdkLib(this);
    if (props.eventBridgeEnabled) turnOnEventBridgeNotifications(this);

    // Cross-region replication needs a destination bucket in a second region (another stack, and
    // a per-deployment disaster-recovery decision), which a bucket construct cannot create.
    acknowledgeFindings(
      this.node.defaultChild!,
      ['S3BucketReplicationEnabled'],
      'Cross-region replication needs a destination bucket in a second region, which this single-region construct cannot create; versioning, noncurrent-version retention and RETAIN protect the data. Add a replication configuration to the bucket if the deployment needs one.',
    );

    if (props.serverAccessLogsBucket) {
      this.accessLogsBucket = props.serverAccessLogsBucket;
      return;
    }

    // S3 delivers server access logs only to SSE-S3 buckets, so the log bucket cannot use the
    // KMS key. It is created after the data bucket (a subclass cannot make children before
    // super()), so its logging configuration and delivery policy are set here.
    const prefix = props.serverAccessLogsPrefix ?? 'access-logs/';
    const logs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ id: 'ExpireOldAccessLogs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    logs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsPolicy',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [logs.arnForObjects(`${prefix}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    (this.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: logs.bucketName,
      logFilePrefix: prefix,
    };
    acknowledgeFindings(
      logs.node.defaultChild!,
      ['S3DefaultEncryptionKMS'],
      'Server access log bucket: S3 delivers server access logs only to buckets encrypted with S3-managed keys (SSE-S3); the data bucket itself uses SSE-KMS.',
    );
    acknowledgeFindings(
      logs.node.defaultChild!,
      ['S3BucketReplicationEnabled'],
      'Server access log bucket: the logs are an audit trail of the data bucket in the same region, versioned and retained; replicating them would need a second region chosen per deployment.',
    );
    this.accessLogsBucket = logs;
  }

  /**
   * The `s3://` URL of a key prefix (or of the bucket when no prefix is given).
   */
  public s3Url(prefix?: string): string {
    return prefix ? `s3://${this.bucketName}/${prefix}` : `s3://${this.bucketName}`;
  }

  /**
   * The ARN pattern of every object under a key prefix, for scoping IAM statements.
   */
  public arnForPrefix(prefix: string): string {
    return this.arnForObjects(`${prefix}*`);
  }
}
