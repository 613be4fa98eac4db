import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { ProcessingJob, S3Location } from '../../../lib/constructs/jobs';
import {
  MlPipeline,
  ModelQualityCheckConfig,
  ModelQualityProblemType,
  PipelineParameter,
  ProcessingStep,
  QualityCheckJob,
  QualityCheckStep,
  QualityCheckType,
  RegisterModelStep,
} from '../../../lib/constructs/pipelines';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { MlKey, SageMakerExecutionRole, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, pipelineSchemaAvailable, pipelineSchemaErrors, testApp, testStack } from '../../helpers';

const MODEL_QUALITY: ModelQualityCheckConfig = {
  problemType: ModelQualityProblemType.BINARY_CLASSIFICATION,
  groundTruthAttribute: 'default',
  inferenceAttribute: 'prediction',
  probabilityAttribute: 'probability',
  probabilityThreshold: 0.5,
};

function setup(stack: Stack = testStack()) {
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const group = new ModelPackageGroup(stack, 'Group');
  const dataCheck = new QualityCheckJob(stack, 'DataCheck', {
    checkType: QualityCheckType.DATA_QUALITY,
    baselineDataset: S3Location.fromBucket(data, 'prepared/train/'),
    outputBucket: data,
  });
  const modelCheck = new QualityCheckJob(stack, 'ModelCheck', {
    checkType: QualityCheckType.MODEL_QUALITY,
    baselineDataset: S3Location.fromBucket(data, 'predictions/'),
    outputBucket: data,
    outputPrefix: 'checks/model/',
    modelQuality: MODEL_QUALITY,
  });
  return { stack, key, data, group, dataCheck, modelCheck };
}

