import {
  RemovalPolicy,
  Stack,
  aws_apigateway as apigateway,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IEndpoint } from './endpoint';
import { integerProblem, rangeProblem, throwIfProblems } from '../../private/errors';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeFindings } from '../../private/nag';
import { ManagedPolicyRole, MlKey } from '../security';

/**
 * How callers of an {@link InferenceApi} authenticate.
 */
export enum InferenceApiAuthorization {
  /** AWS Signature V4 with IAM credentials; grant callers with `grantInvoke`. */
  IAM = 'IAM',
  /** An API key sent in the `x-api-key` header, with a usage plan. */
  API_KEY = 'API_KEY',
}

/**
 * Properties of an {@link InferenceApi}.
 */
export interface InferenceApiProps {
  /** The endpoint requests are sent to. */
  readonly endpoint: IEndpoint;
  /**
   * How callers authenticate.
   * @default InferenceApiAuthorization.IAM
   */
  readonly authorization?: InferenceApiAuthorization;
  /**
   * Steady-state requests per second across the stage.
   * @default 100
   */
  readonly rateLimit?: number;
  /**
   * Burst of requests allowed above the rate.
   * @default 200
   */
  readonly burstLimit?: number;
  /**
   * A Lambda function in front of the endpoint for pre- and post-processing. It receives the
   * API Gateway proxy event and is allowed to invoke the endpoint.
   * @default - API Gateway calls the SageMaker runtime directly (no Lambda)
   */
  readonly handler?: lambda.IFunction;
  /**
   * The key that encrypts the access-log group.
   * @default - a new MlKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long access logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * The stage name.
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Set API Gateway's account-level CloudWatch Logs role (an `AWS::ApiGateway::Account` with a
   * role of our own whose customer-managed policy may write only the access-log groups of the
   * stack's inference APIs; all InferenceApis of a stack share one setting).
   * API Gateway refuses a stage with access logging ("CloudWatch Logs role ARN must be set in
   * account settings") until the account has that role, so a fresh account needs it.
   *
   * Trade-off: the setting is account-wide, one per region. It replaces a role set before (by
   * another stack or the console), and other APIs of the account and region then log with this
   * role, which can write only these APIs' log groups; and when this stack is deleted the
   * setting stays (API Gateway keeps the role ARN; the role and policy are kept, RETAIN, so it
   * keeps working). Switch it off when the account already has a CloudWatch role (for example
   * one managed centrally), or when another stack owns the setting.
   * @default true
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
   */
  readonly manageAccountCloudWatchRole?: boolean;
}

/**
 * A REST API in front of a SageMaker endpoint: `POST /invocations` forwards the body and its
 * `Content-Type` to the endpoint through API Gateway's AWS integration (no Lambda unless you give
 * a handler), with IAM or API-key authorization, request validation, throttling, X-Ray tracing
 * and JSON access logs in a KMS-encrypted log group.
 */
