// Runs one job host's process with a host directory bound at /opt/ml, in a private mount namespace, so
// user scripts and the container emulations use SageMaker's real paths (/opt/ml/processing/..., /opt/ml/model).
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LocalJobContext } from './types';

/** How namespaces are obtained on this machine. */
type SandboxMode = { readonly prefix: string[] } | { readonly error: string };

let detected: SandboxMode | undefined;

// `$0` = the host directory, `$1` = the working directory; the rest is the command.
const BIND_SCRIPT = 'mkdir -p /opt/ml && mount --bind "$0" /opt/ml && cd "$1" && shift && exec "$@"';

/** Finds out once whether `unshare` works as root or with a user namespace. */
export function detectSandbox(): SandboxMode {
  if (detected) return detected;
  const candidates: string[][] = [];
  if (typeof process.getuid === 'function' && process.getuid() === 0) candidates.push(['unshare', '--mount', '--propagation', 'private', '--']);
  candidates.push(['unshare', '--user', '--map-root-user', '--mount', '--propagation', 'private', '--']);
  const errors: string[] = [];
  // Probe with the real bind (an empty temp dir at /opt/ml), so a missing /opt/ml that can't be created shows here.
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-local-probe-'));
  try {
    for (const prefix of candidates) {
      const probe = spawnSync(prefix[0], [...prefix.slice(1), '/bin/sh', '-c', BIND_SCRIPT, probeDir, '/', '/bin/true'], { encoding: 'utf8' });
      if (probe.status === 0) {
        detected = { prefix };
        return detected;
      }
      errors.push(`${prefix.slice(0, -1).join(' ')}: ${(probe.stderr || String(probe.error ?? `exit ${probe.status}`)).trim()}`);
    }
  } finally {
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
  detected = {
    error:
      "the local runner needs a private mount namespace to put the job's files at /opt/ml, but neither " +
      '`unshare --mount` (as root) nor `unshare --user --map-root-user --mount` works here ' +
      `(${errors.join('; ')}). Run as root, or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) ` +
      'and create an empty /opt/ml once (sudo mkdir -p /opt/ml).',
  };
  return detected;
}

/** The thread variables of the numeric libraries, capped at one host's share of `ctx.cpus` (none without a cap). */
function threadLimits(ctx: LocalJobContext, hosts: number): Record<string, string> {
  if (ctx.cpus === undefined) return {};
  const threads = String(Math.max(1, Math.floor(ctx.cpus / Math.max(1, hosts))));
  return { OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads };
}

/** Resolves the runner's python to an absolute path (the shim must not find itself on PATH). */
function resolvePython(python: string): string {
  if (path.isAbsolute(python)) return python;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, python);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return python;
}

/** A directory with `python3`/`python` shims that run ctx.python and `pip`/`pip3` shims that skip (one per job work dir). */
export function pythonShimDir(ctx: LocalJobContext): string {
  const dir = path.join(ctx.workDir, '.shim');
  const python = resolvePython(ctx.python);
  fs.mkdirSync(dir, { recursive: true });
  const script = `#!/bin/sh\nexec '${python.replace(/'/g, "'\\''")}' "$@"\n`;
  // pip/pip3 (e.g. FrameworkProcessor's runproc.sh installing requirements.txt) must not change this
  // machine's Python: they only say what was skipped.
  const pip = '#!/bin/sh\necho "sagemaker local runner: skipped \\`pip $*\\` (jobs use the packages installed on this machine)" >&2\nexit 0\n';
  for (const [name, text] of [['python3', script], ['python', script], ['pip', pip], ['pip3', pip]] as const) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    // Write and rename, so a host starting at the same moment never runs a half-written shim.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(tmp, text, { mode: 0o755 });
    fs.renameSync(tmp, file);
  }
  return dir;
}

/** What to run on one host. */
export interface SandboxRun {
  /** The host name (algo-1 ...), for log prefixes. */
  readonly host: string;
  /** The directory bound at /opt/ml. */
  readonly hostDir: string;
  /** The command and its arguments (paths as the container sees them). */
  readonly command: readonly string[];
  /** Extra environment (the request's Environment and what SageMaker sets). */
  readonly env: Record<string, string>;
  /** Working directory inside the sandbox. @default /opt/ml */
  readonly cwd?: string;
  /** StoppingCondition.MaxRuntimeInSeconds. */
  readonly maxRuntimeSeconds?: number;
  /** Where to write the host's output. */
  readonly logFile: string;
  /** How many hosts of the job run at the same time, sharing the job's CPUs (`LocalJobContext.cpus`). @default 1 */
  readonly hosts?: number;
}

