import { Duration, RemovalPolicy, Token, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { hardenedFunctionOptions } from '../../private/nag-clean-provider';
import { IEndpoint } from './endpoint';
import { FrontFeature } from './front-feature';
import { isConcrete, rangeProblem, throwIfProblems } from '../../private/errors';
import { handlerAssetDirectory } from '../../private/handler-asset';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeFindings } from '../../private/nag';
import { ManagedPolicyRole } from '../security/managed-policy-role';
import { MlKey } from '../security/ml-key';

/**
 * Properties of an {@link InferenceFront}.
 */
export interface InferenceFrontProps {
  /** The endpoint the function calls (a binary classifier reading CSV rows). */
  readonly endpoint: IEndpoint;
  /**
   * The model's input features, in the model's column order: each field of a JSON record becomes
   * its CSV columns.
   */
  readonly features: FrontFeature[];
  /**
   * The probability from which a record gets `positiveLabel`, 0 to 1.
   * @default 0.5
   */
  readonly threshold?: number;
  /**
   * The label of a record whose probability is at least `threshold`.
   * @default 'positive'
   */
  readonly positiveLabel?: string;
  /**
   * The label of a record whose probability is below `threshold`.
   * @default 'negative'
   */
  readonly negativeLabel?: string;
  /**
   * Run the function in this VPC. It calls only the SageMaker runtime, so the VPC needs the
   * SageMaker runtime interface endpoint (an `MlNetwork` has it).
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The function's subnets, when `vpc` is set.
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The function's security groups, when `vpc` is set (for an `MlNetwork`, its `handlersSecurityGroup`).
   * @default - a new security group allowing outbound HTTPS to the VPC only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The key that encrypts the function's environment and log group.
   * @default - a new MlKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Concurrent executions reserved for the function (and its maximum). The REST API's stage
   * throttling already bounds the request rate.
   * @default - no reservation: the function uses the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
  /**
   * How long one request may take. API Gateway's REST integrations stop waiting after 29 seconds
   * unless the account's integration timeout was raised.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Lambda's limit on the total size of a function's environment variables. */
const ENVIRONMENT_LIMIT_BYTES = 4096;
/** The longest endpoint name SageMaker accepts, counted when the name is a token. */
const MAX_ENDPOINT_NAME = 63;

/**
 * A Lambda function for the pre- and post-processing in front of a binary classifier's endpoint:
 * give `front.function` as the `handler` of an {@link InferenceApi}.
 *
 * It takes JSON records (`{"id"?: "...", "records": [{...}]}` or one record), checks every field
 * against `features` (numbers within their bounds, categories from their lists, no missing or
 * unknown fields; every problem listed in one HTTP 400), one-hot encodes the categorical fields,
 * sends the CSV rows in the model's column order to the endpoint with the request's `id` as
 * SageMaker's `InferenceId` (so captured data can be joined with ground-truth labels), and
 * answers `{"predictions": [{"probability", "label"}], "modelVersion"}`. Throttling answers 429,
 * other endpoint failures 502 without internal details.
 *
 * Model Monitor merges one ground-truth label per inference id (`sagemaker-cdk monitor
 * ground-truth` uploads them), so send one record per request, each with its own `id`, for the
 * predictions you will label.
 *
 * The function may call `sagemaker:InvokeEndpoint` on this endpoint only; it runs on Node.js
 * with X-Ray tracing, a KMS-encrypted environment and a KMS-encrypted log group with retention,
 * optionally in a VPC.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html
 */
export class InferenceFront extends Construct {
  /** The function. */
  public readonly function: lambda.IFunction;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The key of the function's environment and log group. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: InferenceFrontProps) {
    super(scope, id);
    const threshold = props.threshold ?? 0.5;
    const positiveLabel = props.positiveLabel ?? 'positive';
    const negativeLabel = props.negativeLabel ?? 'negative';
    const environment: Record<string, string> = {
      ENDPOINT_NAME: props.endpoint.endpointName,
      FEATURES: JSON.stringify(props.features.map((f) => f._spec())),
      THRESHOLD: Token.isUnresolved(threshold) ? Token.asString(threshold) : String(threshold),
      POSITIVE_LABEL: positiveLabel,
      NEGATIVE_LABEL: negativeLabel,
    };
    throwIfProblems(this, [
      ...featureProblems(props.features),
      rangeProblem('threshold', threshold, 0, 1, 'it is the probability from which a record gets the positive label'),
      reservedConcurrencyProblem(props.reservedConcurrency),
      !props.vpc && (props.vpcSubnets || props.securityGroups) ? 'vpcSubnets and securityGroups need vpc; pass the VPC (for example network.vpc) too.' : undefined,
      environmentProblem(environment),
    ].filter((p): p is string => p !== undefined));

