import {
  RemovalPolicy,
  aws_apigateway as apigateway,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IEndpoint } from './endpoint';
import { integerProblem, rangeProblem, throwIfProblems } from '../../private/errors';
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
    this.api = new apigateway.RestApi(this, 'Api', {
      description: `Invokes SageMaker endpoint ${props.endpoint.node.path}`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });

    let integration: apigateway.Integration;
    if (props.handler) {
      props.endpoint.grantInvoke(props.handler);
      integration = new apigateway.LambdaIntegration(props.handler);
    } else {
      const role = new ManagedPolicyRole(this, 'IntegrationRole', {
        assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        description: `Lets API Gateway invoke SageMaker endpoint ${props.endpoint.node.path}`,
      });
      this.integrationRole = role;
      integration = new apigateway.SagemakerIntegration(props.endpoint, {
        credentialsRole: role,
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

    if (!iamAuth) {
      const plan = this.api.addUsagePlan('UsagePlan', { throttle: { rateLimit, burstLimit } });
      const apiKey = this.api.addApiKey('ApiKey');
      plan.addApiKey(apiKey);
      plan.addApiStage({ stage: this.api.deploymentStage });
      this.apiKey = apiKey;
    }
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
