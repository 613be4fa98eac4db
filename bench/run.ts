/**
 * `npm run bench`: measures how long synthesis takes. Not a test: it prints figures.
 *
 * Benchmarks are registered in bench/cases; each prints one line.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function timeCdkSynth(): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-bench-'));
  const start = process.hrtime.bigint();
  execFileSync('npx', ['cdk', 'synth', '--all', '--quiet', '--output', outdir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

function main(): void {
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const synthMs = timeCdkSynth();
  console.log(`cdk synth --all (default app, CLI included): ${(synthMs / 1000).toFixed(2)} s`);
}

main();
