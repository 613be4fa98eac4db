/**
 * Runs the example app's CPU pipelines with the local runner and the real job executors (Python,
 * no Docker, no AWS): the training pipeline end to end with its AUC branch, twice (the second run
 * trains from scratch under its own checkpoint prefix), the served versions and the Lambda front,
 * and the tuning pipeline with two trials. The GPU pipeline runs in example-pipelines-gpu.test.ts.
 * Needs Debian's python3 with pandas, scikit-learn, xgboost and torch
 * (scripts/install-local-runtime.sh, run by .ci/run).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as frontHandler } from '../../lib/constructs/hosting/handlers/inference-front';
import { LocalPipelineRunner } from '../../lib/local/local-runner';
import { type LocalPipelineRun } from '../../lib/local/run-report';
import { LoanFeatures } from '../../lib/stacks/loan-features';
import { MINUTES, SAMPLE, exampleRunner, explain } from './example-runner';

function lineCount(text: string): number {
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

/** The smoke-test pattern of the CPU example's promotion pipeline, from the runner's synthesized assembly. */
function smokeTestPattern(runner: LocalPipelineRunner): string {
  const assembly = runner.resolver.assembly;
  const template = assembly.template(assembly.stack('SageMakerCpu-Promotion')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const variables = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::CodeBuild::Project')
    .flatMap((r) => ((r.Properties.Environment as { EnvironmentVariables?: Array<{ Name: string; Value: string }> }).EnvironmentVariables ?? []));
  const pattern = variables.find((v) => v.Name === 'SMOKE_TEST_PATTERN')?.Value;
  if (!pattern) throw new Error('the promotion stack has no SMOKE_TEST_PATTERN');
  return pattern;
}

describe('the CPU example pipelines on the local runner', () => {
  let runner: LocalPipelineRunner;
  const log: string[] = [];

  beforeAll(() => {
    runner = exampleRunner('cpu', log);
  }, 5 * MINUTES);

  async function expectAucBranchTaken(parameters: Record<string, string>): Promise<LocalPipelineRun> {
    const run = await runner.runPipeline({ stack: 'SageMakerCpu-Training', parameters });
    expect(run.status === 'Succeeded' ? 'Succeeded' : explain(run, log)).toBe('Succeeded');
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
    return run;
  }

  /** The training step's checkpoint URI and model package version of a run. */
  function trainingRecord(run: LocalPipelineRun): { checkpoints: string; version: unknown } {
    const train = run.steps.find((s) => s.name === 'Train')?.properties as { CheckpointConfig: { S3Uri: string } };
    const register = run.steps.find((s) => s.name === 'Register')?.properties as { ModelPackageVersion?: unknown; ModelPackageArn: string };
    return { checkpoints: train.CheckpointConfig.S3Uri, version: register.ModelPackageVersion ?? register.ModelPackageArn.split('/').pop() };
  }

  test('the CPU training pipeline succeeds, takes the AUC branch and scores every test row', async () => {
    await expectAucBranchTaken({});
  }, 20 * MINUTES);

  test('a second run (low AucThreshold) trains from scratch under its own checkpoint prefix and registers the next version', async () => {
    const before = log.length;
    const run = await expectAucBranchTaken({ AucThreshold: '0.5' });
    const { checkpoints, version } = trainingRecord(run);
    expect(checkpoints).toContain(`/${run.executionId}/`);
    // The built-in algorithm logs every round; a run resuming a stale checkpoint would start past round 0.
    expect(log.slice(before).some((line) => line.includes('[Train]') && /\[0\]\ttrain-/.test(line))).toBe(true);
    expect(String(version)).toBe('2');
    // The version lands in the local registry with its model metrics: the evaluation report the
    // Evaluate step wrote, with the AUC the CheckAuc step compared.
    const registered = runner.state.modelPackage(String((run.steps.find((s) => s.name === 'Register')?.properties as { ModelPackageArn: string }).ModelPackageArn));
    expect(registered).toMatchObject({ ModelPackageVersion: 2, ModelApprovalStatus: 'PendingManualApproval' });
    const statistics = (registered?.ModelMetrics as { ModelQuality: { Statistics: { ContentType: string; S3Uri: string } } }).ModelQuality.Statistics;
    expect(statistics.ContentType).toBe('application/json');
    expect(statistics.S3Uri).toMatch(/^s3:\/\/.+\/evaluation\.json$/);
    const report = JSON.parse(runner.store.read(statistics.S3Uri).toString('utf-8')) as { binary_classification_metrics: { auc: { value: number } } };
    expect(report.binary_classification_metrics.auc.value).toBeGreaterThan(0.5);
  }, 20 * MINUTES);

  test('the inference stacks serve the newest approved version from the registry, after it is approved', async () => {
    const body = '34,52000,8000,36,11.5,690,4,0.21,0,1,0,0,1,0,0,0';
    const invoke = (stack: string) => runner.invokeModel({ stack, model: 'Model', body: Buffer.from(body), contentType: 'text/csv', accept: 'text/csv' });
    // Both versions are pending: the deploy-time resolver refuses to pick one.
    await expect(invoke('SageMakerCpu-Inference')).rejects.toThrow(/has no version whose approval status is Approved/);
    runner.state.updateModelPackageApproval('loan-default-cpu/1', 'Approved', 'first model');
    const pattern = smokeTestPattern(runner);
    for (const stack of ['SageMakerCpu-InferenceStaging', 'SageMakerCpu-Inference']) {
      const answer = await invoke(stack);
      const score = Number(answer.body.toString('utf-8').trim());
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
      // The promotion's smoke test would accept this answer: its pattern, as the example
      // synthesizes it, checked with the grep -Pzq the smoke-test script runs (also on a small
      // probability in exponent notation, as the container may print it).
      for (const body of [answer.body.toString('utf-8'), '5.3e-05\n']) {
        const grep = spawnSync('grep', ['-Pzq', '--', pattern, '-'], { input: body });
        expect({ body, status: grep.status }).toEqual({ body, status: 0 });
      }
    }
    // Each version records its run's data quality baseline (the DataQualityBaseline step's
    // statistics and constraints of the 16 encoded features) as its drift-check baseline.
    type Baselines = { DriftCheckBaselines: { ModelDataQuality: { Statistics: { S3Uri: string }; Constraints: { S3Uri: string } } } };
    const drift = (runner.state.modelPackage('loan-default-cpu/1') as unknown as Baselines).DriftCheckBaselines.ModelDataQuality;
    const constraints = JSON.parse(runner.store.read(drift.Constraints.S3Uri).toString('utf-8')) as { features: Array<{ name: string }> };
    expect(constraints.features.map((f) => f.name)).toEqual(LoanFeatures.headers());
    expect(runner.store.exists(drift.Statistics.S3Uri)).toBe(true);
    // Version 1 keeps the metrics of its own run: later runs write their reports elsewhere.
    const v1 = runner.state.modelPackage('loan-default-cpu/1');
    const v2 = runner.state.modelPackage('loan-default-cpu/2');
    type Metrics = { ModelQuality: { Statistics: { S3Uri: string } } };
    const uri = (v: unknown) => ((v as { ModelMetrics: Metrics }).ModelMetrics.ModelQuality.Statistics.S3Uri);
    expect(uri(v1)).not.toBe(uri(v2));
    expect(runner.store.exists(uri(v1))).toBe(true);
  }, 20 * MINUTES);

  test("the REST API's Lambda front, configured as synthesized, validates, encodes and scores sample applicants with the served model", async () => {
    // The front function's environment exactly as the production inference stack synthesizes it.
    const assembly = runner.resolver.assembly;
    const template = assembly.template(assembly.stack('SageMakerCpu-Inference')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [front] = Object.entries(template.Resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('Front'));
    const environment = runner.resolver.forStack('SageMakerCpu-Inference').resolve((front[1].Properties.Environment as { Variables: unknown }).Variables, 'the front function') as Record<string, string>;
    expect(environment.ENDPOINT_NAME).toBe('loan-default-cpu');
    const saved = { ...process.env };
    Object.assign(process.env, environment);
    // The endpoint call goes to the locally served production model.
    const sent: string[] = [];
    const sagemaker = mockClient(SageMakerRuntimeClient);
    sagemaker.on(InvokeEndpointCommand).callsFake(async (input: { Body: Uint8Array | string; ContentType: string; Accept: string; InferenceId?: string }) => {
      const body = Buffer.from(input.Body).toString('utf-8');
      sent.push(body);
      const answer = await runner.invokeModel({ stack: 'SageMakerCpu-Inference', model: 'Model', body, contentType: input.ContentType, accept: input.Accept });
      return { Body: new Uint8Array(answer.body), ContentType: 'text/csv', InvokedProductionVariant: 'AllTraffic' };
    });
    try {
      const [header, ...lines] = fs.readFileSync(SAMPLE, 'utf-8').trim().split('\n').slice(0, 6);
      const names = header.split(',');
      const records = lines.map((line) => {
        const values = line.split(',');
        const record: Record<string, string | number> = {};
        names.forEach((name, i) => {
          if (name === 'customer_id' || name === 'default') return;
          record[name] = name in LoanFeatures.CATEGORICAL ? values[i] : Number(values[i]);
        });
        return record;
      });
      const response = await frontHandler({ httpMethod: 'POST', body: JSON.stringify({ id: 'application-1', records }) });
      expect(response.statusCode).toBe(200);
      const answer = JSON.parse(response.body) as { predictions: Array<{ probability: number; label: string }> };
      expect(answer.predictions).toHaveLength(5);
      for (const p of answer.predictions) {
        expect(p.probability).toBeGreaterThanOrEqual(0);
        expect(p.probability).toBeLessThanOrEqual(1);
        expect(p.label).toBe(p.probability >= 0.5 ? 'default' : 'repaid');
      }
      // Five rows of 16 encoded columns went to the model.
      expect(sent[0].trim().split('\n').map((row) => row.split(',').length)).toEqual([16, 16, 16, 16, 16]);
      // A bad applicant never reaches the model.
      const rejected = await frontHandler({ httpMethod: 'POST', body: JSON.stringify({ ...records[0], purpose: 'yacht' }) });
      expect(rejected.statusCode).toBe(400);
      expect(sent).toHaveLength(1);
    } finally {
      sagemaker.restore();
      process.env = saved;
    }
  }, 20 * MINUTES);

  test('the CPU tuning pipeline succeeds with two trials', async () => {
    const run = await runner.runPipeline({ stack: 'SageMakerCpu-Training', pipeline: 'TuningPipeline', maxTrials: 2 });
    expect(run.status === 'Succeeded' ? 'Succeeded' : explain(run, log)).toBe('Succeeded');
    const tune = run.steps.find((s) => s.type === 'Tuning');
    expect(tune?.status).toBe('Succeeded');
    type Summary = { TrainingJobName: string; FinalHyperParameterTuningJobObjectiveMetric: { Value: number } };
    const summaries = tune?.properties?.TrainingJobSummaries as Summary[];
    expect(summaries).toHaveLength(2);
    // The best trial by the objective (validation:auc, maximized) is the one later steps get.
    const best = tune?.properties?.BestTrainingJob as Summary;
    const values = summaries.map((s) => s.FinalHyperParameterTuningJobObjectiveMetric.Value);
    expect(best.FinalHyperParameterTuningJobObjectiveMetric.Value).toBe(Math.max(...values));
  }, 20 * MINUTES);
});
