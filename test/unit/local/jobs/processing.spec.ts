import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runProcessingJob } from '../../../../lib/local/jobs/processing';
import { prefixDirectory, selectObjects } from '../../../../lib/local/jobs/s3-io';
import { LocalJobStatus } from '../../../../lib/local/jobs/types';
import { FIXTURES, SKLEARN_IMAGE, describeWithPython, makeContext, newJobContext, sharedModels } from './helpers';

describe('S3Prefix download naming', () => {
  test('a folder prefix strips the folder; a full key used as a prefix keeps its base name', () => {
    const ctx = makeContext();
    ctx.store.write('s3://b/data/train.csv', '1');
    ctx.store.write('s3://b/data/sub/x.csv', '2');
    ctx.store.write('s3://b/abc123.py', 'print(1)');
    ctx.store.write('s3://b/code/abc123.py', 'print(1)');
    expect(selectObjects(ctx.store, 's3://b/data/', 'S3Prefix', 'x').map((o) => o.relativePath)).toEqual(['sub/x.csv', 'train.csv']);
    expect(selectObjects(ctx.store, 's3://b/data', 'S3Prefix', 'x').map((o) => o.relativePath)).toEqual(['data/sub/x.csv', 'data/train.csv']);
    expect(selectObjects(ctx.store, 's3://b/abc123.py', 'S3Prefix', 'x').map((o) => o.relativePath)).toEqual(['abc123.py']);
    expect(selectObjects(ctx.store, 's3://b/code/abc123.py', 'S3Prefix', 'x').map((o) => o.relativePath)).toEqual(['abc123.py']);
    expect(selectObjects(ctx.store, 's3://b/code/abc123.py', 'S3Object', 'x').map((o) => o.relativePath)).toEqual(['abc123.py']);
    expect(prefixDirectory('data/tr')).toBe('data/');
    expect(() => selectObjects(ctx.store, 's3://b/m.manifest', 'ManifestFile', 'input "m"')).toThrow(/ManifestFile is not emulated/);
  });
});

