// Pipeline rules that decide whether an execution can finish, checked at synth.
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType, Processor } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import { S3Location, TransformJob } from '../../../lib/constructs/jobs';
import { CreateModelStep, MlPipeline, RegisterModelStep, TransformStep } from '../../../lib/constructs/pipelines';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { SageMakerExecutionRole, SecureBucket } from '../../../lib/constructs/security';
import { testStack } from '../../helpers';

function setup() {
  const stack = testStack();
  const bucket = new SecureBucket(stack, 'Data');
  const role = new SageMakerExecutionRole(stack, 'ModelRole');
  const gpuImage = ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU });
  const transform = new TransformJob(stack, 'Score', {
    model: Model.fromModelAttributes(stack, 'Batch', { modelName: 'created-by-the-pipeline', role }),
    input: S3Location.fromBucket(bucket, 'test/'),
    outputBucket: bucket,
    instanceType: InstanceType.ML_M5_XLARGE,
  });
  return { stack, bucket, role, gpuImage, transform };
}

describe('image and instance type of models made by a pipeline', () => {
  test('a transform on a CPU instance with a model of a GPU image is rejected, naming both steps', () => {
    const { role, gpuImage, transform } = setup();
    const createModel = new CreateModelStep('CreateModel', { image: gpuImage, modelDataUrl: 's3://b/model.tar.gz', role });
    expect(() => new TransformStep('BatchScore', transform, { modelStep: createModel })).toThrow(
      /\[TestStack\/Score\] transform step "BatchScore" runs the model of step "CreateModel" there: the image is a GPU image but instanceType ml\.m5\.xlarge has no GPU/,
    );
  });

  test('a registered GPU image listing CPU transform instances is rejected', () => {
    const { stack, role, gpuImage } = setup();
    const group = new ModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'g' });
    expect(
      () => new RegisterModelStep('Register', { modelPackageGroup: group, image: gpuImage, modelDataUrl: 's3://b/m.tar.gz', role, inferenceInstanceTypes: ['ml.p3.2xlarge'], transformInstanceTypes: ['ml.m5.xlarge'] }),
    ).toThrow(/Pipeline step "Register": the registered image cannot run on every instance type it lists: transformInstanceTypes: the image is a GPU image but instanceType ml\.m5\.xlarge has no GPU/);
  });

  test('the model step carries the serving environment (the inference script packed with the model)', () => {
    const { stack, role } = setup();
    const step = new CreateModelStep('CreateModel', {
      image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.CPU }),
      modelDataUrl: 's3://b/model.tar.gz',
      role,
      environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code' },
    });
    new MlPipeline(stack, 'Pipeline', { steps: [step] });
    const body = Template.fromStack(stack).findResources('AWS::SageMaker::Pipeline');
    const text = JSON.stringify(stack.resolve(Object.values(body)[0].Properties.PipelineDefinition.PipelineDefinitionBody));
    expect(text).toContain('\\"Environment\\":{\\"SAGEMAKER_PROGRAM\\":\\"inference.py\\",\\"SAGEMAKER_SUBMIT_DIRECTORY\\":\\"/opt/ml/model/code\\"}');
  });
});

describe('the pipeline role', () => {
  test('creates models only under the names Pipelines generates (pipelines-*)', () => {
    const { stack, role } = setup();
    new MlPipeline(stack, 'Pipeline', { steps: [new CreateModelStep('CreateModel', { image: ContainerImage.xgboost('1.7-1'), modelDataUrl: 's3://b/model.tar.gz', role })] });
    const template = Template.fromStack(stack);
    const policies = { ...template.findResources('AWS::IAM::Policy'), ...template.findResources('AWS::IAM::ManagedPolicy') };
    const statements = Object.values(policies).flatMap((p: any) => stack.resolve(p.Properties.PolicyDocument.Statement));
    const create = statements.find((s: any) => [s.Action].flat().includes('sagemaker:CreateModel'));
    expect(create.Resource).toBe('arn:aws:sagemaker:us-east-1:123456789012:model/pipelines-*');
  });

  test('a scheduled start carries the invocation id as client request token, so a retried start is idempotent', () => {
    const { stack } = setup();
    const pipeline = new MlPipeline(stack, 'Pipeline', { pipelineName: 'p', steps: [new CreateModelStep('M', { image: ContainerImage.xgboost('1.7-1'), modelDataUrl: 's3://b/m.tar.gz', role: new SageMakerExecutionRole(stack, 'R') })] });
    pipeline.scheduleWeekly();
    const schedule = Object.values(Template.fromStack(stack).findResources('AWS::Scheduler::Schedule'))[0] as any;
    expect(JSON.parse(stack.resolve(schedule.Properties.Target.Input))).toEqual({ PipelineName: 'p', ClientRequestToken: '<aws.scheduler.execution-id>' });
  });
});
