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
 * or call `normalizeTemplate(Template.fromStack(stack).toJSON())` before `toMatchSnapshot()`.
 */

export const ASSET_HASH = /[0-9a-f]{64}/g;
export const MASKED_HASH = '[ASSET_HASH]';

/**
 * Replaces every 64-character hex asset hash in a string with a fixed marker.
 */
export function maskAssetHashes(value: string): string {
  return value.replace(ASSET_HASH, MASKED_HASH);
}

/**
 * Returns a deep copy of a template with volatile values masked: asset hashes anywhere in
 * strings and keys, and the CDK metadata resource (it carries the library version).
 */
export function normalizeTemplate<T>(template: T): T {
  return normalizeValue(template) as T;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') {
    return maskAssetHashes(value);
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
      result[maskAssetHashes(key)] = normalizeValue(child);
    }
    return result;
  }
  return value;
}

