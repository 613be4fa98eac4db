/**
 * A user's Jest project in a temporary directory, for the tests and the bench of the shared-validator
 * test environment (lib/testing/jest): the environment's files compiled as they are published
 * (dist/lib/testing/jest/*.js), a Jest config, and the test files given. The project's
 * node_modules is a link to this repository's, so it finds Jest, aws-cdk-lib and ts-jest as a
 * user's project finds its own.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..');

/** Options of {@link writeJestUserProject}. */
export interface JestUserProjectOptions {
  /** `shared`: the library's environment and module mapping; `node`: Jest's Node environment with the same mapping; `plain`: neither. */
  readonly environment: 'shared' | 'node' | 'plain';
  /** Test files by name (under tests/): JavaScript, or TypeScript when the name ends in `.ts`. */
  readonly tests: Record<string, string>;
  /**
   * Leave jest-environment-node out of the project's node_modules (as pnpm does with Jest's own
   * dependencies); Jest still finds its own copy.
   * @default false
   */
  readonly withoutJestEnvironmentNode?: boolean;
}

/** Writes the project; returns its directory. */
export function writeJestUserProject(options: JestUserProjectOptions): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-jest-user-'));
  if (options.withoutJestEnvironmentNode) {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    for (const entry of fs.readdirSync(path.join(root, 'node_modules')).filter((name) => name !== 'jest-environment-node')) {
      fs.symlinkSync(path.join(root, 'node_modules', entry), path.join(dir, 'node_modules', entry));
    }
  } else {
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  }
  const published = path.join(dir, 'sagemaker-cdk-constructs', 'dist', 'lib', 'testing', 'jest');
  fs.mkdirSync(published, { recursive: true });
  const sources = path.join(root, 'lib', 'testing', 'jest');
  for (const file of fs.readdirSync(sources).filter((f) => f.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(sources, file), 'utf-8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    fs.writeFileSync(path.join(published, file.replace(/\.ts$/, '.js')), outputText);
  }
  const config = {
    rootDir: dir,
    testEnvironment: options.environment === 'shared' ? path.join(published, 'environment') : 'node',
    moduleNameMapper: {
      ...(options.environment === 'plain' ? {} : { '^@aws/cloudformation-validate$': path.join(published, 'cloudformation-validate') }),
      // The library from its TypeScript sources, as the repository's own tests load it.
      '^sagemaker-cdk-constructs$': path.join(root, 'lib', 'index.ts'),
    },
    testMatch: ['<rootDir>/tests/*.test.{js,ts}'],
    transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: path.join(root, 'tsconfig.json') }] },
  };
  fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = ${JSON.stringify(config)};\n`);
  fs.mkdirSync(path.join(dir, 'tests'));
  for (const [name, text] of Object.entries(options.tests)) fs.writeFileSync(path.join(dir, 'tests', name), text);
  return dir;
}

/**
 * CPU milliseconds (user and system) of this process's children that have ended, from
 * /proc/self/stat (cutime, cstime; clock ticks of 10 ms).
 */
function childrenCpuMs(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf-8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5); the first field after the command name is field 3.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * 10;
}

/**
 * Runs the project's tests with Jest in one worker (`--runInBand`); returns its exit status, its
 * output and the CPU time it used (which, unlike wall time, other processes of a busy machine do
 * not inflate).
 */
export function runJestUserProject(dir: string): { status: number | null; output: string; cpuMs: number } {
  const cpuBefore = childrenCpuMs();
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--runInBand', '--config', path.join(dir, 'jest.config.js')], {
    cwd: dir,
    encoding: 'utf-8',
    timeout: 300_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, cpuMs: childrenCpuMs() - cpuBefore };
}
