/**
 * Publishes a cloud assembly's file assets to the local object store, at the bucket and key
 * `cdk deploy` would upload them to (the bootstrap assets bucket of the local account and region).
 */
import * as fs from 'fs';
import { type AssemblyStack } from './assembly';
import { type AssemblyResolver } from './intrinsics';
import { type LocalObjectStore } from './object-store';

/** What {@link publishAssets} did. */
export interface AssetPublishResult {
  /** `s3://` URIs written or already up to date. */
  readonly published: string[];
  /** Directory (`zip`) assets left out, with why. */
  readonly skipped: Array<{ readonly asset: string; readonly reason: string }>;
}

/**
 * Copies the `file` assets of `stacks` (default: every stack of the assembly, since pipelines use
 * other stacks' assets through cross-stack references) into the store. Directory assets packaged
 * as `zip` (Lambda and custom-resource code) are skipped: nothing in a pipeline reads them, and a
 * step that did would fail naming the missing object.
 *
 * @param resolver the assembly and the local account/region that fill the placeholders
 * @param store the local S3
 * @param stacks the stacks whose assets to publish
 */
export function publishAssets(resolver: AssemblyResolver, store: LocalObjectStore, stacks?: readonly AssemblyStack[]): AssetPublishResult {
  const result: AssetPublishResult = { published: [], skipped: [] };
  for (const stack of stacks ?? resolver.assembly.stacks) {
    for (const asset of resolver.assembly.fileAssets(stack)) {
      const label = `${stack.id}/${asset.displayName ?? asset.id}`;
      if (asset.packaging !== 'file') {
        result.skipped.push({ asset: label, reason: `a ${asset.packaging} asset (a directory); the local runner publishes file assets only` });
        continue;
      }
      if (!fs.existsSync(asset.sourcePath)) {
        result.skipped.push({ asset: label, reason: `its file ${asset.sourcePath} is missing from the cloud assembly` });
        continue;
      }
      for (const destination of asset.destinations) {
        const uri = `s3://${resolver.substitutePlaceholders(destination.bucketName)}/${resolver.substitutePlaceholders(destination.objectKey)}`;
        if (!upToDate(store, uri, asset.sourcePath)) store.putFile(uri, asset.sourcePath);
        result.published.push(uri);
      }
    }
  }
  return result;
}

function upToDate(store: LocalObjectStore, uri: string, source: string): boolean {
  if (!store.exists(uri)) return false;
  const target = fs.statSync(store.pathOf(uri));
  const from = fs.statSync(source);
  // Asset file names are content hashes, so an object of the same size is the same file.
  return target.size === from.size;
}
