import { ArnFormat, Duration, Stack, Token, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { throwIfProblems } from '../../private/errors';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeWildcardResources } from '../../private/nag';
import { declareWorkflowWildcards } from '../../private/workflow-wildcards';
import { ManagedPolicyRole } from '../security';
import { IWorkflowPermissions, JobRetry } from '../workflows';
import { buildAiJobPoller, executionJobName, pollerProblems } from './ai-job-poller';
import { regionProblem } from './ai-service-support';
import { ComprehendLanguage } from './comprehend-text-language';
import { passRoleStatement } from '../../private/pass-role';

/** What a {@link ComprehendAnalysisJob} finds in the documents. */
export enum ComprehendJobAnalysis {
  /** The overall sentiment of each document (`StartSentimentDetectionJob`). */
  SENTIMENT = 'SENTIMENT',
  /** The named entities of each document (`StartEntitiesDetectionJob`, built-in model). */
  ENTITIES = 'ENTITIES',
}

/** How the input files hold the documents (`InputDataConfig.InputFormat`). */
export enum ComprehendInputFormat {
  /** Each line of each file is a document. */
  ONE_DOC_PER_LINE = 'ONE_DOC_PER_LINE',
  /** Each file is a document. */
  ONE_DOC_PER_FILE = 'ONE_DOC_PER_FILE',
}

/** Properties of a {@link ComprehendAnalysisJob}. */
export interface ComprehendAnalysisJobProps {
  /** What the job finds: sentiment or entities. */
  readonly analysis: ComprehendJobAnalysis;
  /** The language of the documents, e.g. `ComprehendLanguage.CHINESE_SIMPLIFIED` for Simplified Chinese. */
  readonly languageCode: ComprehendLanguage;
  /** The bucket holding the documents. */
  readonly inputBucket: s3.IBucket;
  /**
   * The key prefix of the documents (e.g. `notes/`): the job reads every object under it, and
   * may read nothing else.
   */
  readonly inputKeyPrefix: string;
  /**
   * How the input files hold the documents.
   * @default ComprehendInputFormat.ONE_DOC_PER_LINE
   */
  readonly inputFormat?: ComprehendInputFormat;
  /** The bucket Comprehend writes the results to. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the results: Comprehend writes
   * `<prefix><account>-<job type>-<job id>/output/output.tar.gz`.
   * @default 'comprehend/'
   */
  readonly outputKeyPrefix?: string;
  /**
   * The key Comprehend encrypts the results with (`OutputDataConfig.KmsKeyId`).
   * @default - the output bucket's `encryptionKey`; without one, the bucket's default encryption
   */
  readonly outputEncryptionKey?: kms.IKey;
  /**
   * The key that encrypts the storage volume of the job's instances (`VolumeKmsKeyId`).
   * @default - the output encryption key, if there is one
   */
  readonly volumeEncryptionKey?: kms.IKey;
  /**
   * Run the job in this VPC (`VpcConfig`): Comprehend reaches S3 only through the VPC, so give
   * it an S3 endpoint (an `MlNetwork` has one).
   * @default - no VPC
   * @see https://docs.aws.amazon.com/comprehend/latest/dg/usingVPC.html
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets of the job in `vpc` (at most 16).
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The security groups of the job in `vpc` (at most 5). Members of a group must reach each
   * other (distributed jobs).
   * @default - a new group that allows traffic between its members
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The wait between two status checks of the job.
   * Each check adds about ten events to the execution's history (at most 25,000 events, about
   * 2,400 checks), so lengthen it for long jobs. 1 second or more, whole seconds.
   * @default Duration.minutes(1)
   */
  readonly pollInterval?: Duration;
  /**
   * The base name of the fragment's states (`<name>Start`, `<name>Wait`, ...) and of the job
   * (`<execution name>-<name>`): 1-71 letters and digits. The job's description ends at `$.<name>`.
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * How the start and status calls are retried; an empty list switches retrying off.
   * @default - every 5 s with backoff 2 and jitter, 6 attempts, on ComprehendAnalysisJob.RETRYABLE_ERRORS
   */
  readonly retries?: JobRetry[];
}

