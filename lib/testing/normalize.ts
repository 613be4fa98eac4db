/**
 * Normalisation of synthesized CloudFormation templates for snapshot tests.
 *
 * It masks values that change whenever an unrelated file changes (asset hashes, the staging
 * bucket names of the bootstrap stack, the CDK library version), so a snapshot only changes
 * when the infrastructure does. Use it in `jest.config.js`:
 *
 * ```js
 * snapshotSerializers: ['sagemaker-cdk-constructs/dist/lib/testing/snapshot-serializer'],
 * ```
 *
 * or call `testing.Snapshot.normalizeTemplate(Template.fromStack(stack).toJSON())` before
 * `toMatchSnapshot()`.
 */

/**
 * A 64-character hex asset hash (for the snapshot serializer).
 * @internal
 */
export const ASSET_HASH = /[0-9a-f]{64}/g;

/**
 * Normalisation of synthesized templates for snapshot tests: asset hashes masked, the CDK
 * metadata resource dropped, so a snapshot changes only when the infrastructure does.
 */
export class Snapshot {
  /** The marker that replaces an asset hash. */
  public static readonly MASKED_HASH = '[ASSET_HASH]';

  /**
   * Replaces every 64-character hex asset hash in a string with {@link Snapshot.MASKED_HASH}.
   */
  public static maskAssetHashes(value: string): string {
    return value.replace(ASSET_HASH, Snapshot.MASKED_HASH);
  }

  /**
   * Returns a deep copy of a template (e.g. `Template.fromStack(stack).toJSON()`) with volatile
   * values masked: asset hashes anywhere in strings and keys, and the CDK metadata resource
   * (it carries the library version).
   */
  public static normalizeTemplate(template: Record<string, unknown>): Record<string, unknown> {
    return normalizeValue(template) as Record<string, unknown>;
  }

  private constructor() {}
}

/**
 * TypeScript alias of {@link Snapshot.MASKED_HASH}.
 * @internal
 */
export const MASKED_HASH = Snapshot.MASKED_HASH;

/**
 * TypeScript alias of {@link Snapshot.maskAssetHashes} (jsii publishes only the class).
 * @internal
 */
export function maskAssetHashes(value: string): string {
  return Snapshot.maskAssetHashes(value);
}

/**
 * TypeScript alias of {@link Snapshot.normalizeTemplate} that keeps the argument's type
 * (jsii publishes only the class).
 * @internal
 */
export function normalizeTemplate<T>(template: T): T {
  return normalizeValue(template) as T;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') {
    return Snapshot.maskAssetHashes(value);
  }
  if (Array.isArray(value)) {
    return value.map(normalizeValue);
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'CDKMetadata') {
        continue;
      }
      result[Snapshot.maskAssetHashes(key)] = normalizeValue(child);
    }
    return result;
  }
  return value;
}

