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
  /** The largest ratio to `compareTo` that keeps scaling linear (printed as met or not). */
  readonly ratioGoal?: number;
  /** Builds and synthesizes; returns milliseconds. */
  run(): number;
}

/**
 * Times building an app with `build` and synthesizing it, with aws-cdk-lib's built-in CloudFormation
 * schema rules on (as in tests) unless `schemaRules` is false.
 */
export function timeSynth(build: (app: App) => void, schemaRules = true): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-'));
  const start = process.hrtime.bigint();
  const app = new App({ outdir, builtinCloudFormationValidation: schemaRules, context: { '@aws-cdk/core:validateAgainstDefaultRules': schemaRules } });
  build(app);
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

import { buildPipeline, buildPipelineInS3 } from './pipelines';
import { buildFeatureGroup, buildMonitoredEndpoints } from './scale';

export const BENCH_CASES: BenchCase[] = [
  { name: 'pipeline of 20 steps', run: () => timeSynth((app) => buildPipeline(app, 20)) },
  { name: 'pipeline of 200 steps', compareTo: 'pipeline of 20 steps', ratioGoal: 11, run: () => timeSynth((app) => buildPipeline(app, 200)) },
  {
    name: 'pipeline of 200 steps, definition past the inline limit (in S3)',
    compareTo: 'pipeline of 200 steps',
    run: () => timeSynth((app) => buildPipelineInS3(app, 200)),
  },
  // The schema rules (aws-cdk-lib's validator) grow faster than linearly with the length of one
  // property's array; the construct alone is measured without them.
  { name: 'feature group of 25 features', run: () => timeSynth((app) => buildFeatureGroup(app, 25)) },
  { name: 'feature group of 2,500 features (the maximum)', compareTo: 'feature group of 25 features', run: () => timeSynth((app) => buildFeatureGroup(app, 2500)) },
  { name: 'feature group of 25 features, no schema rules', run: () => timeSynth((app) => buildFeatureGroup(app, 25), false) },
  {
    name: 'feature group of 2,500 features, no schema rules',
    compareTo: 'feature group of 25 features, no schema rules',
    ratioGoal: 110,
    run: () => timeSynth((app) => buildFeatureGroup(app, 2500), false),
  },
  { name: '10 monitored endpoints (alarms, dashboard) in 1 stack', run: () => timeSynth((app) => buildMonitoredEndpoints(app, 10, 25)) },
  {
    name: '100 monitored endpoints (alarms, dashboard) across 4 stacks',
    compareTo: '10 monitored endpoints (alarms, dashboard) in 1 stack',
    ratioGoal: 11,
    run: () => timeSynth((app) => buildMonitoredEndpoints(app, 100, 25)),
  },
];
