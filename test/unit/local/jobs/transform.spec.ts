import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyJsonPath, filterRecord } from '../../../../lib/local/jobs/jsonpath';
import { invokeModel, runTransformJob } from '../../../../lib/local/jobs/transform';
import { LocalJobStatus, type LocalModel } from '../../../../lib/local/jobs/types';
import { FIXTURES, PYTORCH_INFERENCE_IMAGE, SKLEARN_IMAGE, XGB_IMAGE, classificationCsv, describeWithPython, makeContext, newJobContext, pythonUnavailable, sharedModels } from './helpers';

test('JSONPath filters of batch transform', () => {
  expect(filterRecord('1,0.5,0.2,0.9', 'text/csv', '$[1:]')).toBe('0.5,0.2,0.9');
  expect(filterRecord('1,0.5,0.2,0.9', 'text/csv', '$[0,-1]')).toBe('1,0.9');
  expect(filterRecord('a,b,c,d,e,f', 'text/csv', '$[1,2,5]')).toBe('b,c,f');
  expect(filterRecord('{"id":1,"features":[1,2]}', 'application/json', '$.features')).toBe('[1,2]');
  expect(applyJsonPath({ a: 1, b: 2, c: 3 }, "$['a','c']")).toEqual({ a: 1, c: 3 });
});

const models: { dir?: string } = {};
function tarModel(store: any, sub: string, uri: string, extra: string[] = []): void {
  const tar = path.join(models.dir!, `${sub}.tar.gz`);
  const r = spawnSync('tar', ['-czf', tar, '-C', path.join(models.dir!, sub), ...fs.readdirSync(path.join(models.dir!, sub)), ...extra]);
  if (r.status !== 0) throw new Error(String(r.stderr));
  store.putFile(uri, tar);
}

describeWithPython('runTransformJob and invokeModel', () => {
  beforeAll(() => {
    if (pythonUnavailable()) return;
    // A copy of the suite's models: the PyTorch test changes its folder.
    models.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-local-models-'));
    fs.cpSync(sharedModels(), models.dir, { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'torch-model', 'code'), path.join(models.dir, 'torch', 'code'), { recursive: true });
  });

  const xgbModel: LocalModel = { modelName: 'm', containers: [{ Image: XGB_IMAGE, ModelDataUrl: 's3://b/models/xgb/model.tar.gz' }] };

  function transformRequest(inputFilter?: string): any {
    return {
      TransformJobName: 'pipelines-run1-Score-abc123',
      ModelName: 'm',
      BatchStrategy: 'MultiRecord',
      MaxPayloadInMB: 6,
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/prepared/test/' } }, ContentType: 'text/csv', SplitType: 'Line' },
      TransformOutput: { S3OutputPath: 's3://b/scores', Accept: 'text/csv', AssembleWith: 'Line' },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
      DataProcessing: { InputFilter: inputFilter, JoinSource: 'Input', OutputFilter: '$' },
    };
  }

  test('built-in XGBoost: $[1:] input filter + join gives one prediction per row; without the filter a clear message', async () => {
    const ctx = makeContext();
    tarModel(ctx.store, 'xgb', 's3://b/models/xgb/model.tar.gz');
    const csv = classificationCsv(25, 7);
    ctx.store.write('s3://b/prepared/test/test.csv', csv);
    const result = await runTransformJob(transformRequest('$[1:]'), xgbModel, ctx);
    expect(result.failureReason).toBeUndefined();
    expect(result.status).toBe(LocalJobStatus.COMPLETED);
    const out = ctx.store.read('s3://b/scores/test.csv.out').toString().split('\n').filter(Boolean);
    const rows = csv.trim().split('\n');
    expect(out).toHaveLength(25);
    out.forEach((line, i) => {
      expect(line.startsWith(`${rows[i]},`)).toBe(true);
      const p = Number(line.split(',').pop());
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    });
    expect(result.properties.TransformJobStatus).toBe('Completed');

    const bad = await runTransformJob(transformRequest(undefined), xgbModel, makeContextSharing(ctx));
    expect(bad.status).toBe(LocalJobStatus.FAILED);
    expect(bad.failureReason).toContain('the model expects 4 features but the input has 5 columns; drop the label (e.g. DataProcessing InputFilter "$[1:]")');

    // invokeModel: JSON accept of the container ({"predictions": [{"score": p}]}).
    const inv = await invokeModel(xgbModel, Buffer.from('0.9,0.9,0.1,0.1\n0.1,0.1,0.5,0.5'), 'text/csv', 'application/json', makeContextSharing(ctx));
    const parsed = JSON.parse(inv.body.toString());
    expect(parsed.predictions).toHaveLength(2);
    expect(parsed.predictions[0].score).toBeGreaterThan(parsed.predictions[1].score);
    expect(inv.contentType).toBe('application/json');
  });

  test('scikit-learn: user model_fn with the default input/predict/output functions', async () => {
    const ctx = makeContext();
    tarModel(ctx.store, 'sklearn', 's3://b/models/sk/model.tar.gz');
    const model: LocalModel = { modelName: 's', containers: [{ Image: SKLEARN_IMAGE, ModelDataUrl: 's3://b/models/sk/model.tar.gz', Environment: { SAGEMAKER_PROGRAM: 'predict.py' } }] };
    const inv = await invokeModel(model, Buffer.from('0.9,0.9,0.1,0.1\n0.1,0.1,0.5,0.5'), 'text/csv', 'application/json', ctx);
    expect(JSON.parse(inv.body.toString())).toEqual([1, 0]);
  });

  test('PyTorch: inference.py handlers; the default loader fails with the toolkit message', async () => {
    const ctx = makeContext();
    tarModel(ctx.store, 'torch', 's3://b/models/torch/model.tar.gz');
    const model: LocalModel = { modelName: 't', containers: [{ Image: PYTORCH_INFERENCE_IMAGE, ModelDataUrl: 's3://b/models/torch/model.tar.gz', Environment: { SAGEMAKER_PROGRAM: 'inference.py' } }] };
    const inv = await invokeModel(model, Buffer.from(JSON.stringify({ instances: [[1, 1, 1], [0, 0, 1]] })), 'application/json', 'application/json', ctx);
    expect(JSON.parse(inv.body.toString())).toEqual({ predictions: [6.5, 3.5], accept: 'application/json' });

    // Without inference.py the toolkit's default_model_fn wants a TorchScript model.pt (or exactly one .pt/.pth).
    fs.rmSync(path.join(models.dir!, 'torch', 'code'), { recursive: true });
    fs.writeFileSync(path.join(models.dir!, 'torch', 'extra.pt'), 'x');
    tarModel(ctx.store, 'torch', 's3://b/models/torch/plain.tar.gz');
    const plain: LocalModel = { modelName: 'p', containers: [{ Image: PYTORCH_INFERENCE_IMAGE, ModelDataUrl: 's3://b/models/torch/plain.tar.gz' }] };
    await expect(invokeModel(plain, Buffer.from('[[1,2,3]]'), 'application/json', undefined, makeContextSharing(ctx)))
      .rejects.toThrow(/the model failed to load: ValueError: Exactly one \.pth or \.pt file is required for PyTorch models: \['(extra\.pt', 'model\.pth|model\.pth', 'extra\.pt)'\]/);
  });
});

function makeContextSharing(ctx: ReturnType<typeof makeContext>) {
  return newJobContext(ctx.store, ctx.tmp, ctx.runId, ctx.jobName);
}
