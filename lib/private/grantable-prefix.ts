// Shared by job definitions and job inputs; not exported.
import { JobReference } from '../constructs/jobs/job-reference';

/**
 * The part of an S3 key prefix that IAM can name: the prefix up to its first run-time reference
 * (a run id such as `RunReference.executionId()`, a pipeline parameter), or the whole prefix when
 * it holds none. `evaluation/<run id>/` is granted as `evaluation/`, so every run's own folder is
 * covered without a wildcard in the middle of a key.
 */
export function grantablePrefix(prefix: string): string {
  if (!JobReference.holdsReference(prefix)) return prefix;
  const first = JobReference._split(prefix)[0];
  return typeof first === 'string' ? first : '';
}

/**
 * An IAM resource pattern for a key that may hold run-time references: each reference becomes
 * `*` (`evaluation/<run id>/evaluation.json` becomes `evaluation/*` + `/evaluation.json`), the rest stays.
 */
export function keyPattern(key: string): string {
  if (!JobReference.holdsReference(key)) return key;
  return JobReference._split(key).map((part) => (typeof part === 'string' ? part : '*')).join('');
}
