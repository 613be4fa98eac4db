// The checkpoint ownership guard: which run last wrote each checkpoint prefix, kept in
// `<store root>/.runner/checkpoints.json`.
//
// Stricter than SageMaker on purpose: SageMaker downloads whatever is under CheckpointConfig.S3Uri into
// the checkpoint directory before the job starts ("Use checkpoints in Amazon SageMaker": "SageMaker
// copies checkpoint data from S3 to the local path ... when the training job starts"), so a second
// pipeline execution that reuses a fixed prefix silently resumes from the first one's checkpoints.
import * as fs from 'fs';
import * as path from 'path';
import type { LocalObjectStore } from '../object-store';
import { JobFailure } from './s3-io';

interface CheckpointOwner {
  readonly runId: string;
  readonly jobName: string;
  readonly updated: string;
}

function registryFile(store: LocalObjectStore): string {
  return path.join(store.root, '.runner', 'checkpoints.json');
}

function readRegistry(store: LocalObjectStore): Record<string, CheckpointOwner> {
  try {
    return JSON.parse(fs.readFileSync(registryFile(store), 'utf8')) as Record<string, CheckpointOwner>;
  } catch {
    return {};
  }
}

/** A prefix normalised to end with '/'. */
export function normalizePrefix(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Throws when the prefix holds checkpoints another run wrote. */
export function checkCheckpointOwner(store: LocalObjectStore, s3Uri: string, runId: string): void {
  const prefix = normalizePrefix(s3Uri);
  if (store.list(prefix).length === 0) return;
  const registry = readRegistry(store);
  for (const [recorded, owner] of Object.entries(registry)) {
    const overlaps = recorded.startsWith(prefix) || prefix.startsWith(recorded);
    if (!overlaps || owner.runId === runId) continue;
    if (store.list(recorded.length > prefix.length ? recorded : prefix).length === 0) continue;
    throw new JobFailure(
      `checkpoint prefix ${prefix} already holds checkpoints of another run (execution ${owner.runId}, job ${owner.jobName}); ` +
        'this job would resume from them (XGBoost then trains only the remaining rounds, possibly 0, PyTorch may crash on a shape mismatch). ' +
        'Give every job its own prefix, e.g. with the execution id. (The local runner is stricter than SageMaker here, which would silently resume.)',
    );
  }
}

/** Records that this run/job wrote the prefix. */
export function recordCheckpointOwner(store: LocalObjectStore, s3Uri: string, runId: string, jobName: string): void {
  const registry = readRegistry(store);
  registry[normalizePrefix(s3Uri)] = { runId, jobName, updated: new Date().toISOString() };
  const file = registryFile(store);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(registry, null, 2));
}
