// How the pipeline executor treats check steps, with fake job executors (no Python): the rules it
// applies before the analyzer runs, and the ClarifyCheck steps it does not emulate.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalObjectStore } from '../../../lib/local/object-store';
import { executePipeline } from '../../../lib/local/pipeline-executor';
import type { PipelineDefinition } from '../../../lib/local/pipeline-definition';
import { fakeExecutors } from './fake-executors';

function run(steps: unknown[], parameters: unknown[] = []) {
  const store = new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), 'check-exec-')));
  const fake = fakeExecutors({});
  return {
    fake,
    result: executePipeline({
      definition: { Version: '2020-12-01', Parameters: parameters, Steps: steps } as unknown as PipelineDefinition,
      pipelineName: 'checks',
      store,
      executors: fake,
      python: 'python3',
      account: '123456789012',
      region: 'us-east-1',
    }),
  };
}

const ANALYZER_REQUEST = {
  AppSpecification: { ImageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer' },
  ProcessingOutputConfig: { Outputs: [{ OutputName: 'quality_check_output', S3Output: { S3Uri: 's3://b/out', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
  Environment: { output_path: '/opt/ml/processing/output' },
};

describe('check steps in the pipeline executor', () => {
  test('a ClarifyCheck step is not emulated: the run fails naming the step', async () => {
    const { result } = run([{ Name: 'Bias', Type: 'ClarifyCheck', CheckType: 'DATA_BIAS', Arguments: {} }]);
    const r = await result;
    expect(r.failureReason).toBe('Bias: ClarifyCheck steps are not emulated locally (the local runner runs Processing, Training, Tuning, Transform, QualityCheck, Model, RegisterModel, Condition, Fail).');
    expect(r.notes[0]).toMatch(/step Bias is a ClarifyCheck step, which the local runner does not emulate/);
  });

  test('a drift check without a baseline fails before the analyzer runs', async () => {
    const { result, fake } = run([{ Name: 'DataQuality', Type: 'QualityCheck', CheckType: 'DATA_QUALITY', SkipCheck: false, ModelPackageGroupName: 'loan-default', Arguments: ANALYZER_REQUEST }]);
    const r = await result;
    expect(r.failureReason).toBe(
      'DataQuality: SkipCheck is false, but there is no previous baseline: no SuppliedBaselineStatistics/SuppliedBaselineConstraints, and model package group loan-default has no Approved version with ModelDataQuality drift-check baselines. Run with SkipCheck true (and RegisterNewBaseline true) first.',
    );
    expect(fake.calls).toHaveLength(0);
  });

  test('a step that keeps the old baseline (RegisterNewBaseline false) needs one too', async () => {
    const { result } = run([{ Name: 'DataQuality', Type: 'QualityCheck', CheckType: 'DATA_QUALITY', SkipCheck: true, RegisterNewBaseline: false, Arguments: ANALYZER_REQUEST }]);
    expect((await result).failureReason).toBe(
      'DataQuality: RegisterNewBaseline is false, but there is no previous baseline: no SuppliedBaselineStatistics/SuppliedBaselineConstraints and no ModelPackageGroupName. Run with SkipCheck true (and RegisterNewBaseline true) first.',
    );
  });

  test('a supplied baseline that is not in the store fails naming the file', async () => {
    const { result } = run(
      [{ Name: 'DataQuality', Type: 'QualityCheck', CheckType: 'DATA_QUALITY', SkipCheck: { Get: 'Parameters.Skip' }, SuppliedBaselineStatistics: 's3://b/base/statistics.json', SuppliedBaselineConstraints: 's3://b/base/constraints.json', Arguments: ANALYZER_REQUEST }],
      [{ Name: 'Skip', Type: 'Boolean', DefaultValue: false }],
    );
    const r = await result;
    expect(r.failureReason).toBe('DataQuality: the baseline statistics s3://b/base/statistics.json (SuppliedBaselineStatistics/SuppliedBaselineConstraints) is not an object in the local store.');
  });
});