/** The APIs, job resource type and result key of each analysis. */
const ANALYSES: Record<ComprehendJobAnalysis, { readonly start: string; readonly describe: string; readonly resource: string; readonly properties: string }> = {
  [ComprehendJobAnalysis.SENTIMENT]: {
    start: 'StartSentimentDetectionJob',
    describe: 'DescribeSentimentDetectionJob',
    resource: 'sentiment-detection-job',
    properties: 'SentimentDetectionJobProperties',
  },
  [ComprehendJobAnalysis.ENTITIES]: {
    start: 'StartEntitiesDetectionJob',
    describe: 'DescribeEntitiesDetectionJob',
    resource: 'entities-detection-job',
    properties: 'EntitiesDetectionJobProperties',
  },
};

/** `VpcConfig` limits. @see https://docs.aws.amazon.com/comprehend/latest/APIReference/API_VpcConfig.html */
const MAX_SUBNETS = 16;
const MAX_SECURITY_GROUPS = 5;

/**
 * A Step Functions fragment that runs an Amazon Comprehend asynchronous batch analysis
 * (sentiment or entities) over the documents under an S3 prefix and waits for it:
 * `Start<Analysis>DetectionJob`, then `Describe<Analysis>DetectionJob` every `pollInterval` until
 * the job is `COMPLETED` (the fragment ends; the job's properties, with
 * `OutputDataConfig.S3Uri`, are at `$.<name>.<Analysis>DetectionJobProperties`), `FAILED` (the
 * execution fails with error `Comprehend.JobFailed` and Comprehend's `Message` as cause) or
 * `STOPPED`.
 *
 * Comprehend reads and writes S3 with a data access role it assumes: the fragment creates one,
 * trusted by `comprehend.amazonaws.com` of this account for this kind of job only
 * (`aws:SourceAccount`, `aws:SourceArn`), that may read the input prefix, write the output
 * prefix and use the keys. The state machine's role may start and describe jobs of this kind and
 * pass exactly that role to Comprehend. Comprehend has no endpoint in the China regions (and some
 * others): a stack there is refused at synth.
 * @see https://docs.aws.amazon.com/comprehend/latest/dg/security_iam_id-based-policy-examples.html#auth-role-permissions
 * @see https://docs.aws.amazon.com/comprehend/latest/dg/kms-in-comprehend.html
 */
export class ComprehendAnalysisJob extends sfn.StateMachineFragment implements IWorkflowPermissions {
  /** Comprehend's throttling and service errors, as Step Functions names the errors of AWS SDK integrations. */
  public static readonly RETRYABLE_ERRORS: string[] = ['Comprehend.TooManyRequestsException', 'Comprehend.InternalServerException'];
  /** The error the fragment fails with when the job fails or is stopped. */
  public static readonly JOB_FAILED = 'Comprehend.JobFailed';

  /** The state that starts the job (`<name>Start`). */
  public readonly startState: sfn.State;
  /** The state the fragment ends in when the job completes (`<name>Succeeded`); the next state chains onto it. */
  public readonly endStates: sfn.INextable[];
  /** The base name of the fragment's states. */
  public readonly stateName: string;
  /** What the job finds. */
  public readonly analysis: ComprehendJobAnalysis;
  /** Where the job's description ends, e.g. `$.Sentiment` (`Describe...DetectionJob`'s response). */
  public readonly resultJsonPath: string;
  /** The JSONPath of the results' S3 URI in the description. */
  public readonly outputUriPath: string;
  /** The role Comprehend assumes to read the documents and write the results. */
  public readonly dataAccessRole: iam.IRole;
  /** The security groups of the job, when it runs in a VPC. */
  public readonly securityGroups: ec2.ISecurityGroup[];

