import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The folder of the promotion scripts that CodeBuild runs. */
export const SCRIPTS = path.join(__dirname, '..', '..', '..', 'lib', 'constructs', 'promotion', 'scripts');

/**
 * A fake `aws` executable: it records every call's arguments (and the content of `file://` and
 * `fileb://` arguments) and answers with canned output. Answers are files in the stub folder named
 * `<service>.<operation>[.<n>].<out|err|rc|body>`, where `<n>` is the call number of that operation
 * (1-based) and the unnumbered file is the fallback for every call. `body` is written to the last
 * argument (the outfile of `sagemaker-runtime invoke-endpoint`).
 */
const STUB = `#!/usr/bin/env bash
dir="$STUB_DIR"
op="$1.$2"
n=$(( $(cat "$dir/count.$op" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$dir/count.$op"
{ echo "--- $op"; for a in "$@"; do printf '%s\\n' "$a"; done; } >> "$dir/calls.log"
for a in "$@"; do
  case "$a" in
    file://*|fileb://*) { echo "=== $op $a"; cat "\${a#*://}"; echo; } >> "$dir/files.log" ;;
  esac
done
pick() { if [ -e "$dir/$op.$n.$1" ]; then echo "$dir/$op.$n.$1"; elif [ -e "$dir/$op.$1" ]; then echo "$dir/$op.$1"; fi; }
if [ "$op" = "sagemaker-runtime.invoke-endpoint" ]; then b="$(pick body)"; if [ -n "$b" ]; then cp "$b" "\${@: -1}"; fi; fi
o="$(pick out)"; if [ -n "$o" ]; then cat "$o"; fi
e="$(pick err)"; if [ -n "$e" ]; then cat "$e" >&2; fi
r="$(pick rc)"; if [ -n "$r" ]; then exit "$(cat "$r")"; fi
exit 0
`;

/** One recorded call: the operation (`cloudformation.update-stack`) and its arguments. */
export interface AwsCall {
  readonly operation: string;
  readonly args: string[];
}

/** The result of running a script against the fake CLI. */
export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: AwsCall[];
  /** The content of every `file://` / `fileb://` argument, in call order. */
  readonly files: string;
}

/** A fake AWS CLI in a temporary folder. */
export class FakeAws {
  public readonly dir: string;
  private readonly bin: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-fake-aws-'));
    this.bin = path.join(this.dir, 'bin');
    fs.mkdirSync(this.bin);
    fs.writeFileSync(path.join(this.bin, 'aws'), STUB, { mode: 0o755 });
  }

  /** Answers call `n` (or, without `n`, every call) of `operation` (`service.operation`). */
  public answer(operation: string, answer: { out?: string; err?: string; rc?: number; body?: string }, n?: number): this {
    const base = path.join(this.dir, n === undefined ? operation : `${operation}.${n}`);
    if (answer.out !== undefined) fs.writeFileSync(`${base}.out`, answer.out);
    if (answer.err !== undefined) fs.writeFileSync(`${base}.err`, answer.err);
    if (answer.rc !== undefined) fs.writeFileSync(`${base}.rc`, String(answer.rc));
    if (answer.body !== undefined) fs.writeFileSync(`${base}.body`, answer.body);
    return this;
  }

  /**
   * Runs `bash -c <command>` with the fake CLI first on PATH and only the given variables set.
   *
   * Standard input is /dev/null and HOME is the fake's folder, as in a build container: bash reads
   * ~/.bashrc when its standard input is a socket (it takes that for a remote shell), and Node's
   * pipes are sockets, so the developer's shell set-up ran before every script (half a second each
   * where it starts a Python version manager) and could change what the script does.
   */
  public runCommand(command: string, env: Record<string, string>): ScriptRun {
    const result = spawnSync('bash', ['-c', command], {
      env: { PATH: `${this.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: this.dir, STUB_DIR: this.dir, POLL_SECONDS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf-8',
      timeout: 30000,
    });
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls: this.calls(),
      files: fs.existsSync(path.join(this.dir, 'files.log')) ? fs.readFileSync(path.join(this.dir, 'files.log'), 'utf-8') : '',
    };
  }

  /** Runs one of the promotion scripts. */
  public run(script: string, env: Record<string, string>): ScriptRun {
    return this.runCommand(`bash "${path.join(SCRIPTS, script)}"`, env);
  }

  private calls(): AwsCall[] {
    const log = path.join(this.dir, 'calls.log');
    if (!fs.existsSync(log)) return [];
    const calls: AwsCall[] = [];
    for (const line of fs.readFileSync(log, 'utf-8').split('\n')) {
      if (line.startsWith('--- ')) calls.push({ operation: line.slice(4), args: [] });
      else if (line !== '' && calls.length > 0) calls[calls.length - 1].args.push(line);
    }
    return calls;
  }
}

/** The value following `flag` in a call's arguments. */
export function argument(call: AwsCall, flag: string): string | undefined {
  const i = call.args.indexOf(flag);
  return i >= 0 ? call.args[i + 1] : undefined;
}
