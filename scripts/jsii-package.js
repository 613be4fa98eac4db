#!/usr/bin/env node
/*
 * Builds the library the way it is published to other languages, in a scratch copy of the
 * repository (so dist/ of the checkout is untouched):
 *   1. jsii compiles lib/ into a jsii assembly (.jsii): zero errors, and no warnings allowed;
 *      meanwhile tsc compiles the CLI (beside dist/, moved in after jsii) and the Lambda handlers;
 *   2. jsii-docgen renders the API reference from that assembly (TypeScript and Python, one run);
 *   3. at the same time, jsii-pacmak generates the Python package (--code-only) and
 *   4. Debian's python3 builds it into a wheel, offline (--no-isolation: the build tools come
 *      from the python3-build, python3-setuptools and python3-wheel packages, not from PyPI).
 *
 * Usage: node scripts/jsii-package.js [--out <dir>] [--cache <dir>] [--update-docs] [--no-wheel]
 *   --out          where to leave the scratch copy and its results (default: a temp directory)
 *   --cache        keep each successful build under <dir>/<hash of its inputs> and reuse it while
 *                  the inputs are unchanged (the test suite passes node_modules/.cache/jsii-package)
 *   --update-docs  write the generated API reference to docs/API.md and docs/API.python.md
 *   --no-wheel     stop after the Python sources
 * Prints one JSON summary line on stdout: `seconds` has the wall time of each step (steps run side
 * by side, so they add up to more than `seconds.total`). Exits 1 when a step fails, naming the
 * step with its output; the steps still running are stopped.
 *
 * The cache key covers every input of the four steps: the copied files below (this script
 * included), package-lock.json (the bundled dependencies, such as the AWS SDK, go into the npm
 * tarball inside the Python package), the versions of jsii, jsii-pacmak, jsii-docgen, TypeScript
 * and Node, Debian's python3 and its build modules, and whether a wheel is built. A reused build is byte for byte what the
 * same inputs build, so every check on it (docs current, wheel metadata, the Python sample's type
 * check) runs as on a fresh build; only the minutes of compiling are saved.
 */
const crypto = require('crypto');
const { execFileSync, spawn } = require('child_process');
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
 * settings, and what `npm pack` (run by pacmak) needs: the published tarball inside the Python
 * package holds the compiled library, the CLI and the handlers.
 */
const COPIED = ['lib', 'cli', 'bin', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.jsii.json', 'tsconfig.build.json', 'tsconfig.handlers.json', 'README.md'];
/** What earlier builds into the same --out left behind (outputs only; COPIED entries are replaced anyway). */
const OUTPUTS = ['dist', 'build', 'wheel', 'dist-cli', '.jsii', 'API.typescript.md', 'API.python.md'];

/** The steps running now, each the leader of its own process group (it may spawn more: pacmak runs npm). */
const running = new Set();
const stopAll = () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  running.clear();
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopAll();
    process.exit(1);
  });
}

function fail(step, detail) {
  stopAll();
  process.stdout.write(`${JSON.stringify({ ok: false, step, error: detail.slice(-8000) })}\n`);
  process.exit(1);
}

/** Runs one step to completion; on failure prints the summary naming it, stops the other steps and exits 1. */
function run(step, command, commandArgs, env = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd: out,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      // jsii 6 supports Node 22/24 and prints a banner on Node 20; the build itself works.
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1', ...env },
    });
    running.add(child);
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', (error) => fail(step, `${command}: ${error.message}`));
    child.on('close', (code, signal) => {
      running.delete(child);
      const output = Buffer.concat(stdout).toString('utf-8');
      if (code !== 0) {
        const detail = `${output}${Buffer.concat(stderr).toString('utf-8')}`.trim();
        fail(step, detail || `${path.basename(command)} exited with ${signal ?? code}`);
      }
      resolve({ output, seconds: (Date.now() - started) / 1000 });
    });
  });
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
  add(path.join(root, 'package-lock.json'));
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

