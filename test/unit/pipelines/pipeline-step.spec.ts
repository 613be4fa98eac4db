import { Duration, aws_events as events, aws_scheduler as scheduler } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SageMakerStartPipelineExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import {
  HyperparameterTuningJob,
  Hyperparameters,
  ParameterRange,
  ProcessingJob,
  S3Location,
  TrainingInput,
  TrainingJob,
  TransformJob,
} from '../../../lib/constructs/jobs';
import {
  Condition,
  ConditionStep,
  CreateModelStep,
  FailStep,
  MlPipeline,
  ModelApprovalStatus,
  PipelineParameter,
  ProcessingStep,
  PropertyFile,
  RegisterModelStep,
  RetryPolicy,
  RetryableError,
  TrainingStep,
  TransformStep,
  TuningStep,
} from '../../../lib/constructs/pipelines';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { MlKey, SageMakerExecutionRole, SecureBucket } from '../../../lib/constructs/security';
import { pipelineSchemaAvailable, pipelineSchemaErrors, testStack } from '../../helpers';

type Step = Record<string, any>;

describe('pipeline steps, one of each type', () => {
  const stack = testStack();
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const inputPrefix = PipelineParameter.ofString('InputUri', `s3://${data.bucketName}/raw/`);
  const prep = new ProcessingJob(stack, 'Prep', {
    image: ContainerImage.sklearn('1.2-1'),
    entrypoint: ['python3', '/opt/ml/processing/input/code/prep.py'],
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [{ inputName: 'raw', source: S3Location.fromUri(inputPrefix.toString()) }],
    outputs: [
      { outputName: 'train', bucket: data, prefix: 'train/' },
      { outputName: 'report', bucket: data, prefix: 'report/' },
    ],
    encryptionKey: key,
  });
  const train = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    hyperparameters: Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: 50 }),
    channels: { train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv' }) },
    outputBucket: data,
    encryptionKey: key,
  });
  const tune = new HyperparameterTuningJob(stack, 'Tune', {
    trainingJob: train,
    objectiveMetric: 'validation:auc',
    ranges: [ParameterRange.integer('max_depth', 2, 5)],
    maxJobs: 4,
    maxParallelJobs: 2,
  });
  const modelRole = new SageMakerExecutionRole(stack, 'ModelRole');
  modelRole.grantReadPrefix(data, 'models/');
  const scoringModel = new Model(stack, 'ScoringModel', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
  const transform = new TransformJob(stack, 'Score', {
    model: scoringModel,
    input: S3Location.fromJobOutput(prep.output('train')),
    contentType: 'text/csv',
    outputBucket: data,
    instanceType: InstanceType.ML_M5_XLARGE,
    encryptionKey: key,
  });
  const registry = new ModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'steps-test' });

  const report = new PropertyFile({ name: 'Report', outputName: 'report', path: 'report.json' });
  const prepStep = new ProcessingStep('Prep', prep, { propertyFiles: [report], description: 'Prepare the data', cacheFor: Duration.hours(12) });
  const trainStep = new TrainingStep('Train', train, { retryPolicies: [RetryPolicy.throttlingAndCapacity()] });
  const tuneStep = new TuningStep('Tune', tune, { dependsOn: [trainStep] });
  const createModel = new CreateModelStep('CreateModel', { image: ContainerImage.xgboost('1.7-1'), modelDataUrl: trainStep.modelArtifactsUri, role: modelRole });
  const transformStep = new TransformStep('Score', transform);
  const register = new RegisterModelStep('Register', {
    modelPackageGroup: registry,
    image: ContainerImage.xgboost('1.7-1'),
    modelDataUrl: trainStep.modelArtifactsUri,
    role: modelRole,
    approvalStatus: ModelApprovalStatus.APPROVED,
  });
  const check = new ConditionStep('Check', {
    conditions: [Condition.lessThan(report.getNumber('rows.missing_ratio'), 0.05)],
    ifSteps: [register],
    elseSteps: [new FailStep('TooManyMissing', 'Too many missing values')],
  });
  const pipeline = new MlPipeline(stack, 'Pipeline', {
    steps: [prepStep, trainStep, tuneStep, createModel, transformStep, check],
    maxParallelSteps: 4,
  });
  const rule = new events.Rule(stack, 'OnNewData', { eventPattern: { source: ['aws.s3'] }, targets: [pipeline.asEventTarget()] });
  new scheduler.Schedule(stack, 'Nightly', {
    schedule: scheduler.ScheduleExpression.cron({ hour: '1', minute: '0' }),
    target: new SageMakerStartPipelineExecution(pipeline),
  });
  const template = Template.fromStack(stack);
  const definition = pipeline.renderDefinitionJson() as { Parameters: unknown[]; Steps: Step[] };
  const step = (name: string): Step => definition.Steps.find((s) => s.Name === name) as Step;

  test('processing: the CreateProcessingJob request, property files, caching, description', () => {
    expect(step('Prep')).toMatchObject({
      Type: 'Processing',
      Description: 'Prepare the data',
      CacheConfig: { Enabled: true, ExpireAfter: 'PT12H' },
      PropertyFiles: [{ PropertyFileName: 'Report', OutputName: 'report', FilePath: 'report.json' }],
    });
    expect(step('Prep').Arguments.ProcessingInputs[0].S3Input.S3Uri).toEqual({ Get: 'Parameters.InputUri' });
    expect(definition.Parameters).toEqual([{ Name: 'InputUri', Type: 'String', DefaultValue: expect.anything() }]);
  });

  test('training: the CreateTrainingJob request reads the processing output, with a retry policy', () => {
    expect(step('Train').Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toEqual({ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" });
    expect(step('Train').RetryPolicies).toEqual([{ ExceptionType: [RetryableError.THROTTLING, RetryableError.CAPACITY_ERROR, RetryableError.RESOURCE_LIMIT], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 5 }]);
  });

  test('tuning: explicit dependencies render as DependsOn', () => {
    expect(step('Tune')).toMatchObject({ Type: 'Tuning', DependsOn: ['Train'] });
    expect(step('Tune').Arguments.HyperParameterTuningJobConfig.ParameterRanges).toEqual({ IntegerParameterRanges: [{ Name: 'max_depth', MinValue: '2', MaxValue: '5', ScalingType: 'Auto' }] });
  });

  test('create-model and transform', () => {
    expect(step('CreateModel')).toMatchObject({
      Type: 'Model',
      Arguments: { PrimaryContainer: { ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } }, EnableNetworkIsolation: true },
    });
    expect(step('Score').Type).toBe('Transform');
    expect(step('Score').Arguments.TransformInput.DataSource.S3DataSource.S3Uri).toEqual({ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" });
  });

  test('condition on a property-file value with register and fail branches', () => {
    expect(step('Check').Arguments.Conditions).toEqual([
      { Type: 'LessThan', LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Prep.PropertyFiles.Report' }, Path: 'rows.missing_ratio' } }, RightValue: 0.05 },
    ]);
    const [registered] = step('Check').Arguments.IfSteps;
    expect(registered).toMatchObject({ Name: 'Register', Type: 'RegisterModel', Arguments: { ModelPackageGroupName: 'steps-test', ModelApprovalStatus: 'Approved' } });
    expect(step('Check').Arguments.ElseSteps).toEqual([{ Name: 'TooManyMissing', Type: 'Fail', Arguments: { ErrorMessage: 'Too many missing values' } }]);
  });

  const schemaTest = pipelineSchemaAvailable() ? test : test.skip;
  schemaTest('the definition validates against the pipeline-definition schema (../shared/schemas)', () => {
    expect(pipelineSchemaErrors(definition)).toEqual([]);
  });
  if (!pipelineSchemaAvailable()) {
    test('schema validation skipped: ../shared/schemas/sagemaker-pipeline-definition.schema.json is not beside this checkout', () => {
      expect(pipelineSchemaAvailable()).toBe(false);
    });
  }

  test('the pipeline role reads the property file (Std:JsonGet runs with it), and nothing else of the output', () => {
    const pipelinePolicies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: stack.getLogicalId(pipeline.role.node.defaultChild as never) }] } });
    const statements = Object.values(pipelinePolicies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const reads = statements.filter((st: any) => st.Action === 's3:GetObject');
    expect(reads).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(data.node.defaultChild as never), 'Arn'] }, '/report/report.json']] } }]);
    expect(JSON.stringify(statements)).toContain('kms:Decrypt');
  });

  test('parallelism configuration', () => {
    template.hasResourceProperties('AWS::SageMaker::Pipeline', { ParallelismConfiguration: { MaxParallelExecutionSteps: 4 } });
  });

  test('the pipeline role may run tuning, transform and create-model jobs and register into the group', () => {
    const json = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: stack.getLogicalId(pipeline.role.node.defaultChild as never) }] } }));
    for (const action of ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:CreateTransformJob', 'sagemaker:CreateModel', 'sagemaker:CreateModelPackage']) {
      expect(json).toContain(action);
    }
    expect(json).toContain('transform-job/pipelines-*');
  });

  test('an EventBridge rule starts the pipeline with a role scoped to it', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [{ Arn: stack.resolve(pipeline.pipelineArn), RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('EventsRole'), 'Arn'] } }],
    });
    void rule;
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('sagemaker:StartPipelineExecution');
  });

  test("the pipeline plugs into aws-cdk-lib's EventBridge Scheduler target", () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { Arn: stack.resolve(pipeline.pipelineArn), RoleArn: Match.anyValue() },
    });
  });
});

