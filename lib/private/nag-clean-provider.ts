import { Duration, RemovalPolicy, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../constructs/security/managed-policy-role';
import { handlerAssetDirectory } from './handler-asset';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeFindings, acknowledgeWildcardResources } from './nag';

/** One of our own handler functions of a {@link NagCleanProvider}. */
export interface ProviderHandler {
  /** The function's construct id (its role and log group get `<id>Role` and `<id>Logs`). */
  readonly id: string;
  /** The exported function, `<file without .js>.<export>`, e.g. `teardown.onEvent`. */
  readonly handler: string;
  /** The function description. */
  readonly description: string;
}

/** Properties of a {@link NagCleanProvider}. */
export interface NagCleanProviderProps {
  /** The compiled handlers' folder relative to lib/, e.g. `constructs/studio/handlers`. */
  readonly handlerDirectory: string;
  /** The onEvent handler. */
  readonly onEvent: ProviderHandler;
  /** The isComplete handler, for operations the framework polls. @default - none (onEvent completes the operation) */
  readonly isComplete?: ProviderHandler;
  /** Statements every handler role gets (besides writing its logs and, in a VPC, its network interfaces). */
  readonly statements: iam.PolicyStatement[];
  /**
   * Actions of `statements` on `*` because they support no resource-level permissions, and why
   * the handler calls them; acknowledged (with the network-interface actions of a VPC function)
   * on the handler roles.
   * @default - none
   */
  readonly actionsWithoutResourceTypes?: { readonly actions: string[]; readonly why: string };
  /** Wildcard resources of `statements` that are as narrow as they get, acknowledged on the handler roles. @default - none */
  readonly wildcardResources?: { readonly resources: string[]; readonly reason: string };
  /** Encrypts the log groups and the functions' environment. */
  readonly encryptionKey: kms.IKey;
  /** Run the handlers in this VPC. @default - not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** The handlers' subnets. @default - the VPC's private isolated subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The handlers' security groups. @default - a new group allowing outbound HTTPS to the VPC only */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** The description of the security group made when none is given. */
  readonly securityGroupDescription: string;
  /**
   * Why our own handlers may run outside a VPC when no `vpc` is given (acknowledged as the
   * LambdaInsideVPC finding of the handlers).
   * @default - no acknowledgement: the finding stays when no vpc is given
   */
  readonly outsideVpcReason?: string;
  /** Handler timeout. @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** How often isComplete is polled. @default Duration.seconds(30) */
  readonly queryInterval?: Duration;
  /** How long isComplete may take in all. @default Duration.hours(1) */
  readonly totalTimeout?: Duration;
  /** Log retention of every function. @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/** What {@link addNagCleanProvider} made. */
export interface NagCleanProvider {
  /** The service token of the custom resources. */
  readonly serviceToken: string;
  /** The onEvent handler. */
  readonly onEventFunction: lambda.Function;
  /** The isComplete handler, when there is one. */
  readonly isCompleteFunction?: lambda.Function;
}

/**
 * Adds aws-cdk-lib's custom-resource Provider framework around our own handlers to `owner` (the
 * library construct whose provider it is, so the acknowledgements below belong to it and the
 * children keep their ids), made to pass cdk-nag (AwsSolutions, HIPAA Security, NIST 800-53 R5)
 * without findings a user must acknowledge: every function has its own ManagedPolicyRole
 * (customer-managed policies), a KMS-encrypted log group with retention, X-Ray tracing, JSON logs
 * and an encrypted environment. The findings of the framework's own resources that aws-cdk-lib
 * offers no option for are acknowledged on exactly those resources (listed in
 * docs/acknowledgements.md under the constructs that use this).
 *
 * Not exported from the package: StudioTeardownProvider and ModelPackageResolver build on it.
 */
export function addNagCleanProvider(owner: Construct, props: NagCleanProviderProps): NagCleanProvider {
  return new ProviderBuilder(owner, props).result;
}

class ProviderBuilder {
  public readonly result: NagCleanProvider;
  private readonly onEventFunction: lambda.Function;
  private readonly isCompleteFunction?: lambda.Function;

