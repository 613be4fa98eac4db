import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { Hyperparameters, ProcessingJob, TrainingInput, TrainingJob } from '../../../lib/constructs/jobs';
import {
  Condition,
  ConditionStep,
  FailStep,
  MlPipeline,
  PipelineParameter,
  ProcessingStep,
  RetryPolicy,
  RetryableError,
  TrainingStep,
} from '../../../lib/constructs/pipelines';
import { SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { loanDefaultPipeline } from './loan-default';

function jobs() {
  const stack = testStack();
  const bucket = new SecureBucket(stack, 'Data');
  const prep = new ProcessingJob(stack, 'Prep', {
    image: ContainerImage.sklearn('1.2-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    outputs: [{ outputName: 'train', bucket, prefix: 'train/' }],
  });
  const train = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    hyperparameters: Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: 10 }),
    channels: { train: TrainingInput.fromJobOutput(prep.output('train')) },
    outputBucket: bucket,
  });
  return { stack, bucket, prep, train };
}

describe('MlPipeline validation', () => {
  test('duplicate step names', () => {
    const { stack, prep } = jobs();
    new MlPipeline(stack, 'Pipeline', { steps: [new ProcessingStep('Same', prep), new FailStep('Same', 'x')] });
    expect(() => Template.fromStack(stack)).toThrow(/step names must be unique in a pipeline, but Same repeat/);
  });

  test('a step of another pipeline', () => {
    const { stack, prep } = jobs();
    const step = new ProcessingStep('Prep', prep);
    new MlPipeline(stack, 'First', { steps: [step] });
    expect(() => new MlPipeline(stack, 'Second', { steps: [step] })).toThrow(/step "Prep" already belongs to pipeline TestStack\/First; a step belongs to one pipeline/);
  });

  test('a reference to a step that is not in the pipeline', () => {
    const { stack, prep, train } = jobs();
    const prepStep = new ProcessingStep('Prep', prep);
    new MlPipeline(stack, 'Other', { steps: [prepStep] });
    const trainWithRef = new TrainingJob(stack, 'Train2', {
      image: ContainerImage.xgboost('1.7-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      channels: { train: TrainingInput.fromUri(prepStep.outputUri('train')) },
      outputBucket: (train as unknown as { props: { outputBucket: SecureBucket } }).props.outputBucket,
    });
    const pipeline = new MlPipeline(stack, 'Pipeline', { steps: [new TrainingStep('Train', trainWithRef)] });
    expect(() => pipeline.renderDefinitionJson()).toThrow(/steps reference steps that are not in this pipeline: property ProcessingOutputConfig.Outputs\['train'\].S3Output.S3Uri of step Prep/);
  });

  test('a condition on a non-numeric value', () => {
    const { stack } = jobs();
    const mode = PipelineParameter.ofString('Mode', 'fast');
    new MlPipeline(stack, 'Pipeline', {
      steps: [new ConditionStep('Check', { conditions: [Condition.greaterThan(mode.asNumber(), 1)], ifSteps: [new FailStep('Stop', 'x')] })],
    });
    expect(() => Template.fromStack(stack)).toThrow(/condition step "Check" compares parameter Mode, which is not numeric/);
  });

  test('a pipeline without steps', () => {
    const { stack } = jobs();
    new MlPipeline(stack, 'Pipeline');
    expect(() => Template.fromStack(stack)).toThrow(/the pipeline has no steps/);
  });

  test('invalid names and retry policies', () => {
    expect(() => new FailStep('bad name', 'x')).toThrow(/Pipeline step "bad name": the name "bad name" \(8 characters\) must be 1-64 letters, digits, "-" or "_"; rename the step, e.g. "bad-name"/);
    expect(() => PipelineParameter.ofString('bad name')).toThrow(/Pipeline parameter "bad name": the name "bad name" \(8 characters\) must be 1-256 letters/);
    expect(() => PipelineParameter.ofInteger('Count', 1.5)).toThrow(/has default 1.5, which is not a whole number/);
    expect(() => new RetryPolicy({ errors: [RetryableError.THROTTLING], maxAttempts: 0, backoffRate: 0.5 })).toThrow(
      /RetryPolicy \(retrying Step.THROTTLING\): 2 problems:\n {2}- maxAttempts is 0, but must be a whole number from 1 to 20; set maxAttempts between 1 and 20\.\n {2}- backoffRate is 0.5, but must be at least 1; use 1 for a constant interval\./,
    );
    expect(() => new ConditionStep('C', { conditions: [], ifSteps: [] })).toThrow(/Pipeline step "C": the condition step has no conditions \(conditions is empty\); give at least one Condition/);
  });

  test('job outputs outside the pipeline are read from their static location', () => {
    const { stack, train } = jobs();
    const pipeline = new MlPipeline(stack, 'Pipeline', { steps: [new TrainingStep('Train', train)] });
    const definition = pipeline.renderDefinitionJson() as any;
    expect(JSON.stringify(definition.Steps[0].Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri)).toContain('train/');
  });

  test('a large definition without deploy-time values goes to S3 as an asset', () => {
    const stack = testStack();
    new MlPipeline(stack, 'Pipeline', { steps: [new FailStep('Stop', 'x'.repeat(2000))], inlineDefinitionLimit: 1000 });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Pipeline', {
      PipelineDefinition: { PipelineDefinitionS3Location: { Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', Key: Match.stringLikeRegexp('\\.json$') } },
    });
  });

  test('a large definition with deploy-time values stays inline with a warning, up to the template limit', () => {
    const { stack, prep } = jobs();
    new MlPipeline(stack, 'Pipeline', { steps: [new ProcessingStep('Prep', prep)], inlineDefinitionLimit: 10 });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Pipeline', { PipelineDefinition: { PipelineDefinitionBody: Match.anyValue() } });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('holds deploy-time values, so it stays in the template'))).toHaveLength(1);

    const big = jobs();
    new MlPipeline(big.stack, 'Pipeline', { steps: [new ProcessingStep('Prep', big.prep), new FailStep('Stop', 'x'.repeat(MlPipeline.MAX_INLINE_DEFINITION_SIZE))] });
    expect(() => Template.fromStack(big.stack)).toThrow(/Pipeline\] the pipeline definition is \d+ characters and holds deploy-time values .* Split the pipeline/);
  });
});

describe('MlPipeline under the nag packs and the IAM check', () => {
  test('the loan-default pipeline in a VPC is clean', () => {
    const app = testApp();
    const stack = testStack(app);
    loanDefaultPipeline(stack, { network: true });
    expectNagClean(app);
    expectLeastPrivilege(stack, {
      allowManagedPolicies: [{ policyName: 'service-role/AWSLambdaBasicExecutionRole', pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider', reason: "aws-cdk-lib's default-SG provider" }],
    });
  });
});
