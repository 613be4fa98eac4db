import { ArnFormat, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';

/**
 * Properties of an {@link MlKey}.
 */
export interface MlKeyProps {
  /**
   * A description of what the key protects.
   * @default 'Customer-managed key for SageMaker data, volumes, outputs and logs'
   */
  readonly description?: string;

  /**
   * An alias for the key, with or without the `alias/` prefix.
   * @default - no alias
   */
  readonly alias?: string;

  /**
   * What happens to the key when it leaves the stack. A deleted key makes every object and
   * volume encrypted with it unreadable, so the key is kept unless you opt in.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Days KMS waits before deleting the key once deletion is scheduled (7 to 30).
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * Let CloudWatch Logs in this account and region encrypt log groups with the key, scoped
   * by the `kms:EncryptionContext:aws:logs:arn` condition to this account's log groups.
   * @default true
   */
  readonly allowCloudWatchLogs?: boolean;
}

/**
 * Service principals that decrypt with a key on behalf of resources of this account (log
 * delivery, EventBridge rules, CloudWatch alarms), with the `aws:SourceArn` pattern of those
 * resources. A statement for one of them without conditions (as aws-cdk-lib writes for Step
 * Functions log delivery or an EventBridge SNS target) would let the service use the key for
 * any account's resources; {@link MlKey} adds `aws:SourceAccount` and `aws:SourceArn`.
 */
const CONFUSED_DEPUTY_SOURCES: Readonly<Record<string, (stack: Stack) => string>> = {
  'delivery.logs.amazonaws.com': (stack) => stack.formatArn({ service: 'logs', resource: '*' }),
  'events.amazonaws.com': (stack) => stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
  'cloudwatch.amazonaws.com': (stack) => stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
};

/**
 * A customer-managed KMS key with the defaults SageMaker workloads need: rotation on,
 * retained on stack delete, usable by CloudWatch Logs for this account's log groups, and by
 * SageMaker through grants its callers create (`kms:CreateGrant` with
 * `kms:GrantIsForAWSResource`, given by `SageMakerExecutionRole.grantKeyUse`).
 *
 * It is a `kms.Key`, so it goes anywhere an `IKey` does. Key policy statements that other
 * constructs add for log delivery, EventBridge or CloudWatch without conditions get
 * `aws:SourceAccount` (this account) and `aws:SourceArn` (that service's resources in this
 * account and region).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
 */
export class MlKey extends kms.Key {
  constructor(scope: Construct, id: string, props: MlKeyProps = {}) {
    super(scope, id, {
      description: props.description ?? 'Customer-managed key for SageMaker data, volumes, outputs and logs',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      alias: props.alias,
    });
    assertSingleCdkLib(this);

    if (props.allowCloudWatchLogs ?? true) {
      const stack = Stack.of(this);
      this.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchLogsOfThisAccount',
          principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
            },
          },
        }),
      );
    }
  }

  public addToResourcePolicy(statement: iam.PolicyStatement, allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    const principals = statement.principals;
    const service = principals.length === 1 && principals[0] instanceof iam.ServicePrincipal ? principals[0].service : undefined;
    const source = service !== undefined && Object.hasOwn(CONFUSED_DEPUTY_SOURCES, service) ? CONFUSED_DEPUTY_SOURCES[service] : undefined;
    if (source && Object.keys(statement.conditions as Record<string, unknown>).length === 0) {
      const stack = Stack.of(this);
      statement.addCondition('StringEquals', { 'aws:SourceAccount': stack.account });
      statement.addCondition('ArnLike', { 'aws:SourceArn': source(stack) });
    }
    return super.addToResourcePolicy(statement, allowNoOp);
  }
}
