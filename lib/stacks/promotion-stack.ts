import { CfnOutput, Stack, StackProps, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ModelPromotionPipeline } from '../constructs/promotion';
import { IModelPackageGroup } from '../constructs/registry';
import { MlKey } from '../constructs/security';
import { InferenceStack } from './inference-stack';
import { MlPlatformStack } from './platform-stack';

/** Properties of the {@link PromotionStack}. */
export interface PromotionStackProps extends StackProps {
  /** The platform (its key encrypts the pipeline's artifacts and logs). */
  readonly platform: MlPlatformStack;
  /** The model registry whose approvals start a promotion. */
  readonly registry: IModelPackageGroup;
  /** The staging inference stack: deployed and smoke-tested first. */
  readonly staging: InferenceStack;
  /** The production inference stack: deployed after a person approves. */
  readonly production: InferenceStack;
}

/**
 * The loan-default promotion pipeline: approving a version in the registry (for example with
 * `sagemaker-cdk model approve`) deploys it to the staging stack, smoke-tests the staging endpoint
 * with one applicant's features, waits for a person to approve in CodePipeline, then deploys the
 * same version to the production stack, whose canary deployment rolls back on its alarms.
 * Failures, rejections and approval requests go to the stack's own encrypted topic (subscribe
 * to it); a topic of the inference stacks would make them depend on this stack's rules.
 */
export class PromotionStack extends Stack {
  /** The promotion pipeline. */
  public readonly promotion: ModelPromotionPipeline;
  /** Approval requests, failed promotions and rejected versions. */
  public readonly notifications: sns.Topic;

  constructor(scope: Construct, id: string, props: PromotionStackProps) {
    super(scope, id, { description: 'Loan-default model promotion: staging, smoke test, approval, production', ...props });
    this.notifications = new sns.Topic(this, 'Notifications', {
      masterKey: new MlKey(this, 'NotificationsKey', { description: 'Encrypts the model promotion notifications', allowCloudWatchLogs: false }),
      enforceSSL: true,
    });
    // CloudFormation updates each inference stack with the version (its ModelVersionArn parameter):
    // the stacks keep owning their endpoints.
    this.promotion = new ModelPromotionPipeline(this, 'Promotion', {
      modelPackageGroup: props.registry,
      staging: {
        stackName: props.staging.stackName,
        parameterName: props.staging.modelVersion.parameterName,
        smokeTest: {
          endpoint: props.staging.endpoint,
          // One applicant's features in the order the model was trained on (no id, no label).
          body: '34,52000,8000,36,11.5,690,4,0.21,0,1,0,0,1,0,0,0',
          contentType: 'text/csv',
          accept: 'text/csv',
          // The XGBoost binary:logistic model answers one probability of default: a single
          // non-negative number, possibly in exponent notation for small ones (5.3e-05).
          expectedResponsePattern: '^\\s*([0-9]*\\.)?[0-9]+([eE][-+]?[0-9]+)?\\s*$',
        },
      },
      production: { stackName: props.production.stackName, parameterName: props.production.modelVersion.parameterName },
      notificationTopic: this.notifications,
      encryptionKey: props.platform.key,
    });
    new CfnOutput(this, 'NotificationTopicArn', { value: this.notifications.topicArn, description: 'Subscribe for approval requests and failed promotions' });
    new CfnOutput(this, 'PromotionPipelineName', { value: this.promotion.pipeline.pipelineName, description: 'Approve the production stage in the CodePipeline console or with aws codepipeline put-approval-result' });
  }
}
