import { aws_stepfunctions as sfn } from 'aws-cdk-lib';

/**
 * Error names a Comprehend state can be retried or caught on. Step Functions names the errors of
 * an AWS SDK integration `<ServiceName>.<ErrorName>` in PascalCase.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * @see https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectSentiment.html#API_DetectSentiment_Errors
 * @see https://docs.aws.amazon.com/comprehend/latest/APIReference/CommonErrors.html
 */
export class ComprehendError {
  /** Comprehend had a service issue ("Retry your request"). */
  public static readonly INTERNAL_SERVER = 'Comprehend.InternalServerException';
  /** The call was throttled (a common error of every AWS API). */
  public static readonly THROTTLING = 'Comprehend.ThrottlingException';
  /** The text is longer than the analysis accepts. */
  public static readonly TEXT_SIZE_LIMIT_EXCEEDED = 'Comprehend.TextSizeLimitExceededException';
  /** The analysis does not support the text's language (for example a language read from DetectDominantLanguage). */
  public static readonly UNSUPPORTED_LANGUAGE = 'Comprehend.UnsupportedLanguageException';
  /** The request is invalid. */
  public static readonly INVALID_REQUEST = 'Comprehend.InvalidRequestException';
  /** Every error. */
  public static readonly ALL = sfn.Errors.ALL;

  /** The errors a Comprehend state retries by default: service errors and throttling. */
  public static readonly RETRYABLE: string[] = [ComprehendError.INTERNAL_SERVER, ComprehendError.THROTTLING];

  private constructor() {}
}
