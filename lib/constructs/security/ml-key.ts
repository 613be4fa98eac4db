import { ArnFormat, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';

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
 * A customer-managed KMS key with the defaults SageMaker workloads need: rotation on,
 * retained on stack delete, usable by CloudWatch Logs for this account's log groups, and by
 * SageMaker through grants its callers create (`kms:CreateGrant` with
 * `kms:GrantIsForAWSResource`, given by `SageMakerExecutionRole.grantKeyUse`).
 *
 * It is a `kms.Key`, so it goes anywhere an `IKey` does.
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
}
