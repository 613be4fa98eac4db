// The library as other languages get it: jsii compiles it with no error or warning, the API
// reference in docs/ is what jsii-docgen generates from the assembly, jsii-pacmak generates the
// Python package, Debian's python3 builds it into a wheel offline, and the README's Python sample
// uses only classes, methods, arguments and struct fields the generated package has.
// scripts/jsii-package.js does the building (in a scratch copy of the repository) and keeps the
// build for unchanged inputs in node_modules/.cache/jsii-package.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const MINUTES = 60_000;

interface PackageSummary {
  readonly ok: boolean;
  readonly step?: string;
  readonly error?: string;
  readonly docsCurrent?: boolean;
  readonly types?: number;
  readonly python?: string;
  readonly wheel?: string;
}

let summary: PackageSummary;

beforeAll(() => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-package-test-'));
  // A build of unchanged inputs is reused from node_modules/.cache (see the script's header): the
  // checks below run on it all the same; a fresh clone builds.
  const cache = path.join(ROOT, 'node_modules', '.cache', 'jsii-package');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'jsii-package.js'), '--out', out, '--cache', cache], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  const lastLine = result.stdout.trim().split('\n').pop() ?? '{}';
  summary = JSON.parse(lastLine) as PackageSummary;
}, 15 * MINUTES);

test('jsii compiles the library with no error and no warning (reserved words, dependency metadata)', () => {
  expect(summary.ok ? 'ok' : `${summary.step} failed:\n${summary.error}`).toBe('ok');
  expect(summary.types).toBeGreaterThan(200);
});

test('docs/API.md and docs/API.python.md are what jsii-docgen generates (regenerate: node scripts/jsii-package.js --update-docs)', () => {
  expect(summary.docsCurrent).toBe(true);
});

test('the Python package builds into a wheel offline, and its metadata names aws-cdk-lib, constructs and jsii', () => {
  expect(summary.wheel).toMatch(/sagemaker_cdk_constructs-[0-9.]+-py3-none-any\.whl$/);
  const metadata = execFileSync('/usr/bin/python3', ['-c', [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'print(z.read([n for n in z.namelist() if n.endswith(".dist-info/METADATA")][0]).decode())',
  ].join('\n'), summary.wheel as string], { encoding: 'utf-8' });
  const requires = metadata.split('\n').filter((line) => line.startsWith('Requires-Dist:'));
  expect(requires.join('\n')).toMatch(/aws-cdk-lib \(<3\.0\.0,>=2\.276\.0\)/);
  expect(requires.join('\n')).toMatch(/constructs \(<11\.0\.0,>=10\./);
  expect(requires.join('\n')).toMatch(/jsii /);
  // The AWS SDK clients the CLI uses are bundled in the package's tarball, not Python dependencies.
  expect(requires.join('\n')).not.toMatch(/aws-sdk|commander/);
});

test("the README's Python sample type-checks against the generated package and is in the README verbatim", () => {
  const example = path.join(ROOT, 'examples', 'python', 'hosting.py');
  const check = spawnSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'check_python_example.py'), path.join(summary.python as string, 'src'), example], { encoding: 'utf-8' });
  expect(check.stdout + check.stderr).toBe('');
  expect(check.status).toBe(0);
  const lines = fs.readFileSync(example, 'utf-8').split('\n');
  const body = lines.slice(lines.indexOf('# snippet:start') + 1, lines.indexOf('# snippet:end')).join('\n');
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8')).toContain(body);
});

test('the type check finds a wrong argument, a wrong struct field and a missing method', () => {
  const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'python-example-')), 'bad.py');
  fs.writeFileSync(bad, [
    'from sagemaker_cdk_constructs import Endpoint, EndpointVariant, MlKey',
    'key = MlKey(None, "Key", rotation=True)',
    'endpoint = Endpoint(None, "E", variants=[EndpointVariant.instance(model=None, instance_type=None, bogus=1)], data_capture={"prefx": "capture/"})',
    'endpoint.add_rollback_alarmz()',
  ].join('\n'));
  const check = spawnSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'check_python_example.py'), path.join(summary.python as string, 'src'), bad], { encoding: 'utf-8' });
  expect(check.status).toBe(1);
  expect(check.stdout).toContain('MlKey.__init__ has no parameter rotation');
  expect(check.stdout).toContain('EndpointVariant.instance has no parameter bogus');
  expect(check.stdout).toContain('has no field prefx');
  expect(check.stdout).toContain('Endpoint has no method add_rollback_alarmz');
});
