/**
 * QualityCheck steps of a synthesized pipeline on the local runner, with the real processing
 * executor and the Model Monitor analyzer emulation (lib/local/containers/model_monitor_analyzer.py)
 * over rows of examples/data: a first run calculates and registers the baselines, a later run checks
 * new data against the Approved version's drift-check baseline and fails on drift.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { ContainerImage } from '../../../lib/constructs/core';
import { S3Location } from '../../../lib/constructs/jobs';
import {
  MlPipeline,
  ModelApprovalStatus,
  ModelQualityProblemType,
  QualityCheckJob,
  QualityCheckStep,
  QualityCheckType,
  RegisterModelStep,
} from '../../../lib/constructs/pipelines';
import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { SageMakerExecutionRole, SecureBucket } from '../../../lib/constructs/security';
import { LocalPipelineRunner } from '../../../lib/local/local-runner';
import { type LocalPipelineRun } from '../../../lib/local/run-report';
import { testApp, testStack } from '../../helpers';
import { PYTHON, describeWithPython } from './jobs/helpers';

const SAMPLE = path.join(__dirname, '..', '..', '..', 'examples', 'data', 'loan_default_sample.csv');

function build(stack: Stack): void {
  const data = new SecureBucket(stack, 'Data');
  const group = new ModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'loan-default' });
  const role = new SageMakerExecutionRole(stack, 'ModelRole');
  const dataCheck = (id: string) => new QualityCheckJob(stack, id, {
    checkType: QualityCheckType.DATA_QUALITY,
    baselineDataset: S3Location.fromBucket(data, id === 'Baseline' ? 'raw/' : 'new/'),
    outputBucket: data,
  });
  const baseline = new QualityCheckStep('DataQuality', dataCheck('Baseline'), { skipCheck: true, registerNewBaseline: true });
  const modelQuality = new QualityCheckStep('ModelQuality', new QualityCheckJob(stack, 'ModelCheck', {
    checkType: QualityCheckType.MODEL_QUALITY,
    baselineDataset: S3Location.fromBucket(data, 'predictions/'),
    outputBucket: data,
    modelQuality: { problemType: ModelQualityProblemType.BINARY_CLASSIFICATION, groundTruthAttribute: 'default', inferenceAttribute: 'prediction', probabilityAttribute: 'probability' },
  }), { skipCheck: true, registerNewBaseline: true });
  new MlPipeline(stack, 'BaselinePipeline', {
    pipelineName: 'baseline',
    steps: [baseline, modelQuality, new RegisterModelStep('Register', {
      modelPackageGroup: group,
      image: ContainerImage.xgboost('1.7-1'),
      modelDataUrl: `s3://${data.bucketName}/model.tar.gz`,
      role,
      approvalStatus: ModelApprovalStatus.APPROVED,
      driftCheckBaselines: { dataQuality: baseline, modelQuality },
    })],
  });
  new MlPipeline(stack, 'CheckPipeline', {
    pipelineName: 'check',
    steps: [new QualityCheckStep('DataQuality', dataCheck('Check'), { modelPackageGroup: group })],
  });
}

function explain(run: LocalPipelineRun): string {
  return `${run.status}: ${run.failureReason ?? ''}\n${run.steps.map((s) => `${s.name} ${s.status} ${s.failureReason ?? ''}\n${s.logExcerpt ?? ''}`).join('\n')}`;
}

describeWithPython('QualityCheck steps on the local runner', () => {
  let runner: LocalPipelineRunner;
  let bucket: string;
  let registeredStatistics: string;
  const header = fs.readFileSync(SAMPLE, 'utf-8').split('\n')[0];
  const rows = fs.readFileSync(SAMPLE, 'utf-8').split('\n').slice(1).filter((l) => l.trim() !== '').slice(0, 200);

  beforeAll(() => {
    const app = testApp();
    build(testStack(app, 'Checks'));
    runner = new LocalPipelineRunner({
      assemblyDirectory: app.synth().directory,
      dataDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'quality-check-')),
      python: PYTHON,
    });
    bucket = runner.bucketOf('Checks', 'Data');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-check-data-'));
    fs.writeFileSync(path.join(dir, 'train.csv'), [header, ...rows].join('\n') + '\n');
    runner.uploadData(path.join(dir, 'train.csv'), `s3://${bucket}/raw/`);
    // Predictions of a model that says "default" above an income threshold, against the real labels.
    const columns = header.split(',');
    const income = columns.indexOf('annual_income');
    const label = columns.indexOf('default');
    const predictions = rows.map((row) => {
      const cells = row.split(',');
      const probability = Number(cells[income]) < 40000 ? 0.8 : 0.2;
      return `${probability},${probability > 0.5 ? 1 : 0},${cells[label]}`;
    });
    fs.writeFileSync(path.join(dir, 'predictions.csv'), ['probability,prediction,default', ...predictions].join('\n') + '\n');
    runner.uploadData(path.join(dir, 'predictions.csv'), `s3://${bucket}/predictions/`);
  }, 120_000);

  test('the first run calculates both baselines and registers them with the version', async () => {
    const run = await runner.runPipeline({ stack: 'Checks', pipeline: 'BaselinePipeline' });
    if (run.status !== 'Succeeded') throw new Error(explain(run));
    const data = run.steps.find((s) => s.name === 'DataQuality')!;
    const calculated = data.properties!.CalculatedBaselineStatistics as string;
    registeredStatistics = calculated;
    expect(calculated).toMatch(new RegExp(`^s3://${bucket}/quality-check/data-quality/${run.executionId}/statistics\\.json$`));
    expect(data.properties).toMatchObject({
      CheckType: 'DATA_QUALITY',
      SkipCheck: true,
      RegisterNewBaseline: true,
      BaselineUsedForDriftCheckStatistics: calculated,
      BaselineUsedForDriftCheckConstraints: data.properties!.CalculatedBaselineConstraints,
    });
    const statistics = JSON.parse(runner.store.read(calculated).toString('utf-8'));
    expect(statistics.dataset.item_count).toBe(rows.length);
    const types = Object.fromEntries(statistics.features.map((f: any) => [f.name, f.inferred_type]));
    expect(types).toMatchObject({ customer_id: 'String', age: 'Integral', annual_income: 'Fractional', home_ownership: 'String', default: 'Integral' });
    const constraints = JSON.parse(runner.store.read(data.properties!.CalculatedBaselineConstraints as string).toString('utf-8'));
    expect(constraints.features.find((f: any) => f.name === 'age')).toEqual({ name: 'age', inferred_type: 'Integral', completeness: 1, num_constraints: { is_non_negative: true } });

    const model = run.steps.find((s) => s.name === 'ModelQuality')!;
    const metrics = JSON.parse(runner.store.read(model.properties!.CalculatedBaselineStatistics as string).toString('utf-8'));
    expect(Object.keys(metrics.binary_classification_metrics)).toEqual(expect.arrayContaining(['confusion_matrix', 'recall', 'precision', 'accuracy', 'auc', 'f1']));
    // 200 rows: the documented standard deviation from five 80 % samples.
    expect(typeof metrics.binary_classification_metrics.accuracy.standard_deviation).toBe('number');

    const registered = run.steps.find((s) => s.name === 'Register')!;
    const version = runner.state.modelPackage(registered.resourceName!)!;
    expect(version.DriftCheckBaselines).toEqual({
      ModelQuality: {
        Statistics: { ContentType: 'application/json', S3Uri: model.properties!.BaselineUsedForDriftCheckStatistics },
        Constraints: { ContentType: 'application/json', S3Uri: model.properties!.BaselineUsedForDriftCheckConstraints },
      },
      ModelDataQuality: {
        Statistics: { ContentType: 'application/json', S3Uri: calculated },
        Constraints: { ContentType: 'application/json', S3Uri: data.properties!.CalculatedBaselineConstraints },
      },
    });
    expect(registered.warnings).toBeUndefined();
  }, 180_000);

  test('a later check of the same data against the Approved version passes; drifted data fails with its violations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-check-new-'));
    fs.writeFileSync(path.join(dir, 'new.csv'), [header, ...rows].join('\n') + '\n');
    runner.uploadData(path.join(dir, 'new.csv'), `s3://${bucket}/new/`);
    const same = await runner.runPipeline({ stack: 'Checks', pipeline: 'CheckPipeline' });
    if (same.status !== 'Succeeded') throw new Error(explain(same));
    // RegisterNewBaseline is false: the drift-check baseline stays the registered one.
    expect(same.steps[0].properties!.BaselineUsedForDriftCheckStatistics).toBe(registeredStatistics);
    expect(same.steps[0].properties!.CalculatedBaselineStatistics).toContain(`/${same.executionId}/statistics.json`);

    // Everyone rents now and a column is gone.
    const columns = header.split(',');
    const keep = columns.map((_, i) => i).filter((i) => columns[i] !== 'purpose');
    const ownership = columns.indexOf('home_ownership');
    const drifted = rows.map((row) => {
      const cells = row.split(',');
      cells[ownership] = 'RENT';
      return keep.map((i) => cells[i]).join(',');
    });
    fs.writeFileSync(path.join(dir, 'new.csv'), [keep.map((i) => columns[i]).join(','), ...drifted].join('\n') + '\n');
    runner.uploadData(path.join(dir, 'new.csv'), `s3://${bucket}/new/`);
    const run = await runner.runPipeline({ stack: 'Checks', pipeline: 'CheckPipeline' });
    expect(run.status).toBe('Failed');
    expect(run.failureReason).toMatch(/^DataQuality: the DATA_QUALITY check found 2 violation\(s\) of DriftCheckBaselines.ModelDataQuality of arn:aws:sagemaker:us-east-1:123456789012:model-package\/loan-default\/1 \(purpose: missing_column_check; home_ownership: baseline_drift_check\); see s3:\/\/.*constraint_violations\.json\./);
    expect(run.steps[0].properties!.ViolationReport).toMatch(/constraint_violations\.json$/);
  }, 180_000);
});

describeWithPython('the analyzer emulation on its own', () => {
  const script = path.join(__dirname, '..', '..', '..', 'lib', 'local', 'containers', 'model_monitor_analyzer.py');

  function analyze(csv: string, env: Record<string, string>): { status: number | null; out: string; stderr: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyzer-'));
    fs.mkdirSync(path.join(dir, 'in'));
    fs.writeFileSync(path.join(dir, 'in', 'data.csv'), csv);
    const r = spawnSync(PYTHON, [script], { env: { PATH: process.env.PATH ?? '', dataset_source: path.join(dir, 'in'), output_path: path.join(dir, 'out'), ...env }, encoding: 'utf8' });
    return { status: r.status, out: path.join(dir, 'out'), stderr: r.stderr };
  }

  test('statistics and constraints of a known CSV follow the documented schemas', () => {
    const r = analyze('x,y,c\n1,0.5,a\n3,1.5,b\n,2.5,a\n', {});
    expect(r.stderr).toBe('');
    const statistics = JSON.parse(fs.readFileSync(path.join(r.out, 'statistics.json'), 'utf-8'));
    expect(statistics.dataset).toEqual({ item_count: 3 });
    const [x, y, c] = statistics.features;
    expect(x).toMatchObject({ name: 'x', inferred_type: 'Integral', numerical_statistics: { common: { num_present: 2, num_missing: 1 }, mean: 2, sum: 4, std_dev: 1, min: 1, max: 3 } });
    expect(x.numerical_statistics.distribution.kll.buckets).toHaveLength(10);
    expect(y).toMatchObject({ inferred_type: 'Fractional', numerical_statistics: { mean: 1.5, sum: 4.5, min: 0.5, max: 2.5 } });
    expect(c).toMatchObject({ inferred_type: 'String', string_statistics: { distinct_count: 2, distribution: { categorical: { buckets: [{ value: 'a', count: 2 }, { value: 'b', count: 1 }] } } } });
    const constraints = JSON.parse(fs.readFileSync(path.join(r.out, 'constraints.json'), 'utf-8'));
    expect(constraints.features).toEqual([
      { name: 'x', inferred_type: 'Integral', completeness: 2 / 3, num_constraints: { is_non_negative: true } },
      { name: 'y', inferred_type: 'Fractional', completeness: 1, num_constraints: { is_non_negative: true } },
      { name: 'c', inferred_type: 'String', completeness: 1, string_constraints: { domains: ['a', 'b'] } },
    ]);
    expect(constraints.monitoring_config.distribution_constraints).toEqual({ perform_comparison: 'Enabled', comparison_threshold: 0.1, comparison_method: 'Robust' });
  });

  test('a check writes each documented violation type', () => {
    const base = analyze('x,y,c\n1,0.5,a\n3,1.5,b\n2,2.5,a\n', {});
    const r = analyze('x,c,z\n1.5,q,1\n,a,2\n', { baseline_statistics: path.join(base.out, 'statistics.json'), baseline_constraints: path.join(base.out, 'constraints.json') });
    expect(r.stderr).toBe('');
    const { violations } = JSON.parse(fs.readFileSync(path.join(r.out, 'constraint_violations.json'), 'utf-8'));
    expect(violations.map((v: any) => `${v.feature_name}:${v.constraint_check_type}`)).toEqual([
      'y:missing_column_check', 'z:extra_column_check', 'x:data_type_check', 'x:completeness_check', 'x:baseline_drift_check', 'c:categorical_values_check', 'c:baseline_drift_check',
    ]);
  });

  test('binary classification metrics match the documented example', () => {
    const r = analyze('probability,prediction,label\n0.9,1,1\n0.8,1,0\n0.7,1,0\n0.2,0,0\n', {
      analysis_type: 'MODEL_QUALITY', problem_type: 'BinaryClassification', inference_attribute: 'prediction', probability_attribute: 'probability', ground_truth_attribute: 'label',
    });
    const metrics = JSON.parse(fs.readFileSync(path.join(r.out, 'statistics.json'), 'utf-8')).binary_classification_metrics;
    // https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
    expect(metrics.confusion_matrix).toEqual({ 0: { 0: 1, 1: 2 }, 1: { 0: 0, 1: 1 } });
    expect(metrics.recall).toEqual({ value: 1, standard_deviation: 'NaN' });
    expect(metrics.precision.value).toBeCloseTo(1 / 3);
    expect(metrics.accuracy.value).toBe(0.5);
    expect(metrics.precision_best_constant_classifier.value).toBe(0.25);
    expect(metrics.false_positive_rate.value).toBeCloseTo(2 / 3);
    const constraints = JSON.parse(fs.readFileSync(path.join(r.out, 'constraints.json'), 'utf-8')).binary_classification_constraints;
    expect(constraints.recall).toEqual({ threshold: 1, comparison_operator: 'LessThanThreshold' });
    expect(constraints.false_positive_rate.comparison_operator).toBe('GreaterThanThreshold');
  });

  test('a model quality check reports the metrics that cross the baseline constraints', () => {
    const env = { analysis_type: 'MODEL_QUALITY', problem_type: 'BinaryClassification', inference_attribute: 'prediction', ground_truth_attribute: 'label' };
    const base = analyze('prediction,label\n1,1\n0,0\n1,1\n0,0\n', env);
    const r = analyze('prediction,label\n1,0\n0,1\n1,1\n0,0\n', { ...env, baseline_constraints: path.join(base.out, 'constraints.json') });
    const { violations } = JSON.parse(fs.readFileSync(path.join(r.out, 'constraint_violations.json'), 'utf-8'));
    expect(violations).toContainEqual({ metric_name: 'accuracy', constraint_check_type: 'LessThanThreshold', description: "Metric accuracy with 0.5 was LessThanThreshold '1'" });
    expect(violations).toContainEqual(expect.objectContaining({ metric_name: 'false_positive_rate', constraint_check_type: 'GreaterThanThreshold' }));
  });

  test('regression metrics; multiclass is refused with a clear error', () => {
    const r = analyze('pred,y\n1,1.5\n2,2\n3,2.5\n', { analysis_type: 'MODEL_QUALITY', problem_type: 'Regression', inference_attribute: 'pred', ground_truth_attribute: 'y' });
    const metrics = JSON.parse(fs.readFileSync(path.join(r.out, 'statistics.json'), 'utf-8')).regression_metrics;
    expect(metrics.mae.value).toBeCloseTo(1 / 3);
    expect(metrics.mse.value).toBeCloseTo(1 / 6);
    expect(metrics.r2.value).toBeCloseTo(0);
    const multi = analyze('pred,y\n1,2\n', { analysis_type: 'MODEL_QUALITY', problem_type: 'MulticlassClassification', inference_attribute: 'pred', ground_truth_attribute: 'y' });
    expect(multi.status).toBe(1);
    expect(multi.stderr).toContain('AnalyzerError: problem_type MulticlassClassification is not emulated by the local analyzer');
  });
});
