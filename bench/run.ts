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
import { timeLocalPipelines } from './local-runner';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Synthesizes the default app through the CLI into `outdir`; returns milliseconds. */
function timeCdkSynth(outdir: string): number {
  const start = process.hrtime.bigint();
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-'));
  console.log(`cdk synth of the default example app (CLI, nag packs included): ${seconds(timeCdkSynth(outdir))}`);
  // The example pipelines on the local runner, from the assembly just synthesized.
  for (const timing of await timeLocalPipelines(outdir)) console.log(`${timing.name}: ${seconds(timing.ms)} (${timing.status})`);
  fs.rmSync(outdir, { recursive: true, force: true });
  const results = new Map<string, number>();
  for (const benchCase of BENCH_CASES) {
    // The first run of a process pays for loading and JIT; report the best of three.
    const ms = Math.min(benchCase.run(), benchCase.run(), benchCase.run());
    results.set(benchCase.name, ms);
    console.log(`${benchCase.name}: ${seconds(ms)}`);
  }
  for (const benchCase of BENCH_CASES) {
    if (benchCase.compareTo && results.has(benchCase.compareTo)) {
      const ratio = (results.get(benchCase.name) as number) / (results.get(benchCase.compareTo) as number);
      console.log(`ratio ${benchCase.name} / ${benchCase.compareTo}: ${ratio.toFixed(2)}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