  constructor(owner: Construct, props: NagCleanProviderProps) {
    const code = lambda.Code.fromAsset(handlerAssetDirectory(props.handlerDirectory));
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const securityGroups =
      props.vpc &&
      (props.securityGroups ?? [
        new ec2.SecurityGroup(owner, 'SecurityGroup', { vpc: props.vpc, description: props.securityGroupDescription, allowAllOutbound: false }),
      ]);
    if (props.vpc && !props.securityGroups) {
      securityGroups?.[0].addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints');
    }

    const handler = (spec: ProviderHandler): lambda.Function => {
      const logGroup = new logs.LogGroup(owner, `${spec.id}Logs`, { encryptionKey: props.encryptionKey, retention, removalPolicy: RemovalPolicy.RETAIN });
      const role = new ManagedPolicyRole(owner, `${spec.id}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${spec.description} (${owner.node.path})`,
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
      for (const statement of props.statements) role.addToPrincipalPolicy(statement.copy());
      if (props.vpc) {
        // Lambda creates and deletes the functions' network interfaces; these actions name no ENI.
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
            resources: ['*'],
          }),
        );
      }
      const fn = new lambda.Function(owner, spec.id, {
        ...hardenedFunctionOptions(props.vpc, props.vpcSubnets),
        description: spec.description,
        code,
        handler: spec.handler,
        timeout: props.timeout ?? Duration.minutes(5),
        role,
        logGroup,
        environmentEncryption: props.encryptionKey,
        securityGroups,
      });
      // Lambda cannot write its logs or reach its network without these policies.
      fn.node.addDependency(role);
      // Active tracing makes aws-cdk-lib grant xray:PutTraceSegments and xray:PutTelemetryRecords on "*".
      const wildcardActions = [
        ...(props.actionsWithoutResourceTypes?.actions ?? []),
        ...(props.vpc ? ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'] : []),
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
      ];
      const why = [
        props.actionsWithoutResourceTypes?.why,
        props.vpc ? 'Lambda manages the network interfaces of the VPC function with the role' : undefined,
        'the function sends its X-Ray traces with it',
      ]
        .filter((w) => w)
        .join(', and ');
      acknowledgeActionsWithoutResourceTypes(role, wildcardActions, why);
      if (props.wildcardResources) acknowledgeWildcardResources(role, props.wildcardResources.resources, props.wildcardResources.reason);
      if (!props.vpc && props.outsideVpcReason) acknowledgeFindings(fn, ['LambdaInsideVPC'], props.outsideVpcReason);
      return fn;
    };

    this.onEventFunction = handler(props.onEvent);
    this.isCompleteFunction = props.isComplete ? handler(props.isComplete) : undefined;

