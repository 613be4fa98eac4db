import { ContainerImage } from '../../../lib/constructs/core';
import { JobRetry, SageMakerJobState, SageMakerModelState } from '../../../lib/constructs/workflows';
import { testStack } from '../../helpers';
import { loanDefaultJobs } from './support';

function setup() {
  const stack = testStack();
  const jobs = loanDefaultJobs(stack);
  const train = new SageMakerJobState(stack, 'TrainState', { stateName: 'Train', job: jobs.train });
  return { stack, jobs, train };
}

describe('SageMakerModelState', () => {
  test('createModel from the training state\'s artifacts, network-isolated, named from the execution', () => {
    const { stack, jobs, train } = setup();
    const state = new SageMakerModelState(stack, 'ModelState', { stateName: 'CreateModel', trainingState: train, image: ContainerImage.xgboost('1.7-1'), role: jobs.transform.role });
    const json = stack.resolve(state.toStateJson()) as Record<string, any>;
    expect(json.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::sagemaker:createModel']] });
    expect(json.ResultPath).toBe('$.CreateModel');
    expect(json.Parameters).toEqual({
      'ModelName.$': "States.Format('{}-CreateModel', $$.Execution.Name)",
      'ExecutionRoleArn': stack.resolve(jobs.transform.role.roleArn),
      'PrimaryContainer': { 'Image': '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', 'ModelDataUrl.$': '$.Train.ModelArtifacts.S3ModelArtifacts' },
      'EnableNetworkIsolation': true,
    });
    expect(json.Retry).toEqual([expect.objectContaining({ IntervalSeconds: 60, MaxAttempts: 5, BackoffRate: 2 })]);
    expect(state.modelNameExpression).toBe("States.Format('{}-CreateModel', $$.Execution.Name)");
  });

  test('a new execution role by default', () => {
    const { stack, train } = setup();
    const state = new SageMakerModelState(stack, 'CreateModel', { trainingState: train, image: ContainerImage.xgboost('1.7-1') });
    expect(state.role.node.path).toBe('TestStack/CreateModel/Role');
  });

  test('typed result paths', () => {
    const { stack, jobs, train } = setup();
    const tune = new SageMakerJobState(stack, 'TuneState', { stateName: 'Tune', job: jobs.tuning });
    expect(train.modelArtifactsPath).toBe('$.Train.ModelArtifacts.S3ModelArtifacts');
    expect(train.jobArnPath).toBe('$.Train.TrainingJobArn');
    expect(tune.bestTrainingJobNamePath).toBe('$.Tune.BestTrainingJob.TrainingJobName');
    expect(tune.jobArnPath).toBe('$.Tune.HyperParameterTuningJobArn');
    expect(() => tune.modelArtifactsPath).toThrow(/\[TestStack\/TuneState\] modelArtifactsPath is only known for training states; this state runs a tuning job/);
    expect(() => train.bestTrainingJobNamePath).toThrow(/bestTrainingJobNamePath is only known for tuning states/);
  });

  test('a state that is not a training state', () => {
    const { stack, jobs } = setup();
    const prep = new SageMakerJobState(stack, 'Prep', { job: jobs.prep });
    expect(() => new SageMakerModelState(stack, 'CreateModel', { trainingState: prep, image: ContainerImage.xgboost('1.7-1') })).toThrow(
      /\[TestStack\/CreateModel\] trainingState "Prep" runs a processing job; a model needs the artifacts of a training state/,
    );
  });

  test('a state name too long for the model name, and a bad retry, reported together', () => {
    const { stack, train } = setup();
    expect(() => new SageMakerModelState(stack, 'M', {
      stateName: 'CreateTheLoanDefaultModelNow',
      trainingState: train,
      image: ContainerImage.xgboost('1.7-1'),
      retries: [new JobRetry({ backoffRate: 0.5 })],
    })).toThrow(/2 problems:\n {2}- the model name "<execution name>-CreateTheLoanDefaultModelNow" is 65 characters .*\n {2}- retry backoffRate is 0.5/);
  });
});
