import { CustomResource, Stack, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { validationError } from '../../private/errors';
import { addNagCleanProvider } from '../../private/nag-clean-provider';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';
import { MlKey } from '../security/ml-key';

/** Properties of a {@link ClarifyConfigWriter}. */
export interface ClarifyConfigWriterProps {
  /**
   * The key that encrypts the handler's log groups and environment.
   * @default - a new MlKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Run the handler in this VPC. It calls only S3, so the VPC needs an S3 endpoint (an
   * `MlNetwork` has one).
   * @default - not in a VPC, unless the first Clarify check of the stack runs in one
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The handler's subnets, when `vpc` is set.
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The handler's security groups, when `vpc` is set (for an `MlNetwork`, its `handlersSecurityGroup`).
   * @default - a new security group allowing outbound HTTPS to the VPC only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * How long to keep the handler's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The construct id of a stack's writer. */
const WRITER_ID = 'ClarifyConfigWriter';

/**
 * The custom-resource provider that writes the `analysis_config.json` of Clarify checks to S3 at
 * deploy time: one per stack, shared by every `ClarifyCheckJob` of the stack. The Clarify
 * container reads its configuration from exactly that file name, which a CDK file asset (with
 * its hashed name) cannot give.
 *
 * A `ClarifyCheckJob` creates it with defaults (in the job's network, if it has one). Create it
 * yourself, before the checks, to choose its key or network:
 * `new ClarifyConfigWriter(stack, 'ClarifyConfigWriter', { vpc: network.vpc, securityGroups: [network.handlersSecurityGroup] })`.
 *
 * Its handler may write and delete exactly the configuration objects of the stack's checks and
 * encrypt with their buckets' keys; its Lambda functions follow the library's custom-resource
 * defaults (customer-managed policies, KMS-encrypted log groups with retention, X-Ray tracing).
 */
export class ClarifyConfigWriter extends Construct {
  /**
   * The writer of `scope`'s stack, created with default properties when the stack has none.
   * @param scope any construct of the stack
   */
  public static of(scope: IConstruct): ClarifyConfigWriter {
    return ClarifyConfigWriter.forStack(scope, {});
  }

  /**
   * The stack's writer; a new one gets `defaults` (the network of the check that needs it first).
   * @internal
   */
  public static _forCheck(scope: IConstruct, defaults: ClarifyConfigWriterProps): ClarifyConfigWriter {
    return ClarifyConfigWriter.forStack(scope, defaults);
  }

  private static forStack(scope: IConstruct, defaults: ClarifyConfigWriterProps): ClarifyConfigWriter {
    const stack = Stack.of(scope);
    return WRITERS.get(stack) ?? new ClarifyConfigWriter(stack, WRITER_ID, defaults);
  }

  /** The service token of the custom resources. */
  public readonly serviceToken: string;
  /** The key of the handler's logs and environment. */
  public readonly encryptionKey: kms.IKey;
  private readonly handlerRole: iam.IRole;
  private readonly keys = new Set<string>();

  constructor(scope: Construct, id: string, props: ClarifyConfigWriterProps = {}) {
    super(scope, id);
    assertSingleCdkLib(this);
    const stack = Stack.of(this);
    const other = WRITERS.get(stack);
    if (other) {
      throw validationError(
        this,
        `stack ${stack.node.path} already has a ClarifyConfigWriter (${other.node.path}); one writer serves every Clarify check of a stack. ` +
          'Create yours before the ClarifyCheckJobs (they create a default one otherwise), and only once.',
      );
    }
    if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
      throw validationError(this, 'vpcSubnets and securityGroups need vpc; pass the VPC (for example network.vpc) too.');
    }
    WRITERS.set(stack, this);
    this.encryptionKey = props.encryptionKey ?? new MlKey(this, 'Key', { description: `Logs of the Clarify configuration writer ${this.node.path}` });
    const provider = addNagCleanProvider(this, {
      handlerDirectory: 'constructs/pipelines/handlers',
      onEvent: {
        id: 'OnEvent',
        handler: 'write-analysis-config.onEvent',
        description: 'Writes the analysis_config.json of Clarify checks to S3',
      },
      // Statements per object are added by _allowObject, when a check places its configuration.
      statements: [],
      encryptionKey: this.encryptionKey,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      securityGroupDescription: 'Clarify configuration writer: HTTPS to the S3 endpoint',
      outsideVpcReason:
        "The handler only writes and deletes the Clarify checks' analysis_config.json objects in S3, during stack operations; " +
        'no Clarify check in this stack runs in a VPC for it to join. Give the writer a vpc (or the check a network) to run it in your network.',
      logRetention: props.logRetention,
    });
    this.serviceToken = provider.serviceToken;
    this.handlerRole = (provider.onEventFunction as lambda.Function).role!;
  }

  /**
   * Writes `body` to `s3://<bucket>/<key>` at deploy time (a custom resource below `scope`) and
   * lets the handler write and delete exactly that object and encrypt it with the bucket's key.
   * @internal
   */
  public _place(scope: Construct, id: string, bucket: s3.IBucket, key: string, body: string): CustomResource {
    const objectArn = bucket.arnForObjects(key);
    const text = JSON.stringify(Stack.of(this).resolve(objectArn));
    if (!this.keys.has(text)) {
      this.keys.add(text);
      this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objectArn] }));
      // PutObject with SSE-KMS (the bucket's default encryption) needs kms:GenerateDataKey.
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
      bucket.encryptionKey?.grant(this.handlerRole, 'kms:GenerateDataKey');
    }
    const resource = new CustomResource(scope, id, {
      serviceToken: this.serviceToken,
      resourceType: 'Custom::ClarifyAnalysisConfig',
      properties: { Bucket: bucket.bucketName, Key: key, Body: body },
    });
    return resource;
  }
}

/** The writer of each stack. */
const WRITERS = new WeakMap<Stack, ClarifyConfigWriter>();