    const frameworkRole = (name: string): ManagedPolicyRole =>
      new ManagedPolicyRole(owner, name, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Custom-resource framework function of ${owner.node.path}`,
      });
    const frameworkLogs = new logs.LogGroup(owner, 'FrameworkLogs', { encryptionKey: props.encryptionKey, retention, removalPolicy: RemovalPolicy.RETAIN });
    const onEventRole = frameworkRole('FrameworkOnEventRole');
    const completeRole = this.isCompleteFunction ? frameworkRole('FrameworkCompleteRole') : undefined;
    for (const role of [onEventRole, completeRole]) {
      role?.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [frameworkLogs.logGroupArn] }));
    }

    const provider = new cr.Provider(owner, 'Provider', {
      onEventHandler: this.onEventFunction,
      isCompleteHandler: this.isCompleteFunction,
      queryInterval: this.isCompleteFunction ? props.queryInterval ?? Duration.seconds(30) : undefined,
      totalTimeout: this.isCompleteFunction ? props.totalTimeout ?? Duration.hours(1) : undefined,
      logGroup: frameworkLogs,
      frameworkOnEventRole: onEventRole,
      frameworkCompleteAndTimeoutRole: completeRole,
      providerFunctionEnvEncryption: props.encryptionKey,
      // Waiter logging would make aws-cdk-lib grant logs:CreateLogStream and logs:PutLogEvents
      // on "*" to the waiter's role; every poll is logged by our isComplete handler instead.
      disableWaiterStateMachineLogging: this.isCompleteFunction ? true : undefined,
    });
    this.result = { serviceToken: provider.serviceToken, onEventFunction: this.onEventFunction, isCompleteFunction: this.isCompleteFunction };
    this.acknowledgeFrameworkFindings(provider, onEventRole, completeRole);
  }

  /**
   * The findings of the custom-resource machinery that cannot be fixed here (listed in
   * docs/acknowledgements.md), acknowledged on the exact resources.
   */
  private acknowledgeFrameworkFindings(provider: cr.Provider, onEventRole: iam.Role, completeRole?: iam.Role): void {
    const frameworkIds = completeRole ? ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout'] : ['framework-onEvent'];
    const frameworkFunctions = frameworkIds.map((id) => provider.node.findChild(id) as lambda.Function);
    const ownFunctions = [this.onEventFunction, ...(this.isCompleteFunction ? [this.isCompleteFunction] : [])];
    for (const fn of [...ownFunctions, ...frameworkFunctions]) {
      acknowledgeFindings(
        fn,
        ['LambdaDLQ'],
        'Invoked synchronously (by CloudFormation through the Provider framework, which reports every failure back to the stack operation); a dead-letter queue only receives failed asynchronous invocations, so it would hold nothing.',
      );
      acknowledgeFindings(
        fn,
        ['LambdaConcurrency'],
        'Runs only during stack operations, a handful of invocations; reserving concurrency would take it from the account pool, and fails to deploy in accounts whose concurrency limit leaves no room above the 10 unreserved executions Lambda keeps.',
      );
    }
    for (const fn of frameworkFunctions) {
      acknowledgeFindings(
        fn,
        ['LambdaInsideVPC'],
        "aws-cdk-lib's Provider framework functions call the Lambda and Step Functions APIs and CloudFormation's pre-signed S3 response URL, which the private network has no endpoints for; our own handlers (OnEvent, IsComplete) run in the VPC.",
      );
    }
    const handlerVersions = ownFunctions.map((fn) => `${fn.functionArn}:*`);
    for (const role of [onEventRole, completeRole]) {
      if (!role) continue;
      acknowledgeWildcardResources(
        role,
        handlerVersions,
        "aws-cdk-lib's own grant: the framework function may invoke exactly this provider's onEvent and isComplete handlers (any version or alias of them).",
      );
    }
    if (!completeRole) return;
    const waiter = provider.node.findChild('waiter-state-machine');
    acknowledgeFindings(
      waiter,
      ['AwsSolutions-SF1'],
      "Waiter logging makes aws-cdk-lib grant logs:CreateLogStream and logs:PutLogEvents on '*'; every poll is logged by the isComplete handler to its KMS-encrypted log group instead.",
    );
    acknowledgeFindings(waiter, ['AwsSolutions-SF2'], "The waiter only polls the isComplete handler, which is traced with X-Ray; aws-cdk-lib's Provider offers no tracing option for its waiter state machine.");
    acknowledgeFindings(waiter, ['IAMNoInlinePolicy'], "aws-cdk-lib gives the Provider's waiter state machine role an inline policy and offers no option for it; every role of ours uses customer-managed policies.");
    acknowledgeWildcardResources(
      waiter,
      ['framework-isComplete', 'framework-onTimeout'].map((id) => `${(provider.node.findChild(id) as lambda.Function).functionArn}:*`),
      "aws-cdk-lib's own grant: the waiter may invoke exactly the Provider framework's isComplete and onTimeout functions (any version or alias of them).",
    );
  }
}

/**
 * What every function of the library sets beyond its code: the newest Node.js runtime aws-cdk-lib
 * knows (cdk-nag AwsSolutions-L1), 256 MB, active X-Ray tracing, JSON logs (INFO, platform WARN)
 * and, in a VPC, its isolated subnets unless others are given.
 */
export function hardenedFunctionOptions(
  vpc?: ec2.IVpc,
  vpcSubnets?: ec2.SubnetSelection,
): Required<Pick<lambda.FunctionProps, 'runtime' | 'memorySize' | 'tracing' | 'loggingFormat' | 'applicationLogLevelV2' | 'systemLogLevelV2'>> &
  Pick<lambda.FunctionProps, 'vpc' | 'vpcSubnets'> {
  return {
    runtime: lambda.Runtime.NODEJS_24_X,
    memorySize: 256,
    vpc,
    vpcSubnets: vpc ? vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : undefined,
    tracing: lambda.Tracing.ACTIVE,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
  };
}
