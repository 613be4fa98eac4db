/**
 * Exit codes and error translation for the `sagemaker-cdk` CLI.
 *
 * Every failure ends as a {@link CliError}: a one-line message for people (or a JSON object with
 * `--json`) and an exit code scripts can branch on.
 */

/** The process exit codes of the CLI. */
export const ExitCode = {
  /** The command did what it was asked. */
  SUCCESS: 0,
  /** The operation ran and failed (a pipeline execution failed, an AWS call was refused, ...). */
  FAILURE: 1,
  /** Bad input: an unknown pipeline, endpoint or stack, an undeclared parameter, a usage error. */
  BAD_INPUT: 2,
  /** No usable AWS credentials or region. */
  CONFIGURATION: 3,
  /** Interrupted with Ctrl-C (128 + SIGINT). */
  INTERRUPTED: 130,
} as const;

/** An error the CLI reports as one line and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.FAILURE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Raised when the user interrupts a command (Ctrl-C). */
export class InterruptedError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.INTERRUPTED);
    this.name = 'InterruptedError';
  }
}

const CREDENTIAL_ERROR_NAMES = new Set(['CredentialsProviderError', 'TokenProviderError']);
const AUTH_ERROR_NAMES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
]);
const THROTTLING_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/** How to configure credentials, shown whenever none are found or they are refused. */
export const CREDENTIALS_HELP =
  'Configure credentials with "aws configure" or "aws sso login --profile <name>" and pass --profile <name>, ' +
  'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment.';

/** The error's `name`, for SDK errors the service's error code. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** The error's message without a trailing period. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\.\s*$/, '');
}

/** True for the SDK's "this resource does not exist" errors (SageMaker, CloudFormation, S3). */
export function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'ResourceNotFound' || name === 'NoSuchBucket' || name === 'NoSuchKey' || name === 'NotFound') return true;
  // SageMaker answers DescribeEndpoint/DescribePipelineExecution for unknown names with a
  // ValidationException "Could not find ..."; CloudFormation with "Stack ... does not exist".
  return name === 'ValidationException' || name === 'ValidationError'
    ? /could not find|does not exist|not found/i.test(errorMessage(error))
    : false;
}

/**
 * Turns any error into a {@link CliError} with a helpful message and the right exit code.
 *
 * @param error what was thrown
 * @param region the region the command talked to, named in the message where it helps
 */
export function toCliError(error: unknown, region?: string): CliError {
  if (error instanceof CliError) return error;
  const name = errorName(error);
  const where = region ? ` in ${region}` : '';
  if (CREDENTIAL_ERROR_NAMES.has(name)) {
    return new CliError(`No AWS credentials found (${errorMessage(error)}). ${CREDENTIALS_HELP}`, ExitCode.CONFIGURATION);
  }
  if (AUTH_ERROR_NAMES.has(name)) {
    return new CliError(`AWS refused the credentials (${name}: ${errorMessage(error)}). ${CREDENTIALS_HELP}`, ExitCode.CONFIGURATION);
  }
  if (/region is missing/i.test(errorMessage(error))) {
    return new CliError(
      'No AWS region configured. Pass --region <region>, set AWS_REGION, or set "region" for your profile in ~/.aws/config.',
      ExitCode.CONFIGURATION,
    );
  }
  if (THROTTLING_ERROR_NAMES.has(name)) {
    return new CliError(
      `AWS kept throttling the requests${where} after the SDK's retries (${name}: ${errorMessage(error)}). ` +
        'Wait a minute and run the command again, or raise AWS_MAX_ATTEMPTS.',
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new CliError(`Access denied${where}: ${errorMessage(error)}. Check the IAM permissions of your profile.`);
  }
  if (error instanceof Error) return new CliError(`${name === 'Error' ? '' : `${name}: `}${errorMessage(error)}${where ? ` (region ${region})` : ''}`);
  return new CliError(String(error));
}
