#!/usr/bin/env node
/*
 * Builds the library the way it is published to other languages, in a scratch copy of the
 * repository (so dist/ of the checkout is untouched):
 *   1. jsii compiles lib/ into a jsii assembly (.jsii): zero errors, and no warnings allowed;
 *   2. jsii-docgen renders the API reference from that assembly (TypeScript and Python, one run);
 *   3. jsii-pacmak generates the Python package (--code-only);
 *   4. Debian's python3 builds it into a wheel, offline (--no-isolation: the build tools come
 *      from the python3-build, python3-setuptools and python3-wheel packages, not from PyPI).
 *
 * Usage: node scripts/jsii-package.js [--out <dir>] [--cache <dir>] [--update-docs] [--no-wheel]
 *   --out          where to leave the scratch copy and its results (default: a temp directory)
 *   --cache        keep each successful build under <dir>/<hash of its inputs> and reuse it while
 *                  the inputs are unchanged (the test suite passes node_modules/.cache/jsii-package)
 *   --update-docs  write the generated API reference to docs/API.md and docs/API.python.md
 *   --no-wheel     stop after the Python sources
 * Prints one JSON summary line on stdout; exits 1 when a step fails.
 *
 * The cache key covers every input of the four steps: the copied files below (this script
 * included), the versions of jsii, jsii-pacmak, jsii-docgen, TypeScript and Node, Debian's python3
 * and its build modules, and whether a wheel is built. A reused build is byte for byte what the
 * same inputs build, so every check on it (docs current, wheel metadata, the Python sample's type
 * check) runs as on a fresh build; only the minutes of compiling are saved.
 */
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = path.resolve(option('--out') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-package-')));
const updateDocs = args.includes('--update-docs');
const wheel = !args.includes('--no-wheel');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/**
 * What jsii, docgen and pacmak read: the library and CLI sources, the manifests and compiler
 * settings, and what `npm pack` (run by pacmak, with the `prepare` script) needs: the published
 * tarball inside the Python package holds the compiled library, the CLI and the handlers.
 */
const COPIED = ['lib', 'cli', 'bin', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.jsii.json', 'tsconfig.build.json', 'tsconfig.handlers.json', 'README.md'];

function run(step, command, commandArgs, cwd) {
  const started = Date.now();
  try {
    const output = execFileSync(command, commandArgs, {
      cwd,
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // jsii 6 supports Node 22/24 and prints a banner on Node 20; the build itself works.
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { output, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    const detail = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    process.stdout.write(`${JSON.stringify({ ok: false, step, error: detail.slice(-8000) })}\n`);
    process.exit(1);
  }
}

/** A digest of every input the build reads (see the header). */
function inputsDigest() {
  const hash = crypto.createHash('sha256');
  const add = (file) => {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  };
  const walk = (entry) => {
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) return add(entry);
    for (const name of fs.readdirSync(entry).sort()) walk(path.join(entry, name));
  };
  for (const entry of COPIED) walk(path.join(root, entry));
  for (const pkg of ['jsii', 'jsii-pacmak', 'jsii-docgen', 'typescript', 'aws-cdk-lib', 'constructs']) {
    hash.update(`${pkg}@${require(path.join(root, 'node_modules', pkg, 'package.json')).version}\0`);
  }
  hash.update(`node ${process.version}\0wheel ${wheel}\0`);
  if (wheel) {
    hash.update(execFileSync('/usr/bin/python3', ['-c', 'import sys, build, setuptools, wheel; print(sys.version, build.__version__, setuptools.__version__, wheel.__version__)'], { encoding: 'utf-8' }));
  }
  return hash.digest('hex').slice(0, 32);
}

/** Writes the summary after comparing the generated API reference with docs/ (and updating it when asked). */
function finish(summary, docs) {
  const docTargets = { typescript: path.join(root, 'docs', 'API.md'), python: path.join(root, 'docs', 'API.python.md') };
  summary.docsCurrent = true;
  for (const [language, target] of Object.entries(docTargets)) {
    if (updateDocs) fs.writeFileSync(target, docs[language]);
    const current = fs.existsSync(target) && fs.readFileSync(target, 'utf-8') === docs[language];
    if (!current) summary.docsCurrent = false;
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Keeps this build for the same inputs; older builds go (one per input state is enough). */
function store(summary) {
  fs.rmSync(cacheRoot, { recursive: true, force: true });
  fs.mkdirSync(cacheRoot, { recursive: true });
  fs.rmSync(path.join(out, 'node_modules'), { force: true });
  fs.cpSync(out, cached, { recursive: true, verbatimSymlinks: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  const relocate = (file) => file && path.join(cached, path.relative(out, file));
  const stored = { ...summary, out: cached, python: relocate(summary.python), wheel: relocate(summary.wheel) };
  fs.writeFileSync(path.join(cached, 'summary.json'), JSON.stringify(stored));
}

const cacheRoot = option('--cache') ? path.resolve(option('--cache')) : undefined;
const digest = cacheRoot ? inputsDigest() : undefined;
const cached = cacheRoot ? path.join(cacheRoot, digest) : undefined;
if (cached && fs.existsSync(path.join(cached, 'summary.json'))) {
  const summary = { ...JSON.parse(fs.readFileSync(path.join(cached, 'summary.json'), 'utf-8')), cached: true };
  const docs = Object.fromEntries(['typescript', 'python'].map((language) => [language, fs.readFileSync(path.join(summary.out, `API.${language}.md`), 'utf-8')]));
  finish(summary, docs);
  process.exit(0);
}

fs.mkdirSync(out, { recursive: true });
for (const entry of COPIED) {
  fs.rmSync(path.join(out, entry), { recursive: true, force: true });
  fs.cpSync(path.join(root, entry), path.join(out, entry), { recursive: true });
}
// Handlers are Lambda code compiled separately (tsconfig.handlers.json); jsii does not see them.
fs.rmSync(path.join(out, 'node_modules'), { recursive: true, force: true });
fs.symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');

const summary = { ok: true, out, seconds: {} };

const jsii = run('jsii', bin('jsii'), ['--fail-on-warnings'], out);
summary.seconds.jsii = jsii.seconds;
const assembly = JSON.parse(fs.readFileSync(path.join(out, '.jsii'), 'utf-8'));
summary.types = Object.keys(assembly.types ?? {}).length;

// Both languages in one run: docgen loads the assemblies (aws-cdk-lib's among them) once, 10 s
// less than a run per language, and writes API.typescript.md and API.python.md as before.
const languages = ['typescript', 'python'];
summary.seconds.docgen = run('jsii-docgen', bin('jsii-docgen'), ['--language', ...languages, '--output', path.join(out, 'API.md')], out).seconds;
const docs = Object.fromEntries(languages.map((language) => [language, fs.readFileSync(path.join(out, `API.${language}.md`), 'utf-8')]));
// The CLI (dist/cli) is plain tsc output beside the jsii-compiled library (dist/lib).
summary.seconds.cli = run('cli', bin('tsc'), ['-p', 'tsconfig.build.json'], out).seconds;
const pacmak = run('jsii-pacmak', bin('jsii-pacmak'), ['--targets', 'python', '--code-only', '--outdir', path.join(out, 'dist')], out);
summary.seconds.pacmak = pacmak.seconds;
const pythonDir = path.join(out, 'dist', 'python');
summary.python = pythonDir;

if (wheel) {
  const wheelDir = path.join(out, 'wheel');
  run('wheel', '/usr/bin/python3', ['-m', 'build', '--wheel', '--no-isolation', '--skip-dependency-check', '--outdir', wheelDir, pythonDir], out);
  summary.wheel = path.join(wheelDir, fs.readdirSync(wheelDir).find((f) => f.endsWith('.whl')));
}

if (cached) store(summary);
finish(summary, docs);
