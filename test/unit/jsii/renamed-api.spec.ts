// The members renamed for the jsii build (reserved words, `equals`, free functions): the new
// names do what the old ones did, and the TypeScript-only aliases still agree with them.
import { Duration, Stack } from 'aws-cdk-lib';
import { DeploymentPolicy, DeploymentType, VariantMetrics } from '../../../lib/constructs/hosting';
import { ComparisonType, Condition, ParameterType, PipelineParameter } from '../../../lib/constructs/pipelines';
import { JobRetry } from '../../../lib/constructs/workflows';

describe('PipelineParameter factories', () => {
  test.each([
    ['ofString', () => PipelineParameter.ofString('Region', 'eu-west-1'), ParameterType.STRING, 'eu-west-1'],
    ['ofInteger', () => PipelineParameter.ofInteger('Epochs', 3), ParameterType.INTEGER, 3],
    ['ofFloat', () => PipelineParameter.ofFloat('AucThreshold', 0.7), ParameterType.FLOAT, 0.7],
    ['ofBoolean', () => PipelineParameter.ofBoolean('Skip', false), ParameterType.BOOLEAN, false],
  ])('%s declares its type and default', (_name, make, type, defaultValue) => {
    const parameter = make();
    expect(parameter.parameterType).toBe(type);
    expect(parameter._renderDeclaration()).toEqual({ Name: parameter.name, Type: type, DefaultValue: defaultValue });
  });

  test('the TypeScript aliases make the same parameters', () => {
    expect(PipelineParameter.string('A', 'x')._renderDeclaration()).toEqual(PipelineParameter.ofString('A', 'x')._renderDeclaration());
    expect(PipelineParameter.integer('B', 1)._renderDeclaration()).toEqual(PipelineParameter.ofInteger('B', 1)._renderDeclaration());
    expect(PipelineParameter.float('C', 0.5)._renderDeclaration()).toEqual(PipelineParameter.ofFloat('C', 0.5)._renderDeclaration());
    expect(PipelineParameter.boolean('D', true)._renderDeclaration()).toEqual(PipelineParameter.ofBoolean('D', true)._renderDeclaration());
  });
});

test('Condition.equalTo renders an Equals condition', () => {
  const condition = Condition.equalTo(1, 1);
  expect(condition.comparison).toBe(ComparisonType.EQUALS);
  expect(condition._render()).toEqual({ Type: 'Equals', LeftValue: 1, RightValue: 1 });
});

test('DeploymentPolicy.deploymentType names the mode, and `type` stays its TypeScript alias', () => {
  const policy = DeploymentPolicy.canary({ percent: 10, wait: Duration.minutes(5) });
  expect(policy.deploymentType).toBe(DeploymentType.CANARY);
  expect(policy.type).toBe(policy.deploymentType);
});

test('VariantMetrics.metric puts instance and invocation metrics in their namespaces', () => {
  const stack = new Stack();
  const cpu = VariantMetrics.metric('scoring', 'AllTraffic', 'CPUUtilization');
  const invocations = VariantMetrics.metric('scoring', 'AllTraffic', 'Invocations', { statistic: 'Sum' });
  expect(cpu.namespace).toBe('/aws/sagemaker/Endpoints');
  expect(invocations.namespace).toBe('AWS/SageMaker');
  expect(stack.resolve(invocations.dimensions)).toEqual({ EndpointName: 'scoring', VariantName: 'AllTraffic' });
  expect(invocations.statistic).toBe('Sum');
});

test('JobRetry.DEFAULT_ERRORS is what serviceErrors() retries', () => {
  expect(JobRetry.serviceErrors().errors).toEqual(JobRetry.DEFAULT_ERRORS);
});
