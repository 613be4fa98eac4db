/**
 * Runs the CLI in-process with captured output and SDK clients that aws-sdk-client-mock (or a
 * local server) answers. Not a test file itself.
 */
import { PassThrough, Readable, Writable } from 'stream';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { type AwsClients } from '../../../cli/clients';
import { run } from '../../../cli/program';

export const REGION = 'eu-west-1';
export const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

/** What a CLI run produced. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Replaces the S3 client (e.g. one pointing at s3rver). */
  readonly s3?: S3Client;
  readonly stdin?: string;
  /** Aborted to simulate Ctrl-C. */
  readonly interrupt?: AbortSignal;
  /** Called with every stderr write (e.g. to press Ctrl-C on the first progress line). */
  readonly onStderr?: (text: string) => void;
}

class Capture extends Writable {
  text = '';
  constructor(private readonly listener?: (text: string) => void) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    const text = chunk.toString();
    this.text += text;
    this.listener?.(text);
    callback();
  }
}

/** Clients with a fixed region and dummy credentials; mockClient(XClient) intercepts them. */
export function testClients(s3?: S3Client): AwsClients {
  const config = { region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  return {
    sagemaker: new SageMakerClient(config),
    s3: s3 ?? new S3Client(config),
    cloudFormation: new CloudFormationClient(config),
    cloudWatch: new CloudWatchClient(config),
    autoScaling: new ApplicationAutoScalingClient(config),
    runtime: new SageMakerRuntimeClient(config),
    region: async () => REGION,
  };
}

/** A fixed clock that advances with every sleep, so polling tests run instantly. */
export function fakeClock(start = new Date('2025-01-15T10:00:00Z')): { now: () => Date; sleep: (ms: number) => Promise<void> } {
  let time = start.getTime();
  return {
    now: () => new Date(time),
    sleep: async (ms) => {
      time += ms;
    },
  };
}

/** Runs `sagemaker-cdk <args>` in-process. */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture(options.onStderr);
  const clock = fakeClock();
  const stdin = options.stdin !== undefined ? Readable.from([Buffer.from(options.stdin)]) : new PassThrough();
  const code = await run(args, {
    awsClients: () => testClients(options.s3),
    io: { stdout, stderr },
    stdin,
    sleep: clock.sleep,
    now: clock.now,
    interrupt: options.interrupt ?? new AbortController().signal,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
