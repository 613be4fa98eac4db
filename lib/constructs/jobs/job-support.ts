// Shared by the job definitions of this folder; not exported from the barrel.
import { Annotations, Duration, Size, Token, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type { VpcConfig } from '@aws-sdk/client-sagemaker';
import { Construct } from 'constructs';
import { InstanceType } from '../core';
import { integerProblem, rangeProblem } from '../../private/errors';
import { MlNetwork, SageMakerExecutionRole } from '../security';
import { S3Location } from './job-io';

/** Properties every job definition shares. */
export interface JobComputeProps {
  /** The instance type, e.g. `InstanceType.ML_M5_XLARGE`. */
  readonly instanceType: InstanceType;
  /**
   * How many instances (more than 1 for distributed jobs).
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * The ML storage volume of each instance (1 GiB to 16 TiB).
   * @default Size.gibibytes(30)
   */
  readonly volumeSize?: Size;
  /**
   * The longest the job may run.
   * @default Duration.hours(1) for processing and transform, Duration.days(1) for training
   */
  readonly maxRuntime?: Duration;
  /**
   * The key for the job's outputs, and for the instances' storage volumes unless
   * `volumeEncryptionKey` says otherwise. On instance types with local NVMe storage (which
   * SageMaker encrypts in hardware and where it rejects a volume key) only the outputs use it.
   * @default - AWS-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The key for the instances' ML storage volumes. Setting it on an instance type with local
   * NVMe storage (ml.m5d, ml.c5d, ml.p4d, ...) is an error: SageMaker rejects the request.
   * @default - `encryptionKey` on instance types with EBS volumes, none on NVMe instance types
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html
   */
  readonly volumeEncryptionKey?: kms.IKey;
  /**
   * Run the job in these private subnets and security group.
   * @default - no VPC
   */
  readonly network?: MlNetwork;
  /**
   * The execution role.
   * @default - a new SageMakerExecutionRole with only what the job needs
   */
  readonly role?: iam.IRole;
  /**
   * Cut the containers off the network (SageMaker still moves inputs and outputs).
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Encrypt traffic between the job's instances (only matters with more than one instance).
   * @default true
   */
  readonly interContainerTrafficEncryption?: boolean;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: Record<string, string>;
}

/** A job's role: the given one, or a new execution role with logging and metrics. */
export function jobRole(scope: Construct, props: JobComputeProps, what: string): { role: iam.IRole; created?: SageMakerExecutionRole } {
  if (props.role) return { role: props.role };
  const created = new SageMakerExecutionRole(scope, 'Role', { description: `Execution role of ${what} ${scope.node.path}` });
  created.grantLogging();
  created.grantMetrics();
  if (props.network) created.grantVpcAccess(props.network.vpc);
  if (props.encryptionKey) created.grantKeyUse(props.encryptionKey);
  if (props.volumeEncryptionKey && props.volumeEncryptionKey !== props.encryptionKey) created.grantKeyUse(props.volumeEncryptionKey);
  return { role: created, created };
}

/** The problems of the shared compute properties. */
export function computeProblems(props: JobComputeProps): string[] {
  const problems: string[] = [];
  const count = props.instanceCount;
  const countProblem = integerProblem('instanceCount', count) ?? rangeProblem('instanceCount', count, 1, 100, 'a job needs at least one instance');
  if (countProblem) problems.push(countProblem);
  if (props.volumeSize && !Token.isUnresolved(props.volumeSize)) {
    const p = rangeProblem('volumeSize (GiB)', props.volumeSize.toGibibytes(), 1, 16384);
    if (p) problems.push(p);
  }
  if (props.volumeEncryptionKey && props.instanceType.hasLocalNvmeStorage) {
    problems.push(
      `volumeEncryptionKey is set, but ${props.instanceType.name} has local NVMe instance storage, which SageMaker encrypts in hardware and for which it rejects a volume KMS key. ` +
        'Remove volumeEncryptionKey (encryptionKey still encrypts the outputs) or use an instance type with EBS volumes.',
    );
  }
  if (props.maxRuntime) {
    const p = rangeProblem('maxRuntime (seconds)', props.maxRuntime.toSeconds(), 1, 28 * 24 * 3600, 'SageMaker allows at most 28 days');
    if (p) problems.push(p);
  }
  return problems;
}

/** The volume key ARN: volumeEncryptionKey, else encryptionKey except on NVMe instance types (with a warning). */
export function volumeKeyId(scope: Construct, props: JobComputeProps): string | undefined {
  if (props.volumeEncryptionKey) return props.volumeEncryptionKey.keyArn;
  if (!props.encryptionKey) return undefined;
  if (props.instanceType.hasLocalNvmeStorage) {
    Annotations.of(scope).addWarningV2(
      'sagemaker-cdk:nvmeVolumeKey',
      `${props.instanceType.name} has local NVMe storage, which SageMaker encrypts in hardware and for which it rejects a volume KMS key: encryptionKey encrypts the outputs only.`,
    );
    return undefined;
  }
  return props.encryptionKey.keyArn;
}

/** Rules already added to a security group for inter-container traffic encryption. */
const encryptedTrafficGroups = new WeakSet<ec2.ISecurityGroup>();

/**
 * Inter-container traffic encryption between the instances of a job in a VPC is IPsec: the
 * job's security group must let its members reach each other on UDP 500 (IKE) and IP protocol 50
 * (ESP), inbound and outbound. When the network's group was created by the library (a
 * `ec2.SecurityGroup` inside the MlNetwork) the rules are added; a group the user brought is
 * left alone with a warning naming the rules.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html
 */
export function allowEncryptedInterContainerTraffic(scope: Construct, network: MlNetwork | undefined, instanceCount: number | undefined, encrypt: boolean | undefined): void {
  if (!network || (encrypt ?? true) === false) return;
  if (!isConcreteCount(instanceCount) || instanceCount < 2) return;
  const group = network.securityGroup;
  if (encryptedTrafficGroups.has(group)) return;
  const ownedByNetwork = group instanceof ec2.SecurityGroup && group.node.path.startsWith(`${network.node.path}/`);
  if (!ownedByNetwork) {
    Annotations.of(scope).addWarningV2(
      'sagemaker-cdk:interContainerEncryptionRules',
      `The job runs ${instanceCount} instances with inter-container traffic encryption in security group ${group.node.path}, which this library did not create: ` +
        'make sure it allows UDP 500 and IP protocol 50 (ESP) from and to itself, inbound and outbound, or the instances cannot reach each other ' +
        '(https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html).',
    );
    return;
  }
  encryptedTrafficGroups.add(group);
  const esp = new ec2.Port({ protocol: ec2.Protocol.ESP, stringRepresentation: 'ESP' });
  for (const [port, what] of [[ec2.Port.udp(500), 'IKE (UDP 500)'], [esp, 'ESP (IP protocol 50)']] as const) {
    group.addIngressRule(group, port, `Inter-container traffic encryption of distributed jobs: ${what}`);
    group.addEgressRule(group, port, `Inter-container traffic encryption of distributed jobs: ${what}`);
  }
}

function isConcreteCount(count: number | undefined): count is number {
  return count !== undefined && !Token.isUnresolved(count);
}

/** The VPC configuration of a job in a network. */
export function jobVpcConfig(network?: MlNetwork): VpcConfig | undefined {
  if (!network) return undefined;
  return { SecurityGroupIds: [network.securityGroup.securityGroupId], Subnets: network.subnetIds };
}

/** Grants read on a location whose bucket is known. */
export function grantReadLocation(role: iam.IRole, location: S3Location): void {
  if (!location.bucket) return;
  const pattern = location.prefix ? `${location.prefix}*` : '*';
  if (role instanceof SageMakerExecutionRole) {
    role.grantReadPrefix(location.bucket, location.prefix);
    return;
  }
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject', 's3:ListBucket'], resourceArns: [location.bucket.bucketArn, location.bucket.arnForObjects(pattern)] });
  location.bucket.encryptionKey?.grant(role, 'kms:Decrypt');
}

/** Grants write under a prefix of a bucket. */
export function grantWritePrefix(role: iam.IRole, bucket: s3.IBucket, prefix: string): void {
  if (role instanceof SageMakerExecutionRole) {
    role.grantWritePrefix(bucket, prefix);
    return;
  }
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resourceArns: [bucket.arnForObjects(`${prefix}*`)] });
  bucket.encryptionKey?.grant(role, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
}



