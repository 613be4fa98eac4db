import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { extractMetrics, jobLabel, runTrainingJob } from '../../../../lib/local/jobs/training';
import { extractTar } from '../../../../lib/local/jobs/s3-io';
import { LocalJobStatus } from '../../../../lib/local/jobs/types';
import { FIXTURES, PYTHON, PYTORCH_TRAINING_IMAGE, XGB_IMAGE, classificationCsv, describeWithPython, makeContext, newJobContext } from './helpers';

export function xgbRequest(name: string, extra: Record<string, unknown> = {}, hps: Record<string, string> = {}): any {
  return {
    TrainingJobName: name,
    RoleArn: 'arn:aws:iam::111122223333:role/r',
    AlgorithmSpecification: { TrainingImage: XGB_IMAGE, TrainingInputMode: 'File' },
    HyperParameters: { objective: 'binary:logistic', num_round: '5', max_depth: '3', eval_metric: 'auc', ...hps },
    InputDataConfig: [
      { ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/prepared/train/', S3DataDistributionType: 'FullyReplicated' } } },
      { ChannelName: 'validation', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/prepared/validation/', S3DataDistributionType: 'FullyReplicated' } } },
    ],
    OutputDataConfig: { S3OutputPath: 's3://b/models' },
    ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 300 },
    ...extra,
  };
}

export function writeData(ctx: { store: any }): void {
  ctx.store.write('s3://b/prepared/train/part-0.csv', classificationCsv(150, 1));
  ctx.store.write('s3://b/prepared/train/part-1.csv', classificationCsv(150, 2));
  ctx.store.write('s3://b/prepared/validation/validation.csv', classificationCsv(80, 3));
}

test('metric regexes: the last match wins; tabs match #011', () => {
  const log = '[0]\ttrain-auc:0.8\tvalidation-auc:0.70\n[1]\ttrain-auc:0.9\tvalidation-auc:0.75\nloss=0.3\n';
  expect(extractMetrics(log, [{ Name: 'validation:auc', Regex: '.*\\[[0-9]+\\].*#011validation-auc:(\\S+)' }, { Name: 'loss', Regex: 'loss=([0-9.]+)' }]).map((m) => [m.MetricName, m.Value]))
    .toEqual([['validation:auc', 0.75], ['loss', 0.3]]);
  expect(jobLabel('pipelines-abc123xyz-Train-Xyz1234567')).toBe('Train');
});

describeWithPython('runTrainingJob: built-in XGBoost', () => {
  test('trains, saves xgboost-model with save_model, reports validation:auc, packs model.tar.gz', async () => {
    const ctx = makeContext();
    writeData(ctx);
    const result = await runTrainingJob(xgbRequest('pipelines-run1-Train-abc123'), ctx);
    expect(result.failureReason).toBeUndefined();
    expect(result.status).toBe(LocalJobStatus.COMPLETED);
    const artifacts = (result.properties.ModelArtifacts as any).S3ModelArtifacts;
    expect(artifacts).toBe('s3://b/models/pipelines-run1-Train-abc123/output/model.tar.gz');
    const dir = path.join(ctx.tmp, 'extracted');
    extractTar(ctx.store.pathOf(artifacts), dir);
    expect(fs.readdirSync(dir)).toEqual(['xgboost-model']);
    const load = spawnSync(PYTHON, ['-c', 'import sys, xgboost; b = xgboost.Booster(); b.load_model(sys.argv[1]); print(b.num_boosted_rounds(), b.num_features())', path.join(dir, 'xgboost-model')], { encoding: 'utf8' });
    expect(load.stdout.trim()).toBe('5 4');
    const metrics = result.properties.FinalMetricDataList as Array<{ MetricName: string; Value: number }>;
    const auc = metrics.find((m) => m.MetricName === 'validation:auc');
    expect(auc?.Value).toBeGreaterThan(0.7);
    expect(ctx.lines.some((l) => /^\[algo-1\] \[4\]\ttrain-auc:[0-9.]+\tvalidation-auc:/.test(l))).toBe(true);
    expect(ctx.store.exists('s3://b/models/pipelines-run1-Train-abc123/output/output.tar.gz')).toBe(true);
    const hp = JSON.parse(fs.readFileSync(path.join(ctx.workDir, 'algo-1', 'input', 'config', 'inputdataconfig.json'), 'utf8'));
    expect(hp.train).toEqual({ ContentType: 'text/csv', TrainingInputMode: 'File', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' });
  });

  test('hyperparameter validation failures come from /opt/ml/output/failure', async () => {
    const ctx = makeContext();
    writeData(ctx);
    const r = await runTrainingJob(xgbRequest('pipelines-run1-Train-abc123', {}, { num_round: '', nonsense: '1' }), ctx);
    expect(r.status).toBe(LocalJobStatus.FAILED);
    expect(r.failureReason).toMatch(/^ClientError: /);
    const r2 = await runTrainingJob({ ...xgbRequest('pipelines-run1-Train-abc123'), HyperParameters: { objective: 'binary:logistic' } }, makeContextWith(ctx));
    expect(r2.failureReason).toBe('ClientError: Missing required hyperparameter: num_round');
  });

  test('checkpoints: written and uploaded; another run on the prefix fails; the same run may reuse it; resume trains the remaining rounds', async () => {
    const ctx = makeContext('execA', 'pipelines-execA-Train-abc123');
    writeData(ctx);
    const cp = { CheckpointConfig: { S3Uri: 's3://b/checkpoints/Train' } };
    const first = await runTrainingJob(xgbRequest('pipelines-execA-Train-abc123', cp), ctx);
    expect(first.failureReason).toBeUndefined();
    const written = ctx.store.list('s3://b/checkpoints/Train/');
    // xgboost 1.7's TrainingCheckPoint (used by the 1.7-1 container's callback.py) names them <name>_<epoch>.json.
    expect(written).toEqual(['s3://b/checkpoints/Train/xgboost-checkpoint_0.json']);

    const other = newJobContext(ctx.store, ctx.tmp, 'execB', 'pipelines-execB-Train-def456');
    const second = await runTrainingJob(xgbRequest('pipelines-execB-Train-def456', cp), other);
    expect(second.status).toBe(LocalJobStatus.FAILED);
    expect(second.failureReason).toContain('checkpoint prefix s3://b/checkpoints/Train/ already holds checkpoints of another run (execution execA, job pipelines-execA-Train-abc123)');
    expect(second.failureReason).toContain('Give every job its own prefix, e.g. with the execution id');

    // Same run (a retry): allowed. With a checkpoint the container's loader recognises (xgboost-checkpoint.<N>,
    // as script mode's checkpointing.train writes), it resumes and trains only the remaining rounds.
    const retry = newJobContext(ctx.store, ctx.tmp, 'execA', 'pipelines-execA-Train-abc123');
    // (xgboost reads a JSON model whatever the file is called.)
    ctx.store.write('s3://b/checkpoints/Train/xgboost-checkpoint.2', ctx.store.read(written[0]));
    const resumed = await runTrainingJob(xgbRequest('pipelines-execA-Train-abc123', cp), retry);
    expect(resumed.failureReason).toBeUndefined();
    expect(retry.lines.some((l) => l.includes('Resuming from iteration 3'))).toBe(true);
    const trainedRounds = retry.lines.filter((l) => /^\[algo-1\] \[\d+\]\ttrain-auc/.test(l)).length;
    expect(trainedRounds).toBe(2);
  });

  test('multi-host: sharding, the master trains on the union, a host without a shard fails clearly', async () => {
    const ctx = makeContext();
    writeData(ctx);
    const sharded = xgbRequest('pipelines-run1-Train-abc123', { ResourceConfig: { InstanceCount: 2, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10 } });
    sharded.InputDataConfig[0].DataSource.S3DataSource.S3DataDistributionType = 'ShardedByS3Key';
    const ok = await runTrainingJob(sharded, ctx);
    expect(ok.failureReason).toBeUndefined();
    expect(fs.readdirSync(path.join(ctx.workDir, 'algo-1', 'input', 'data', 'train'))).toEqual(['part-0.csv']);
    expect(fs.readdirSync(path.join(ctx.workDir, 'algo-2', 'input', 'data', 'train'))).toEqual(['part-1.csv']);
    expect(ctx.lines.some((l) => l.includes('[algo-1]') && l.includes('Train matrix has 300 rows'))).toBe(true);
    expect(fs.readdirSync(path.join(ctx.workDir, 'algo-2', 'model'))).toEqual([]);

    const other = makeContextWith(ctx);
    ctx.store.deletePrefix('s3://b/prepared/train/part-1.csv');
    const r = await runTrainingJob(sharded, other);
    expect(r.failureReason).toBe('host algo-2 of 2 gets no object of channel "train" (ShardedByS3Key over 1 object under s3://b/prepared/train/): write at least as many files as instances');
  });
});

function makeContextWith(ctx: ReturnType<typeof makeContext>) {
  return newJobContext(ctx.store, ctx.tmp, ctx.runId, ctx.jobName);
}

describeWithPython('runTrainingJob: script mode', () => {
  test('runs a torch script with the SM_* environment and the hyperparameters as arguments', async () => {
    const ctx = makeContext();
    writeData(ctx);
    const tar = path.join(ctx.tmp, 'sourcedir.tar.gz');
    spawnSync('tar', ['-czf', tar, '-C', path.join(FIXTURES, 'torch-train'), 'train.py']);
    ctx.store.putFile('s3://b/code/sourcedir.tar.gz', tar);
    const request = {
      ...xgbRequest('pipelines-run1-TorchTrain-abc123'),
      AlgorithmSpecification: {
        TrainingImage: PYTORCH_TRAINING_IMAGE,
        TrainingInputMode: 'File',
        MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=([0-9.]+)' }],
      },
      HyperParameters: {
        epochs: '3', lr: '0.1', 'model-name': '"tiny"',
        sagemaker_program: '"train.py"', sagemaker_submit_directory: '"s3://b/code/sourcedir.tar.gz"',
      },
    };
    const result = await runTrainingJob(request, ctx);
    expect(result.failureReason).toBeUndefined();
    const dir = path.join(ctx.tmp, 'torch-model');
    extractTar(ctx.store.pathOf((result.properties.ModelArtifacts as any).S3ModelArtifacts), dir);
    const seen = JSON.parse(fs.readFileSync(path.join(dir, 'seen.json'), 'utf8'));
    expect(seen.argv).toEqual(['--epochs', '3', '--lr', '0.1', '--model-name', 'tiny']);
    expect(seen.env.SM_MODEL_DIR).toBe('/opt/ml/model');
    expect(seen.env.SM_CHANNELS).toBe('["train","validation"]');
    expect(seen.env.SM_CHANNEL_TRAIN).toBe('/opt/ml/input/data/train');
    expect(seen.env.SM_HPS).toBe('{"epochs":3,"lr":0.1,"model-name":"tiny"}');
    expect(seen.env.SM_HP_EPOCHS).toBe('3');
    expect(seen.env.SM_HOSTS).toBe('["algo-1"]');
    expect(seen.env.SM_CURRENT_HOST).toBe('algo-1');
    expect(seen.env.SM_USER_ENTRY_POINT).toBe('train.py');
    expect(seen.env.SM_OUTPUT_DATA_DIR).toBe('/opt/ml/output/data');
    expect(seen.env.SM_MODULE_DIR).toBe('s3://b/code/sourcedir.tar.gz');
    expect(JSON.parse(seen.env.SM_TRAINING_ENV).hyperparameters).toEqual({ epochs: 3, lr: 0.1, 'model-name': 'tiny' });
    expect(seen.cwd).toBe('/opt/ml/code');
    expect(fs.existsSync(path.join(dir, 'model.pth'))).toBe(true);
    expect((result.properties.FinalMetricDataList as any[]).map((m) => m.MetricName)).toEqual(['train:loss']);
  });

  test('a missing program or submit directory fails clearly', async () => {
    const ctx = makeContext();
    writeData(ctx);
    const request = {
      ...xgbRequest('pipelines-run1-TorchTrain-abc123'),
      AlgorithmSpecification: { TrainingImage: PYTORCH_TRAINING_IMAGE, TrainingInputMode: 'File' },
      HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: '"s3://b/code/missing.tar.gz"' },
    };
    const r = await runTrainingJob(request, ctx);
    expect(r.failureReason).toMatch(/^ClientError: could not get the training code: sagemaker_submit_directory s3:\/\/b\/code\/missing.tar.gz does not exist/);
    const r2 = await runTrainingJob({ ...request, HyperParameters: {} }, makeContextWith(ctx));
    expect(r2.failureReason).toMatch(/sagemaker_program hyperparameter/);
  });
});
