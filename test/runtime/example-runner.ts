// What the example-pipeline suites share: a local runner over the example app of one profile and
// the message that explains a failed run. The CPU and GPU pipelines run in two suites
// (example-pipelines.test.ts, example-pipelines-gpu.test.ts) so Jest's two workers run them at
// the same time.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalPipelineRunner } from '../../lib/local/local-runner';
import { type LocalPipelineRun } from '../../lib/local/run-report';
import { buildExampleApp } from '../../lib/stacks/example-app';
import { testApp } from '../helpers';

/** The example app's sample data. */
export const SAMPLE = path.join(__dirname, '..', '..', 'examples', 'data', 'loan_default_sample.csv');

/** A minute, for Jest timeouts. */
export const MINUTES = 60_000;

/** A runner over the example app's stacks of one profile (without the cdk-nag plugins bin/app.ts adds), with the sample uploaded. */
export function exampleRunner(profile: 'cpu' | 'gpu', log: string[]): LocalPipelineRunner {
  const app = testApp();
  buildExampleApp(app, { profile });
  const runner = new LocalPipelineRunner({
    assemblyDirectory: app.synth().directory,
    dataDirectory: fs.mkdtempSync(path.join(os.tmpdir(), `example-pipelines-${profile}-`)),
    log: (line) => log.push(line),
  });
  const platform = profile === 'cpu' ? 'SageMakerCpu-Platform' : 'SageMakerGpu-Platform';
  runner.uploadData(SAMPLE, `s3://${runner.bucketOf(platform)}/raw/`);
  return runner;
}

/** Why a run failed, with the end of the log, for assertion messages. */
export function explain(run: LocalPipelineRun, log: string[]): string {
  return `${run.status}: ${run.failureReason ?? ''}\n${run.steps.map((s) => `${s.name} ${s.status} ${s.failureReason ?? ''}\n${s.logExcerpt ?? ''}`).join('\n')}\n--- log ---\n${log.slice(-60).join('\n')}`;
}
