// Moving data between the local S3 (LocalObjectStore) and a job host's /opt/ml tree, as SageMaker's
// data download and upload do, plus small helpers the executors share.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LocalObjectStore } from '../object-store';
import { type LocalJobResult, LocalJobStatus } from './types';

/** A job failure with a reason meant for the user (becomes LocalJobResult.failureReason). */
export class JobFailure extends Error {
  constructor(message: string, public readonly logExcerpt?: string) {
    super(message);
    this.name = 'JobFailure';
  }
}

/**
 * The result of a job that threw: the reason is the error's message, the log excerpt the
 * failure's (or `fallbackLog`), and `statusFields` the describe call's status fields.
 */
export function failedJobResult(
  err: unknown,
  started: number,
  properties: Record<string, unknown>,
  statusFields: (reason: string) => Record<string, unknown>,
  fallbackLog?: string,
): LocalJobResult {
  const reason = err instanceof Error ? err.message : String(err);
  return {
    status: LocalJobStatus.FAILED,
    failureReason: reason,
    logExcerpt: err instanceof JobFailure ? err.logExcerpt : fallbackLog,
    properties: { ...properties, ...statusFields(reason), FailureReason: reason },
    durationMs: Date.now() - started,
  };
}

/** A job's ARN, e.g. `arn:aws:sagemaker:us-east-1:111122223333:training-job/name` (lower-cased as SageMaker returns it). */
export function jobArn(kind: string, name: string, ctx: { account: string; region: string }): string {
  return `arn:aws:sagemaker:${ctx.region}:${ctx.account}:${kind}/${name.toLowerCase()}`;
}

/**
 * The part of an S3 URI's key that SageMaker strips when it downloads a prefix: everything up to and
 * including the key's last '/'. So `s3://b/data/` and `s3://b/data/tr` both strip `data/`, and a full
 * object key used as a prefix (`s3://b/code/abc123.py`) keeps its base name `abc123.py`.
 * Sources: API_S3DataSource / API_ProcessingS3Input ("S3Prefix ... all objects with the key name
 * prefix"), and sagemaker-python-sdk local mode `download_folder` (sagemaker-core common_utils.py), which
 * downloads an exact object key to `os.path.join(target, os.path.basename(prefix))`.
 */
export function prefixDirectory(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash >= 0 ? key.slice(0, slash + 1) : '';
}

/** One object selected for download, with its path relative to the channel/input directory. */
export interface SelectedObject {
  readonly uri: string;
  readonly relativePath: string;
}

/** The objects an S3 data source names (S3Prefix or S3Object), sorted by key, with their local names. */
export function selectObjects(store: LocalObjectStore, uri: string, s3DataType: string | undefined, what: string): SelectedObject[] {
  const type = s3DataType ?? 'S3Prefix';
  if (type === 'ManifestFile' || type === 'AugmentedManifestFile') {
    throw new JobFailure(`${what}: S3DataType ${type} is not emulated by the local runner; use S3Prefix or S3Object.`);
  }
  const { key } = LocalObjectStore.parseUri(uri);
  if (type === 'S3Object') {
    if (!store.exists(uri)) throw new JobFailure(`${what}: no object at ${uri} (S3DataType S3Object).`);
    return [{ uri, relativePath: path.posix.basename(key) }];
  }
  if (type !== 'S3Prefix') throw new JobFailure(`${what}: unknown S3DataType ${type}.`);
  const dir = prefixDirectory(key);
  return store.list(uri).map((objectUri) => {
    const objectKey = LocalObjectStore.parseUri(objectUri).key;
    return { uri: objectUri, relativePath: objectKey.slice(dir.length) };
  });
}

/**
 * ShardedByS3Key: with the keys sorted, host i (0-based) of N gets the objects j with j % N == i.
 * (SageMaker documents "each machine gets approximately 1/n of the objects"; round-robin over the sorted
 * keys is how we make that deterministic.)
 */
export function shardObjects<T>(objects: readonly T[], hostIndex: number, hostCount: number): T[] {
  return objects.filter((_, j) => j % hostCount === hostIndex);
}

/** Writes the selected objects below a local directory. */
export function downloadObjects(store: LocalObjectStore, objects: readonly SelectedObject[], localDir: string): void {
  fs.mkdirSync(localDir, { recursive: true });
  for (const o of objects) {
    const target = path.join(localDir, ...o.relativePath.split('/'));
    if (!path.resolve(target).startsWith(path.resolve(localDir))) throw new JobFailure(`object ${o.uri} would be written outside ${localDir}.`);
    if (o.relativePath === '' || o.relativePath.endsWith('/')) continue; // a "folder" marker object
    store.getFile(o.uri, target);
  }
}

/** Every file below a directory, as paths relative to it with '/' separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Joins an S3 prefix URI and a relative key with exactly one '/'. */
export function joinS3(prefixUri: string, rel: string): string {
  if (!rel) return prefixUri;
  return `${prefixUri.replace(/\/+$/, '')}/${rel.replace(/^\/+/, '')}`;
}

/** Uploads a local directory recursively under an S3 prefix. Returns the URIs written. */
export function uploadDirectory(store: LocalObjectStore, localDir: string, prefixUri: string): string[] {
  return listFiles(localDir).map((rel) => {
    const uri = joinS3(prefixUri, rel);
    store.putFile(uri, path.join(localDir, ...rel.split('/')));
    return uri;
  });
}

/** Packs a directory's contents into a gzipped tar (entries relative to the directory, as SageMaker's model.tar.gz). */
export function packTarGz(dir: string, tarFile: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.dirname(tarFile), { recursive: true });
  const entries = fs.readdirSync(dir).sort();
  // Entries relative to the directory (`xgboost-model`, `code/inference.py`); -T keeps an empty folder packable.
  execFileSync('tar', ['-czf', tarFile, '-C', dir, '--verbatim-files-from', '-T', '-'], { stdio: ['pipe', 'pipe', 'pipe'], input: entries.map((e) => `${e}\n`).join('') });
}

/** Extracts a gzipped (or plain) tar into a directory. */
export function extractTar(tarFile: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', tarFile, '-C', dir, '--no-same-owner'], { stdio: 'pipe' });
}

/** Writes a JSON file (creating its folder). */
export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

/** Maps a container path below /opt/ml to the host directory bound there. */
export function hostPath(hostDir: string, containerPath: string): string {
  const norm = path.posix.normalize(containerPath);
  if (norm !== '/opt/ml' && !norm.startsWith('/opt/ml/')) {
    throw new JobFailure(`${containerPath} is not below /opt/ml; the local runner only provides /opt/ml (container paths elsewhere are not emulated).`);
  }
  return path.join(hostDir, ...norm.slice('/opt/ml'.length).split('/').filter(Boolean));
}

/** The last non-empty lines of a text. */
export function lastLines(text: string, n: number): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-n).join('\n');
}
