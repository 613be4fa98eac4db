import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  custom_resources as cr,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { handlerAssetDirectory } from '../../private/handler-asset';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeFindings, acknowledgeWildcardResources } from '../../private/nag';
import { ManagedPolicyRole } from '../security/managed-policy-role';

/**
 * Properties of a {@link StudioTeardownProvider}.
 */
export interface StudioTeardownProviderProps {
  /** The Studio domain whose apps and spaces the handlers delete. */
  readonly domainId: string;
  /** The key that encrypts the handlers' log groups and environment. */
  readonly encryptionKey: kms.IKey;
  /**
   * Run the handlers in this VPC (they need the SageMaker API and CloudWatch Logs endpoints,
   * which `MlNetwork` creates).
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets of the handlers.
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The security groups of the handlers.
   * @default - a new security group allowing outbound HTTPS only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * How long to wait for apps and spaces to be deleted.
   * @default Duration.hours(1)
   */
  readonly totalTimeout?: Duration;
  /**
   * How long to keep the handlers' logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The CDK Provider framework running the Studio teardown handler (`handlers/teardown.ts`,
 * compiled by `npm run build:handlers`): on delete it deletes the apps of a user profile or
 * space (and a profile's private spaces) and polls until they are gone, so CloudFormation can
 * then delete the profile or space. Each Lambda function has its own role with customer-managed
 * policies scoped to this domain, and a KMS-encrypted log group with retention.
 */
export class StudioTeardownProvider extends Construct {
  /** The service token of the custom resources. */
  public readonly serviceToken: string;

  constructor(scope: Construct, id: string, props: StudioTeardownProviderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const code = lambda.Code.fromAsset(handlerAssetDirectory('constructs/studio/handlers'));
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const securityGroups =
      props.vpc &&
      (props.securityGroups ?? [
        new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: props.vpc,
          description: 'Studio teardown handlers: HTTPS to the SageMaker API and CloudWatch Logs endpoints',
          allowAllOutbound: false,
        }),
      ]);
    if (props.vpc && !props.securityGroups) {
      securityGroups?.[0].addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints');
    }

    const appArn = stack.formatArn({ service: 'sagemaker', resource: 'app', resourceName: `${props.domainId}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const spaceArn = stack.formatArn({ service: 'sagemaker', resource: 'space', resourceName: `${props.domainId}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

    const handler = (name: string, entry: string, description: string): lambda.Function => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { encryptionKey: props.encryptionKey, retention, removalPolicy: RemovalPolicy.RETAIN });
      const role = new ManagedPolicyRole(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${description} (${this.node.path})`,
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:ListApps', 'sagemaker:ListSpaces'], resources: ['*'] }));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DeleteApp', 'sagemaker:DescribeApp'], resources: [appArn] }));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DeleteSpace', 'sagemaker:DescribeSpace'], resources: [spaceArn] }));
      if (props.vpc) {
        // Lambda creates and deletes the functions' network interfaces; these actions name no ENI.
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
            resources: ['*'],
          }),
        );
      }
      const fn = new lambda.Function(this, name, {
        description,
        runtime: lambda.Runtime.NODEJS_24_X,
        code,
        handler: `teardown.${entry}`,
        timeout: Duration.minutes(5),
        memorySize: 256,
        role,
        logGroup,
        environmentEncryption: props.encryptionKey,
        vpc: props.vpc,
        vpcSubnets: props.vpc ? props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : undefined,
        securityGroups,
        tracing: lambda.Tracing.ACTIVE,
        loggingFormat: lambda.LoggingFormat.JSON,
        applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
        systemLogLevelV2: lambda.SystemLogLevel.WARN,
      });
      // Lambda cannot write its logs or reach its network without these policies.
      fn.node.addDependency(role);
      return fn;
    };

    const onEvent = handler('OnEvent', 'onEvent', 'Starts deleting the apps of a Studio user profile or space');
    const isComplete = handler('IsComplete', 'isComplete', 'Reports whether a Studio user profile or space has no apps left');

    const frameworkRole = (name: string): ManagedPolicyRole =>
      new ManagedPolicyRole(this, name, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Custom-resource framework function of ${this.node.path}`,
      });
    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', { encryptionKey: props.encryptionKey, retention, removalPolicy: RemovalPolicy.RETAIN });
    const onEventRole = frameworkRole('FrameworkOnEventRole');
    const completeRole = frameworkRole('FrameworkCompleteRole');
    for (const role of [onEventRole, completeRole]) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [frameworkLogs.logGroupArn] }));
    }

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(30),
      totalTimeout: props.totalTimeout ?? Duration.hours(1),
      logGroup: frameworkLogs,
      frameworkOnEventRole: onEventRole,
      frameworkCompleteAndTimeoutRole: completeRole,
      providerFunctionEnvEncryption: props.encryptionKey,
      // Waiter logging would make aws-cdk-lib grant logs:CreateLogStream and logs:PutLogEvents
      // on "*" to the waiter's role; every poll is logged by our isComplete handler instead.
      disableWaiterStateMachineLogging: true,
    });
    this.serviceToken = provider.serviceToken;
    this.acknowledgeFrameworkFindings(provider, { onEvent, isComplete, onEventRole, completeRole, appArn, spaceArn });
  }

  /**
   * The findings of the custom-resource machinery that cannot be fixed here (listed in
   * docs/acknowledgements.md), acknowledged on the exact resources.
   */
  private acknowledgeFrameworkFindings(
    provider: cr.Provider,
    parts: { onEvent: lambda.Function; isComplete: lambda.Function; onEventRole: iam.Role; completeRole: iam.Role; appArn: string; spaceArn: string },
  ): void {
    const frameworkFunctions = ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout'].map((id) => provider.node.findChild(id) as lambda.Function);
    for (const fn of [parts.onEvent, parts.isComplete, ...frameworkFunctions]) {
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
    acknowledgeWildcardResources(
      parts.onEventRole,
      [`${parts.onEvent.functionArn}:*`, `${parts.isComplete.functionArn}:*`],
      "aws-cdk-lib's own grant: the framework function may invoke exactly this provider's onEvent and isComplete handlers (any version or alias of them).",
    );
    acknowledgeWildcardResources(
      parts.completeRole,
      [`${parts.onEvent.functionArn}:*`, `${parts.isComplete.functionArn}:*`],
      "aws-cdk-lib's own grant: the framework function may invoke exactly this provider's onEvent and isComplete handlers (any version or alias of them).",
    );
    for (const fn of [parts.onEvent, parts.isComplete]) {
      acknowledgeActionsWithoutResourceTypes(
        fn.role!,
        ['sagemaker:ListApps', 'sagemaker:ListSpaces', 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
        'the handler lists the apps and spaces of this domain by a DomainIdEquals filter, and Lambda manages the network interfaces of the VPC function with the role',
      );
      acknowledgeWildcardResources(
        fn.role!,
        [parts.appArn, parts.spaceArn],
        'The apps and spaces of this Studio domain only (app/<domain id>/*, space/<domain id>/*): users start and name them in Studio at run time, and the handler deletes whichever a profile or space has.',
      );
    }
  }
}
