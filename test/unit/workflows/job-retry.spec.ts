import { Duration, Token, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { JobRetry, SageMakerError } from '../../../lib/constructs/workflows';

describe('JobRetry', () => {
  test("serviceErrors(): 60 s, 5 attempts, backoff 2 on SageMaker, throttling and capacity errors", () => {
    const retry = JobRetry.serviceErrors();
    expect(retry.problems()).toEqual([]);
    expect(retry.toRetryProps()).toEqual({
      errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.ThrottlingException', 'SageMaker.ResourceLimitExceededException'],
      interval: Duration.seconds(60),
      maxAttempts: 5,
      backoffRate: 2,
      maxDelay: undefined,
      jitterStrategy: undefined,
    });
  });

  test('custom errors, delay cap and jitter', () => {
    const retry = new JobRetry({ errors: [SageMakerError.TASK_FAILED], interval: Duration.minutes(5), maxAttempts: 2, backoffRate: 1.5, maxDelay: Duration.hours(1), jitter: true });
    expect(retry.toRetryProps()).toMatchObject({ errors: ['States.TaskFailed'], maxAttempts: 2, backoffRate: 1.5, jitterStrategy: sfn.JitterType.FULL });
    expect(retry.maxDelay?.toSeconds()).toBe(3600);
  });

  test('maxAttempts below 0 is a problem', () => {
    expect(new JobRetry({ maxAttempts: -1 }).problems()).toEqual([expect.stringMatching(/retry maxAttempts is -1, but must be a whole number from 0/)]);
  });

  test('backoffRate below 1 is a problem', () => {
    expect(new JobRetry({ backoffRate: 0.5 }).problems()).toEqual([expect.stringMatching(/retry backoffRate is 0.5, but must be at least 1/)]);
  });

  test('an empty error list and a sub-second interval are problems', () => {
    expect(new JobRetry({ errors: [], interval: Duration.millis(10) }).problems()).toEqual([
      expect.stringMatching(/retry errors is empty/),
      expect.stringMatching(/retry interval is 10 millis, but must be a whole number of seconds/),
    ]);
  });

  test('unresolved tokens are not checked', () => {
    expect(new JobRetry({ maxAttempts: Token.asNumber({ resolve: () => -3 }), backoffRate: Token.asNumber({ resolve: () => 0 }) }).problems()).toEqual([]);
  });
});
