import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  ResourceNotFound,
  SageMakerClient,
  SageMakerServiceException,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { declaredParameters, parseParameters } from '../../../cli/commands/pipeline-start';
import { runCli } from './harness';

const sagemaker = mockClient(SageMakerClient);
const cloudFormation = mockClient(CloudFormationClient);

const PIPELINE = 'loan-default-training';
const ARN = `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${PIPELINE}/execution/abc123`;
const DEFINITION = JSON.stringify({
  Version: '2020-12-01',
  Parameters: [
    { Name: 'TrainingInstanceType', Type: 'String', DefaultValue: 'ml.m5.xlarge' },
    { Name: 'MaxDepth', Type: 'Integer', DefaultValue: 5 },
  ],
  Steps: [],
});

beforeEach(() => {
  sagemaker.reset();
  cloudFormation.reset();
  sagemaker.on(DescribePipelineCommand, { PipelineName: PIPELINE }).resolves({ PipelineName: PIPELINE, PipelineDefinition: DEFINITION });
  sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: ARN });
});

const trainingFailed = {
  StepName: 'Train',
  StepStatus: 'Failed' as const,
  StartTime: new Date('2025-01-15T10:01:00Z'),
  EndTime: new Date('2025-01-15T10:05:00Z'),
  FailureReason: 'AlgorithmError: XGBoostError: label must be in [0,1]',
  Metadata: { TrainingJob: { Arn: 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/pipelines-abc-train-x1' } },
};

describe('pipeline start', () => {
  test('starts an execution with the given parameters and prints its ARN', async () => {
    const result = await runCli(['pipeline', 'start', PIPELINE, '--param', 'MaxDepth=7', '--param', 'TrainingInstanceType=ml.c5.xlarge']);
    expect(result).toMatchObject({ code: 0, stdout: `Started ${ARN}\n` });
    expect(sagemaker).toHaveReceivedCommandWith(StartPipelineExecutionCommand, {
      PipelineName: PIPELINE,
      PipelineParameters: [
        { Name: 'MaxDepth', Value: '7' },
        { Name: 'TrainingInstanceType', Value: 'ml.c5.xlarge' },
      ],
    });
  });

  test('--json prints the ARN as JSON', async () => {
    const result = await runCli(['--json', 'pipeline', 'start', PIPELINE]);
    expect(JSON.parse(result.stdout)).toEqual({ pipelineName: PIPELINE, pipelineExecutionArn: ARN });
  });

  test('a parameter the pipeline does not declare is an error listing the declared ones', async () => {
    const result = await runCli(['pipeline', 'start', PIPELINE, '--param', 'Epochs=3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `sagemaker-cdk: Pipeline "${PIPELINE}" does not declare parameter(s) Epochs. ` +
        'Declared parameters: TrainingInstanceType (String, default ml.m5.xlarge), MaxDepth (Integer, default 5).\n',
    );
    expect(sagemaker).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
  });

  test('a malformed --param is a usage error', async () => {
    const result = await runCli(['pipeline', 'start', PIPELINE, '--param', 'MaxDepth']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--param "MaxDepth" is not key=value');
  });

  test('an unknown pipeline is a one-line error naming it and the region, exit 2', async () => {
    sagemaker.on(DescribePipelineCommand, { PipelineName: 'nope' }).rejects(new ResourceNotFound({ message: 'Pipeline nope does not exist', $metadata: {} }));
    const result = await runCli(['pipeline', 'start', 'nope']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'sagemaker-cdk: Pipeline "nope" not found in eu-west-1.\n' });
  });

  test('--wait follows the steps and exits 0 on success', async () => {
    sagemaker
      .on(DescribePipelineExecutionCommand)
      .resolvesOnce({ PipelineExecutionArn: ARN, PipelineExecutionStatus: 'Executing' })
      .resolves({ PipelineExecutionArn: ARN, PipelineExecutionStatus: 'Succeeded' });
    sagemaker
      .on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({ PipelineExecutionSteps: [{ StepName: 'Preprocess', StepStatus: 'Executing', StartTime: new Date('2025-01-15T10:00:00Z') }] })
      .resolves({
        PipelineExecutionSteps: [
          { StepName: 'Preprocess', StepStatus: 'Succeeded', StartTime: new Date('2025-01-15T10:00:00Z'), EndTime: new Date('2025-01-15T10:04:00Z') },
          { StepName: 'Train', StepStatus: 'Succeeded', StartTime: new Date('2025-01-15T10:04:00Z'), EndTime: new Date('2025-01-15T10:10:00Z') },
        ],
      });

    const result = await runCli(['pipeline', 'start', PIPELINE, '--wait', '--poll-interval', '5']);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Preprocess\s+Executing/);
    expect(result.stderr).toMatch(/Preprocess\s+Succeeded/);
    expect(result.stderr).toMatch(/execution Succeeded/);
    expect(result.stdout).toMatch(/Status:\s+Succeeded/);
    expect(result.stdout).toMatch(/Train\s+Succeeded\s+2025-01-15T10:04:00Z\s+6m 00s/);
  });

  test('--wait exits 1 on failure and prints the failed step\'s reason and where its logs are', async () => {
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionArn: ARN, PipelineExecutionStatus: 'Failed', FailureReason: 'Step failure: One or multiple steps failed.' });
    sagemaker.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [trainingFailed] });

    const result = await runCli(['pipeline', 'start', PIPELINE, '--wait']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Step Train failed: AlgorithmError: XGBoostError: label must be in [0,1]');
    expect(result.stdout).toContain('logs: /aws/sagemaker/TrainingJobs (streams pipelines-abc-train-x1/*)');
    expect(result.stdout).toContain(
      'view: aws logs tail /aws/sagemaker/TrainingJobs --log-stream-name-prefix pipelines-abc-train-x1/ --region eu-west-1',
    );
  });

  test('Ctrl-C while waiting stops following (exit 130) and says how to check later', async () => {
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionArn: ARN, PipelineExecutionStatus: 'Executing' });
    sagemaker.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [] });
    const interrupt = new AbortController();
    const result = await runCli(['pipeline', 'start', PIPELINE, '--wait'], {
      interrupt: interrupt.signal,
      onStderr: (text) => text.includes('execution Executing') && interrupt.abort(),
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(`the execution goes on. Check it with: sagemaker-cdk pipeline status ${ARN}`);
  });

  test('the pipeline name can come from the stack outputs', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Training' }).resolves({
      Stacks: [{ StackName: 'Training', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'PipelineName', OutputValue: PIPELINE }] }],
    });
    const result = await runCli(['--stack', 'Training', 'pipeline', 'start']);
    expect(result.code).toBe(0);
    expect(sagemaker).toHaveReceivedCommandWith(StartPipelineExecutionCommand, { PipelineName: PIPELINE });
  });

  test('a stack without the output names the outputs it has', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Platform', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'DataBucketName', OutputValue: 'b' }] }],
    });
    const result = await runCli(['--stack', 'Platform', 'pipeline', 'start']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Stack "Platform" has no output "PipelineName" (pipeline name); its outputs are: DataBucketName.');
  });

  test('an unknown stack is exit 2 naming the region', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      new SageMakerServiceException({ name: 'ValidationError', $fault: 'client', message: 'Stack with id Nope does not exist', $metadata: {} }),
    );
    const result = await runCli(['--stack', 'Nope', 'pipeline', 'start']);
    expect(result).toMatchObject({ code: 2, stderr: 'sagemaker-cdk: Stack "Nope" not found in eu-west-1. Check --stack and --region.\n' });
  });

  test('throttling that outlasts the SDK retries ends with advice, exit 1', async () => {
    sagemaker.on(DescribePipelineCommand).rejects(
      new SageMakerServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: {} }),
    );
    const result = await runCli(['pipeline', 'start', PIPELINE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AWS kept throttling the requests in eu-west-1 after the SDK\'s retries (ThrottlingException: Rate exceeded)');
  });

  test('errors are JSON on stdout with --json', async () => {
    sagemaker.on(DescribePipelineCommand).rejects(new ResourceNotFound({ message: 'x', $metadata: {} }));
    const result = await runCli(['--json', 'pipeline', 'start', 'nope']);
    expect(JSON.parse(result.stdout)).toEqual({ error: { message: 'Pipeline "nope" not found in eu-west-1.', exitCode: 2 } });
  });
});

