#!/usr/bin/env node
/**
 * Entry point of the `sagemaker-cdk` command (package.json "bin"): wires the real process
 * (streams, clock, Ctrl-C) into {@link run} and exits with its code.
 */
import { defaultAwsClients } from './clients';
import { run } from './program';

// A reader that stops early (`sagemaker-cdk ... | head`) closes the pipe: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const interrupt = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    // First Ctrl-C: let the running command clean up (abort multipart uploads, stop polling).
    process.stderr.write('\nInterrupted; cleaning up (press Ctrl-C again to quit at once)...\n');
    interrupt.abort();
  } else {
    process.exit(130);
  }
});

run(process.argv.slice(2), {
  awsClients: defaultAwsClients,
  io: { stdout: process.stdout, stderr: process.stderr },
  stdin: process.stdin,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => new Date(),
  interrupt: interrupt.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sagemaker-cdk: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
