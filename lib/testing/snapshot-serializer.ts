/**
 * A Jest snapshot serializer that masks asset hashes in every string of a snapshot, so
 * snapshots stay stable when an unrelated file (and so an asset hash) changes. Add it to
 * `snapshotSerializers` in your Jest config, or normalise templates with
 * `testing.Snapshot.normalizeTemplate`.
 */
import { ASSET_HASH, Snapshot } from './normalize';

/** A minimal shape of Jest's printer callback, so this file needs no Jest types at runtime. */
type Printer = (value: unknown, config: unknown, indentation: string, depth: number, refs: unknown) => string;

/**
 * Jest snapshot serializer: strings that still hold an asset hash are printed masked.
 */
export const test = (value: unknown): boolean =>
  typeof value === 'string' && new RegExp(ASSET_HASH.source).test(value);

export const serialize = (
  value: string,
  config: unknown,
  indentation: string,
  depth: number,
  refs: unknown,
  printer: Printer,
): string => printer(Snapshot.maskAssetHashes(value), config, indentation, depth, refs);
