import { aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';

/**
 * Options of an endpoint's data capture (the input of Model Monitor).
 */
export interface DataCaptureOptions {
  /** The bucket SageMaker writes captured requests and responses to. */
  readonly destination: s3.IBucket;
  /**
   * The key prefix of the capture files.
   * @default 'data-capture/'
   */
  readonly prefix?: string;
  /**
   * The share of requests captured, 0 to 100 (Model Monitor needs more than 0).
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * Capture requests.
   * @default true
   */
  readonly captureInput?: boolean;
  /**
   * Capture responses.
   * @default true
   */
  readonly captureOutput?: boolean;
  /**
   * The key SageMaker encrypts capture files with.
   * @default - the destination bucket's key, if any
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Content types captured as CSV text.
   * @default ['text/csv']
   */
  readonly csvContentTypes?: string[];
  /**
   * Content types captured as JSON text.
   * @default ['application/json']
   */
  readonly jsonContentTypes?: string[];
}

/**
 * Where and how an endpoint captures data: what a Model Monitor needs to find it.
 */
export interface DataCaptureInfo {
  /** The bucket of the capture files. */
  readonly bucket: s3.IBucket;
  /** The key prefix SageMaker writes capture files under. */
  readonly prefix: string;
  /** `s3://bucket/prefix`. */
  readonly s3Uri: string;
  /** The share of requests captured. */
  readonly samplingPercentage: number;
  /** The key of the capture files, if any. */
  readonly encryptionKey?: kms.IKey;
  /** Whether requests are captured. */
  readonly captureInput: boolean;
  /** Whether responses are captured. */
  readonly captureOutput: boolean;
}
