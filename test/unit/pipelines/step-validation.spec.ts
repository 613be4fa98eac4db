import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Condition, ConditionStep, FailStep, MlPipeline, PipelineParameter, RetryPolicy, RetryableError } from '../../../lib/constructs/pipelines';
import { testStack } from '../../helpers';

// Pipeline steps and parameters are not constructs: their errors name the step or parameter,
// the value, the rule and the fix; errors found once a step is in a pipeline name the pipeline.
describe('pipeline step and parameter validation', () => {
  test('a step name longer than 64 characters is rejected; 64 passes', () => {
    expect(() => new FailStep('S'.repeat(64), 'x')).not.toThrow();
    expect(() => new FailStep('S'.repeat(65), 'x')).toThrow(/Pipeline step "S{65}": the name "S{65}" \(65 characters\) must be 1-64 letters, digits, "-" or "_"; rename the step/);
  });

  test('a bad name and a missing condition are reported together', () => {
    expect(() => new ConditionStep('check auc', { conditions: [], ifSteps: [] })).toThrow(
      /Pipeline step "check auc": 2 problems:\n {2}- the name "check auc" .*rename the step, e.g. "check-auc"\.\n {2}- the condition step has no conditions/,
    );
  });

  test('retry policies on a step type that takes none (Condition, QualityCheck, ...) are refused', () => {
    const step = PipelineParameter.float('X', 1);
    expect(() => new ConditionStep('Check', { conditions: [Condition.greaterThanOrEqualTo(step.asNumber(), 0)], ifSteps: [], retryPolicies: [RetryPolicy.throttlingAndCapacity()] })).toThrow(
      /Pipeline step "Check": retryPolicies is set, but Condition steps take no retry policy \(only Processing, Training, .*\); remove retryPolicies/,
    );
  });

  test('a parameter name longer than 256 characters is rejected; 256 passes', () => {
    expect(() => PipelineParameter.ofString('P'.repeat(256))).not.toThrow();
    expect(() => PipelineParameter.ofString('P'.repeat(257))).toThrow(/Pipeline parameter "P{257}": the name "P{257}" \(257 characters\) must be 1-256 letters/);
  });

  test('an integer parameter with a fractional default names the parameter and the fix', () => {
    expect(() => PipelineParameter.ofInteger('Epochs', 2.5)).toThrow(/Pipeline parameter "Epochs": the integer parameter has default 2.5, which is not a whole number; use PipelineParameter.ofFloat or a whole number/);
  });

  test.each([1, 20])('retry maxAttempts %d (a limit) passes', (maxAttempts) => {
    expect(() => new RetryPolicy({ errors: [RetryableError.THROTTLING], maxAttempts })).not.toThrow();
  });

  test.each([0, 21])('retry maxAttempts %d (one beyond a limit) fails', (maxAttempts) => {
    expect(() => new RetryPolicy({ errors: [RetryableError.THROTTLING], maxAttempts })).toThrow(
      new RegExp(`RetryPolicy \\(retrying Step.THROTTLING\\): maxAttempts is ${maxAttempts}, but must be a whole number from 1 to 20; set maxAttempts between 1 and 20`),
    );
  });

  test.each([Duration.seconds(1), Duration.hours(12)])('retry interval %s (a limit) passes', (interval) => {
    expect(() => new RetryPolicy({ errors: [RetryableError.CAPACITY_ERROR], interval })).not.toThrow();
  });

  test.each([[0], [43201]])('retry interval %d s (one beyond a limit) fails', (seconds) => {
    expect(() => new RetryPolicy({ errors: [RetryableError.CAPACITY_ERROR], interval: Duration.seconds(seconds) })).toThrow(
      new RegExp(`RetryPolicy \\(retrying SageMaker.CAPACITY_ERROR\\): interval is ${seconds} s, but must be whole seconds from 1 to 43200 \\(12 hours\\); set interval between`),
    );
  });

  test('retry with no errors names the fix', () => {
    expect(() => new RetryPolicy({ errors: [] })).toThrow(/RetryPolicy \(retrying no errors\): errors is empty; name the errors to retry on/);
  });

  test('repeated step names in a pipeline name the pipeline path and the fix', () => {
    const stack = testStack();
    new MlPipeline(stack, 'Pipeline', { steps: [new FailStep('Same', 'a'), new FailStep('Same', 'b')] });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Pipeline\] step names must be unique in a pipeline, but Same repeat; rename the steps so each name is used once/);
  });

  test('a dependency outside the pipeline names the pipeline path and the fix', () => {
    const stack = testStack();
    const elsewhere = new FailStep('Elsewhere', 'x');
    new MlPipeline(stack, 'Pipeline', { steps: [new FailStep('Stop', 'y', { dependsOn: [elsewhere] })] });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Pipeline\] step "Stop" depends on "Elsewhere", which is not in this pipeline; add "Elsewhere" to the pipeline or remove it from dependsOn/);
  });
});
