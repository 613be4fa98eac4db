/**
 * What a command runs with: the AWS clients, the output streams, the global options, and the
 * injectable clock and interrupt signal that make every command testable in-process.
 */
import { type AwsClientFactory, type AwsClients } from './clients';
import { CliError, ExitCode } from './errors';
import { type OutputStreams, writeJson } from './output';
import { StackOutputs } from './stack-outputs';

/** Everything from outside the process; the entry point passes the real ones. */
export interface CliDependencies {
  /** Creates the AWS clients for the command's region and profile. */
  readonly awsClients: AwsClientFactory;
  /** stdout and stderr. */
  readonly io: OutputStreams;
  /** Where `--body -` reads from. */
  readonly stdin: NodeJS.ReadableStream;
  /** Waits between polls. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The current time. */
  readonly now: () => Date;
  /** Aborted when the user presses Ctrl-C. */
  readonly interrupt: AbortSignal;
}

/** The options every command accepts. */
export interface GlobalOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly json?: boolean;
  readonly stack?: string;
}

/** Per-command state built from the dependencies and the global options. */
export class CommandContext {
  readonly json: boolean;
  private awsClients?: AwsClients;
  private stackOutputs?: Promise<StackOutputs>;
  private resolvedRegion?: Promise<string>;

  constructor(
    readonly deps: CliDependencies,
    readonly options: GlobalOptions,
  ) {
    this.json = options.json === true;
  }

  /** Whether the command created AWS clients (a region is only worth naming in errors then). */
  get usedAws(): boolean {
    return this.awsClients !== undefined;
  }

  /** The AWS clients, created on first use (the `local` commands never create them). */
  get clients(): AwsClients {
    this.awsClients ??= this.deps.awsClients({
      region: this.options.region,
      profile: this.options.profile,
      onRetry: (line) => this.note(line),
    });
    return this.awsClients;
  }

  get io(): OutputStreams {
    return this.deps.io;
  }

  /** The region the command talks to. */
  region(): Promise<string> {
    this.resolvedRegion ??= this.clients.region();
    return this.resolvedRegion;
  }

  /** Writes a note for people to stderr (also in `--json` mode, where stdout stays machine-readable). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** Writes a result: JSON with `--json`, else the human rendering. */
  result(value: unknown, human: () => string): void {
    if (this.json) writeJson(this.io.stdout, value);
    else this.io.stdout.write(human());
  }

  /**
   * A name given on the command line, or else the `--stack` output `outputKey`.
   *
   * @param given the positional argument, possibly undefined
   * @param outputKey the stack output that holds the name
   * @param what what the name is, for messages ("pipeline name")
   */
  async nameOrStackOutput(given: string | undefined, outputKey: string, what: string): Promise<string> {
    if (given) return given;
    const outputs = await this.outputs();
    if (!outputs) {
      throw new CliError(`Missing the ${what}: pass it as an argument or pass --stack <name> to read it from the stack output "${outputKey}".`, ExitCode.BAD_INPUT);
    }
    return outputs.require(outputKey, what);
  }

  /** The `--stack` outputs, or undefined without `--stack`. */
  async outputs(): Promise<StackOutputs | undefined> {
    const stackName = this.options.stack;
    if (!stackName) return undefined;
    this.stackOutputs ??= this.region().then((region) => StackOutputs.read(this.clients.cloudFormation, stackName, region));
    return this.stackOutputs;
  }

  /** True once the user pressed Ctrl-C. */
  get interrupted(): boolean {
    return this.deps.interrupt.aborted;
  }

  /** Sleeps, returning early when the user interrupts. */
  async sleep(ms: number): Promise<void> {
    if (this.interrupted) return;
    await Promise.race([
      this.deps.sleep(ms),
      new Promise<void>((resolve) => this.deps.interrupt.addEventListener('abort', () => resolve(), { once: true })),
    ]);
  }
}
