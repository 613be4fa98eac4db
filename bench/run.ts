/**
 * `npm run bench`: how long synthesis takes. Not a test: it prints figures, one per line.
 *
 * - the default example app, through the CDK CLI (`cdk synth`, as users run it);
 * - in-process cases registered in bench/cases.ts (each builds an app and synthesizes it).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCH_CASES } from './cases';
import { PairedRatio, measureMarginalCosts, pairedRatio } from './endpoints';
import { measureImportCost } from './import-cost';
import { timeJestSuites } from './jest-suite';
import { timeLocalPipelines } from './local-runner';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Synthesizes an app through the CLI into `outdir` (the default app unless `app` is given);
 * returns milliseconds. The CLI's own messages are shown only when it fails. `validate: false`
 * switches aws-cdk-lib's built-in CloudFormation validation off (CDK_VALIDATION=false).
 */
function timeCdkSynth(outdir: string, app?: string, validate = true): number {
  const start = process.hrtime.bigint();
  try {
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir, ...(app ? ['--app', app] : [])], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: validate ? process.env : { ...process.env, CDK_VALIDATION: 'false' },
    });
  } catch (error) {
    process.stderr.write(String((error as { stderr?: Buffer }).stderr ?? error));
    throw error;
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The example app into `outdir` and an empty one-stack app into `emptyOut` through the same CLI, interleaved, best of two each. */
function fastestSynths(outdir: string, emptyOut: string, validate: boolean): { example: number; empty: number } {
  const emptyApp = `npx tsx ${path.join('bench', 'empty-app.ts')}`;
  let example = Infinity;
  let empty = Infinity;
  for (let round = 0; round < 2; round++) {
    empty = Math.min(empty, timeCdkSynth(emptyOut, emptyApp, validate));
    example = Math.min(example, timeCdkSynth(outdir, undefined, validate));
  }
  return { example, empty };
}

function ratio(value: number, base: number, goal: number): string {
  const r = value / base;
  return `${r.toFixed(2)} (goal <= ${goal}${r <= goal ? ', met' : ', NOT met'})`;
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-'));
  const emptyOut = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-empty-'));
  // With and without aws-cdk-lib's built-in CloudFormation validation, to show its share.
  const { example, empty } = fastestSynths(outdir, emptyOut, true);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-novalidation-'));
  const { example: exampleUnvalidated, empty: emptyUnvalidated } = fastestSynths(scratch, emptyOut, false);
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(emptyOut, { recursive: true, force: true });
  console.log(`cdk synth of the default example app (CLI, nag packs and schema rules included): ${seconds(example)}`);
  console.log(`cdk synth of an empty one-stack app (same CLI and runner): ${seconds(empty)}`);
  console.log(`ratio example app / empty app: ${ratio(example, empty, 1.3)}`);
  console.log(`the same without aws-cdk-lib's built-in CloudFormation validation (CDK_VALIDATION=false): ${seconds(exampleUnvalidated)} / ${seconds(emptyUnvalidated)}; the validation takes ${seconds(example - exampleUnvalidated)} of the example's synth and ${seconds(empty - emptyUnvalidated)} of the empty app's`);
  // The example pipelines on the local runner, from the assembly just synthesized.
  for (const timing of await timeLocalPipelines(outdir)) console.log(`${timing.name}: ${seconds(timing.ms)} (${timing.status})`);
  fs.rmSync(outdir, { recursive: true, force: true });

  const imports = measureImportCost(7);
  console.log(`import of aws-cdk-lib and constructs (fresh process, median of 7): ${imports.awsCdkLibMs.toFixed(0)} ms`);
  console.log(`import of the library (the same, plus the library): ${imports.libraryMs.toFixed(0)} ms`);
  const overhead = imports.libraryMs - imports.awsCdkLibMs;
  console.log(`import cost of the library over aws-cdk-lib: ${overhead.toFixed(0)} ms (goal <= 300 ms${overhead <= 300 ? ', met' : ', NOT met'})`);

  // Marginal cost of an autoscaled real-time endpoint: 5 and 65 endpoints (65 x 7 resources stay under CloudFormation's 500 per stack), 15 interleaved rounds.
  const rounds = 15;
  const costs = measureMarginalCosts(rounds, 5, 65);
  for (const cost of costs) console.log(`per endpoint, ${cost.writer}: ${cost.msPerEndpoint.toFixed(2)} ms of CPU (least times), ${cost.resourcesPerEndpoint} resources`);
  const [floor, alphaModule, ours, l2Floor] = costs;
  const rounded = (paired: PairedRatio) => `as the median of ${rounds} paired rounds (single rounds ${paired.least.toFixed(2)}-${paired.greatest.toFixed(2)}`;
  const l2 = pairedRatio(l2Floor, floor);
  console.log(`ratio aws-cdk-lib's IAM and scaling L2s alone / L1 floor per endpoint: ${l2.median.toFixed(2)} ${rounded(l2)}): the floor of any library built on those L2s`);
  for (const [name, base, goal] of [['L1 floor', floor, 1.3], ['aws-sagemaker-alpha', alphaModule, 1]] as const) {
    const paired = pairedRatio(ours, base);
    console.log(`ratio ours / ${name} per endpoint: ${ratio(paired.median, 1, goal)} ${rounded(paired)}; from the least times ${(ours.msPerEndpoint / base.msPerEndpoint).toFixed(2)})`);
  }

  // A user's Jest suite, with Jest's Node environment and with the library's shared-validator one.
  const suites = timeJestSuites(6);
  console.log(`a user's Jest suite of ${suites.files} test files, one synth each (one worker, CPU time): ${seconds(suites.perFileMs)} with Jest's Node environment, ${seconds(suites.sharedMs)} with the shared-validator environment (${((suites.perFileMs - suites.sharedMs) / (suites.files - 1) / 1000).toFixed(1)} s less per test file after the first)`);

  const results = new Map<string, number>();
  for (const benchCase of BENCH_CASES) {
    // The first run of a process pays for loading and JIT; report the best of three.
    const ms = Math.min(benchCase.run(), benchCase.run(), benchCase.run());
    results.set(benchCase.name, ms);
    console.log(`${benchCase.name}: ${seconds(ms)}`);
  }
  for (const benchCase of BENCH_CASES) {
    if (benchCase.compareTo && results.has(benchCase.compareTo)) {
      const value = results.get(benchCase.name) as number;
      const base = results.get(benchCase.compareTo) as number;
      console.log(`ratio ${benchCase.name} / ${benchCase.compareTo}: ${benchCase.ratioGoal ? ratio(value, base, benchCase.ratioGoal) : (value / base).toFixed(2)}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
