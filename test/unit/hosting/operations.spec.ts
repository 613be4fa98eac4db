import { Duration, Size, Stack, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType, ModelData, Processor } from '../../../lib/constructs/core';
import { Endpoint, EndpointAlarms, EndpointDashboard, EndpointVariant, InferenceApi, InferenceApiAuthorization, Model } from '../../../lib/constructs/hosting';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { hostingFixture, referenceEndpoint, serverlessModel } from './fixtures';

describe('EndpointAlarms', () => {
  test("the reference alarms: invocations > 1000, model latency > 100 ms, period 300 s, 2 periods, to an encrypted topic", () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const alarms = new EndpointAlarms(stack, 'Alarms', { variant: endpoint.variant('AllTraffic') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Namespace: 'AWS/SageMaker',
      Threshold: 1000,
      Period: 300,
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelLatency', Threshold: 100000, Statistic: 'Average' });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(alarms.topic).toBeDefined();
  });

  test('thresholds are configurable and evaluation periods are checked', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    new EndpointAlarms(stack, 'Alarms', { variant: endpoint.variant('AllTraffic'), maxModelLatency: Duration.millis(250), period: Duration.minutes(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelLatency', Threshold: 250000, Period: 60 });
    expect(() => new EndpointAlarms(stack, 'Bad', { variant: endpoint.variant('AllTraffic'), evaluationPeriods: 0 })).toThrow(
      /\[TestStack\/Bad\] evaluationPeriods is 0, but must be between 1 and 100/,
    );
  });
});

describe('EndpointDashboard', () => {
  test('graphs invocations, latency, errors and utilization', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    new EndpointDashboard(stack, 'Dashboard', { endpoint });
    const body = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of ['Invocations', 'ModelLatency', 'Invocation5XXErrors', 'CPUUtilization', 'MemoryUtilization', 'DiskUtilization']) {
      expect(body).toContain(metric);
    }
    // A CPU instance publishes no GPU metrics, and an instance variant no serverless ones.
    for (const metric of ['GPUUtilization', 'GPUMemoryUtilization', 'ModelSetupTime', 'ServerlessConcurrentExecutionsUtilization']) {
      expect(body).not.toContain(metric);
    }
  });

  const dashboardBody = (stack: Stack) => JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));

  test('a GPU variant adds GPU and GPU memory utilization', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const model = new Model(stack, 'GpuModel', {
      containers: [{ image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }), modelData: ModelData.fromBucket(bucket, 'model/model.tar.gz') }],
    });
    const endpoint = new Endpoint(stack, 'GpuEndpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_P3_2XLARGE })] });
    new EndpointDashboard(stack, 'Dashboard', { endpoint });
    const body = dashboardBody(stack);
    for (const metric of ['GPUUtilization', 'GPUMemoryUtilization', 'CPUUtilization']) expect(body).toContain(metric);
  });

  test('a serverless endpoint shows cold starts, concurrency and overhead, and no instance metrics (it publishes none)', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const endpoint = new Endpoint(stack, 'ServerlessEndpoint', {
      variants: [EndpointVariant.serverless({ model: serverlessModel(stack, bucket), memorySize: Size.mebibytes(2048), maxConcurrency: 5 })],
    });
    new EndpointDashboard(stack, 'Dashboard', { endpoint });
    const body = dashboardBody(stack);
    for (const metric of ['Invocations', 'ModelSetupTime', 'ServerlessConcurrentExecutionsUtilization', 'OverheadLatency']) expect(body).toContain(metric);
    for (const metric of ['CPUUtilization', 'DiskUtilization', 'GPUUtilization']) expect(body).not.toContain(metric);
  });
});

describe('InferenceApi', () => {
  test('POST /invocations to the SageMaker runtime with IAM auth, validation, throttling, tracing and access logs', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const api = new InferenceApi(stack, 'Api', { endpoint });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(caller);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      RequestParameters: { 'method.request.header.Content-Type': true },
      RequestValidatorId: Match.anyValue(),
      Integration: Match.objectLike({
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        Uri: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':runtime.sagemaker:path/endpoints/')])] },
      }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 })]),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
    expect(api.integrationRole).toBeDefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke' })] },
    });
  });

  test('API-key authorization adds a key and a usage plan', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const api = new InferenceApi(stack, 'Api', { endpoint, authorization: InferenceApiAuthorization.API_KEY, rateLimit: 10, burstLimit: 20 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', { ApiKeyRequired: true, AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 10, BurstLimit: 20 } });
    expect(api.apiKey).toBeDefined();
  });

  test('a Lambda front may call InvokeEndpoint on the endpoint (nothing else) and no integration role is made', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    const handler = lambda.Function.fromFunctionAttributes(stack, 'Fn', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:pre',
      role: iam.Role.fromRoleArn(stack, 'FnRole', 'arn:aws:iam::123456789012:role/pre', { mutable: true }),
      sameEnvironment: true,
    });
    const api = new InferenceApi(stack, 'Api', { endpoint, handler });
    expect(api.integrationRole).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Endpoint') } }] },
    });
  });

  test('rejects throttling limits out of range', () => {
    const stack = testStack();
    const { endpoint } = referenceEndpoint(stack);
    expect(() => new InferenceApi(stack, 'Api', { endpoint, rateLimit: 0, burstLimit: 1.5 })).toThrow(/2 problems:\n.*rateLimit is 0.*\n.*burstLimit is 1.5, but must be a whole number/);
  });
});

describe('hosting under the nag packs and the IAM check', () => {
  test('an endpoint in a VPC with autoscaling, alarms, a dashboard, blue/green canary and the invoke API is clean', () => {
    const app = testApp();
    const stack = testStack(app);
    const { endpoint } = referenceEndpoint(stack);
    const variant = endpoint.variant('AllTraffic');
    variant.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 }).scaleOnInvocations({ targetInvocationsPerInstance: 70 });
    new EndpointAlarms(stack, 'Alarms', { variant });
    new EndpointDashboard(stack, 'Dashboard', { endpoint });
    new InferenceApi(stack, 'Api', { endpoint });
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
