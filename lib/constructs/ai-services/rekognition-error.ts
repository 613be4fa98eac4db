import { aws_stepfunctions as sfn } from 'aws-cdk-lib';

/**
 * Error names a Rekognition state can be retried or caught on. Step Functions names the errors
 * of an AWS SDK integration `<ServiceName>.<ErrorName>` in PascalCase, and adds the `Exception`
 * suffix where the API reference leaves it off (`InternalServerError` becomes
 * `Rekognition.InternalServerErrorException`).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * @see https://docs.aws.amazon.com/rekognition/latest/APIReference/API_DetectLabels.html#API_DetectLabels_Errors
 */
export class RekognitionError {
  /** Rekognition throttled the call (request rate). */
  public static readonly THROTTLING = 'Rekognition.ThrottlingException';
  /** The account's transactions-per-second quota for the operation is used up. */
  public static readonly PROVISIONED_THROUGHPUT_EXCEEDED = 'Rekognition.ProvisionedThroughputExceededException';
  /** Rekognition had a service issue. */
  public static readonly INTERNAL_SERVER_ERROR = 'Rekognition.InternalServerErrorException';
  /** Rekognition could not read the S3 object (missing, another region, or no permission to read or decrypt it). */
  public static readonly INVALID_S3_OBJECT = 'Rekognition.InvalidS3ObjectException';
  /** The object is not a JPEG or PNG image. */
  public static readonly INVALID_IMAGE_FORMAT = 'Rekognition.InvalidImageFormatException';
  /** The image is larger than Rekognition accepts from S3 (15 MB). */
  public static readonly IMAGE_TOO_LARGE = 'Rekognition.ImageTooLargeException';
  /** Every error. */
  public static readonly ALL = sfn.Errors.ALL;

  /** The errors a Rekognition state retries by default: throttling, exhausted throughput and service errors. */
  public static readonly RETRYABLE: string[] = [RekognitionError.THROTTLING, RekognitionError.PROVISIONED_THROUGHPUT_EXCEEDED, RekognitionError.INTERNAL_SERVER_ERROR];

  private constructor() {}
}