describeWithPython('runProcessingJob', () => {
  function request(codeUri: string, script: string) {
    return {
      ProcessingJobName: 'pipelines-run1-Prep-abc123',
      RoleArn: 'arn:aws:iam::111122223333:role/r',
      AppSpecification: { ImageUri: SKLEARN_IMAGE, ContainerEntrypoint: ['python3', `/opt/ml/processing/input/code/${script}`], ContainerArguments: ['--ratio', '0.2'] },
      Environment: { MY_SETTING: 'on' },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 } },
      ProcessingInputs: [
        { InputName: 'input-1', S3Input: { S3Uri: 's3://b/raw/', LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
        { InputName: 'code', S3Input: { S3Uri: codeUri, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
      ],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: 's3://b/prepared', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
    } as any;
  }

  test('runs the entrypoint with the inputs at their LocalPath and uploads the outputs', async () => {
    const ctx = makeContext();
    ctx.store.write('s3://b/raw/a.csv', '1,2\n');
    ctx.store.write('s3://b/raw/b.csv', '3,4\n');
    ctx.store.putFile('s3://b/code/3ad0c0ffee.py', path.join(FIXTURES, 'preprocess.py'));
    const result = await runProcessingJob(request('s3://b/code/3ad0c0ffee.py', '3ad0c0ffee.py'), ctx);
    expect(result.failureReason).toBeUndefined();
    expect(result.status).toBe(LocalJobStatus.COMPLETED);
    expect(ctx.store.read('s3://b/prepared/train/a.csv').toString()).toBe('1,2\n');
    const report = JSON.parse(ctx.store.read('s3://b/prepared/report.json').toString());
    expect(report).toEqual({ inputs: ['a.csv', 'b.csv'], args: ['--ratio', '0.2'], host: 'algo-1', env: 'on' });
    expect(result.properties.ProcessingJobStatus).toBe('Completed');
    expect(result.properties.ProcessingJobArn).toBe('arn:aws:sagemaker:us-east-1:111122223333:processing-job/pipelines-run1-prep-abc123');
    expect(ctx.lines.some((l) => l.startsWith('[algo-1] processed'))).toBe(true);
    expect(fs.existsSync(path.join(ctx.workDir, 'algo-1', 'config', 'processingjobconfig.json'))).toBe(true);
  });

  test('two jobs side by side on one store (as parallel pipeline steps run them) each read their inputs and write their outputs', async () => {
    const first = makeContext('run1', 'pipelines-run1-PrepA-abc123');
    const second = newJobContext(first.store, first.tmp, 'run1', 'pipelines-run1-PrepB-abc123');
    first.store.write('s3://b/raw/a.csv', '1,2\n');
    first.store.putFile('s3://b/code/3ad0c0ffee.py', path.join(FIXTURES, 'preprocess.py'));
    const toB = (r: any) => {
      const other = JSON.parse(JSON.stringify(r));
      other.ProcessingJobName = 'pipelines-run1-PrepB-abc123';
      other.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri = 's3://b/prepared-b';
      other.Environment.MY_SETTING = 'b';
      return other;
    };
    const a = request('s3://b/code/3ad0c0ffee.py', '3ad0c0ffee.py');
    a.ProcessingJobName = 'pipelines-run1-PrepA-abc123';
    const [ra, rb] = await Promise.all([runProcessingJob(a, first), runProcessingJob(toB(a), second)]);
    expect([ra.failureReason, rb.failureReason]).toEqual([undefined, undefined]);
    expect(JSON.parse(first.store.read('s3://b/prepared/report.json').toString())).toMatchObject({ inputs: ['a.csv'], env: 'on' });
    expect(JSON.parse(first.store.read('s3://b/prepared-b/report.json').toString())).toMatchObject({ inputs: ['a.csv'], env: 'b' });
    expect(first.lines.some((l) => l.startsWith('[algo-1] processed'))).toBe(true);
    expect(second.lines.some((l) => l.startsWith('[algo-1] processed'))).toBe(true);
  });

  test('a missing entrypoint script names the file and what the code input holds', async () => {
    const ctx = makeContext();
    ctx.store.write('s3://b/raw/a.csv', '1,2\n');
    ctx.store.putFile('s3://b/code/3ad0c0ffee.py', path.join(FIXTURES, 'preprocess.py'));
    const result = await runProcessingJob(request('s3://b/code/3ad0c0ffee.py', 'evaluate.py'), ctx);
    expect(result.status).toBe(LocalJobStatus.FAILED);
    expect(result.failureReason).toBe('/opt/ml/processing/input/code/evaluate.py not found; the code input holds 3ad0c0ffee.py');
  });

  test('no ContainerEntrypoint is not emulated; a failing script reports its last error line', async () => {
    const ctx = makeContext();
    const noEntry = request('s3://b/code/x.py', 'x.py');
    delete noEntry.AppSpecification.ContainerEntrypoint;
    const r1 = await runProcessingJob(noEntry, ctx);
    expect(r1.failureReason).toMatch(/no ContainerEntrypoint.*cannot emulate/);
    ctx.store.write('s3://b/code/bad.py', 'raise ValueError("bad column")\n');
    ctx.store.write('s3://b/raw/a.csv', '1\n');
    const r2 = await runProcessingJob(request('s3://b/code/bad.py', 'bad.py'), ctx);
    expect(r2.status).toBe(LocalJobStatus.FAILED);
    expect(r2.failureReason).toMatch(/ValueError: bad column/);
    expect(r2.logExcerpt).toMatch(/Traceback/);
  });

  test('a model saved one way and loaded another fails with the loader\'s error (the built-in XGBoost writes save_model, not a pickle)', async () => {
    const ctx = makeContext();
    // A booster saved as the 1.7-1 container saves it (Booster.save_model to xgboost-model; the
    // suite's make_models.py does the same), in a model.tar.gz like a training job's.
    const modelDir = fs.mkdtempSync(path.join(ctx.workDir, 'model-'));
    expect(spawnSync('tar', ['-czf', path.join(modelDir, 'model.tar.gz'), '-C', path.join(sharedModels(), 'xgb'), 'xgboost-model']).status).toBe(0);
    ctx.store.putFile('s3://b/models/job/output/model.tar.gz', path.join(modelDir, 'model.tar.gz'));
    ctx.store.write('s3://b/raw/a.csv', '1\n');
    ctx.store.write(
      's3://b/code/evaluate.py',
      'import pickle, tarfile\ntarfile.open("/opt/ml/processing/input/model/model.tar.gz").extractall("m")\nmodel = pickle.load(open("m/xgboost-model", "rb"))\n',
    );
    const req = request('s3://b/code/evaluate.py', 'evaluate.py');
    req.ProcessingInputs.push({ InputName: 'model', S3Input: { S3Uri: 's3://b/models/job/output/model.tar.gz', LocalPath: '/opt/ml/processing/input/model', S3DataType: 'S3Prefix', S3InputMode: 'File' } });
    const result = await runProcessingJob(req, ctx);
    expect(result.status).toBe(LocalJobStatus.FAILED);
    expect(result.failureReason).toMatch(/UnpicklingError/);
  });
  test("the hosts share the job's CPUs: each host's OpenMP, MKL and OpenBLAS threads are its share unless the job sets them", async () => {
    async function threads(cpus: number | undefined, instances: number, environment: Record<string, string> = {}): Promise<string> {
      const ctx = { ...makeContext(), cpus };
      const result = await runProcessingJob({
        ProcessingJobName: 'pipelines-run1-Threads-abc123',
        RoleArn: 'arn:aws:iam::111122223333:role/r',
        AppSpecification: { ImageUri: SKLEARN_IMAGE, ContainerEntrypoint: ['/bin/sh', '-c', 'echo "${OMP_NUM_THREADS-unset} ${MKL_NUM_THREADS-unset} ${OPENBLAS_NUM_THREADS-unset}" > /opt/ml/processing/output/threads'] },
        Environment: environment,
        ProcessingResources: { ClusterConfig: { InstanceCount: instances, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 } },
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: 's3://b/threads', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
      } as any, ctx);
      expect(result.failureReason).toBeUndefined();
      return ctx.store.read('s3://b/threads/threads').toString().trim();
    }
    expect(await threads(4, 2)).toBe('2 2 2');
    expect(await threads(3, 2)).toBe('1 1 1');
    expect(await threads(1, 2)).toBe('1 1 1');
    expect(await threads(4, 1, { OMP_NUM_THREADS: '7' })).toBe('7 4 4');
    expect(await threads(undefined, 1)).toBe('unset unset unset');
  });
});