  constructor(scope: Construct, id: string, props: ComprehendAnalysisJobProps) {
    super(scope, id);
    const name = props.stateName ?? id;
    const pollInterval = props.pollInterval ?? Duration.minutes(1);
    const retries = props.retries ?? [defaultRetry()];
    const outputKeyPrefix = props.outputKeyPrefix ?? 'comprehend/';
    const subnets = props.vpc ? props.vpc.selectSubnets(props.vpcSubnets).subnetIds : [];
    const region = regionProblem(this, 'comprehend');
    throwIfProblems(this, [...pollerProblems(name, pollInterval, retries), ...problemsOf(props, outputKeyPrefix, subnets), ...(region ? [region] : [])]);

    const api = ANALYSES[props.analysis];
    const stack = Stack.of(this);
    this.stateName = name;
    this.analysis = props.analysis;
    this.resultJsonPath = `$.${name}`;
    this.outputUriPath = `${this.resultJsonPath}.${api.properties}.OutputDataConfig.S3Uri`;
    const outputKey = props.outputEncryptionKey ?? props.outputBucket.encryptionKey;
    const volumeKey = props.volumeEncryptionKey ?? outputKey;

    const role = new ManagedPolicyRole(this, 'DataAccessRole', {
      description: `Lets Amazon Comprehend read the documents and write the results of ${this.node.path}`,
      assumedBy: new iam.ServicePrincipal('comprehend.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': this.jobArnPattern() },
      }),
    });
    this.dataAccessRole = role;
    this.grantDataAccess(role, props, outputKeyPrefix, outputKey, volumeKey);

    this.securityGroups = props.vpc ? (props.securityGroups ?? [this.defaultSecurityGroup(props.vpc)]) : [];
    if (props.vpc) this.grantVpcAccess(role, props.vpc);

    const states = buildAiJobPoller(this, {
      name,
      service: 'comprehend',
      startApi: lowerFirst(api.start),
      startParameters: {
        'JobName.$': executionJobName(name),
        DataAccessRoleArn: role.roleArn,
        LanguageCode: props.languageCode,
        InputDataConfig: { S3Uri: props.inputBucket.s3UrlForObject(props.inputKeyPrefix), InputFormat: props.inputFormat ?? ComprehendInputFormat.ONE_DOC_PER_LINE },
        OutputDataConfig: { S3Uri: props.outputBucket.s3UrlForObject(outputKeyPrefix), ...(outputKey ? { KmsKeyId: outputKey.keyArn } : {}) },
        ...(volumeKey ? { VolumeKmsKeyId: volumeKey.keyArn } : {}),
        ...(props.vpc ? { VpcConfig: { SecurityGroupIds: this.securityGroups.map((g) => g.securityGroupId), Subnets: subnets } } : {}),
      },
      // The start response has JobId, JobArn and JobStatus at the top; the describe response has
      // them under <Analysis>DetectionJobProperties. Both are read from the latter's shape.
      startResultSelector: { [api.properties]: { 'JobId.$': '$.JobId', 'JobArn.$': '$.JobArn', 'JobStatus.$': '$.JobStatus' } },
      describeApi: lowerFirst(api.describe),
      idField: 'JobId',
      idPath: `${api.properties}.JobId`,
      statusPath: `${api.properties}.JobStatus`,
      completed: 'COMPLETED',
      failed: 'FAILED',
      stopped: 'STOPPED',
      failureReasonPath: `${api.properties}.Message`,
      errorName: ComprehendAnalysisJob.JOB_FAILED,
      pollInterval,
      retries,
      comment: `Comprehend ${props.analysis.toLowerCase()} job ${name} over ${props.inputBucket.node.path}`,
    });
    this.startState = states.start;
    this.endStates = [states.succeeded];
    declareWorkflowWildcards(
      this,
      [this.jobArnPattern()],
      'Comprehend names its batch jobs by a job id it generates when the job starts; the role may start and describe only jobs of this kind in this account and region.',
    );
  }

  /**
   * What the state machine's role needs to run the job: start and describe jobs of this kind
   * (`<job type>-detection-job/*`: Comprehend generates the job id), and pass the data access
   * role to Comprehend only.
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html
   */
  public policyStatements(): iam.PolicyStatement[] {
    const api = ANALYSES[this.analysis];
    return [
      new iam.PolicyStatement({ actions: [`comprehend:${api.start}`, `comprehend:${api.describe}`], resources: [this.jobArnPattern()] }),
      passRoleStatement(this.dataAccessRole, 'comprehend.amazonaws.com'),
    ];
  }

  /** The JSONPath of a field of the job's description, e.g. `pathOf('SentimentDetectionJobProperties.JobId')`. */
  public pathOf(field: string): string {
    return `${this.resultJsonPath}.${field}`;
  }

  private jobArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'comprehend', resource: ANALYSES[this.analysis].resource, resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /**
   * The data access role reads the input prefix (`s3:GetObject`, `s3:ListBucket` limited by
   * `s3:prefix`), writes the output prefix, decrypts the input through S3, encrypts the output
   * through S3 (`kms:GenerateDataKey`) and creates grants on the volume key (`kms:CreateGrant`).
   */
  private grantDataAccess(role: ManagedPolicyRole, props: ComprehendAnalysisJobProps, outputKeyPrefix: string, outputKey?: kms.IKey, volumeKey?: kms.IKey): void {
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } };
    const input = props.inputBucket.arnForObjects(`${props.inputKeyPrefix}*`);
    const output = props.outputBucket.arnForObjects(`${outputKeyPrefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [input] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.inputBucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${props.inputKeyPrefix}*`] } } }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [output] }));
    const inputKey = props.inputBucket.encryptionKey;
    if (inputKey) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [inputKey.keyArn], conditions: viaS3 }));
    if (outputKey) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [outputKey.keyArn], conditions: viaS3 }));
    if (volumeKey) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:CreateGrant'], resources: [volumeKey.keyArn] }));
    acknowledgeWildcardResources(role, [input, output], 'Objects under one key prefix of one bucket: Comprehend reads every document under the input prefix and names its result files after the job id it generates.');
  }

  /**
   * Network interfaces in the job's VPC: the actions that create, attach and delete them carry an
   * `ec2:Vpc` condition (they act on interfaces that do not exist yet); Describe* take no resource.
   * @see https://docs.aws.amazon.com/comprehend/latest/dg/usingVPC.html
   */
  private grantVpcAccess(role: ManagedPolicyRole, vpc: ec2.IVpc): void {
    const manage = ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'];
    const describe = ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'];
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: describe, resources: ['*'] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: manage,
        resources: ['*'],
        conditions: { ArnEquals: { 'ec2:Vpc': Stack.of(this).formatArn({ service: 'ec2', resource: 'vpc', resourceName: vpc.vpcId }) } },
      }),
    );
    acknowledgeActionsWithoutResourceTypes(role, [...describe, ...manage], 'the network interfaces do not exist yet, so no ARN can name them; an ec2:Vpc condition limits the actions to the job\'s VPC');
  }

  private defaultSecurityGroup(vpc: ec2.IVpc): ec2.ISecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, description: `Comprehend job ${this.node.path}: traffic between the containers of the job`, allowAllOutbound: true });
    // TCP and UDP on every port between members (as MlNetwork's jobs group): the containers of a
    // distributed job pick their ports at run time. No rule allows any other source.
    for (const port of [ec2.Port.allTcp(), ec2.Port.allUdp()]) group.addIngressRule(group, port, 'Containers of the same Comprehend job');
    return group;
  }
}