    this.encryptionKey = props.encryptionKey ?? new MlKey(this, 'Key', { description: `Encrypts the environment and logs of ${this.node.path}` });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup = logGroup;
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Inference front ${this.node.path}: invokes SageMaker endpoint ${props.endpoint.node.path}`,
    });
    this.role = role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    // Real-time InvokeEndpoint only, not the async and streaming actions of endpoint.grantInvoke.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:InvokeEndpoint'], resources: [props.endpoint.endpointArn] }));
    const networkActions = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'];
    if (props.vpc) {
      // Lambda creates and deletes the function's network interfaces with the role; these
      // actions name no interface that exists beforehand.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: networkActions, resources: ['*'] }));
    }
    const securityGroups =
      props.vpc &&
      (props.securityGroups ?? [
        new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, description: 'Inference front: HTTPS to the SageMaker runtime endpoint', allowAllOutbound: false }),
      ]);
    if (props.vpc && !props.securityGroups) {
      securityGroups?.[0].addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints');
    }

    const fn = new lambda.Function(this, 'Function', {
      ...hardenedFunctionOptions(props.vpc, props.vpcSubnets),
      description: `Validates and encodes requests for SageMaker endpoint ${props.endpoint.node.path} and shapes its answers`,
      code: lambda.Code.fromAsset(handlerAssetDirectory('constructs/hosting/handlers')),
      handler: 'inference-front.handler',
      timeout: props.timeout ?? Duration.seconds(29),
      role,
      logGroup,
      environment,
      environmentEncryption: this.encryptionKey,
      reservedConcurrentExecutions: props.reservedConcurrency,
      securityGroups,
    });
    // Lambda cannot write the logs or reach the network until the role's policies exist.
    fn.node.addDependency(role);
    this.function = fn;

    // Active tracing makes aws-cdk-lib grant xray:PutTraceSegments and xray:PutTelemetryRecords on "*".
    acknowledgeActionsWithoutResourceTypes(
      role,
      [...(props.vpc ? networkActions : []), 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      `${props.vpc ? 'Lambda manages the network interfaces of the VPC function with the role, and ' : ''}the function sends its X-Ray traces with it`,
    );
    acknowledgeFindings(
      fn,
      ['LambdaDLQ'],
      'API Gateway invokes the function synchronously and returns every failure to the caller; a dead-letter queue only receives failed asynchronous invocations, so it would hold nothing.',
    );
    if (props.reservedConcurrency === undefined) {
      acknowledgeFindings(
        fn,
        ['LambdaConcurrency'],
        "The REST API's stage throttling bounds the request rate; a default reservation would take concurrency from the account pool and fails to deploy in accounts whose limit leaves no room above Lambda's 10 unreserved executions. Set reservedConcurrency to reserve some.",
      );
    }
    if (!props.vpc) {
      acknowledgeFindings(
        fn,
        ['LambdaInsideVPC'],
        'The function keeps no data and calls only the SageMaker runtime API (InvokeEndpoint on one endpoint, over TLS with IAM authentication). Give it a vpc to run it in your network.',
      );
    }
  }
}

/** The problems of a feature list: none, duplicate names, one-hot features without categories, bounds. */
function featureProblems(features: FrontFeature[]): string[] {
  if (features.length === 0) {
    return ['features is empty; list the model\'s input features in its column order (FrontFeature.numeric / FrontFeature.oneHot).'];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const feature of features) {
    const spec = feature._spec();
    if (isConcrete(spec.name) && spec.name.trim() === '') problems.push('a feature has an empty name; use the field name the requests send.');
    if (seen.has(spec.name)) problems.push(`feature "${spec.name}" is listed twice; each field of a record is one feature.`);
    seen.add(spec.name);
    if (spec.kind === 'oneHot') {
      const categories = spec.categories ?? [];
      if (categories.length === 0) problems.push(`one-hot feature "${spec.name}" has no category; list the categories in the model's column order.`);
      const duplicates = categories.filter((c, i) => categories.indexOf(c) !== i);
      if (duplicates.length > 0) problems.push(`one-hot feature "${spec.name}" lists ${[...new Set(duplicates)].map((c) => `"${c}"`).join(', ')} more than once; each category is one column.`);
    } else if (isConcrete(spec.min) && isConcrete(spec.max) && spec.min > spec.max) {
      problems.push(`numeric feature "${spec.name}" has min ${spec.min} above max ${spec.max}; swap them.`);
    }
  }
  return problems;
}

/** A problem when a concrete reservation is not a whole number of at least 1. */
function reservedConcurrencyProblem(reserved: number | undefined): string | undefined {
  if (!isConcrete(reserved)) return undefined;
  if (!Number.isInteger(reserved) || reserved < 1) {
    return `reservedConcurrency is ${reserved}, but must be a whole number of at least 1 (at 0 Lambda refuses every request); omit it to use the account's unreserved concurrency.`;
  }
  return undefined;
}

/** A problem when the environment exceeds Lambda's 4 KB (a token endpoint name counts at its longest). */
function environmentProblem(environment: Record<string, string>): string | undefined {
  let bytes = 0;
  for (const [key, value] of Object.entries(environment)) {
    const size = key === 'ENDPOINT_NAME' && Token.isUnresolved(value) ? MAX_ENDPOINT_NAME : Buffer.byteLength(value, 'utf-8');
    bytes += Buffer.byteLength(key, 'utf-8') + size;
  }
  return bytes > ENVIRONMENT_LIMIT_BYTES
    ? `the feature list needs ${bytes} bytes of environment variables, but Lambda allows ${ENVIRONMENT_LIMIT_BYTES} in all; shorten feature names or categories, or encode fewer categories in the front.`
    : undefined;
}
