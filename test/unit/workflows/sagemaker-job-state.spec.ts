import { Duration, Token, aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { IJobDefinition, JobKind } from '../../../lib/constructs/jobs';
import { PipelineParameter } from '../../../lib/constructs/pipelines';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { TrainingInput, TrainingJob } from '../../../lib/constructs/jobs';
import { JobName, JobRetry, MlWorkflow, SageMakerError, SageMakerJobState } from '../../../lib/constructs/workflows';
import { testStack } from '../../helpers';
import { loanDefaultJobs } from './support';

type StateJson = { Type: string; Resource: unknown; Parameters: Record<string, any>; ResultPath: string; Retry?: unknown[]; Catch?: unknown[] };

describe('SageMakerJobState: one state per job kind in a workflow', () => {
  const stack = testStack();
  const jobs = loanDefaultJobs(stack);
  const prep = new SageMakerJobState(stack, 'PrepState', { stateName: 'Preprocess', job: jobs.prep });
  const train = new SageMakerJobState(stack, 'TrainState', { stateName: 'Train', job: jobs.train });
  const evaluate = new SageMakerJobState(stack, 'EvaluateState', { stateName: 'Evaluate', job: jobs.evaluate, retries: [] });
  const tune = new SageMakerJobState(stack, 'TuneState', { stateName: 'Tune', job: jobs.tuning });
  const score = new SageMakerJobState(stack, 'ScoreState', { stateName: 'BatchScore', job: jobs.transform });
  new MlWorkflow(stack, 'Workflow', { states: [prep, train, evaluate, tune, score] });
  const json = (state: SageMakerJobState) => stack.resolve(state.toStateJson()) as StateJson;
  const integration = (api: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:::sagemaker:${api}.sync`]] });

  test('the state is named by stateName (its stateId) and keeps its result at resultJsonPath', () => {
    expect(prep.stateId).toBe('Preprocess');
    expect(prep.resultJsonPath).toBe('$.Preprocess');
    expect(json(prep).ResultPath).toBe(prep.resultJsonPath);
  });

  test('processing: createProcessingJob.sync with the rendered request and an execution-derived name', () => {
    const state = json(prep);
    expect(state.Type).toBe('Task');
    expect(state.Resource).toEqual(integration('createProcessingJob'));
    expect(state.ResultPath).toBe('$.Preprocess');
    expect(state.Parameters['ProcessingJobName.$']).toBe("States.Format('{}-Preprocess', $$.Execution.Name)");
    expect(state.Parameters.ProcessingJobName).toBeUndefined();
    expect(state.Parameters.RoleArn).toEqual(stack.resolve(jobs.prep.role.roleArn));
    expect(state.Parameters.NetworkConfig).toEqual({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true });
    expect(state.Parameters.ProcessingOutputConfig.Outputs.map((o: any) => o.OutputName)).toEqual(['train', 'validation', 'test']);
  });

  test('training: createTrainingJob.sync with Spot, checkpoints and inter-container encryption; processing outputs as their S3 URIs', () => {
    const state = json(train);
    expect(state.Resource).toEqual(integration('createTrainingJob'));
    const p = state.Parameters;
    expect(p['TrainingJobName.$']).toBe("States.Format('{}-Train', $$.Execution.Name)");
    expect(p.EnableManagedSpotTraining).toBe(true);
    expect(p.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86400, MaxWaitTimeInSeconds: 90000 });
    expect(p.CheckpointConfig.LocalPath).toBe('/opt/ml/checkpoints');
    // One checkpoint prefix per execution: a retried state resumes its own run, never another's.
    expect(JSON.stringify(p.CheckpointConfig['S3Uri.$'])).toMatch(/States\.Format\(.*\/checkpoints\/TestStack\/Train\/\{\}\/.*\$\$\.Execution\.Name\)/);
    expect(p.CheckpointConfig.S3Uri).toBeUndefined();
    expect(p.EnableInterContainerTrafficEncryption).toBe(true);
    expect(p.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toEqual({ 'Fn::Join': ['', ['s3://', stack.resolve(jobs.data.bucketName), '/prepared/train/']] });
  });

  test("a later job reads an earlier training state's model artifacts through JSONPath", () => {
    const input = json(evaluate).Parameters.ProcessingInputs[0].S3Input;
    expect(input['S3Uri.$']).toBe('$.Train.ModelArtifacts.S3ModelArtifacts');
    expect(input.S3Uri).toBeUndefined();
    expect(json(evaluate).Retry).toBeUndefined();
  });

  test('tuning: createHyperParameterTuningJob.sync named by an MD5 of execution and state (32 characters)', () => {
    const state = json(tune);
    expect(state.Resource).toEqual(integration('createHyperParameterTuningJob'));
    expect(state.Parameters['HyperParameterTuningJobName.$']).toBe("States.Hash(States.Format('{}-Tune', $$.Execution.Name), 'MD5')");
    expect(state.Parameters.TrainingJobDefinition.EnableManagedSpotTraining).toBe(true);
    expect(tune.pathOf('BestTrainingJob.TrainingJobName')).toBe('$.Tune.BestTrainingJob.TrainingJobName');
  });

  test("transform: createTransformJob.sync with the transform job's model", () => {
    const state = json(score);
    expect(state.Resource).toEqual(integration('createTransformJob'));
    expect(state.Parameters['TransformJobName.$']).toBe("States.Format('{}-BatchScore', $$.Execution.Name)");
    expect(state.Parameters.ModelName).toEqual(stack.resolve(jobs.model.modelName));
    expect(state.Parameters.TransformInput.DataSource.S3DataSource.S3Uri).toEqual({ 'Fn::Join': ['', ['s3://', stack.resolve(jobs.data.bucketName), '/prepared/test/']] });
  });

  test('JobRetry.serviceErrors() by default', () => {
    expect(json(prep).Retry).toEqual([
      {
        ErrorEquals: ['SageMaker.AmazonSageMakerException', 'SageMaker.ThrottlingException', 'SageMaker.ResourceLimitExceededException'],
        IntervalSeconds: 60,
        MaxAttempts: 5,
        BackoffRate: 2,
      },
    ]);
  });
});

describe('SageMakerJobState: options', () => {
  function setup() {
    const stack = testStack();
    return { stack, jobs: loanDefaultJobs(stack) };
  }

  test('retry configurable per state, and catch', () => {
    const { stack, jobs } = setup();
    const state = new SageMakerJobState(stack, 'TrainState', {
      stateName: 'Train',
      job: jobs.train,
      retries: [new JobRetry({ errors: [SageMakerError.THROTTLING], interval: Duration.seconds(10), maxAttempts: 3, backoffRate: 1 })],
    });
    state.addCatch(new sfn.Fail(stack, 'Failed', { error: 'TrainingFailed' }), { errors: [SageMakerError.ALL], resultPath: '$.error' });
    const json = stack.resolve(state.toStateJson()) as StateJson;
    expect(json.Retry).toEqual([{ ErrorEquals: ['SageMaker.ThrottlingException'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 1 }]);
    expect(json.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }]);
  });

  test('outside a workflow, job outputs render as their configured S3 URIs', () => {
    const { stack, jobs } = setup();
    const state = new SageMakerJobState(stack, 'EvaluateState', { stateName: 'Evaluate', job: jobs.evaluate });
    const json = stack.resolve(state.toStateJson()) as StateJson;
    expect(json.Parameters.ProcessingInputs[0].S3Input.S3Uri).toEqual({ 'Fn::Join': ['', ['s3://', stack.resolve(jobs.data.bucketName), '/models/']] });
  });

  test('hashed and JSONPath job names', () => {
    const { stack, jobs } = setup();
    const hashed = new SageMakerJobState(stack, 'A', { stateName: 'Train', job: jobs.train, jobName: JobName.hashOfExecutionName() });
    const fromInput = new SageMakerJobState(stack, 'B', { stateName: 'Prep', job: jobs.prep, jobName: JobName.fromJsonPath('$$.Execution.Input.prepJobName') });
    expect(hashed.jobNameConfig).toEqual({ expression: "States.Format('Train-{}', States.Hash($$.Execution.Name, 'MD5'))", arnPattern: 'train-*' });
    expect(fromInput.jobNameConfig).toEqual({ expression: '$$.Execution.Input.prepJobName', arnPattern: '*' });
  });

  test('a transform model name from an earlier state', () => {
    const { stack, jobs } = setup();
    const state = new SageMakerJobState(stack, 'Score', { job: jobs.transform, modelName: '$.Model.ModelName' });
    const json = stack.resolve(state.toStateJson()) as StateJson;
    expect(json.Parameters['ModelName.$']).toBe('$.Model.ModelName');
    expect(json.Parameters.ModelName).toBeUndefined();
  });

  test('a pipeline-only reference is rejected, naming it', () => {
    const { stack, jobs } = setup();
    const count = PipelineParameter.ofInteger('TrainInstanceCount', 2);
    const job = new TrainingJob(stack, 'ParamTrain', {
      image: ContainerImage.xgboost('1.7-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      instanceCount: count.asNumber(),
      channels: { train: TrainingInput.fromBucket(jobs.data, 'train/') },
      outputBucket: jobs.data,
    });
    const state = new SageMakerJobState(stack, 'ParamTrainState', { job });
    expect(() => stack.resolve(state.toStateJson())).toThrow(
      /\[TestStack\/ParamTrainState\] the job uses parameter TrainInstanceCount, which Step Functions cannot render: it exists only in SageMaker Pipelines/,
    );
  });
});

describe('SageMakerJobState: validation', () => {
  function setup() {
    const stack = testStack();
    return { stack, jobs: loanDefaultJobs(stack) };
  }

  test('retry maxAttempts below 0', () => {
    const { stack, jobs } = setup();
    expect(() => new SageMakerJobState(stack, 'S', { stateName: 'Train', job: jobs.train, retries: [new JobRetry({ maxAttempts: -1 })] })).toThrow(
      /\[TestStack\/S\] retry maxAttempts is -1, but must be a whole number from 0 to 99999999/,
    );
  });

  test('retry backoffRate below 1', () => {
    const { stack, jobs } = setup();
    expect(() => new SageMakerJobState(stack, 'S', { stateName: 'Train', job: jobs.train, retries: [new JobRetry({ backoffRate: 0 })] })).toThrow(
      /\[TestStack\/S\] retry backoffRate is 0, but must be at least 1/,
    );
  });

  test('unresolved retry values pass', () => {
    const { stack, jobs } = setup();
    const retry = new JobRetry({ maxAttempts: Token.asNumber({ resolve: () => 3 }), backoffRate: Token.asNumber({ resolve: () => 2 }) });
    expect(() => new SageMakerJobState(stack, 'S', { stateName: 'Train', job: jobs.train, retries: [retry] })).not.toThrow();
  });

  test('a job definition the runner cannot run', () => {
    const { stack } = setup();
    class OtherJob extends Construct implements IJobDefinition {
      public readonly kind = JobKind.TRAINING;
      public readonly role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      public readonly grantPrincipal = this.role;
    }
    const job = new OtherJob(stack, 'Other');
    expect(() => new SageMakerJobState(stack, 'S', { job })).toThrow(
      /\[TestStack\/S\] cannot run job definition TestStack\/Other \(kind "Training"\): the Step Functions runner runs ProcessingJob, TrainingJob/,
    );
  });

  test('a state name that cannot be part of job names', () => {
    const { stack, jobs } = setup();
    expect(() => new SageMakerJobState(stack, 'S', { stateName: 'train-model', job: jobs.train })).toThrow(/state name "train-model" must be 1-80 letters and digits/);
  });

  test('a state name too long for execution-derived job names', () => {
    const { stack, jobs } = setup();
    expect(() => new SageMakerJobState(stack, 'S', { stateName: 'TrainTheLoanDefaultModelNow', job: jobs.train })).toThrow(
      /the job name "<execution name>-TrainTheLoanDefaultModelNow" is 64 characters .* at most 63\. Shorten the state name to 26 characters or fewer, or use jobName: JobName.hashOfExecutionName\(\)/,
    );
  });

  test('a pipeline-only reference fails synth with the state\'s path', () => {
    const { stack, jobs } = setup();
    const count = PipelineParameter.ofInteger('Count', 2);
    const job = new TrainingJob(stack, 'ParamTrain', {
      image: ContainerImage.xgboost('1.7-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      instanceCount: count.asNumber(),
      channels: { train: TrainingInput.fromBucket(jobs.data, 'train/') },
      outputBucket: jobs.data,
    });
    new MlWorkflow(stack, 'Workflow', { states: [new SageMakerJobState(stack, 'ParamTrainState', { job })] });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/ParamTrainState\] the job uses parameter Count, which Step Functions cannot render/);
  });

  test('a job name path that is not a JSONPath', () => {
    const { stack, jobs } = setup();
    expect(() => new SageMakerJobState(stack, 'S', { job: jobs.prep, jobName: JobName.fromJsonPath('jobName') })).toThrow(/jobName path "jobName" is not a JSONPath/);
  });
});