/** How a host's process ended. */
export interface SandboxOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed after MaxRuntimeInSeconds. */
  readonly timedOut: boolean;
  /** The last ~40 lines of output. */
  readonly tail: string;
}

const TAIL_LINES = 40;

/**
 * Spawns a host's command under the /opt/ml bind, in its own process group (so a timeout or kill
 * reaches the whole tree), with the python shims first on PATH; returns the child and the open
 * log file.
 */
function spawnInSandbox(run: Omit<SandboxRun, 'maxRuntimeSeconds'>, ctx: LocalJobContext, stdin: 'ignore' | 'pipe'): { child: ChildProcess; logFd: number } {
  const mode = detectSandbox();
  if ('error' in mode) throw new Error(mode.error);
  const shim = pythonShimDir(ctx);
  const env: Record<string, string> = {
    PATH: `${shim}${path.delimiter}${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`,
    HOME: process.env.HOME ?? '/root',
    LANG: process.env.LANG ?? 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    // Where training_toolkit.py reads `s3://` submit directories from (the local S3).
    SM_LOCAL_S3_ROOT: ctx.store.root,
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    // Before the job's own environment, which may set them.
    ...threadLimits(ctx, run.hosts ?? 1),
    ...run.env,
  };
  fs.mkdirSync(path.dirname(run.logFile), { recursive: true });
  const logFd = fs.openSync(run.logFile, 'a');
  const [prog, ...prefixArgs] = mode.prefix;
  const child = spawn(prog, [...prefixArgs, '/bin/sh', '-c', BIND_SCRIPT, run.hostDir, run.cwd ?? '/opt/ml', ...run.command], {
    env,
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true,
  });
  return { child, logFd };
}

/** Runs a command on one host under the /opt/ml bind. */
export function runInSandbox(run: SandboxRun, ctx: LocalJobContext): Promise<SandboxOutcome> {
  let spawned: { child: ChildProcess; logFd: number };
  try {
    spawned = spawnInSandbox(run, ctx, 'ignore');
  } catch (error) {
    return Promise.reject(error);
  }
  const { child, logFd } = spawned;
  const tail: string[] = [];
  const partial: Record<'out' | 'err', string> = { out: '', err: '' };
  const onData = (which: 'out' | 'err') => (chunk: Buffer): void => {
    fs.writeSync(logFd, chunk);
    const text = partial[which] + chunk.toString('utf8');
    const lines = text.split('\n');
    partial[which] = lines.pop() ?? '';
    for (const line of lines) emit(line);
  };
  const emit = (line: string): void => {
    const clean = line.replace(/\r$/, '');
    ctx.log(`[${run.host}] ${clean}`);
    tail.push(clean);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  child.stdout!.on('data', onData('out'));
  child.stderr!.on('data', onData('err'));
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  if (run.maxRuntimeSeconds && run.maxRuntimeSeconds > 0) {
    timer = setTimeout(() => {
      timedOut = true;
      // SageMaker sends SIGTERM, then SIGKILL after a grace period (120 s there; 2 s here).
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
      killTimer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 2000);
    }, run.maxRuntimeSeconds * 1000);
  }
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      try { fs.closeSync(logFd); } catch { /* closed */ }
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      for (const which of ['out', 'err'] as const) if (partial[which]) emit(partial[which]);
      try { fs.closeSync(logFd); } catch { /* closed */ }
      resolve({ exitCode: code, signal, timedOut, tail: tail.join('\n') });
    });
  });
}

/** The error line a failed process most likely died of (the last line that looks like an error). */
export function lastErrorLine(tail: string): string | undefined {
  const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/(Error|Exception|error:|Traceback|not found|No such file|Killed|failed)/.test(lines[i]) && !/^File "/.test(lines[i])) return lines[i];
  }
  return lines[lines.length - 1];
}

/** A long-lived process in the sandbox (a model server): stdout is its protocol channel; stderr is logged. */
export interface SandboxProcess {
  readonly child: ChildProcess;
  /** The last lines of stderr. */
  tail(): string;
  /** Kills the process group. */
  kill(): void;
}

/** Starts a process under the /opt/ml bind with stdin/stdout piped to the caller. */
export function startInSandbox(run: Omit<SandboxRun, 'maxRuntimeSeconds'>, ctx: LocalJobContext): SandboxProcess {
  const { child, logFd } = spawnInSandbox(run, ctx, 'pipe');
  const tail: string[] = [];
  let partial = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    fs.writeSync(logFd, chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      ctx.log(`[${run.host}] ${line}`);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  });
  child.on('close', () => {
    try { fs.closeSync(logFd); } catch { /* closed */ }
  });
  return {
    child,
    tail: () => [...tail, ...(partial ? [partial] : [])].join('\n'),
    kill: () => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    },
  };
}
