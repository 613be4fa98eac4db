import { aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage } from '../../../lib/constructs/core';
import { MlNetwork } from '../../../lib/constructs/security';
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

  describe('in a VPC, the model role may manage the model\'s network interfaces', () => {
    const manage = ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'].sort();
    const describeActions = ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'].sort();
    const vpcCondition = (stack: import('aws-cdk-lib').Stack, network: MlNetwork) => ({
      ArnEquals: { 'ec2:Vpc': stack.resolve(stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: network.vpc.vpcId })) },
    });

    test('a given role (the transform job\'s) gets the ENI actions, scoped to the VPC', () => {
      const { stack, jobs, train } = setup();
      const network = new MlNetwork(stack, 'Network');
      new SageMakerModelState(stack, 'ModelState', { stateName: 'CreateModel', trainingState: train, image: ContainerImage.xgboost('1.7-1'), role: jobs.transform.role, network });
      const roleRef = { Ref: stack.getLogicalId(jobs.transform.role.node.defaultChild as iam.CfnRole) };
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
        .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([roleRef]))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements).toEqual(expect.arrayContaining([
        expect.objectContaining({ Action: manage, Resource: '*', Condition: vpcCondition(stack, network) }),
        expect.objectContaining({ Action: describeActions, Resource: '*' }),
      ]));
    });

    test('a given plain IAM role gets them too', () => {
      const { stack, train } = setup();
      const network = new MlNetwork(stack, 'Network');
      const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      new SageMakerModelState(stack, 'ModelState', { stateName: 'CreateModel', trainingState: train, image: ContainerImage.xgboost('1.7-1'), role, network });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: manage, Condition: vpcCondition(stack, network) }), Match.objectLike({ Action: Match.arrayWith(describeActions), Resource: '*' })]) },
      });
    });

    test('an immutable imported role gets a warning naming the statements', () => {
      const { stack, train } = setup();
      const network = new MlNetwork(stack, 'Network');
      const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/model', { mutable: false });
      new SageMakerModelState(stack, 'ModelState', { stateName: 'CreateModel', trainingState: train, image: ContainerImage.xgboost('1.7-1'), role, network });
      Annotations.fromStack(stack).hasWarning('/TestStack/ModelState', Match.stringLikeRegexp('CreateModel with a VpcConfig needs it to allow ec2:CreateNetworkInterface.*ec2:Vpc'));
    });

    test('the default role gets them, scoped to the VPC', () => {
      const { stack, train } = setup();
      const network = new MlNetwork(stack, 'Network');
      const state = new SageMakerModelState(stack, 'ModelState', { stateName: 'CreateModel', trainingState: train, image: ContainerImage.xgboost('1.7-1'), network });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: stack.getLogicalId(state.role.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: manage, Condition: vpcCondition(stack, network) })]) },
      });
    });
  });
});
