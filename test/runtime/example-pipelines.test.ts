/**
 * Runs the example app's CPU pipelines with the local runner and the real job executors (Python,
 * no Docker, no AWS): the training pipeline end to end with its AUC branch, and the tuning
 * pipeline with two trials. Slow (minutes); needs python3 with the packages the examples use.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalPipelineRunner } from '../../lib/local/local-runner';
import { type LocalPipelineRun } from '../../lib/local/run-report';
import { buildExampleApp } from '../../lib/stacks/example-app';
import { testApp } from '../helpers';

// The job executors are written alongside this engine; run only once they exist.
const EXECUTORS_PRESENT = fs.existsSync(path.join(__dirname, '..', '..', 'lib', 'local', 'jobs', 'index.ts'));
const describeWithExecutors = EXECUTORS_PRESENT ? describe : describe.skip;

const SAMPLE = path.join(__dirname, '..', '..', 'examples', 'data', 'loan_default_sample.csv');
const MINUTES = 60_000;

function lineCount(text: string): number {
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

describeWithExecutors('example pipelines on the local runner', () => {
  let runner: LocalPipelineRunner;
  const log: string[] = [];

  beforeAll(() => {
    // The example app's CPU stacks, without the cdk-nag plugins bin/app.ts adds.
    const app = testApp();
    buildExampleApp(app, { profile: 'cpu' });
    const assembly = app.synth();
    runner = new LocalPipelineRunner({
      assemblyDirectory: assembly.directory,
      dataDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'example-pipelines-')),
      log: (line) => log.push(line),
    });
    const bucket = runner.bucketOf('SageMakerCpu-Platform');
    runner.uploadData(SAMPLE, `s3://${bucket}/raw/`);
  }, 5 * MINUTES);

  const explain = (run: LocalPipelineRun): string =>
    `${run.status}: ${run.failureReason ?? ''}\n${run.steps.map((s) => `${s.name} ${s.status} ${s.failureReason ?? ''}\n${s.logExcerpt ?? ''}`).join('\n')}\n--- log ---\n${log.slice(-60).join('\n')}`;

  async function expectAucBranchTaken(parameters: Record<string, string>): Promise<void> {
    const run = await runner.runPipeline({ stack: 'SageMakerCpu-Training', parameters });
    expect(run.status === 'Succeeded' ? 'Succeeded' : explain(run)).toBe('Succeeded');
    const byName = new Map(run.steps.map((s) => [s.name, s]));
    for (const step of ['Preprocess', 'Train', 'Evaluate', 'CheckAuc', 'Register', 'CreateModel', 'BatchScore']) {
      expect([step, byName.get(step)?.status]).toEqual([step, 'Succeeded']);
    }
    expect(byName.get('CheckAuc')?.properties).toEqual({ Outcome: 'True' });
    expect(byName.get('AucTooLow')?.status).toBe('Skipped');

    // One prediction per row of the test split.
    const preprocess = byName.get('Preprocess')?.properties as { ProcessingOutputConfig: { Outputs: Array<{ OutputName: string; S3Output: { S3Uri: string } }> } };
    const testUri = preprocess.ProcessingOutputConfig.Outputs.find((o) => o.OutputName === 'test')?.S3Output.S3Uri as string;
    const testRows = runner.store.list(testUri).reduce((n, uri) => n + lineCount(runner.store.read(uri).toString('utf-8')), 0);
    const outputPath = (byName.get('BatchScore')?.properties as { TransformOutput: { S3OutputPath: string } }).TransformOutput.S3OutputPath;
    const predictions = runner.store.list(outputPath).filter((uri) => uri.endsWith('.out'))
      .reduce((n, uri) => n + lineCount(runner.store.read(uri).toString('utf-8')), 0);
    expect(testRows).toBeGreaterThan(0);
    expect(predictions).toBe(testRows);
  }

  test('the CPU training pipeline succeeds, takes the AUC branch and scores every test row', async () => {
    await expectAucBranchTaken({});
  }, 20 * MINUTES);

  test('with a low AucThreshold the branch runs whatever the model quality (Register, CreateModel, BatchScore)', async () => {
    await expectAucBranchTaken({ AucThreshold: '0.5' });
  }, 20 * MINUTES);

  test('the CPU tuning pipeline succeeds with two trials', async () => {
    const run = await runner.runPipeline({ stack: 'SageMakerCpu-Training', pipeline: 'TuningPipeline', maxTrials: 2 });
    expect(run.status === 'Succeeded' ? 'Succeeded' : explain(run)).toBe('Succeeded');
    const tune = run.steps.find((s) => s.type === 'Tuning');
    expect(tune?.status).toBe('Succeeded');
    expect((tune?.properties?.TrainingJobSummaries as unknown[]).length).toBe(2);
  }, 20 * MINUTES);
});
