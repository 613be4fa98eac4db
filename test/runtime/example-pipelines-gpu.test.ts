/**
 * Runs the example app's GPU pipeline with the local runner, PyTorch on CPU (no Docker, no AWS,
 * no GPU): trains, evaluates, registers, batch-scores and serves the trained model. Its own suite,
 * so it runs beside the CPU pipelines of example-pipelines.test.ts. Needs Debian's python3 with
 * pandas, scikit-learn and torch (scripts/install-local-runtime.sh, run by .ci/run).
 */
import { MINUTES, exampleRunner, explain } from './example-runner';

describe('the GPU example pipeline on the local runner (PyTorch on CPU)', () => {
  const log: string[] = [];

  test('trains, evaluates, registers, batch-scores and serves the trained model', async () => {
    const runner = exampleRunner('gpu', log);
    const run = await runner.runPipeline({ stack: 'SageMakerGpu-Training' });
    expect(run.status === 'Succeeded' ? 'Succeeded' : explain(run, log)).toBe('Succeeded');
    expect(run.steps.find((s) => s.name === 'CheckAuc')?.properties).toEqual({ Outcome: 'True' });
    expect(run.steps.find((s) => s.name === 'BatchScore')?.status).toBe('Succeeded');
    // The model the pipeline created answers through the PyTorch serving contract (code/inference.py).
    const answer = await runner.invokeModel({ model: 'latest', body: '34,52000,8000,36,11.5,690,4,0.21,0,1,0,0,1,0,0,0', contentType: 'text/csv', accept: 'text/csv' });
    const score = Number(answer.body.toString('utf-8').trim());
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
  }, 20 * MINUTES);
});
