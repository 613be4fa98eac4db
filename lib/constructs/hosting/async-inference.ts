import { aws_kms as kms, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';

/**
 * Options of asynchronous inference: requests queue, results land in S3.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html
 */
export interface AsyncInferenceOptions {
  /** The bucket results are written to. */
  readonly outputBucket: s3.IBucket;
  /**
   * The bucket clients upload request payloads to (`InvokeEndpointAsync`'s `InputLocation`);
   * the endpoint's models read them with their execution roles.
   * @default - the output bucket
   */
  readonly inputBucket?: s3.IBucket;
  /**
   * The key prefix of request payloads; the models may read objects under it only.
   * @default 'async-input/'
   */
  readonly inputPrefix?: string;
  /**
   * The key the request payloads are encrypted with (the models may decrypt with it).
   * @default - the input bucket's key, if any
   */
  readonly inputEncryptionKey?: kms.IKey;
  /**
   * The key prefix of results.
   * @default 'async-output/'
   */
  readonly outputPrefix?: string;
  /**
   * The key prefix of failure reports.
   * @default 'async-failures/'
   */
  readonly failurePrefix?: string;
  /**
   * A topic notified when a request succeeds.
   * @default - no notification
   */
  readonly successTopic?: sns.ITopic;
  /**
   * A topic notified when a request fails.
   * @default - no notification
   */
  readonly errorTopic?: sns.ITopic;
  /**
   * Concurrent requests each instance works on.
   * @default - SageMaker's choice
   */
  readonly maxConcurrentInvocationsPerInstance?: number;
  /**
   * The key results are encrypted with.
   * @default - the output bucket's key, if any
   */
  readonly encryptionKey?: kms.IKey;
}

/** Where the clients of an asynchronous endpoint put their request payloads. */
export interface AsyncInputLocation {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /** The key prefix (the models may read objects under it). */
  readonly prefix: string;
}
