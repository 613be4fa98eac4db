import { aws_iam as iam } from 'aws-cdk-lib';
import { ContainerImage } from '../../../lib/constructs/core';
import { CreateModelStep, FailStep, MlPipeline, PipelineParameter, RegisterModelStep } from '../../../lib/constructs/pipelines';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { testStack } from '../../helpers';

describe('pipelineName (CreatePipeline: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})', () => {
  test('256 characters pass; 257 fail with the rule and the fix', () => {
    expect(() => new MlPipeline(testStack(), 'Pipeline', { pipelineName: 'p'.repeat(256), steps: [new FailStep('Stop', 'x')] })).not.toThrow();
    expect(() => new MlPipeline(testStack(), 'Pipeline', { pipelineName: 'p'.repeat(257), steps: [new FailStep('Stop', 'x')] })).toThrow(
      /\[TestStack\/Pipeline\] pipelineName "p{257}" \(257 characters\) must be 1-256 letters, digits and hyphens, starting and ending with a letter or digit; rename it/,
    );
  });
});

describe('maxParallelSteps (ParallelismConfiguration.MaxParallelExecutionSteps: integer, at least 1)', () => {
  const pipeline = (maxParallelSteps: number) => new MlPipeline(testStack(), 'Pipeline', { maxParallelSteps, steps: [new FailStep('Stop', 'x')] });
  test('1 passes and is written as given', () => {
    const p = pipeline(1);
    expect(p.node.tryFindChild('Resource')).toBeDefined();
    expect(p.stack.resolve((p.node.findChild('Resource') as unknown as { parallelismConfiguration: unknown }).parallelismConfiguration)).toEqual({ MaxParallelExecutionSteps: 1 });
  });
  test('0 fails with the rule and the fix', () => {
    expect(() => pipeline(0)).toThrow(/\[TestStack\/Pipeline\] maxParallelSteps is 0, but SageMaker runs at least 1 step at a time; set 1 or more, or leave it unset for no limit/);
  });
  test('a fraction fails: a whole number', () => {
    expect(() => pipeline(2.5)).toThrow(/\[TestStack\/Pipeline\] maxParallelSteps is 2\.5, but must be a whole number/);
  });
});

describe('modelDataUrl of model steps (ContainerDefinition.ModelDataUrl: s3:// or https://)', () => {
  function role() {
    return new iam.Role(testStack(), 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  }
  test('an s3:// URI and a pipeline parameter pass', () => {
    const r = role();
    expect(() => new CreateModelStep('CreateModel', { image: ContainerImage.xgboost('1.7-1'), modelDataUrl: 's3://bucket/model.tar.gz', role: r })).not.toThrow();
    expect(() => new CreateModelStep('CreateModel', { image: ContainerImage.xgboost('1.7-1'), modelDataUrl: PipelineParameter.ofString('ModelUri').toString(), role: r })).not.toThrow();
  });
  test('a bucket/key without a scheme fails, naming the step and the fix', () => {
    expect(() => new CreateModelStep('CreateModel', { image: ContainerImage.xgboost('1.7-1'), modelDataUrl: 'bucket/model.tar.gz', role: role() })).toThrow(
      /Pipeline step "CreateModel": modelDataUrl "bucket\/model\.tar\.gz" is not an S3 URI: it must start with "s3:\/\/" \(or "https:\/\/"\) and name a bucket; give e\.g\. "s3:\/\/my-bucket\/model\/model\.tar\.gz"/,
    );
  });
  test('a register step gathers its problems into one error', () => {
    const stack = testStack();
    const group = new ModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'g' });
    const r = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    expect(() => new RegisterModelStep('register model', { modelPackageGroup: group, image: ContainerImage.xgboost('1.7-1'), modelDataUrl: 'model.tar.gz', role: r })).toThrow(
      /Pipeline step "register model": 2 problems:\n {2}- the name "register model" .*\n {2}- modelDataUrl "model\.tar\.gz" is not an S3 URI/,
    );
  });
});
