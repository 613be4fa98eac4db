import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The README's quick start (`npm ci && npx cdk synth`) prints no warnings. This is the suite's
// only synth through the CDK CLI (about 30 s); everything else synthesizes in memory.
const root = path.join(__dirname, '..', '..');

describe('the README commands', () => {
  test('npx cdk synth succeeds without credentials and prints no warning', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-readme-'));
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };
    for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      delete env[name];
    }
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', outdir], { cwd: root, env, encoding: 'utf-8', timeout: 170_000 });
    try {
      expect(result.error).toBeUndefined();
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
      const warnings = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /warn/i.test(line));
      expect(warnings).toEqual([]);
      expect(fs.readdirSync(outdir)).toEqual(expect.arrayContaining(['SageMakerCpu-Platform.template.json', 'SageMakerGpu-Inference.template.json']));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 180_000);
});