export class InferenceApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The role API Gateway assumes to call the endpoint (direct integration only). */
  public readonly integrationRole?: iam.IRole;
  /** The access-log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The API key, when authorization is API_KEY. */
  public readonly apiKey?: apigateway.IApiKey;
  /** The `POST /invocations` method. */
  public readonly invokeMethod: apigateway.Method;
  /** The role API Gateway writes logs with, when this API sets the account's CloudWatch role. */
  public readonly cloudWatchRole?: iam.IRole;
  /** The account-level API Gateway setting, when this API sets the account's CloudWatch role. */
  public readonly account?: apigateway.CfnAccount;
  /** The log group of the stage's execution logs (errors), when the construct sets the account's CloudWatch role. */
  public readonly executionLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    const rateLimit = props.rateLimit ?? 100;
    const burstLimit = props.burstLimit ?? 200;
    throwIfProblems(this, [
      rangeProblem('rateLimit', rateLimit, 1, 10000, 'API Gateway account limits apply'),
      integerProblem('burstLimit', burstLimit) ?? rangeProblem('burstLimit', burstLimit, 1, 5000, 'API Gateway account limits apply'),
    ].filter((p): p is string => p !== undefined));

    const key = props.encryptionKey ?? new MlKey(this, 'LogKey', { description: `Encrypts the access logs of ${this.node.path}` });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      encryptionKey: key,
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const iamAuth = (props.authorization ?? InferenceApiAuthorization.IAM) === InferenceApiAuthorization.IAM;
    const manageAccountRole = props.manageAccountCloudWatchRole ?? true;
    const stageName = props.stageName ?? 'prod';
    this.api = new apigateway.RestApi(this, 'Api', {
      description: `Invokes SageMaker endpoint ${props.endpoint.node.path}`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName,
        // Execution logging (errors only, no request or response bodies) goes through the
        // account's CloudWatch role, which this construct sets by default; with a role set
        // elsewhere, execution logging is that account owner's choice.
        loggingLevel: manageAccountRole ? apigateway.MethodLoggingLevel.ERROR : undefined,
        dataTraceEnabled: false,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });

    if (manageAccountRole) {
      // API Gateway writes execution logs to a group of this fixed name; created here first, it
      // is KMS-encrypted with a retention, and the account role may write to it.
      this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', {
        logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`,
        encryptionKey: key,
        retention: props.accessLogRetention ?? logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.api.deploymentStage.node.addDependency(this.executionLogGroup);
      const { role, account } = this.setAccountCloudWatchRole();
      this.cloudWatchRole = role;
      this.account = account;
    }
    this.acknowledgeStageFindings();

    let integration: apigateway.Integration;
    if (props.handler) {
      // A function behind a REST API answers synchronously: it may call InvokeEndpoint on this
      // endpoint, nothing else (not the asynchronous or streaming calls).
      iam.Grant.addToPrincipal({ grantee: props.handler, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [props.endpoint.endpointArn] });
      integration = new apigateway.LambdaIntegration(props.handler);
    } else {
      // The trust policy has no aws:SourceArn / aws:SourceAccount condition: API Gateway's
      // documentation shows the integration-role trust without them and does not say it sends
      // those keys when it assumes an integration's credentials role; a condition on a key that
      // is absent denies, and every invocation would fail. The role's only permission is
      // sagemaker:InvokeEndpoint on this endpoint.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
      const role = new ManagedPolicyRole(this, 'IntegrationRole', {
        assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        description: `Lets API Gateway invoke SageMaker endpoint ${props.endpoint.node.path}`,
      });
      this.integrationRole = role;
      // The direct integration calls InvokeEndpoint only: grant that, not the async and
      // streaming actions the endpoint's grantInvoke (which SagemakerIntegration calls) adds.
      iam.Grant.addToPrincipal({ grantee: role, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [props.endpoint.endpointArn] });
      integration = new apigateway.SagemakerIntegration(props.endpoint, {
        credentialsRole: role.withoutPolicyUpdates(),
        requestParameters: { 'integration.request.header.Content-Type': 'method.request.header.Content-Type' },
        passthroughBehavior: apigateway.PassthroughBehavior.WHEN_NO_TEMPLATES,
      });
    }

    const validator = new apigateway.RequestValidator(this, 'Validator', {
      restApi: this.api,
      // Parameters: the Content-Type header is required. Bodies are CSV or JSON payloads of the
      // model's own format, so no body model is set and any body passes the body check.
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const resource = this.api.root.addResource('invocations');
    this.invokeMethod = resource.addMethod('POST', integration, {
      authorizationType: iamAuth ? apigateway.AuthorizationType.IAM : apigateway.AuthorizationType.NONE,
      apiKeyRequired: !iamAuth,
      requestValidator: validator,
      requestParameters: { 'method.request.header.Content-Type': true },
      // SagemakerIntegration adds the 200 method response itself.
      methodResponses: props.handler ? [{ statusCode: '200' }] : undefined,
    });

    if (iamAuth) {
      acknowledgeFindings(
        this.invokeMethod,
        ['AwsSolutions-COG4'],
        'The method authorizes callers with IAM (SigV4): they are services and roles of your accounts, not Cognito user-pool users.',
      );
    }

    if (!iamAuth) {
      const plan = this.api.addUsagePlan('UsagePlan', { throttle: { rateLimit, burstLimit } });
      const apiKey = this.api.addApiKey('ApiKey');
      plan.addApiKey(apiKey);
      plan.addApiStage({ stage: this.api.deploymentStage });
      this.apiKey = apiKey;
    }
  }

  /**
   * The account-level CloudWatch role of API Gateway, shared by every InferenceApi of the stack
   * (one `AWS::ApiGateway::Account` per stack, so two APIs do not overwrite each other's role):
   * each API adds its access-log group to the role's customer-managed policy.
   */
  private setAccountCloudWatchRole(): { role: iam.IRole; account: apigateway.CfnAccount } {
    const stack = Stack.of(this);
    const existing = stack.node.tryFindChild(ACCOUNT_SETTING_ID);
    const setting = existing instanceof ApiGatewayCloudWatchAccount ? existing : new ApiGatewayCloudWatchAccount(stack, ACCOUNT_SETTING_ID);
    setting.allowLogGroup(this.accessLogGroup);
    if (this.executionLogGroup) setting.allowLogGroup(this.executionLogGroup);
    // The stage's access logging needs the account setting (and the role's policies) first.
    this.api.deploymentStage.node.addDependency(setting);
    return { role: setting.role, account: setting.account };
  }

  /**
   * The stage's findings that do not fit an inference API (listed in docs/acknowledgements.md),
   * acknowledged on the stage only.
   */
  private acknowledgeStageFindings(): void {
    const stage = this.api.deploymentStage;
    acknowledgeFindings(
      stage,
      ['AwsSolutions-APIG3', 'NIST.800.53.R5-APIGWAssociatedWithWAF'],
      "A WAF web ACL is a per-account choice of rules and cost (generic managed rules would also inspect model payloads); the API accepts only authorized requests (IAM SigV4 or an API key) and is throttled per stage. Associate your own web ACL with the stage's ARN if you need one.",
    );
    acknowledgeFindings(stage, ['APIGWCacheEnabledAndEncrypted'], 'Inference responses depend on each request body (POST /invocations) and must not be cached.');
    acknowledgeFindings(
      stage,
      ['APIGWSSLEnabled'],
      'The backend is the SageMaker runtime API reached through an AWS service integration over TLS, not an HTTP backend that could verify an API Gateway client certificate.',
    );
  }

  /** Lets `grantee` call the API (IAM authorization). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.api.arnForExecuteApi('POST', '/invocations', this.api.deploymentStage.stageName)],
    });
  }

  /** The URL of the `POST /invocations` method. */
  public get url(): string {
    return this.api.urlForPath('/invocations');
  }
}

/** The construct id of the stack's API Gateway account setting. */
const ACCOUNT_SETTING_ID = 'InferenceApiCloudWatchAccount';

/**
 * API Gateway's account-level CloudWatch Logs role: our own role (a customer-managed policy
 * scoped to the access-log groups of the stack's APIs, no AWS managed policy) and the
 * `AWS::ApiGateway::Account` that sets it, both retained.
 */
class ApiGatewayCloudWatchAccount extends Construct {
  public readonly role: ManagedPolicyRole;
  public readonly account: apigateway.CfnAccount;
  private readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // No confused-deputy conditions: API Gateway documents none for the account logging role,
    // and a condition it does not send would silently stop all logging of the account.
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: `API Gateway's account CloudWatch Logs role, set by ${this.node.path}: writes the access logs of the stack's inference APIs`,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Permissions of ${this.role.node.path}`,
      roles: [this.role],
      // Lists log groups; supports no resource-level permissions.
      statements: [new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] })],
    });
    acknowledgeActionsWithoutResourceTypes(this.policy, ['logs:DescribeLogGroups']);
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    // API Gateway checks the role when the setting is made: the role and its policy come first.
    this.account.node.addDependency(this.role, this.policy);
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }

  /** Lets API Gateway write access logs to `logGroup`. */
  public allowLogGroup(logGroup: logs.ILogGroup): void {
    this.policy.addStatements(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroup.logGroupArn] }),
    );
  }
}
