// Shared by SecureBucket (eventBridgeEnabled) and MlPipeline.startOnNewData; not exported.
import { aws_s3 as s3 } from 'aws-cdk-lib';

/** Buckets whose EventBridge notifications were already turned on here (one validation each). */
const turnedOn = new WeakSet<s3.Bucket>();

/**
 * Turns on a bucket's EventBridge notifications (S3 then sends all its events to EventBridge).
 * For a bucket of this app it sets `NotificationConfiguration.EventBridgeConfiguration` on the
 * bucket resource itself, instead of `enableEventBridgeNotification()`, which adds aws-cdk-lib's
 * notifications custom resource (a Lambda function and its role) to the stack. If the bucket has
 * that custom resource anyway (other notifications, added before or after this call), it manages
 * the whole notification configuration and would drop the property, so EventBridge is turned on
 * through it too.
 *
 * Returns false, and changes nothing, when the bucket is imported (its notification
 * configuration is not part of this app); the caller says what the user must do.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-notificationconfiguration.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html
 */
export function turnOnEventBridgeNotifications(bucket: s3.IBucket): boolean {
  const resource = bucket.node.defaultChild;
  if (!(bucket instanceof s3.Bucket) || !(resource instanceof s3.CfnBucket)) return false;
  if (turnedOn.has(bucket)) return true;
  turnedOn.add(bucket);

  resource.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
  const throughCustomResource = () => bucket.node.tryFindChild('Notifications') !== undefined;
  if (throughCustomResource()) {
    bucket.enableEventBridgeNotification();
    return true;
  }
  // Notifications added to the bucket after this call create the custom resource later; its
  // configuration is rendered lazily at synth, after validation.
  bucket.node.addValidation({
    validate: () => {
      if (throughCustomResource()) bucket.enableEventBridgeNotification();
      return [];
    },
  });
  return true;
}