describe('QualityCheckStep rendering', () => {
  test('a DATA_QUALITY step renders the SDK QualityCheckStep: analyzer request, check fields, and references', () => {
    const { stack, data, group, dataCheck, modelCheck } = setup();
    const dataStep = new QualityCheckStep('DataQuality', dataCheck, { skipCheck: true, registerNewBaseline: true, modelPackageGroup: group });
    const modelStep = new QualityCheckStep('ModelQuality', modelCheck, {
      suppliedBaselineStatistics: S3Location.fromBucket(data, 'baselines/statistics.json'),
      suppliedBaselineConstraints: S3Location.fromBucket(data, 'baselines/constraints.json'),
    });
    const role = new SageMakerExecutionRole(stack, 'ModelRole');
    const register = new RegisterModelStep('Register', {
      modelPackageGroup: group,
      image: ContainerImage.xgboost('1.7-1'),
      modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
      role,
      driftCheckBaselines: { dataQuality: dataStep, modelQuality: modelStep },
    });
    const pipeline = new MlPipeline(stack, 'Pipeline', { steps: [dataStep, modelStep, register] });
    const definition = pipeline.renderDefinitionJson() as any;
    const [data0, model0, reg] = definition.Steps;
    expect(data0).toMatchObject({
      Name: 'DataQuality',
      Type: 'QualityCheck',
      CheckType: 'DATA_QUALITY',
      ModelPackageGroupName: stack.resolve(group.modelPackageGroupName),
      SkipCheck: true,
      RegisterNewBaseline: true,
    });
    expect(data0.SuppliedBaselineStatistics).toBeUndefined();
    expect(data0.Arguments.ProcessingJobName).toBeUndefined();
    expect(data0.Arguments.AppSpecification.ContainerEntrypoint).toBeUndefined();
    expect(JSON.stringify(data0.Arguments.AppSpecification.ImageUri)).toContain('sagemaker-model-monitor-analyzer');
    expect(data0.Arguments.Environment).toEqual({
      output_path: '/opt/ml/processing/output',
      publish_cloudwatch_metrics: 'Disabled',
      dataset_format: '{"csv":{"header":true,"output_columns_position":"START"}}',
      dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
    });
    expect(data0.Arguments.ProcessingInputs).toEqual([
      expect.objectContaining({ InputName: 'baseline_dataset_input', S3Input: expect.objectContaining({ LocalPath: '/opt/ml/processing/input/baseline_dataset_input' }) }),
    ]);
    expect(data0.Arguments.ProcessingOutputConfig.Outputs[0]).toMatchObject({ OutputName: 'quality_check_output', S3Output: { LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } });
    // The default output prefix keeps each execution's results apart.
    expect(JSON.stringify(data0.Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri)).toContain('"Get":"Execution.PipelineExecutionId"');

    expect(model0).toMatchObject({ CheckType: 'MODEL_QUALITY', SkipCheck: false, RegisterNewBaseline: false });
    expect(JSON.stringify(model0.SuppliedBaselineStatistics)).toContain('/baselines/statistics.json');
    expect(JSON.stringify(model0.SuppliedBaselineConstraints)).toContain('/baselines/constraints.json');
    expect(model0.Arguments.Environment).toMatchObject({
      analysis_type: 'MODEL_QUALITY',
      problem_type: 'BinaryClassification',
      inference_attribute: 'prediction',
      probability_attribute: 'probability',
      ground_truth_attribute: 'default',
      probability_threshold_attribute: '0.5',
    });

    const json = (step: string, property: string) => ({ ContentType: 'application/json', S3Uri: { Get: `Steps.${step}.${property}` } });
    expect(reg.Arguments.ModelMetrics).toEqual({
      ModelQuality: { Statistics: json('ModelQuality', 'CalculatedBaselineStatistics'), Constraints: json('ModelQuality', 'CalculatedBaselineConstraints') },
      ModelDataQuality: { Statistics: json('DataQuality', 'CalculatedBaselineStatistics'), Constraints: json('DataQuality', 'CalculatedBaselineConstraints') },
    });
    expect(reg.Arguments.DriftCheckBaselines).toEqual({
      ModelQuality: { Statistics: json('ModelQuality', 'BaselineUsedForDriftCheckStatistics'), Constraints: json('ModelQuality', 'BaselineUsedForDriftCheckConstraints') },
      ModelDataQuality: { Statistics: json('DataQuality', 'BaselineUsedForDriftCheckStatistics'), Constraints: json('DataQuality', 'BaselineUsedForDriftCheckConstraints') },
    });
    if (pipelineSchemaAvailable()) expect(pipelineSchemaErrors(definition)).toEqual([]);
    else console.warn('SKIPPED pipeline schema check: ../shared/schemas is not there');
  });

  test('a register step without check steps renders no DriftCheckBaselines', () => {
    const { stack, data, group } = setup();
    const register = new RegisterModelStep('Register', {
      modelPackageGroup: group,
      image: ContainerImage.xgboost('1.7-1'),
      modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
      role: new SageMakerExecutionRole(stack, 'ModelRole'),
    });
    const definition = new MlPipeline(stack, 'Pipeline', { steps: [register] }).renderDefinitionJson() as any;
    expect(Object.keys(definition.Steps[0].Arguments)).toEqual(['ModelPackageGroupName', 'ModelApprovalStatus', 'InferenceSpecification']);
  });

  test('pipeline parameters pass through the check fields', () => {
    const { stack, dataCheck } = setup();
    const uri = PipelineParameter.ofString('BaselineStatistics', 's3://b/statistics.json');
    const constraints = PipelineParameter.ofString('BaselineConstraints', 's3://b/constraints.json');
    const step = new QualityCheckStep('DataQuality', dataCheck, {
      suppliedBaselineStatistics: S3Location.fromUri(uri.toString()),
      suppliedBaselineConstraints: S3Location.fromUri(constraints.toString()),
    });
    const definition = new MlPipeline(stack, 'Pipeline', { steps: [step] }).renderDefinitionJson() as any;
    expect(definition.Steps[0].SuppliedBaselineStatistics).toEqual({ Get: 'Parameters.BaselineStatistics' });
    expect(definition.Parameters.map((p: any) => p.Name)).toEqual(['BaselineStatistics', 'BaselineConstraints']);
  });
});

