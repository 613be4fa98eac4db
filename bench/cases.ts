import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

/** One in-process synthesis benchmark. */
export interface BenchCase {
  /** What is measured. */
  readonly name: string;
  /** Another case's name to print a ratio against. */
  readonly compareTo?: string;
  /** Builds and synthesizes; returns milliseconds. */
  run(): number;
}

/** Times building an app with `build` and synthesizing it (schema validation on, as in tests). */
export function timeSynth(build: (app: App) => void): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-'));
  const start = process.hrtime.bigint();
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  build(app);
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

import { buildFiftyEndpoints, buildFiftyEndpointsRawL1 } from './hosting';
import { buildPipeline } from './pipelines';

export const BENCH_CASES: BenchCase[] = [
  { name: '50 endpoints, raw L1', run: () => timeSynth(buildFiftyEndpointsRawL1) },
  { name: '50 endpoints, our constructs', compareTo: '50 endpoints, raw L1', run: () => timeSynth(buildFiftyEndpoints) },
  { name: 'pipeline of 20 steps', run: () => timeSynth((app) => buildPipeline(app, 20)) },
  { name: 'pipeline of 200 steps', compareTo: 'pipeline of 20 steps', run: () => timeSynth((app) => buildPipeline(app, 200)) },
];
