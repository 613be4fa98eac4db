import { createLocalJobExecutors } from '../../../../lib/local/jobs';
import { EMULATED_IMAGES, classifyImage, renderEmulationTable } from '../../../../lib/local/jobs/images';
import { runProcessingJob } from '../../../../lib/local/jobs/processing';
import { LocalJobStatus } from '../../../../lib/local/jobs/types';
import { describeWithPython, makeContext } from './helpers';

test('createLocalJobExecutors returns the five executors', () => {
  const ex = createLocalJobExecutors();
  expect(Object.keys(ex).sort()).toEqual(['invokeModel', 'runProcessingJob', 'runTrainingJob', 'runTransformJob', 'runTuningJob']);
});

test('images are classified by repository', () => {
  expect(classifyImage('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1')).toMatchObject({ kind: 'xgboost', tag: '1.7-1' });
  expect(classifyImage('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3').kind).toBe('sklearn');
  expect(classifyImage('763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1-cpu-py310').kind).toBe('pytorch-training');
  expect(classifyImage('763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310').kind).toBe('pytorch-inference');
  expect(classifyImage('156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer').kind).toBe('model-monitor');
  expect(classifyImage('205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0').kind).toBe('clarify');
  expect(classifyImage('111122223333.dkr.ecr.us-east-1.amazonaws.com/my-image@sha256:abc').kind).toBe('custom');
  expect(new Set(EMULATED_IMAGES.map((r) => r.kind)).size).toBe(EMULATED_IMAGES.length);
  expect(renderEmulationTable().split('\n')).toHaveLength(EMULATED_IMAGES.length + 2);
});

describeWithPython('sandbox', () => {
  test('MaxRuntimeInSeconds kills the job: MaxRuntimeExceeded; /opt/ml is the host dir', async () => {
    const ctx = makeContext();
    const request: any = {
      ProcessingJobName: 'pipelines-run1-Sleep-abc123',
      AppSpecification: { ImageUri: 'x/custom:1', ContainerEntrypoint: ['/bin/sh', '-c', 'echo "$(ls /opt/ml)"; pip install -r requirements.txt; sleep 30'] },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
      StoppingCondition: { MaxRuntimeInSeconds: 1 },
      RoleArn: 'arn:aws:iam::111122223333:role/r',
    };
    const r = await runProcessingJob(request, ctx);
    expect(r.status).toBe(LocalJobStatus.FAILED);
    expect(r.failureReason).toMatch(/^MaxRuntimeExceeded/);
    expect(ctx.lines).toContain('[algo-1] config');
    expect(ctx.lines).toContain('[algo-1] sagemaker local runner: skipped `pip install -r requirements.txt` (jobs use the packages installed on this machine)');
  });

  test('not emulated containers fail clearly', async () => {
    const ctx = makeContext();
    const request: any = {
      ProcessingJobName: 'p', AppSpecification: { ImageUri: '205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0' },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } }, RoleArn: 'r',
    };
    expect((await runProcessingJob(request, ctx)).failureReason).toMatch(/sagemaker-clarify-processing .* is not emulated/);
  });
});
