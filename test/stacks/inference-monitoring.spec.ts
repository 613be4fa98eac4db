import { Match, Template } from 'aws-cdk-lib/assertions';
import { InferenceStack } from '../../lib/stacks';
import { sharedCpuProfile } from './shared-example';

/** The CPU production endpoint's model quality and bias monitoring, and its Lambda front. */
describe('example app: production inference monitoring (CPU profile)', () => {
  let stack: InferenceStack;
  let template: Template;
  beforeAll(() => {
    stack = sharedCpuProfile().inference;
    template = Template.fromStack(stack);
  });

  const groundTruth = { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/ground-truth/']] };

  test('model quality: binary classification of column 0 against ground truth, hourly, ml.m5.xlarge, 20 GB, at most 1800 s', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: Match.objectLike({ ProblemType: 'BinaryClassification' }),
      ModelQualityJobInput: {
        EndpointInput: Match.objectLike({ EndpointName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointName'] }, ProbabilityAttribute: '0', ProbabilityThresholdAttribute: 0.5 }),
        GroundTruthS3Input: { S3Uri: groundTruth },
      },
      JobResources: { ClusterConfig: Match.objectLike({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 20 }) },
      StoppingCondition: { MaxRuntimeInSeconds: 1800 },
    });
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: Match.objectLike({ MonitoringType: 'ModelQuality', ScheduleConfig: Match.objectLike({ ScheduleExpression: 'cron(0 * ? * * *)' }) }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'auc', Namespace: 'aws/sagemaker/Endpoints/model-metrics', Threshold: 0.7, ComparisonOperator: 'LessThanThreshold' });
    expect(stack.qualityMonitor?.endpoint).toBe(stack.endpoint);
  });

  test('model bias: applicants over 60 against the rest, with ground truth, hourly', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelBiasJobDefinition', {
      ModelBiasJobInput: { EndpointInput: Match.objectLike({ EndpointName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointName'] } }), GroundTruthS3Input: { S3Uri: groundTruth } },
      StoppingCondition: { MaxRuntimeInSeconds: 1800 },
    });
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', { MonitoringScheduleConfig: Match.objectLike({ MonitoringType: 'ModelBias' }) });
  });

  test('the REST API calls the Lambda front, which may invoke only the production endpoint', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: Match.objectLike({ Type: 'AWS_PROXY' }) });
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p) => JSON.stringify(p));
    const front = policies.filter((p) => p.includes('sagemaker:InvokeEndpoint'));
    expect(front.length).toBeGreaterThan(0);
    for (const p of front) expect(p).not.toMatch(/InvokeEndpointAsync|InvokeEndpointWithResponseStream/);
    expect(stack.front).toBeDefined();
  });
});
