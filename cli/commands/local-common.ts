/**
 * What the `local ...` commands share: the options that locate the cloud assembly and the local
 * store, and the factory that builds the {@link LocalPipelineRunner} (replaceable in tests).
 */
import * as fs from 'fs';
import * as path from 'path';
import { LocalPipelineRunner, type LocalPipelineRunnerProps, localCpus } from '../../lib/local/local-runner';
import { type CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';

/** Options every `local` command takes. */
export interface LocalOptions {
  /** The cloud assembly directory. @default cdk.out */
  readonly app?: string;
  /** The local store. @default .sagemaker-local */
  readonly data?: string;
  /** The Python for jobs. */
  readonly python?: string;
  /** The CPUs jobs may use. @default SAGEMAKER_LOCAL_CPUS, else every CPU */
  readonly cpus?: number;
}

/** The default local store directory (relative to the working directory). */
export const DEFAULT_DATA_DIRECTORY = '.sagemaker-local';

type RunnerFactory = (props: LocalPipelineRunnerProps) => LocalPipelineRunner;

let factory: RunnerFactory = (props) => new LocalPipelineRunner(props);

/** Replaces how the commands build runners (tests pass fake job executors); returns the previous factory. */
export function setLocalRunnerFactory(next: RunnerFactory): RunnerFactory {
  const previous = factory;
  factory = next;
  return previous;
}

/** Builds the runner for a command; progress goes to stderr. */
export function localRunner(ctx: CommandContext, options: LocalOptions, needsAssembly = true): LocalPipelineRunner {
  const assemblyDirectory = path.resolve(options.app ?? 'cdk.out');
  if (needsAssembly && !fs.existsSync(path.join(assemblyDirectory, 'manifest.json'))) {
    throw new CliError(`${assemblyDirectory} is not a cloud assembly (no manifest.json). Run "npx cdk synth" first, or pass --app <cdk.out directory>.`, ExitCode.BAD_INPUT);
  }
  let cpus: number;
  try {
    cpus = localCpus(options.cpus);
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.BAD_INPUT);
  }
  return factory({
    assemblyDirectory,
    dataDirectory: path.resolve(options.data ?? DEFAULT_DATA_DIRECTORY),
    python: options.python,
    cpus,
    log: (line) => ctx.note(line),
  });
}

/** The `--stack` option, required by the command. */
export function requireStack(ctx: CommandContext, command: string): string {
  const stack = ctx.options.stack;
  if (!stack) throw new CliError(`${command} needs --stack <stack id> (a stack of the cloud assembly, e.g. SageMakerCpu-Training).`, ExitCode.BAD_INPUT);
  return stack;
}

/** Runs `action`; errors it throws are bad input (exit 2): an unknown stack, pipeline, model or parameter. */
export async function asBadInput<T>(action: () => Promise<T> | T): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error), ExitCode.BAD_INPUT);
  }
}
