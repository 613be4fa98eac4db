import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, ModelData, NeoFramework, NeoTargetDevice } from '../../../lib/constructs/core';
import { MlKey, MlNetwork, SecureBucket } from '../../../lib/constructs/security';
import { CompilationJobState, CompilationJobStateProps, JobName, JobRetry, MlWorkflow, SageMakerJobState, SageMakerModelState } from '../../../lib/constructs/workflows';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { definitionOf, loanDefaultJobs } from './support';

/** Train → Compile (XGBoost for ml_c5) → CreateCompiledModel in one workflow. */
function compileWorkflow(stack: Stack = testStack(), extra: Partial<CompilationJobStateProps> = {}) {
  const jobs = loanDefaultJobs(stack);
  const train = new SageMakerJobState(stack, 'TrainState', { stateName: 'Train', job: jobs.train });
  const compile = new CompilationJobState(stack, 'CompileState', {
    stateName: 'Compile',
    trainingState: train,
    framework: NeoFramework.XGBOOST,
    targetDevice: NeoTargetDevice.ML_C5,
    outputBucket: jobs.data,
    encryptionKey: jobs.key,
    ...extra,
  });
  const model = new SageMakerModelState(stack, 'CompiledModelState', {
    stateName: 'CreateCompiledModel',
    compilationState: compile,
    image: ContainerImage.neoInference({ framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 }),
  });
  const workflow = new MlWorkflow(stack, 'Workflow', { states: [train, compile, model], encryptionKey: jobs.key });
  return { stack, jobs, train, compile, model, workflow };
}

/** Props of a valid compilation for `stack`, to vary one at a time. */
function validProps(stack: Stack): CompilationJobStateProps {
  const jobs = loanDefaultJobs(stack);
  const train = new SageMakerJobState(stack, 'TrainState', { stateName: 'Train', job: jobs.train });
  return { trainingState: train, framework: NeoFramework.PYTORCH, frameworkVersion: '1.13', dataInputConfig: '{"input0":[1,3,224,224]}', targetDevice: NeoTargetDevice.ML_G4DN, outputBucket: jobs.data };
}

/** Builds a compilation state with one prop changed and returns what it throws. */
function problemOf(change: (props: CompilationJobStateProps, stack: Stack) => CompilationJobStateProps): () => CompilationJobState {
  const stack = testStack();
  const props = change(validProps(stack), stack);
  return () => new CompilationJobState(stack, 'Compile', props);
}

