import { Match, Template } from 'aws-cdk-lib/assertions';
import { HostingModesStack, LoanFeatures } from '../../lib/stacks';
import { sharedCpuProfile } from './shared-example';

type Json = Record<string, any>;

/** The CPU profile's other hosting modes: asynchronous, A/B and scale-to-zero components. */
describe('example app: hosting modes (CPU profile)', () => {
  let stack: HostingModesStack;
  let template: Template;
  beforeAll(() => {
    stack = sharedCpuProfile().hostingModes!;
    template = Template.fromStack(stack);
  });

  /** The requested version the resolver resource of `modelId`'s container reads. */
  function requestedVersion(modelId: string): unknown {
    const resources = template.toJSON().Resources as Json;
    const [, model] = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::SageMaker::Model' && id.startsWith(modelId))!;
    const name = model.Properties.Containers[0].ModelPackageName;
    return resources[name['Fn::GetAtt'][0]].Properties.RequestedVersionArn;
  }

  test('champion and challenger are registry versions chosen by two parameters (empty: newest approved)', () => {
    const parameters = template.toJSON().Parameters as Json;
    expect(parameters.ModelVersionArn).toMatchObject({ Type: 'String', Default: '' });
    expect(parameters.ChallengerVersionArn).toMatchObject({ Type: 'String', Default: '' });
    expect(requestedVersion('ChampionModel')).toEqual({ Ref: 'ModelVersionArn' });
    expect(requestedVersion('ChallengerModel')).toEqual({ Ref: 'ChallengerVersionArn' });
  });

  test('the asynchronous endpoint writes results under async/, reads requests from async/input/ and scales between 0 and 2 instances on its backlog', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
        OutputConfig: Match.objectLike({
          S3OutputPath: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/async/output/$')])] },
          S3FailurePath: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/async/failures/$')])] },
          KmsKeyId: Match.anyValue(),
        }),
      },
    });
    expect(stack.asyncEndpoint.asyncInput?.prefix).toBe('async/input/');
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^AsyncEndpoint'), 'EndpointName'] }, '/variant/AllTraffic']] },
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      MinCapacity: 0,
      MaxCapacity: 2,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HasBacklogWithoutCapacity', Dimensions: [{ Name: 'EndpointName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AsyncEndpoint'), 'EndpointName'] } }] });
  });

  test('the A/B endpoint sends 90 % of requests to the champion and 10 % to the challenger', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({ VariantName: 'Champion', InitialVariantWeight: 9, InstanceType: 'ml.c5.large' }),
        Match.objectLike({ VariantName: 'Challenger', InitialVariantWeight: 1, InstanceType: 'ml.c5.large' }),
      ],
    });
  });

  test('the component endpoint and both components scale to zero and back out on the first request', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 0, MaxInstanceCount: 2 } })],
      ExecutionRoleArn: Match.anyValue(),
      // The components run isolated, in the platform's private network.
      EnableNetworkIsolation: true,
      VpcConfig: { SecurityGroupIds: [Match.anyValue()], Subnets: Match.anyValue() },
    });
    template.resourceCountIs('AWS::SageMaker::InferenceComponent', 2);
    template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount', MinCapacity: 0, MaxCapacity: 2 }, 2);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'NoCapacityInvocationFailures' }, 2);
    expect(stack.components).toHaveLength(2);
  });

  test('the encoded loan features are the 16 columns the Preprocess step writes', () => {
    expect(LoanFeatures.headers()).toEqual([
      'age', 'annual_income', 'loan_amount', 'loan_term_months', 'interest_rate', 'credit_score', 'employment_years', 'debt_to_income',
      'home_ownership_MORTGAGE', 'home_ownership_OWN', 'home_ownership_RENT',
      'purpose_car', 'purpose_credit_card', 'purpose_debt_consolidation', 'purpose_home_improvement', 'purpose_small_business',
    ]);
  });
});
