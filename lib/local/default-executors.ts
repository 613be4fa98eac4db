/**
 * The one place the runner picks up the real job executors (lib/local/jobs). They are loaded on
 * first use, so code that never runs a job (the CLI's other commands, tests with fake executors,
 * `local data upload`) does not load them.
 */
import type { LocalJobExecutors } from './jobs/types';

/** The executors of lib/local/jobs (`createLocalJobExecutors()`). */
export function defaultJobExecutors(): LocalJobExecutors {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jobs = require('./jobs') as typeof import('./jobs');
  return jobs.createLocalJobExecutors();
}