describe('CompilationJobState', () => {
  describe('in a workflow: Train → Compile → CreateCompiledModel', () => {
    const { stack, jobs, compile, model, workflow } = compileWorkflow();
    const definition = definitionOf(stack, workflow);
    const template = Template.fromStack(stack);

    test('creates the job with the AWS SDK integration, then waits, describes and checks the status in a loop', () => {
      expect(definition.States.Train.Next).toBe('Compile');
      const create = definition.States.Compile;
      expect(create).toMatchObject({ Type: 'Task', Resource: 'arn:X:states:::aws-sdk:sagemaker:createCompilationJob', ResultPath: '$.Compile', Next: 'CompileWait' });
      expect(create.Parameters).toEqual({
        'CompilationJobName.$': "States.Format('{}-Compile', $$.Execution.Name)",
        'RoleArn': 'X',
        'InputConfig': { 'S3Uri.$': '$.Train.ModelArtifacts.S3ModelArtifacts', 'Framework': 'XGBOOST' },
        'OutputConfig': { 'S3OutputLocation.$': "States.Format('s3://X/compiled/{}/', $$.Execution.Name)", 'TargetDevice': 'ml_c5', 'KmsKeyId': 'X' },
        'StoppingCondition': { MaxRuntimeInSeconds: 900 },
      });
      expect(definition.States.CompileWait).toEqual({ Type: 'Wait', Seconds: 30, Next: 'CompileDescribe' });
      expect(definition.States.CompileDescribe).toMatchObject({
        Type: 'Task',
        Resource: 'arn:X:states:::aws-sdk:sagemaker:describeCompilationJob',
        Parameters: { 'CompilationJobName.$': "States.Format('{}-Compile', $$.Execution.Name)" },
        ResultPath: '$.Compile',
        Next: 'CompileStatus',
      });
      expect(definition.States.CompileStatus).toEqual({
        Type: 'Choice',
        Choices: [
          { Variable: '$.Compile.CompilationJobStatus', StringEquals: 'COMPLETED', Next: 'CompileCompiled' },
          { Variable: '$.Compile.CompilationJobStatus', StringEquals: 'FAILED', Next: 'CompileFailed' },
          { Variable: '$.Compile.CompilationJobStatus', StringEquals: 'STOPPED', Next: 'CompileStopped' },
        ],
        Default: 'CompileWait',
      });
      expect(definition.States.CompileFailed).toEqual({ Type: 'Fail', Error: 'CompilationJobFailed', CausePath: '$.Compile.FailureReason' });
      expect(definition.States.CompileStopped).toMatchObject({ Type: 'Fail', Error: 'CompilationJobStopped' });
      expect(definition.States.CompileCompiled).toMatchObject({ Type: 'Pass', Next: 'CreateCompiledModel' });
    });

    test('create and describe are retried on SageMaker API errors (AWS SDK integration names)', () => {
      const retry = [{ ErrorEquals: CompilationJobState.RETRY_ERRORS, IntervalSeconds: 60, MaxAttempts: 5, BackoffRate: 2 }];
      expect(definition.States.Compile.Retry).toEqual(retry);
      expect(definition.States.CompileDescribe.Retry).toEqual(retry);
      expect(CompilationJobState.RETRY_ERRORS).toEqual(['SageMaker.SageMakerException', 'SageMaker.ResourceLimitExceededException', 'SageMaker.ThrottlingException']);
    });

    test('the compiled model is what CreateCompiledModel serves, with the Neo XGBoost image', () => {
      expect(compile.modelArtifactsPath).toBe('$.Compile.ModelArtifacts.S3ModelArtifacts');
      expect(definition.States.CreateCompiledModel.Parameters.PrimaryContainer).toEqual({
        'Image': '785573368785.dkr.ecr.us-east-1.amazonaws.com/xgboost-neo:latest',
        'ModelDataUrl.$': '$.Compile.ModelArtifacts.S3ModelArtifacts',
      });
      expect(definition.States.CreateCompiledModel.End).toBe(true);
    });

    test('the workflow role passes the compilation role and creates/describes only this state\'s jobs', () => {
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [stack.resolve(workflow.role.roleName)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Action: ['sagemaker:CreateCompilationJob', 'sagemaker:DescribeCompilationJob'], Effect: 'Allow', Resource: 'arn:aws:sagemaker:us-east-1:123456789012:compilation-job/*-compile' },
          ]),
        },
      });
      const passRole = compile.policyStatements()[0].toStatementJson();
      expect(stack.resolve(passRole)).toEqual({
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: stack.resolve(compile.role.roleArn),
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      });
      expect(JSON.stringify(template.toJSON())).not.toContain('StopCompilationJob');
    });

    test('the compilation role reads the training artifacts and writes only the compiled prefix; the model role reads that prefix', () => {
      const policyOf = (roleArn: string) =>
        Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: stack.resolve(roleArn)['Fn::GetAtt'][0] }]));
      const compileStatements = JSON.stringify(policyOf(compile.role.roleArn)?.Properties.PolicyDocument.Statement);
      expect(compileStatements).toContain('"Action":["s3:GetObject","s3:GetObjectVersion"]');
      expect(compileStatements).toContain('/models/*"');
      expect(compileStatements).toContain('"Action":["s3:AbortMultipartUpload","s3:ListMultipartUploadParts","s3:PutObject"]');
      expect(compileStatements).toContain('/compiled/*"');
      const modelStatements = JSON.stringify(policyOf(model.role.roleArn)?.Properties.PolicyDocument.Statement);
      expect(modelStatements).toContain('/compiled/*"');
      expect(modelStatements).not.toContain('/models/*"');
      expect(modelStatements).not.toContain('s3:PutObject');
      expect(jobs.key).toBeDefined();
      expectLeastPrivilege(stack);
    });
  });

  test('the workflow synthesizes clean under the three nag packs and the schema rules', () => {
    const app = testApp();
    compileWorkflow(testStack(app));
    expectNagClean(app);
  });

  test('China: the integrations, job ARNs and the Neo image are partition-aware', () => {
    const stack = testStack(testApp(), 'China', { env: { account: '123456789012', region: 'cn-north-1' } });
    const { compile, workflow } = compileWorkflow(stack);
    const text = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(definitionOf(stack, workflow).States.Compile.Resource).toBe('arn:X:states:::aws-sdk:sagemaker:createCompilationJob');
    expect(text).toContain('472730292857.dkr.ecr.cn-north-1.amazonaws.com.cn/xgboost-neo:latest');
    expect(text).toContain(':states:::aws-sdk:sagemaker:createCompilationJob');
    expect(text).not.toContain('arn:aws:');
    expect(stack.resolve(compile.policyStatements()[1].toStatementJson().Resource)).toEqual('arn:aws-cn:sagemaker:cn-north-1:123456789012:compilation-job/*-compile');
  });

  test('a fixed model.tar.gz, a VPC, a hashed job name, a longer wait and runtime', () => {
    const stack = testStack();
    const key = new MlKey(stack, 'Key');
    const bucket = new SecureBucket(stack, 'Models', { encryptionKey: key });
    const network = new MlNetwork(stack, 'Network');
    const compile = new CompilationJobState(stack, 'Compile', {
      modelData: ModelData.fromBucket(bucket, 'resnet/model.tar.gz'),
      framework: NeoFramework.TENSORFLOW,
      frameworkVersion: '2.5',
      dataInputConfig: '{"input":[1,224,224,3]}',
      targetDevice: NeoTargetDevice.ML_INF1,
      outputBucket: bucket,
      outputPrefix: 'neo/',
      network,
      jobName: JobName.hashOfExecutionName(),
      pollInterval: Duration.minutes(1),
      maxRuntime: Duration.hours(1),
    });
    const json = stack.resolve(compile.startState.toStateJson()) as Record<string, any>;
    expect(json.Parameters['CompilationJobName.$']).toBe("States.Format('Compile-{}', States.Hash($$.Execution.Name, 'MD5'))");
    expect(json.Parameters.InputConfig).toEqual({ S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: stack.getLogicalId(bucket.node.defaultChild as import('aws-cdk-lib').CfnElement) }, '/resnet/model.tar.gz']] }, Framework: 'TENSORFLOW', FrameworkVersion: '2.5', DataInputConfig: '{"input":[1,224,224,3]}' });
    expect(json.Parameters.VpcConfig).toEqual({ SecurityGroupIds: [stack.resolve(network.securityGroup.securityGroupId)], Subnets: stack.resolve(network.subnetIds) });
    expect(json.Parameters.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    expect(json.Parameters.OutputConfig.KmsKeyId).toBeUndefined();
    expect(stack.resolve(compile.policyStatements()[1].toStatementJson().Resource)).toEqual('arn:aws:sagemaker:us-east-1:123456789012:compilation-job/compile-*');
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('ec2:CreateNetworkInterface');
    expectLeastPrivilege(stack, {
      allowManagedPolicies: [{ policyName: 'service-role/AWSLambdaBasicExecutionRole', pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider', reason: "aws-cdk-lib's default-SG provider" }],
    });
  });

  test('tokens pass unchecked', () => {
    const stack = testStack();
    const props = validProps(stack);
    const version = new CfnParameter(stack, 'Version').valueAsString;
    const shapes = new CfnParameter(stack, 'Shapes').valueAsString;
    const compile = new CompilationJobState(stack, 'Compile', { ...props, frameworkVersion: version, dataInputConfig: shapes, outputPrefix: new CfnParameter(stack, 'Prefix').valueAsString });
    const json = stack.resolve(compile.startState.toStateJson()) as Record<string, any>;
    expect(json.Parameters.InputConfig.FrameworkVersion).toEqual({ Ref: 'Version' });
    expect(json.Parameters.InputConfig.DataInputConfig).toEqual({ Ref: 'Shapes' });
  });

  describe('validation: each rule once', () => {
    test.each<[string, (props: CompilationJobStateProps, stack: Stack) => CompilationJobStateProps, RegExp]>([
      ['neither trainingState nor modelData', (p) => ({ ...p, trainingState: undefined }), /\[TestStack\/Compile\] give exactly one of trainingState .* and modelData/],
      ['both trainingState and modelData', (p) => ({ ...p, modelData: ModelData.fromBucket(p.outputBucket, 'm/model.tar.gz') }), /give exactly one of trainingState/],
      ['a state that is not a training state', (p, s) => ({ ...p, trainingState: new SageMakerJobState(s, 'Prep', { job: loanDefaultJobsOf(s).prep }) }), /trainingState "Prep" runs a processing job; compilation needs the artifacts of a training state/],
      ['a state name that is not letters and digits', (p) => ({ ...p, stateName: 'Compile-It' }), /state name "Compile-It" must be 1-72 letters and digits/],
      ['a state name too long for the job name', (p) => ({ ...p, stateName: 'CompileTheLoanDefaultModelNow' }), /the compilation job name "<execution name>-CompileTheLoanDefaultModelNow" is 66 characters .* at most 63; shorten the state name to 26 characters or fewer/],
      ['a framework Neo does not compile for the target', (p) => ({ ...p, framework: NeoFramework.TFLITE }), /Neo documents no TFLITE compilation for ml_g4dn; frameworks supported for ml_g4dn: MXNET, ONNX, KERAS, PYTORCH, TENSORFLOW, XGBOOST \(https:\/\/docs\.aws\.amazon\.com\/sagemaker\/latest\/dg\/neo-supported-cloud\.html\)/],
      ['a framework Neo does not compile for Inferentia', (p) => ({ ...p, framework: NeoFramework.XGBOOST, frameworkVersion: undefined, targetDevice: NeoTargetDevice.ML_INF1 }), /Neo documents no XGBOOST compilation for ml_inf1; frameworks supported for ml_inf1: MXNET, PYTORCH, TENSORFLOW/],
      ['an undocumented version for the target', (p) => ({ ...p, frameworkVersion: '2.1' }), /Neo documents no PYTORCH 2\.1 compilation for ml_g4dn; supported versions: 1\.4, 1\.5, 1\.6, 1\.7, 1\.8, 1\.12, 1\.13, 2\.0/],
      ['a version documented for cloud instances but not for Inferentia', (p) => ({ ...p, targetDevice: NeoTargetDevice.ML_INF1 }), /Neo documents no PYTORCH 1\.13 compilation for ml_inf1; supported versions: 1\.7, 1\.8, 1\.9/],
      ['no version where the framework needs one', (p) => ({ ...p, frameworkVersion: undefined }), /PYTORCH compilation for ml_g4dn needs frameworkVersion; supported: 1\.4/],
      ['a version for a framework the API takes none for', (p) => ({ ...p, framework: NeoFramework.XGBOOST, frameworkVersion: '1.7', dataInputConfig: undefined }), /frameworkVersion "1\.7" is given for XGBOOST, but CreateCompilationJob takes a framework version only for MXNet, PyTorch, TensorFlow and TensorFlow Lite; omit it \(Neo compiles XGBOOST models of version 1\.3\.3 or earlier/],
      ['no dataInputConfig where the framework needs it', (p) => ({ ...p, dataInputConfig: undefined }), /PYTORCH compilation needs dataInputConfig, the names and shapes of the model's inputs as JSON/],
      ['a dataInputConfig that is not JSON', (p) => ({ ...p, dataInputConfig: 'input0: 1,3,224,224' }), /dataInputConfig "input0: 1,3,224,224" is not a JSON dictionary or list of input shapes/],
      ['an output prefix without a trailing "/"', (p) => ({ ...p, outputPrefix: 'compiled' }), /outputPrefix "compiled" must be a key prefix ending in "\/"/],
      ['a fractional maxRuntime', (p) => ({ ...p, maxRuntime: Duration.millis(1500) }), /maxRuntime is 1 second 500 millis, but StoppingCondition\.MaxRuntimeInSeconds must be a whole number of seconds, at least 1/],
      ['a poll interval under a second', (p) => ({ ...p, pollInterval: Duration.millis(500) }), /pollInterval is 500 millis, but a Wait state waits a whole number of seconds, at least 1/],
      ['a poll interval longer than a Wait state waits', (p) => ({ ...p, pollInterval: Duration.seconds(100_000_000) }), /pollInterval is 1157 days 9 hours, but a Wait state waits a whole number of seconds, at least 1 and at most 99999999/],
      ['a bad retry policy', (p) => ({ ...p, retries: [new JobRetry({ maxAttempts: -1 })] }), /retry maxAttempts is -1/],
    ])('%s', (_name, change, message) => {
      expect(problemOf(change)).toThrow(message);
    });

    test('several problems are reported together', () => {
      expect(problemOf((p) => ({ ...p, frameworkVersion: '1.99', dataInputConfig: undefined }))).toThrow(/2 problems:\n {2}- Neo documents no PYTORCH 1\.99 .*\n {2}- PYTORCH compilation needs dataInputConfig/);
    });

    test('PyTorch 2.0 models compiled for cloud instances need no input shapes (Neo reads them from the model)', () => {
      expect(problemOf((p) => ({ ...p, frameworkVersion: '2.0', dataInputConfig: undefined }))).not.toThrow();
      expect(problemOf((p) => ({ ...p, frameworkVersion: '1.9', targetDevice: NeoTargetDevice.ML_INF1, dataInputConfig: undefined }))).toThrow(/PYTORCH compilation needs dataInputConfig/);
    });

    test('a token version still has its framework and target checked', () => {
      expect(problemOf((p, s) => ({ ...p, framework: NeoFramework.TFLITE, frameworkVersion: new CfnParameter(s, 'V').valueAsString }))).toThrow(/Neo documents no TFLITE compilation for ml_g4dn/);
    });
  });

  describe('SageMakerModelState sources', () => {
    test('exactly one of trainingState and compilationState', () => {
      const { stack, train, compile } = compileWorkflow();
      const image = ContainerImage.neoInference({ framework: NeoFramework.XGBOOST, targetDevice: NeoTargetDevice.ML_C5 });
      expect(() => new SageMakerModelState(stack, 'Both', { trainingState: train, compilationState: compile, image })).toThrow(
        /\[TestStack\/Both\] give exactly one of trainingState \(serve the artifacts of a training state\) and compilationState/,
      );
      expect(() => new SageMakerModelState(stack, 'Neither', { image })).toThrow(/\[TestStack\/Neither\] give exactly one of trainingState/);
    });
  });
});

/** The loan-default jobs of a stack that already has them. */
function loanDefaultJobsOf(stack: Stack) {
  const prep = stack.node.findChild('Preprocess') as import('../../../lib/constructs/jobs').ProcessingJob;
  return { prep };
}