describe('QualityCheckStep permissions', () => {
  test('the pipeline role runs the analyzer jobs and passes its role; the analyzer reads its data and the supplied baseline', () => {
    const { stack, data, group, dataCheck } = setup();
    new MlPipeline(stack, 'Pipeline', {
      steps: [new QualityCheckStep('DataQuality', dataCheck, {
        modelPackageGroup: group,
        suppliedBaselineStatistics: S3Location.fromBucket(data, 'baselines/statistics.json'),
        suppliedBaselineConstraints: S3Location.fromBucket(data, 'baselines/constraints.json'),
      })],
    });
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('sagemaker:CreateProcessingJob');
    expect(policies).toContain(':processing-job/pipelines-*');
    expect(policies).toContain('iam:PassRole');
    expect(policies).toContain('sagemaker:ListModelPackages');
    expect(policies).toContain('baselines/statistics.json');
  });
});

describe('QualityCheck under the nag packs and the IAM check', () => {
  test('a data quality check and a register step with its baselines are clean', () => {
    const app = testApp();
    const stack = testStack(app);
    const { data, group, dataCheck } = setup(stack);
    const step = new QualityCheckStep('DataQuality', dataCheck, { skipCheck: true, registerNewBaseline: true });
    new MlPipeline(stack, 'Pipeline', {
      steps: [step, new RegisterModelStep('Register', {
        modelPackageGroup: group,
        image: ContainerImage.xgboost('1.7-1'),
        modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
        role: new SageMakerExecutionRole(stack, 'ModelRole'),
        driftCheckBaselines: { dataQuality: step },
      })],
    });
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});

describe('QualityCheckJob validation', () => {
  function job(props: Partial<ConstructorParameters<typeof QualityCheckJob>[2]>) {
    const stack = testStack();
    const data = new SecureBucket(stack, 'Data');
    return () => new QualityCheckJob(stack, 'Check', {
      checkType: QualityCheckType.MODEL_QUALITY,
      baselineDataset: S3Location.fromBucket(data, 'predictions/'),
      outputBucket: data,
      ...props,
    });
  }

  test('MODEL_QUALITY needs modelQuality', () => {
    expect(job({})).toThrow(/\[TestStack\/Check\] checkType is MODEL_QUALITY but modelQuality is not set: the analyzer needs the problem type and the ground-truth and prediction columns; set modelQuality/);
  });

  test('DATA_QUALITY refuses modelQuality', () => {
    expect(job({ checkType: QualityCheckType.DATA_QUALITY, modelQuality: MODEL_QUALITY })).toThrow(/\[TestStack\/Check\] modelQuality is set, but checkType is DATA_QUALITY, which analyzes features only; remove modelQuality/);
  });

  test('an empty ground-truth attribute is refused', () => {
    expect(job({ modelQuality: { ...MODEL_QUALITY, groundTruthAttribute: ' ' } })).toThrow(/modelQuality.groundTruthAttribute is empty; give the column with the actual labels/);
  });

  test('a model quality check needs a prediction or probability column', () => {
    expect(job({ modelQuality: { problemType: ModelQualityProblemType.BINARY_CLASSIFICATION, groundTruthAttribute: 'y' } })).toThrow(
      /modelQuality has neither inferenceAttribute nor probabilityAttribute, so the analyzer has no predictions to compare/,
    );
  });

  test('a regression check needs the predicted values', () => {
    expect(job({ modelQuality: { problemType: ModelQualityProblemType.REGRESSION, groundTruthAttribute: 'y', probabilityAttribute: 'p' } })).toThrow(
      /\[TestStack\/Check\] modelQuality.problemType is Regression, which compares predicted values: give inferenceAttribute/,
    );
  });

  test.each([-0.1, 1.5])('probability threshold %d is refused', (threshold) => {
    expect(job({ modelQuality: { ...MODEL_QUALITY, probabilityThreshold: threshold } })).toThrow(
      new RegExp(`modelQuality.probabilityThreshold is ${threshold}, but a probability threshold is between 0 and 1`),
    );
  });

  test.each([0, 1])('probability threshold %d passes', (threshold) => {
    expect(job({ modelQuality: { ...MODEL_QUALITY, probabilityThreshold: threshold } })).not.toThrow();
  });
});

describe('QualityCheckStep and RegisterModelStep validation', () => {
  test('a drift check with no previous baseline is refused', () => {
    const { dataCheck } = setup();
    expect(() => new QualityCheckStep('DataQuality', dataCheck, { registerNewBaseline: true })).toThrow(
      /Pipeline step "DataQuality": skipCheck is false, so SageMaker needs a previous baseline, but there is none: supply suppliedBaselineStatistics and suppliedBaselineConstraints, or a modelPackageGroup .*or set skipCheck: true and registerNewBaseline: true for the first run/,
    );
  });

  test('keeping the previous baseline (registerNewBaseline false) needs one too', () => {
    const { dataCheck } = setup();
    expect(() => new QualityCheckStep('DataQuality', dataCheck, { skipCheck: true })).toThrow(
      /Pipeline step "DataQuality": registerNewBaseline is false, so SageMaker needs a previous baseline, but there is none/,
    );
  });

  test('a supplied baseline needs both files', () => {
    const { data, dataCheck } = setup();
    expect(() => new QualityCheckStep('DataQuality', dataCheck, { skipCheck: true, suppliedBaselineStatistics: S3Location.fromBucket(data, 'statistics.json') })).toThrow(
      /Pipeline step "DataQuality": only suppliedBaselineStatistics is set: a quality baseline is a statistics.json and a constraints.json together; give both/,
    );
  });

  test('drift-check baselines come from a check of the matching type', () => {
    const { stack, data, group, modelCheck } = setup();
    const modelStep = new QualityCheckStep('ModelQuality', modelCheck, { skipCheck: true, registerNewBaseline: true });
    expect(() => new RegisterModelStep('Register', {
      modelPackageGroup: group,
      image: ContainerImage.xgboost('1.7-1'),
      modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
      role: new SageMakerExecutionRole(stack, 'ModelRole'),
      driftCheckBaselines: { dataQuality: modelStep },
    })).toThrow(/Pipeline step "Register": driftCheckBaselines.dataQuality is step "ModelQuality", a MODEL_QUALITY check; give a QualityCheckStep whose job has checkType DATA_QUALITY/);
  });

  test('modelMetrics and a model quality check do not both set the model quality statistics', () => {
    const { stack, data, group, modelCheck } = setup();
    const modelStep = new QualityCheckStep('ModelQuality', modelCheck, { skipCheck: true, registerNewBaseline: true });
    const evaluation = new ProcessingJob(stack, 'Evaluate', {
      image: ContainerImage.sklearn('1.2-1'),
      entrypoint: ['python3', 'evaluate.py'],
      instanceType: InstanceType.ML_M5_XLARGE,
      outputs: [{ outputName: 'evaluation', bucket: data, prefix: 'evaluation/' }],
    });
    const evaluate = new ProcessingStep('Evaluate', evaluation);
    expect(() => new RegisterModelStep('Register', {
      modelPackageGroup: group,
      image: ContainerImage.xgboost('1.7-1'),
      modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
      role: new SageMakerExecutionRole(stack, 'ModelRole'),
      modelMetrics: { step: evaluate, outputName: 'evaluation', fileName: 'evaluation.json' },
      driftCheckBaselines: { modelQuality: modelStep },
    })).toThrow(/Pipeline step "Register": both modelMetrics and driftCheckBaselines.modelQuality set the version's model quality statistics; keep one/);
  });
});
