import { Template } from 'aws-cdk-lib/assertions';
import { addLoanDefaultWorkflow } from '../../../lib/stacks/loan-default-workflow';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { definitionOf, loanDefaultJobs } from './support';

describe('addLoanDefaultWorkflow', () => {
  const app = testApp();
  const stack = testStack(app);
  const jobs = loanDefaultJobs(stack);
  const workflow = addLoanDefaultWorkflow(stack, { prep: jobs.prep, train: jobs.train, transform: jobs.transform, key: jobs.key });

  test('preprocess → Spot training → create model → batch transform with that model, each with the standard retry policy', () => {
    const asl = definitionOf(stack, workflow);
    expect(asl.StartAt).toBe('Preprocess');
    expect(['Preprocess', 'Train', 'CreateModel', 'BatchScore'].map((s) => asl.States[s].Next ?? 'end')).toEqual(['Train', 'CreateModel', 'BatchScore', 'end']);
    expect(asl.States.Train.Parameters.EnableManagedSpotTraining).toBe(true);
    expect(asl.States.CreateModel.Parameters.PrimaryContainer['ModelDataUrl.$']).toBe('$.Train.ModelArtifacts.S3ModelArtifacts');
    expect(asl.States.CreateModel.Parameters['ModelName.$']).toBe("States.Format('{}-CreateModel', $$.Execution.Name)");
    expect(asl.States.BatchScore.Parameters['ModelName.$']).toBe("States.Format('{}-CreateModel', $$.Execution.Name)");
    for (const state of ['Preprocess', 'Train', 'CreateModel', 'BatchScore']) {
      expect(asl.States[state].Retry).toEqual([expect.objectContaining({ IntervalSeconds: 60, MaxAttempts: 5, BackoffRate: 2 })]);
    }
  });

  test('the state machine may create models of its naming pattern and pass the model role', () => {
    const template = Template.fromStack(stack);
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('model/*-createmodel');
  });

  test('nag clean and least privilege', () => {
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
