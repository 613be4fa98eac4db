import { Annotations, ArnFormat, Stack, Token, aws_events as events, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Helpers for SNS topics encrypted with a KMS key that AWS services publish to (CloudWatch
 * alarms, EventBridge rules). A service publishes to an encrypted topic only when the key policy
 * lets the service principal use the key; without that, SNS drops the notification.
 *
 * Not exported from the package: constructs import this file directly.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */

/** The services our constructs let publish to alert topics. */
export enum PublishingService {
  /** CloudWatch alarm actions. */
  CLOUDWATCH = 'cloudwatch',
  /** EventBridge rule targets. */
  EVENTBRIDGE = 'events',
}

function sourceArnPattern(stack: Stack, service: PublishingService): string {
  return service === PublishingService.CLOUDWATCH
    ? stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })
    : stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/**
 * Lets `service` use the key of `topic` (`kms:Decrypt`, `kms:GenerateDataKey*`) to publish to it,
 * for requests from this account (`aws:SourceAccount`) and from that service's resources in this
 * account and region (`aws:SourceArn`). The exact alarm or rule ARNs cannot be named: the key
 * would then depend on the alarm or rule, which depends on the topic, which depends on the key.
 *
 * When the key is not a `kms.Key` of the same stack (imported, or another stack's), its policy is
 * not ours to change: a synth-time warning names the statement the key's owner must add.
 * Does nothing for an unencrypted topic, or a topic whose key is unknown (imported topics).
 */
export function allowServiceToUseTopicKey(scope: IConstruct, topic: sns.ITopic, service: PublishingService): void {
  const key = topic.masterKey;
  if (!key) return;
  const stack = Stack.of(scope);
  const principal = `${service}.amazonaws.com`;
  const pattern = sourceArnPattern(stack, service);
  if (key instanceof kms.Key && Stack.of(key) === stack) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(principal)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': pattern },
        },
      }),
    );
    return;
  }
  Annotations.of(scope).addWarningV2(
    `sagemaker-cdk:topicKeyPolicy:${service}`,
    `The topic's key ${key.node.path} is imported or belongs to another stack, so its key policy cannot be changed here, and ${principal} cannot publish to the encrypted topic until it can use the key. ` +
      `Add to the key policy: Allow, Principal {"Service": "${principal}"}, Action ["kms:Decrypt", "kms:GenerateDataKey*"], Resource "*", ` +
      `Condition {"StringEquals": {"aws:SourceAccount": "<this account>"}, "ArnLike": {"aws:SourceArn": "arn:${Token.isUnresolved(stack.partition) ? '<partition>' : stack.partition}:${service === PublishingService.CLOUDWATCH ? 'cloudwatch:<region>:<account>:alarm:*' : 'events:<region>:<account>:rule/*'}"}}; ` +
      'or leave the key unset so the construct creates its own.',
  );
}

/**
 * An EventBridge target that publishes to `topic`, where only the given rule may publish: the
 * topic policy statement for `events.amazonaws.com` carries `aws:SourceArn` = the rule's ARN
 * (aws-cdk-lib's `SnsTopic` target allows any rule and lets EventBridge use the key without
 * conditions). The key policy is handled by {@link allowServiceToUseTopicKey}.
 */
export class RuleScopedTopicTarget implements events.IRuleTarget {
  constructor(private readonly scope: IConstruct, private readonly topic: sns.ITopic) {}

  public bind(rule: events.IRuleRef): events.RuleTargetConfig {
    const result = this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleRef.ruleArn } },
      }),
    );
    if (!result.statementAdded) {
      Annotations.of(this.scope).addWarningV2(
        'sagemaker-cdk:topicPolicy',
        'The alert topic is imported, so its topic policy cannot be changed here: allow events.amazonaws.com sns:Publish on it with the condition aws:SourceArn = the rule ARN, or EventBridge cannot deliver.',
      );
    }
    allowServiceToUseTopicKey(this.scope, this.topic, PublishingService.EVENTBRIDGE);
    return { arn: this.topic.topicArn };
  }
}
