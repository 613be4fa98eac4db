// The processing executor runs jobs of the Model Monitor analyzer image through the analyzer
// emulation: here the deploy-time baselining job of MonitoringBaseline.computeAtDeployTime, rendered
// from the construct, over rows of examples/data.
import * as fs from 'fs';
import * as path from 'path';
import { aws_s3 as s3 } from 'aws-cdk-lib';
import { ProcessingJob, S3Location } from '../../../../lib/constructs/jobs';
import { MonitoringBaseline } from '../../../../lib/constructs/monitoring';
import { runProcessingJob } from '../../../../lib/local/jobs/processing';
import { LocalJobStatus } from '../../../../lib/local/jobs/types';
import { testStack } from '../../../helpers';
import { describeWithPython, makeContext } from './helpers';

const SAMPLE = path.join(__dirname, '..', '..', '..', '..', 'examples', 'data', 'loan_default_sample.csv');

/** The CreateProcessingJob request of the baselining job, with its deploy-time values filled in. */
function baseliningRequest(): any {
  const stack = testStack();
  const bucket = s3.Bucket.fromBucketName(stack, 'Data', 'data-bucket');
  MonitoringBaseline.computeAtDeployTime(stack, 'Baseline', { dataset: S3Location.fromBucket(bucket, 'raw/'), outputBucket: bucket });
  const job = stack.node.findChild('Baseline') as ProcessingJob;
  const request = stack.resolve(job._renderRequest());
  return { ...request, RoleArn: 'arn:aws:iam::123456789012:role/baseline', ProcessingJobName: 'baseline-job' };
}

describeWithPython('processing jobs with the Model Monitor analyzer image', () => {
  test("computeAtDeployTime's baselining job writes statistics.json and constraints.json", async () => {
    const request = baseliningRequest();
    expect(request.AppSpecification.ImageUri).toMatch(/sagemaker-model-monitor-analyzer/);
    const ctx = makeContext();
    ctx.store.write('s3://data-bucket/raw/loan_default_sample.csv', fs.readFileSync(SAMPLE));
    const result = await runProcessingJob(request, ctx);
    expect(result.failureReason).toBeUndefined();
    expect(result.status).toBe(LocalJobStatus.COMPLETED);
    const statistics = JSON.parse(ctx.store.read('s3://data-bucket/monitoring/baseline/statistics.json').toString('utf-8'));
    const rows = fs.readFileSync(SAMPLE, 'utf-8').split('\n').filter((l) => l.trim() !== '').length - 1;
    expect(statistics.dataset.item_count).toBe(rows);
    const constraints = JSON.parse(ctx.store.read('s3://data-bucket/monitoring/baseline/constraints.json').toString('utf-8'));
    expect(constraints.features.map((f: any) => f.name)).toEqual(fs.readFileSync(SAMPLE, 'utf-8').split('\n')[0].split(','));
  }, 120_000);

  test('an analyzer job with its own ContainerEntrypoint is refused: only the image entry point is emulated', async () => {
    const request = baseliningRequest();
    const ctx = makeContext();
    const result = await runProcessingJob({ ...request, AppSpecification: { ...request.AppSpecification, ContainerEntrypoint: ['python3', 'mine.py'] } }, ctx);
    expect(result.status).toBe(LocalJobStatus.FAILED);
    expect(result.failureReason).toBe(
      'the processing job overrides the ContainerEntrypoint of sagemaker-model-monitor-analyzer (python3 mine.py); the local runner emulates only the analyzer\'s own entry point.',
    );
  });

  test('a data set the analyzer cannot read fails the job with the analyzer error', async () => {
    const request = baseliningRequest();
    const ctx = makeContext();
    ctx.store.write('s3://data-bucket/raw/a.csv', 'x,y\n1,2\n');
    ctx.store.write('s3://data-bucket/raw/b.csv', 'x,z\n1,2\n');
    const result = await runProcessingJob(request, ctx);
    expect(result.status).toBe(LocalJobStatus.FAILED);
    expect(result.failureReason).toMatch(/AlgorithmError: algo-1 exited with 1: AnalyzerError: .*b\.csv has the columns \['x', 'z'\], but .*a\.csv has \['x', 'y'\]; all files of a data set share one schema\./);
  });
});