async function build() {
  const started = Date.now();
  fs.mkdirSync(out, { recursive: true });
  for (const entry of [...COPIED, ...OUTPUTS]) fs.rmSync(path.join(out, entry), { recursive: true, force: true });
  for (const entry of COPIED) fs.cpSync(path.join(root, entry), path.join(out, entry), { recursive: true });
  fs.rmSync(path.join(out, 'node_modules'), { recursive: true, force: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');

  const summary = { ok: true, out, seconds: {} };
  const seconds = {};

  // jsii is one busy core; the second compiles, beside it, what the tarball that pacmak puts in
  // the Python package holds besides jsii's output:
  // - the CLI (dist/cli), plain tsc output. It imports a few lib/ modules, and tsc emits those
  //   too, over jsii's (same .d.ts, .js with a .js.map instead of an inline map). So tsc writes
  //   into dist-cli/ (one level under the copy, as dist/ is: the maps' relative source paths
  //   stay the same) and its files are moved over jsii's after jsii, as when it ran after jsii.
  // - the Lambda handlers (build/handlers, tsconfig.handlers.json): the `prepare` script that
  //   `npm pack` would run (npm run build:handlers, then scripts/link-cli.js, which only links
  //   the checkout's node_modules/.bin/sagemaker-cdk) is skipped below, as it would redo this.
  const cliOut = path.join(out, 'dist-cli');
  const [jsii] = await Promise.all([
    run('jsii', bin('jsii'), ['--fail-on-warnings']),
    (async () => {
      seconds.cli = (await run('cli', bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', cliOut])).seconds;
      seconds.handlers = (await run('handlers', bin('tsc'), ['-p', 'tsconfig.handlers.json'])).seconds;
    })(),
  ]);
  seconds.jsii = jsii.seconds;
  fs.cpSync(cliOut, path.join(out, 'dist'), { recursive: true });
  fs.rmSync(cliOut, { recursive: true, force: true });
  const assembly = JSON.parse(fs.readFileSync(path.join(out, '.jsii'), 'utf-8'));
  summary.types = Object.keys(assembly.types ?? {}).length;

  // docgen and pacmak only read the compiled library, and write different files: they run side
  // by side, each on a core (docgen's snippet compiler runs in a worker while its main thread waits).
  const pythonDir = path.join(out, 'dist', 'python');
  await Promise.all([
    (async () => {
      // Both languages in one run: docgen loads the assemblies (aws-cdk-lib's among them) once, 10 s
      // less than a run per language, and writes API.typescript.md and API.python.md as before.
      seconds.docgen = (await run('jsii-docgen', bin('jsii-docgen'), ['--language', 'typescript', '--language', 'python', '--output', path.join(out, 'API.md')])).seconds;
    })(),
    (async () => {
      // pacmak runs `npm pack` (its default pack command: another one makes it copy the whole
      // directory, node_modules dereferenced, first). npm 11 skips every lifecycle script,
      // `prepare` included, under ignore-scripts, which npm reads from npm_config_* variables:
      // https://docs.npmjs.com/cli/v11/using-npm/config#ignore-scripts
      // https://docs.npmjs.com/cli/v11/using-npm/config#environment-variables
      // The tarball is byte for byte the same: build/handlers is already compiled.
      seconds.pacmak = (await run('jsii-pacmak', bin('jsii-pacmak'), ['--targets', 'python', '--code-only', '--outdir', path.join(out, 'dist')], { npm_config_ignore_scripts: 'true' })).seconds;
      summary.python = pythonDir;
      if (wheel) {
        const wheelDir = path.join(out, 'wheel');
        seconds.wheel = (await run('wheel', '/usr/bin/python3', ['-m', 'build', '--wheel', '--no-isolation', '--skip-dependency-check', '--outdir', wheelDir, pythonDir])).seconds;
        summary.wheel = path.join(wheelDir, fs.readdirSync(wheelDir).find((f) => f.endsWith('.whl')));
      }
    })(),
  ]);
  const docs = Object.fromEntries(['typescript', 'python'].map((language) => [language, fs.readFileSync(path.join(out, `API.${language}.md`), 'utf-8')]));
  // In the order the steps start; `total` is the wall time of the whole build.
  for (const step of ['jsii', 'cli', 'handlers', 'docgen', 'pacmak', 'wheel']) {
    if (seconds[step] !== undefined) summary.seconds[step] = seconds[step];
  }
  summary.seconds.total = (Date.now() - started) / 1000;

  if (cached) store(summary);
  finish(summary, docs);
}

build().catch((error) => fail('jsii-package', error.stack ?? String(error)));
