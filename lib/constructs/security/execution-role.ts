import { Stack, Token, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeWildcardResources } from '../../private/nag';
import { ManagedPolicyRole } from './managed-policy-role';
import { sharedLogsPolicy, sharedMetricsPolicy } from '../../private/execution-role-shared-policies';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';

/** Why a wildcard under a key prefix is as narrow as it gets (the whole bucket is never acknowledged). */
const PREFIX_REASON =
  'Objects under one key prefix of one bucket: SageMaker jobs, models and apps read or write files whose names they choose at run time (splits, shards, checkpoints, model.tar.gz under the job name, reports).';

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
    assertSingleCdkLib(this);
  }

  private once(key: string, grant: () => void): void {
    if (this.granted.has(key)) return;
    this.granted.add(key);
    grant();
  }

  /**
   * Lets the workload write its logs, only to SageMaker's own log groups (`/aws/sagemaker/*`)
   * and their streams.
   *
   * The statement is the same for every role, so the role attaches a customer-managed policy
   * that every SageMaker execution role of its stack shares (construct id
   * `SageMakerExecutionRoleLogs` at the root of the stack), created on first use. The role's
   * resource references the policy, so anything that waits for the role waits for it too.
   */
  public grantLogging(): void {
    this.once('logging', () => this.addManagedPolicy(sharedLogsPolicy(this)));
  }

  /**
   * Lets the workload publish CloudWatch metrics, only in SageMaker's namespaces.
   * `cloudwatch:PutMetricData` has no resource type, so the statement is on `*` with a
   * `cloudwatch:namespace` condition.
   *
   * Like `grantLogging`, the role attaches a policy its stack's execution roles share
   * (construct id `SageMakerExecutionRoleMetrics`).
   */
  public grantMetrics(): void {
    this.once('metrics', () => this.addManagedPolicy(sharedMetricsPolicy(this)));
  }

  /**
   * Lets SageMaker create and delete the network interfaces a workload needs in a VPC.
   *
   * With `vpc`, the actions that create, attach and delete interfaces carry an `ec2:Vpc`
   * condition (the VPC's ARN): they act on interfaces that do not exist yet, so they cannot name
   * an interface ARN, but they are limited to that VPC's subnets, security groups and
   * interfaces. (`ec2:Subnet` cannot be added to the same statement: CreateNetworkInterface is
   * also authorized against the security group, which has no such key.) The Describe* actions
   * support no resource-level permissions or VPC condition, so they stay on `*`.
   * Without `vpc` (callers that do not know it yet) every action is on `*` without a condition.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/infrastructure-give-access.html
   */
  public grantVpcAccess(vpc?: ec2.IVpc): void {
    const manage = ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'];
    const describe = ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'];
    this.once('vpc-describe', () => {
      this.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DescribeWorkloadNetwork', actions: describe, resources: ['*'] }));
      acknowledgeActionsWithoutResourceTypes(this, describe);
    });
    if (!vpc) {
      this.once('vpc', () => {
        this.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ManageWorkloadNetworkInterfaces', actions: manage, resources: ['*'] }));
      });
      return;
    }
    const vpcKey = Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
    this.once(`vpc:${vpcKey}`, () => {
      const stack = Stack.of(this);
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: manage,
          resources: ['*'],
          conditions: { ArnEquals: { 'ec2:Vpc': stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: vpc.vpcId }) } },
        }),
      );
      acknowledgeActionsWithoutResourceTypes(this, manage, 'the network interfaces do not exist yet, so no ARN can name them; an ec2:Vpc condition limits the actions to this VPC');
    });
  }

  /**
   * Lets the workload use a KMS key for its volumes and outputs, and lets SageMaker create
   * grants on it for the resources it manages (only grants for AWS resources).
   *
   * The key is used only through SageMaker (outputs, models), S3 (SSE-KMS objects a container
   * reads or writes, for example a processing container reading its input) and EC2 (the
   * instances' EBS volumes): a `kms:ViaService` condition limits every statement to those
   * services in this region, so the role's credentials cannot use the key directly.
   */
  public grantKeyUse(key: kms.IKey): void {
    this.once(`key:${Stack.of(this).resolve(key.keyArn) as string}:${key.node.path}`, () => {
      const region = Stack.of(this).region;
      // EBS volumes of the job and endpoint instances are encrypted through EC2.
      const viaService = { 'kms:ViaService': [`sagemaker.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`, `ec2.${region}.amazonaws.com`] };
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
          resources: [key.keyArn],
          conditions: { StringEquals: viaService },
        }),
      );
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant'],
          resources: [key.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: viaService },
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
      if (prefix) acknowledgeWildcardResources(this, [bucket.arnForObjects(pattern)], PREFIX_REASON);
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
      if (prefix) acknowledgeWildcardResources(this, [bucket.arnForObjects(`${prefix}*`)], PREFIX_REASON);
      if (bucket.encryptionKey) {
        // Multipart uploads read back the data key, so Decrypt is needed for writing too.
        bucket.encryptionKey.grant(this, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey');
      }
    });
  }
}
