import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { ContainerImage, InstanceType, ModelData } from '../../../lib/constructs/core';
import { DeploymentPolicy, Endpoint, EndpointVariant, Model } from '../../../lib/constructs/hosting';
import { testStack } from '../../helpers';
import { hostingFixture, serverlessModel } from './fixtures';

const SERVICE_TIMEOUT = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'sagemaker-api-limits.json'), 'utf-8')) as {
  shapes: Record<string, { min: number; max: number }>;
}).shapes.MaximumExecutionTimeoutInSeconds;

// Limits of the SageMaker API that CloudFormation does not check at synth (issue 15): each limit
// is tested on both sides.
function endpointWith(props: (f: ReturnType<typeof hostingFixture>) => Partial<ConstructorParameters<typeof Endpoint>[2]>) {
  const stack = testStack();
  const fixture = hostingFixture(stack);
  return () => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model: fixture.model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 4 })], ...props(fixture) });
}

function serverlessWith(mb: number) {
  const stack = testStack();
  const { bucket } = hostingFixture(stack);
  return () => new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.serverless({ model: serverlessModel(stack, bucket), memorySize: Size.mebibytes(mb), maxConcurrency: 5 })] });
}

function modelWith(overrides: Partial<ConstructorParameters<typeof Model>[2]>, environment?: Record<string, string>) {
  const stack = testStack();
  const { bucket } = hostingFixture(stack);
  return () =>
    new Model(stack, 'Scoring', {
      containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'model/model.tar.gz'), environment }],
      ...overrides,
    });
}

describe('serverless memory (ProductionVariantServerlessConfig.MemorySizeInMB: 1024-6144 in 1024 MB steps)', () => {
  test.each([1024, 6144])('%d MB passes', (mb) => {
    expect(serverlessWith(mb)).not.toThrow();
  });
  test.each([1536, 7168])('%d MB fails', (mb) => {
    expect(serverlessWith(mb)).toThrow(new RegExp(`\\[TestStack/Endpoint\\] variant: serverless memorySize is ${mb} MB, but must be 1024, 2048, 3072, 4096, 5120 or 6144 MB; pick one of those`));
  });
});

describe('deployment policy limits', () => {
  test.each([0, 3600])('a baking period / wait of %d s passes', (seconds) => {
    expect(endpointWith(() => ({ deployment: DeploymentPolicy.allAtOnce({ bakingPeriod: Duration.seconds(seconds) }) }))).not.toThrow();
  });
  test('a wait of 3601 s fails', () => {
    expect(endpointWith(() => ({ deployment: DeploymentPolicy.canary({ percent: 25, wait: Duration.seconds(3601) }) }))).toThrow(
      /\[TestStack\/Endpoint\] deployment wait \(seconds\) is 3601, but must be between 0 and 3600; SageMaker waits at most an hour between steps/,
    );
  });

  test.each([0, 3600])('bakeTime (TerminationWaitInSeconds) of %d s passes', (seconds) => {
    expect(endpointWith(() => ({ deployment: DeploymentPolicy.allAtOnce({ bakeTime: Duration.seconds(seconds) }) }))).not.toThrow();
  });
  test('bakeTime of 3601 s fails', () => {
    expect(endpointWith(() => ({ deployment: DeploymentPolicy.allAtOnce({ bakeTime: Duration.seconds(3601) }) }))).toThrow(
      /\[TestStack\/Endpoint\] deployment bakeTime \(seconds\) is 3601, but must be between 0 and 3600; SageMaker keeps the old fleet at most an hour after the shift; shorten bakeTime/,
    );
  });

  // The service model's BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds (test/fixtures/sagemaker-api-limits.json).
  test.each([SERVICE_TIMEOUT.min, SERVICE_TIMEOUT.max])('blue/green maximumExecutionTimeout of %d s passes', (seconds) => {
    expect(endpointWith(() => ({ deployment: DeploymentPolicy.allAtOnce({ maximumExecutionTimeout: Duration.seconds(seconds) }) }))).not.toThrow();
  });
  test.each([SERVICE_TIMEOUT.min - 1, SERVICE_TIMEOUT.max + 1])('blue/green maximumExecutionTimeout of %d s fails', (seconds) => {
    expect(endpointWith(() => ({ deployment: DeploymentPolicy.allAtOnce({ maximumExecutionTimeout: Duration.seconds(seconds) }) }))).toThrow(
      new RegExp(`deployment maximumExecutionTimeout \\(seconds\\) of a blue/green deployment is ${seconds}, but must be between ${SERVICE_TIMEOUT.min} and ${SERVICE_TIMEOUT.max}; set it between Duration.minutes\\(10\\) and Duration.hours\\(${SERVICE_TIMEOUT.max / 3600}\\)`),
    );
  });

  test('rolling maximumExecutionTimeout: 28800 s passes, 28801 s fails', () => {
    const rolling = (seconds: number) => endpointWith(() => ({ deployment: DeploymentPolicy.rolling({ batchPercent: 25, wait: Duration.minutes(1), maximumExecutionTimeout: Duration.seconds(seconds) }) }));
    expect(rolling(28800)).not.toThrow();
    expect(rolling(28801)).toThrow(/maximumExecutionTimeout \(seconds\) of a rolling deployment is 28801, but must be between 600 and 28800/);
  });
});

