import { Match, Template } from 'aws-cdk-lib/assertions';
import { Duration, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { MlWorkflow, SageMakerJobState } from '../../../lib/constructs/workflows';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { definitionOf, loanDefaultJobs } from './support';

function workflow(stack = testStack()) {
  const jobs = loanDefaultJobs(stack);
  const states = [
    new SageMakerJobState(stack, 'PrepState', { stateName: 'Preprocess', job: jobs.prep }),
    new SageMakerJobState(stack, 'TrainState', { stateName: 'Train', job: jobs.train }),
    new SageMakerJobState(stack, 'TuneState', { stateName: 'Tune', job: jobs.tuning }),
    new SageMakerJobState(stack, 'ScoreState', { stateName: 'BatchScore', job: jobs.transform }),
  ];
  const wf = new MlWorkflow(stack, 'Workflow', { states, encryptionKey: jobs.key });
  return { stack, jobs, wf };
}

const arn = (resource: string) => `arn:aws:sagemaker:us-east-1:123456789012:${resource}`;

describe('MlWorkflow', () => {
  const { stack, jobs, wf } = workflow();
  const template = Template.fromStack(stack);

  test('a state machine chaining the states, logging ALL to a KMS-encrypted log group, traced with X-Ray, state data encrypted', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: stack.resolve(wf.logGroup.logGroupArn) } }] },
      TracingConfiguration: { Enabled: true },
      EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: stack.resolve(jobs.key.keyArn) },
      StateMachineName: Match.stringLikeRegexp('^TestStack-Workflow-'),
    });
    // The state data key may be used only for this state machine (its generated name is known at synth).
    expect(JSON.stringify(template.toJSON())).toMatch(/"kms:EncryptionContext:aws:states:stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:TestStack-Workflow-[A-Za-z0-9-]+"/);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(jobs.key.keyArn), RetentionInDays: 365 });
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('\\"StartAt\\":\\"Preprocess\\"');
    expect(definition).toContain('\\"Preprocess\\":{\\"Next\\":\\"Train\\"');
    expect(definition).toContain('\\"Tune\\":{\\"Next\\":\\"BatchScore\\"');
  });

  test('the role passes only the jobs\' roles, to SageMaker only', () => {
    const roles = [jobs.model.role!, jobs.prep.role, jobs.train.role].map((r) => stack.resolve(r.roleArn));
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(wf.role.roleName)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'iam:PassRole', Effect: 'Allow', Resource: Match.arrayEquals(roles), Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } },
        ]),
      },
    });
  });

  test('create/describe/stop/tag jobs of each kind on the states\' name patterns; the EventBridge rules of the .sync integration', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['sagemaker:AddTags', 'sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:ListTags', 'sagemaker:StopProcessingJob'],
            Effect: 'Allow',
            Resource: arn('processing-job/*-preprocess'),
          },
          {
            Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
            Effect: 'Allow',
            Resource: ['Processing', 'Training', 'Transform', 'Tuning'].map((k) => `arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForSageMaker${k}JobsRule`),
          },
          {
            Action: ['sagemaker:AddTags', 'sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:ListTags', 'sagemaker:StopTrainingJob'],
            Effect: 'Allow',
            Resource: arn('training-job/*-train'),
          },
          {
            Action: ['sagemaker:AddTags', 'sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:ListTags', 'sagemaker:StopTransformJob'],
            Effect: 'Allow',
            Resource: arn('transform-job/*-batchscore'),
          },
        ]),
      },
    });
  });

  test('the role is assumed by Step Functions of this account only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }],
      },
    });
  });
});

describe('MlWorkflow: options', () => {
  test('a new MlKey by default; state data encryption can be switched off; other states chain in between', () => {
    const stack = testStack();
    const jobs = loanDefaultJobs(stack);
    const wf = new MlWorkflow(stack, 'Workflow', {
      states: [new sfn.Pass(stack, 'Start'), new SageMakerJobState(stack, 'PrepState', { stateName: 'Prep', job: jobs.prep })],
      encryptStateData: false,
      timeout: Duration.days(3),
    });
    expect(wf.encryptionKey.node.path).toBe('TestStack/Workflow/Key');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(wf.encryptionKey.keyArn) });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { EncryptionConfiguration: Match.absent() });
    expect(definitionOf(stack, wf)).toMatchObject({ StartAt: 'Start', TimeoutSeconds: 259200, States: { Start: { Type: 'Pass', Next: 'Prep' } } });
  });
});

describe('MlWorkflow: validation', () => {
  test('duplicate state names', () => {
    const stack = testStack();
    const jobs = loanDefaultJobs(stack);
    const a = new SageMakerJobState(stack, 'A', { stateName: 'Train', job: jobs.train });
    const b = new SageMakerJobState(stack, 'B', { stateName: 'Train', job: jobs.prep });
    expect(() => new MlWorkflow(stack, 'Workflow', { states: [a, b] })).toThrow(/\[TestStack\/Workflow\] state names must be unique in a state machine, but Train repeat/);
  });

  test('no states', () => {
    const stack = testStack();
    expect(() => new MlWorkflow(stack, 'Workflow', { states: [] })).toThrow(/\[TestStack\/Workflow\] states is empty/);
  });

  test('an invalid state machine name', () => {
    const stack = testStack();
    const pass = new sfn.Pass(stack, 'Pass');
    expect(() => new MlWorkflow(stack, 'Workflow', { states: [pass], stateMachineName: 'loan default!' })).toThrow(/stateMachineName "loan default!" must be 1-80 letters/);
  });
});

describe('MlWorkflow: nag', () => {
  test('passes CloudFormation schema validation, three nag packs and the IAM check', () => {
    const app = testApp();
    const { stack, wf } = workflow(testStack(app));
    void wf;
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