describe('pipeline list-executions', () => {
  test('pages through executions, newest first, up to --max-results', async () => {
    sagemaker
      .on(ListPipelineExecutionsCommand)
      .resolvesOnce({
        PipelineExecutionSummaries: [
          { PipelineExecutionArn: `${ARN}3`, PipelineExecutionStatus: 'Executing', StartTime: new Date('2025-01-15T09:00:00Z') },
          { PipelineExecutionArn: `${ARN}2`, PipelineExecutionStatus: 'Failed', StartTime: new Date('2025-01-14T09:00:00Z'), PipelineExecutionFailureReason: 'Step failure' },
        ],
        NextToken: 't2',
      })
      .resolvesOnce({
        PipelineExecutionSummaries: [{ PipelineExecutionArn: `${ARN}1`, PipelineExecutionStatus: 'Succeeded', StartTime: new Date('2025-01-13T09:00:00Z') }],
        NextToken: 't3',
      });

    const result = await runCli(['pipeline', 'list-executions', PIPELINE, '--max-results', '3']);

    expect(result.code).toBe(0);
    expect(sagemaker).toHaveReceivedCommandTimes(ListPipelineExecutionsCommand, 2);
    expect(sagemaker).toHaveReceivedNthSpecificCommandWith(2, ListPipelineExecutionsCommand, { NextToken: 't2', SortOrder: 'Descending' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STARTED\s+STATUS\s+DISPLAY NAME\s+EXECUTION ARN\s+FAILURE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['Executing', 'Failed', 'Succeeded']);
  });

  test('an unknown pipeline is exit 2', async () => {
    sagemaker.on(ListPipelineExecutionsCommand).rejects(new ResourceNotFound({ message: 'Pipeline nope not found', $metadata: {} }));
    const result = await runCli(['pipeline', 'list-executions', 'nope']);
    expect(result).toMatchObject({ code: 2, stderr: 'sagemaker-cdk: Pipeline "nope" not found in eu-west-1.\n' });
  });
});

describe('pipeline status', () => {
  test('shows the execution and every step across pages, as JSON too', async () => {
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionArn: ARN, PipelineExecutionStatus: 'Failed' });
    sagemaker
      .on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({
        PipelineExecutionSteps: [{ StepName: 'Preprocess', StepStatus: 'Succeeded', Metadata: { ProcessingJob: { Arn: 'arn:aws:sagemaker:eu-west-1:1:processing-job/prep-1' } } }],
        NextToken: 'n',
      })
      .resolvesOnce({ PipelineExecutionSteps: [trainingFailed] });

    const result = await runCli(['--json', 'pipeline', 'status', ARN]);

    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout);
    expect(view.steps.map((s: { name: string; resource: string }) => [s.name, s.resource])).toEqual([
      ['Preprocess', 'ProcessingJob prep-1'],
      ['Train', 'TrainingJob pipelines-abc-train-x1'],
    ]);
    expect(view.steps[1].logs.logGroup).toBe('/aws/sagemaker/TrainingJobs');
  });

  test('an unknown execution is exit 2 naming it and the region', async () => {
    sagemaker.on(DescribePipelineExecutionCommand).rejects(new ResourceNotFound({ message: 'not found', $metadata: {} }));
    const result = await runCli(['pipeline', 'status', ARN]);
    expect(result).toMatchObject({ code: 2, stderr: `sagemaker-cdk: Pipeline execution "${ARN}" not found in eu-west-1.\n` });
  });

  test('something that is not an execution ARN is rejected before calling AWS', async () => {
    const result = await runCli(['pipeline', 'status', 'my-pipeline']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"my-pipeline" is not a pipeline execution ARN');
    expect(sagemaker.calls()).toHaveLength(0);
  });
});

describe('parameter helpers', () => {
  test('values may contain "="', () => {
    expect(parseParameters(['Query=a=b'])).toEqual([{ Name: 'Query', Value: 'a=b' }]);
  });
  test('a parameter given twice is rejected', () => {
    expect(() => parseParameters(['A=1', 'A=2'])).toThrow('--param A is given twice');
  });
  test('a definition without parameters declares none', () => {
    expect(declaredParameters('{"Steps":[]}')).toEqual([]);
    expect(declaredParameters(undefined)).toEqual([]);
  });
});