describe('Model limits', () => {
  test('a 63-character modelName passes; 64 characters fail with the rule and the fix', () => {
    expect(modelWith({ modelName: 'm'.repeat(63) })).not.toThrow();
    expect(modelWith({ modelName: 'm'.repeat(64) })).toThrow(
      /\[TestStack\/Scoring\] modelName "m{64}" \(64 characters\) must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit \(pattern .*CreateModel ModelName\); rename it/,
    );
  });

  test('a modelName with an underscore fails with a suggestion', () => {
    expect(modelWith({ modelName: 'loan_default' })).toThrow(/modelName "loan_default" .*rename it, e\.g\. "loan-default"/);
  });

  test('environment names must match [a-zA-Z_][a-zA-Z0-9_]*', () => {
    expect(modelWith({}, { SAGEMAKER_PROGRAM: 'inference.py', _X1: 'y' })).not.toThrow();
    expect(modelWith({}, { 'MODEL-NAME': 'x' })).toThrow(
      /\[TestStack\/Scoring\] containers\[0\]\.environment has the variable name "MODEL-NAME" \(10 characters\), but names must match \[a-zA-Z_\]\[a-zA-Z0-9_\]\* and have at most 1024 characters \(CreateModel ContainerDefinition\); rename it, e\.g\. "MODEL_NAME"/,
    );
  });

  test('environment values: 1024 characters pass, 1025 fail', () => {
    expect(modelWith({}, { V: 'x'.repeat(1024) })).not.toThrow();
    expect(modelWith({}, { V: 'x'.repeat(1025) })).toThrow(/containers\[0\]\.environment\.V "x{40}\.\.\." has 1025 characters, but must have 0 to 1024; CreateModel ContainerDefinition rejects longer values/);
  });

  test('environment entries: 100 pass, 101 fail', () => {
    const env = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`V${i}`, 'x']));
    expect(modelWith({}, env(100))).not.toThrow();
    expect(modelWith({}, env(101))).toThrow(/containers\[0\]\.environment has 101 entries, but SageMaker allows at most 100; CreateModel ContainerDefinition rejects more/);
  });

  test('security groups: 5 pass, 6 fail (VpcConfig)', () => {
    const withGroups = (n: number) => {
      const stack = testStack();
      const { bucket } = hostingFixture(stack);
      const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const securityGroups = Array.from({ length: n }, (_, i) => new ec2.SecurityGroup(stack, `Sg${i}`, { vpc }));
      return () => new Model(stack, 'Scoring', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'model/model.tar.gz') }], vpc, securityGroups });
    };
    expect(withGroups(5)).not.toThrow();
    expect(withGroups(6)).toThrow(/\[TestStack\/Scoring\] securityGroups has 6 security groups, but a SageMaker VpcConfig takes at most 5; merge their rules into fewer groups/);
  });

  test('subnets: 16 pass, 17 fail (VpcConfig)', () => {
    const withSubnets = (n: number) => {
      const stack = testStack();
      const { bucket } = hostingFixture(stack);
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-1',
        availabilityZones: ['us-east-1a'],
        isolatedSubnetIds: Array.from({ length: n }, (_, i) => `subnet-${i}`),
      });
      return () => new Model(stack, 'Scoring', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'model/model.tar.gz') }], vpc });
    };
    expect(withSubnets(16)).not.toThrow();
    expect(withSubnets(17)).toThrow(/\[TestStack\/Scoring\] vpcSubnets selects 17 subnets, but a SageMaker VpcConfig takes at most 16; select fewer/);
  });
});
