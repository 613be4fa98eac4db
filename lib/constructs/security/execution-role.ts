import { ArnFormat, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role';

/**
 * Properties of a {@link SageMakerExecutionRole}.
 */
export interface SageMakerExecutionRoleProps {
  /**
   * What the role is for, shown in the IAM console.
   * @default 'Execution role for SageMaker workloads'
   */
  readonly description?: string;

  /**
   * Add the confused-deputy conditions `aws:SourceAccount` (this account) and `aws:SourceArn`
   * (SageMaker resources of this account and region) to the trust policy.
   * @default true
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html
   */
  readonly confusedDeputyConditions?: boolean;

  /**
   * A permissions boundary for the role.
   * @default - none
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

/**
 * An IAM role that SageMaker assumes to run a job, host a model, or run a notebook or a
 * pipeline. It starts with no permissions and no AWS managed policies (its statements go to
 * customer-managed policies, see `ManagedPolicyRole`); the constructs that use it
 * call the `grantXxx` methods for exactly what their workload needs. Each method adds its
 * statements once, however often it is called.
 */
export class SageMakerExecutionRole extends ManagedPolicyRole {
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: SageMakerExecutionRoleProps = {}) {
    const stack = Stack.of(scope);
    const principal = new iam.ServicePrincipal('sagemaker.amazonaws.com');
    super(scope, id, {
      description: props.description ?? 'Execution role for SageMaker workloads',
      permissionsBoundary: props.permissionsBoundary,
      assumedBy:
        props.confusedDeputyConditions ?? true
          ? principal.withConditions({
              StringEquals: { 'aws:SourceAccount': stack.account },
              ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sagemaker', resource: '*' }) },
            })
          : principal,
    });
  }

  private once(key: string, grant: () => void): void {
    if (this.granted.has(key)) return;
    this.granted.add(key);
    grant();
  }

  /**
   * Lets the workload write its logs, only to SageMaker's own log groups (`/aws/sagemaker/*`).
   */
  public grantLogging(): void {
    this.once('logging', () => {
      const stack = Stack.of(this);
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'WriteSageMakerLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [
            stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
            stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/*:log-stream:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          ],
        }),
      );
    });
  }

  /**
   * Lets the workload publish CloudWatch metrics, only in SageMaker's namespaces.
   * `cloudwatch:PutMetricData` has no resource type, so the statement is on `*` with a
   * `cloudwatch:namespace` condition.
   */
  public grantMetrics(): void {
    this.once('metrics', () => {
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'PublishSageMakerMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'aws/sagemaker/*'] } },
        }),
      );
    });
  }

  /**
   * Lets SageMaker create and delete the network interfaces a workload needs in a VPC.
   * These EC2 actions act on interfaces that do not exist yet, so they cannot name an ARN.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html
   */
  public grantVpcAccess(): void {
    this.once('vpc', () => {
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ManageWorkloadNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:CreateNetworkInterfacePermission',
            'ec2:DeleteNetworkInterface',
            'ec2:DeleteNetworkInterfacePermission',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeVpcs',
            'ec2:DescribeDhcpOptions',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
          ],
          resources: ['*'],
        }),
      );
    });
  }

  /**
   * Lets the workload use a KMS key for its volumes and outputs, and lets SageMaker create
   * grants on it for the resources it manages (only grants for AWS resources).
   */
  public grantKeyUse(key: kms.IKey): void {
    this.once(`key:${Stack.of(this).resolve(key.keyArn) as string}:${key.node.path}`, () => {
      key.grant(this, 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext');
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant', 'kms:DescribeKey'],
          resources: [key.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    });
  }

  /**
   * Lets the workload list and read the objects under a key prefix, and decrypt them with the
   * bucket's key. Actions are named one by one (no `s3:Get*`), and listing is limited to the
   * prefix by an `s3:prefix` condition.
   * @param prefix key prefix such as `train/`; the whole bucket when omitted
   */
  public grantReadPrefix(bucket: s3.IBucket, prefix?: string): void {
    this.once(`read:${bucket.node.path}:${prefix ?? ''}`, () => {
      const pattern = prefix ? `${prefix}*` : '*';
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [bucket.arnForObjects(pattern)],
        }),
      );
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: prefix ? { StringLike: { 's3:prefix': [pattern, prefix] } } : undefined,
        }),
      );
      this.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }));
      if (bucket.encryptionKey) {
        bucket.encryptionKey.grant(this, 'kms:Decrypt', 'kms:DescribeKey');
      }
    });
  }

  /**
   * Lets the workload write objects under a key prefix (including multipart uploads), and
   * encrypt them with the bucket's key.
   * @param prefix key prefix such as `model/`; the whole bucket when omitted
   */
  public grantWritePrefix(bucket: s3.IBucket, prefix?: string): void {
    this.once(`write:${bucket.node.path}:${prefix ?? ''}`, () => {
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [bucket.arnForObjects(prefix ? `${prefix}*` : '*')],
        }),
      );
      if (bucket.encryptionKey) {
        // Multipart uploads read back the data key, so Decrypt is needed for writing too.
        bucket.encryptionKey.grant(this, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey');
      }
    });
  }
}