describe('MlPipeline imports and dependencies', () => {
  test('fromPipelineName gives an ARN and a start grant', () => {
    const stack = testStack();
    const imported = MlPipeline.fromPipelineName(stack, 'Imported', 'nightly-training');
    expect(imported.pipelineArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:pipeline/nightly-training');
    const role = new SageMakerExecutionRole(stack, 'Starter');
    imported.grantStartPipelineExecution(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: 'sagemaker:StartPipelineExecution', Resource: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/nightly-training' }] },
    });
  });

  test('rejects an explicit dependency on a step outside the pipeline', () => {
    const stack = testStack();
    const outside = new FailStep('Elsewhere', 'x');
    new MlPipeline(stack, 'Pipeline', { steps: [new FailStep('Stop', 'x', { dependsOn: [outside] })] });
    expect(() => Template.fromStack(stack)).toThrow(/\[TestStack\/Pipeline\] step "Stop" depends on "Elsewhere", which is not in this pipeline/);
  });
});

describe('MlPipeline job name prefix', () => {
  function pipelineWith(jobNamePrefix?: string) {
    const stack = testStack();
    const data = new SecureBucket(stack, 'Data');
    const prep = new ProcessingJob(stack, 'Prep', {
      image: ContainerImage.sklearn('1.2-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      outputs: [{ outputName: 'train', bucket: data, prefix: 'train/' }],
    });
    const train = new TrainingJob(stack, 'Train', {
      image: ContainerImage.xgboost('1.7-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      channels: { train: TrainingInput.fromJobOutput(prep.output('train')) },
      outputBucket: data,
    });
    const pipeline = new MlPipeline(stack, 'Pipeline', { steps: [new ProcessingStep('Prep', prep), new TrainingStep('Train', train)], jobNamePrefix });
    return { stack, pipeline };
  }

  test('names the jobs with the prefix and scopes the pipeline role to it', () => {
    const { stack, pipeline } = pipelineWith('LoanDefault');
    const definition = pipeline.renderDefinitionJson() as { Steps: Step[] };
    expect(definition.Steps.map((s) => s.Arguments.ProcessingJobName ?? s.Arguments.TrainingJobName)).toEqual(['LoanDefault', 'LoanDefault']);
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('processing-job/loandefault-*');
    expect(policies).toContain('training-job/loandefault-*');
    expect(policies).not.toContain('pipelines-*');
    if (pipelineSchemaAvailable()) expect(pipelineSchemaErrors(definition)).toEqual([]);
  });

  test('without a prefix, SageMaker names the jobs pipelines-* and the role is scoped to that', () => {
    const { stack, pipeline } = pipelineWith();
    const definition = pipeline.renderDefinitionJson() as { Steps: Step[] };
    expect(definition.Steps[0].Arguments.ProcessingJobName).toBeUndefined();
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))).toContain('processing-job/pipelines-*');
  });

  test('rejects a prefix that leaves no room for the generated suffix', () => {
    expect(() => pipelineWith('a-prefix-much-longer-than-twenty')).toThrow(/\[TestStack\/Pipeline\] jobNamePrefix "a-prefix-much-longer-than-twenty" must be 1-20 letters/);
  });
});
