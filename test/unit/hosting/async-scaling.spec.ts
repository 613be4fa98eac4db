import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { InstanceType } from '../../../lib/constructs/core';
import { Endpoint, EndpointVariant } from '../../../lib/constructs/hosting';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { hostingFixture } from './fixtures';

/** An asynchronous endpoint (or a real-time one with `asynchronous: false`) with one variant. */
function endpointOf(asynchronous = true, stack = testStack()) {
  const { model, bucket, key } = hostingFixture(stack);
  const endpoint = new Endpoint(stack, 'Endpoint', {
    variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE, initialInstanceCount: 1 })],
    asyncInference: asynchronous ? { outputBucket: bucket } : undefined,
    encryptionKey: key,
  });
  return { stack, endpoint, variant: endpoint.variant('AllTraffic') };
}

describe('asynchronous endpoint input', () => {
  test('the models read request payloads under the input prefix (default async-input/ in the output bucket) and decrypt them', () => {
    const { stack, endpoint } = endpointOf();
    expect(endpoint.asyncInput?.prefix).toBe('async-input/');
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    // aws-cdk-lib may merge it with the model artifact's s3:GetObject statement.
    const reads = statements.filter((s) => s.Effect === 'Allow' && s.Action === 's3:GetObject').flatMap((s) => [s.Resource].flat());
    expect(reads).toContainEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Artifacts[0-9A-F]+$/), 'Arn'] }, '/async-input/*']] });
  });

  test('a real-time endpoint has no async input', () => {
    expect(endpointOf(false).endpoint.asyncInput).toBeUndefined();
  });
});

describe('autoscaling an asynchronous endpoint', () => {
  test('scales to zero: minCapacity 0, backlog target tracking and the scale-out-from-zero step policy SageMaker documents', () => {
    const { stack, endpoint, variant } = endpointOf();
    expect(endpoint.isAsynchronous).toBe(true);
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    scaling.scaleOnBacklog({ targetBacklogPerInstance: 5 });
    const alarm = scaling.scaleOutFromZero();
    expect(alarm).toBeDefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 2, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 5,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 300,
        CustomizedMetricSpecification: {
          MetricName: 'ApproximateBacklogSizePerInstance',
          Namespace: 'AWS/SageMaker',
          Statistic: 'Average',
          Dimensions: [{ Name: 'EndpointName', Value: Match.anyValue() }],
        },
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        MetricAggregationType: 'Average',
        Cooldown: 300,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HasBacklogWithoutCapacity',
      Namespace: 'AWS/SageMaker',
      Statistic: 'Average',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('ScaleOutFromZero') }],
    });
  });

  test('is nag clean and least privilege', () => {
    const app = testApp();
    const { stack, variant } = endpointOf(true, testStack(app));
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    scaling.scaleOnBacklog({ targetBacklogPerInstance: 5, scaleInCooldown: Duration.minutes(10) });
    scaling.scaleOutFromZero({ instancesToAdd: 2 });
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });

  test('a real-time variant cannot scale to zero instances', () => {
    const { variant } = endpointOf(false);
    expect(() => variant.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 })).toThrow(
      /Endpoint.*minCapacity 0 needs asynchronous inference \(asyncInference on the endpoint\).*host the model as an InferenceComponent/,
    );
  });

  test('scaleOnBacklog needs an asynchronous endpoint', () => {
    const { variant } = endpointOf(false);
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 });
    expect(() => scaling.scaleOnBacklog({ targetBacklogPerInstance: 5 })).toThrow(/scaleOnBacklog\(\) scales on the request queue of an asynchronous endpoint.*set asyncInference/);
  });

  test('scaleOnBacklog needs a positive target', () => {
    const { variant } = endpointOf();
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    expect(() => scaling.scaleOnBacklog({ targetBacklogPerInstance: 0 })).toThrow(/targetBacklogPerInstance is 0, but must be above 0/);
  });

  test('scaleOutFromZero needs an asynchronous endpoint', () => {
    const { variant } = endpointOf(false);
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 });
    expect(() => scaling.scaleOutFromZero()).toThrow(/scaleOutFromZero\(\) scales on the request queue of an asynchronous endpoint/);
  });

  test('scaleOutFromZero needs minCapacity 0', () => {
    const { variant } = endpointOf();
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 });
    expect(() => scaling.scaleOutFromZero()).toThrow(/scaleOutFromZero\(\) needs minCapacity 0, but minCapacity is 1/);
  });

  test('scaleOutFromZero takes a whole number of instances of at least 1', () => {
    const { variant } = endpointOf();
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    expect(() => scaling.scaleOutFromZero({ instancesToAdd: 0.5 })).toThrow(/instancesToAdd is 0.5, but must be a whole number of at least 1/);
  });

  test('scaleOutFromZero adds at most maxCapacity instances', () => {
    const { variant } = endpointOf();
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    expect(() => scaling.scaleOutFromZero({ instancesToAdd: 3 })).toThrow(/instancesToAdd is 3, above maxCapacity 2/);
  });

  test('scaleOutFromZero is called once', () => {
    const { variant } = endpointOf();
    const scaling = variant.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    scaling.scaleOutFromZero();
    expect(() => scaling.scaleOutFromZero()).toThrow(/already called for this variant; call it once/);
  });
});
