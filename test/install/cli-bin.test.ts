import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// After `npm ci` in a checkout, `npx sagemaker-cdk` runs this repository's CLI: bin/sagemaker-cdk.js
// (compiled CLI when built, else the TypeScript sources through tsx) and the link that
// scripts/link-cli.js (run by `prepare`) puts on node_modules/.bin.
const root = path.join(__dirname, '..', '..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')) as { version: string }).version;

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf-8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the sagemaker-cdk command in a checkout', () => {
  test('node bin/sagemaker-cdk.js --help prints the usage and the commands', () => {
    const { status, stdout, stderr } = run(process.execPath, ['bin/sagemaker-cdk.js', '--help']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: sagemaker-cdk \[options\] \[command\]/);
    for (const command of ['data', 'pipeline', 'endpoint', 'studio', 'local']) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(stdout).toContain('Exit codes: 0 success');
  });

  test('node_modules/.bin/sagemaker-cdk links to bin/sagemaker-cdk.js and prints the version', () => {
    const link = path.join(root, 'node_modules', '.bin', 'sagemaker-cdk');
    expect(fs.realpathSync(link)).toBe(fs.realpathSync(path.join(root, 'bin', 'sagemaker-cdk.js')));
    const { status, stdout, stderr } = run(link, ['--version']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(version);
  });
});