/** Throttling and service errors, retried with backoff. */
function defaultRetry(): JobRetry {
  return new JobRetry({ errors: ComprehendAnalysisJob.RETRYABLE_ERRORS, interval: Duration.seconds(5), maxAttempts: 6, backoffRate: 2, jitter: true });
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function problemsOf(props: ComprehendAnalysisJobProps, outputKeyPrefix: string, subnets: string[]): string[] {
  const problems: string[] = [];
  if (!ANALYSES[props.analysis]) {
    problems.push(`analysis "${String(props.analysis)}" is not one of ${Object.keys(ANALYSES).join(', ')}; use ComprehendJobAnalysis.`);
  }
  if (!Object.values(ComprehendLanguage).includes(props.languageCode)) {
    problems.push(`languageCode "${String(props.languageCode)}" is not a ComprehendLanguage; use one of ${Object.values(ComprehendLanguage).join(', ')}.`);
  }
  for (const [what, prefix] of [['inputKeyPrefix', props.inputKeyPrefix], ['outputKeyPrefix', outputKeyPrefix]] as const) {
    if (!Token.isUnresolved(prefix) && (prefix.length === 0 || prefix.includes('*') || prefix.startsWith('/'))) {
      problems.push(`${what} "${prefix}" must be a non-empty key prefix without "*" and not starting with "/" (e.g. "notes/"): the job may use only objects under it, not the whole bucket.`);
    }
  }
  if (!props.vpc && (props.vpcSubnets !== undefined || props.securityGroups !== undefined)) {
    problems.push('vpcSubnets or securityGroups is set without vpc; give the vpc the job runs in, or remove them.');
  }
  if (props.vpc && subnets.length > MAX_SUBNETS) {
    problems.push(`the job's VPC selection has ${subnets.length} subnets, but Comprehend takes at most ${MAX_SUBNETS}; narrow vpcSubnets.`);
  }
  if (props.vpc && props.securityGroups !== undefined && (props.securityGroups.length === 0 || props.securityGroups.length > MAX_SECURITY_GROUPS)) {
    problems.push(`securityGroups has ${props.securityGroups.length} groups, but Comprehend takes 1 to ${MAX_SECURITY_GROUPS}.`);
  }
  return problems;
}
