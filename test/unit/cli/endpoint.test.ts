import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, SageMakerClient, SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runCli } from './harness';

const sagemaker = mockClient(SageMakerClient);
const autoScaling = mockClient(ApplicationAutoScalingClient);
const cloudWatch = mockClient(CloudWatchClient);
const runtime = mockClient(SageMakerRuntimeClient);
const NAME = 'loan-default-endpoint';

beforeEach(() => {
  sagemaker.reset();
  autoScaling.reset();
  cloudWatch.reset();
  runtime.reset();
});

describe('endpoint status', () => {
  beforeEach(() => {
    sagemaker.on(DescribeEndpointCommand, { EndpointName: NAME }).resolves({
      EndpointName: NAME,
      EndpointArn: `arn:aws:sagemaker:eu-west-1:123456789012:endpoint/${NAME}`,
      EndpointConfigName: 'cfg-1',
      EndpointStatus: 'InService',
      CreationTime: new Date(),
      LastModifiedTime: new Date('2025-01-15T09:00:00Z'),
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentInstanceCount: 2, DesiredInstanceCount: 2, CurrentWeight: 1 }],
    });
    sagemaker.on(DescribeEndpointConfigCommand).resolves({
      EndpointConfigName: 'cfg-1', EndpointConfigArn: 'arn', CreationTime: new Date(),
      ProductionVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.c5.xlarge' }],
    });
  });

  test('shows variants, instance counts, autoscaling limits and recent metrics', async () => {
    autoScaling.on(DescribeScalableTargetsCommand).resolves({
      ScalableTargets: [{
        ServiceNamespace: 'sagemaker', ResourceId: `endpoint/${NAME}/variant/AllTraffic`, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        MinCapacity: 1, MaxCapacity: 4, RoleARN: 'r', CreationTime: new Date(),
      }],
    });
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'inv0', Values: [1200] },
        { Id: 'lat0', Values: [15500] },
        { Id: 'err0', Values: [] },
      ],
    });

    const result = await runCli(['endpoint', 'status', NAME, '--since', '30']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Status:\s+InService/);
    expect(result.stdout).toMatch(/AllTraffic\s+ml\.c5\.xlarge\s+2\/2\s+1\s+1-4\s+1200\s+15\.5 ms\s+0/);
    expect(autoScaling).toHaveReceivedCommandWith(DescribeScalableTargetsCommand, {
      ServiceNamespace: 'sagemaker', ResourceIds: [`endpoint/${NAME}/variant/AllTraffic`],
    });
    const query = cloudWatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(query.EndTime!.getTime() - query.StartTime!.getTime()).toBe(30 * 60_000);
    expect(query.MetricDataQueries![0].MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: [{ Name: 'EndpointName', Value: NAME }, { Name: 'VariantName', Value: 'AllTraffic' }] },
      Period: 1800, Stat: 'Sum',
    });
  });

  test('missing permissions for autoscaling or metrics degrade to notes, as JSON too', async () => {
    const denied = new SageMakerServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'no', $metadata: {} });
    autoScaling.on(DescribeScalableTargetsCommand).rejects(denied);
    cloudWatch.on(GetMetricDataCommand).rejects(denied);
    const result = await runCli(['--json', 'endpoint', 'status', NAME]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).variants).toEqual([
      { variantName: 'AllTraffic', instanceType: 'ml.c5.xlarge', serverless: false, currentInstanceCount: 2, desiredInstanceCount: 2, currentWeight: 1 },
    ]);
    expect(result.stderr).toContain('note: could not read the autoscaling limits (AccessDeniedException)');
    expect(result.stderr).toContain('note: could not read CloudWatch metrics (AccessDeniedException)');
  });

  test('an unknown endpoint is a one-line error naming it and the region, exit 2', async () => {
    sagemaker.on(DescribeEndpointCommand, { EndpointName: 'nope' }).rejects(
      new SageMakerServiceException({ name: 'ValidationException', $fault: 'client', message: 'Could not find endpoint "nope".', $metadata: {} }),
    );
    const result = await runCli(['endpoint', 'status', 'nope']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'sagemaker-cdk: Endpoint "nope" not found in eu-west-1.\n' });
  });
});

describe('endpoint invoke', () => {
  test('sends the body from stdin and writes the response unchanged', async () => {
    runtime.on(InvokeEndpointCommand).resolves({ Body: Buffer.from('0.87\n') as unknown as Uint8Array & never, ContentType: 'text/csv' });
    const result = await runCli(['endpoint', 'invoke', NAME, '--body', '-', '--content-type', 'text/csv'], { stdin: '52000,34\n' });
    expect(result).toMatchObject({ code: 0, stdout: '0.87\n' });
    const input = runtime.commandCalls(InvokeEndpointCommand)[0].args[0].input;
    expect(Buffer.from(input.Body as Uint8Array).toString()).toBe('52000,34\n');
    expect(input).toMatchObject({ EndpointName: NAME, ContentType: 'text/csv' });
  });

  test('a model error names the status, message and the endpoint log group', async () => {
    runtime.on(InvokeEndpointCommand).rejects(
      new ModelError({ message: 'Received client error', OriginalStatusCode: 400, OriginalMessage: 'could not parse CSV', $metadata: {} }),
    );
    const result = await runCli(['endpoint', 'invoke', NAME, '--body', '-', '--content-type', 'text/csv'], { stdin: 'x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`returned an error (status 400): could not parse CSV. Logs: /aws/sagemaker/Endpoints/${NAME}`);
  });

  test('an unreadable body file is exit 2; --content-type is required', async () => {
    const missing = await runCli(['endpoint', 'invoke', NAME, '--body', '/nonexistent/x.csv', '--content-type', 'text/csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read --body /nonexistent/x.csv');
    const noType = await runCli(['endpoint', 'invoke', NAME, '--body', '-']);
    expect(noType.code).toBe(2);
    expect(noType.stderr).toContain("required option '--content-type <type>' not specified");
  });
});
