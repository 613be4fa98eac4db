/**
 * How long the example pipelines take on the local runner (no Docker, no AWS): the CPU pipeline
 * (preprocess, XGBoost on 2 hosts, evaluate, register, create model, batch transform), the GPU
 * pipeline (PyTorch script mode, here on CPU) and the CPU tuning pipeline with 2 trials.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalPipelineRunner } from '../lib/local';

/** One timed local run. */
export interface LocalRunTiming {
  readonly name: string;
  readonly ms: number;
  readonly status: string;
}

const SAMPLE = path.join(__dirname, '..', 'examples', 'data', 'loan_default_sample.csv');

/** Runs the example pipelines of a synthesized assembly (cdk.out of the default app). */
export async function timeLocalPipelines(assemblyDirectory: string): Promise<LocalRunTiming[]> {
  const cases = [
    { name: 'local run: CPU training pipeline', platform: 'SageMakerCpu-Platform', stack: 'SageMakerCpu-Training', pipeline: 'Pipeline' },
    { name: 'local run: GPU training pipeline (on CPU)', platform: 'SageMakerGpu-Platform', stack: 'SageMakerGpu-Training', pipeline: 'Pipeline' },
    { name: 'local run: CPU tuning pipeline, 2 trials', platform: 'SageMakerCpu-Platform', stack: 'SageMakerCpu-Training', pipeline: 'TuningPipeline', maxTrials: 2 },
  ];
  const timings: LocalRunTiming[] = [];
  for (const c of cases) {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-local-'));
    const runner = new LocalPipelineRunner({ assemblyDirectory, dataDirectory: data });
    runner.uploadData(SAMPLE, `s3://${runner.bucketOf(c.platform)}/raw/loan_default_sample.csv`);
    const start = process.hrtime.bigint();
    const run = await runner.runPipeline({ stack: c.stack, pipeline: c.pipeline, maxTrials: c.maxTrials });
    timings.push({ name: c.name, ms: Number(process.hrtime.bigint() - start) / 1e6, status: run.status });
    fs.rmSync(data, { recursive: true, force: true });
  }
  return timings;
}
