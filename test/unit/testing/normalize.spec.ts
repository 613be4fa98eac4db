import { MASKED_HASH, Snapshot, maskAssetHashes, normalizeTemplate } from '../../../lib/testing';
import { serialize, test as isHashed } from '../../../lib/testing/snapshot-serializer';

const HASH = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

describe('template normalisation', () => {
  test('masks asset hashes in strings and keys and drops CDK metadata', () => {
    const template = {
      Resources: {
        CDKMetadata: { Type: 'AWS::CDK::Metadata' },
        Fn: { Properties: { Code: { S3Key: `${HASH}.zip` } } },
      },
      Mappings: { [`Map${HASH}`]: {} },
    };
    expect(Snapshot.normalizeTemplate(template)).toEqual({
      Resources: { Fn: { Properties: { Code: { S3Key: '[ASSET_HASH].zip' } } } },
      Mappings: { 'Map[ASSET_HASH]': {} },
    });
  });

  test('leaves short hex strings alone', () => {
    expect(Snapshot.maskAssetHashes('sg-0123abcd')).toBe('sg-0123abcd');
  });

  test('the Jest serializer picks only strings that hold a hash and prints them masked', () => {
    expect(isHashed(`s3://bucket/${HASH}.zip`)).toBe(true);
    expect(isHashed('plain')).toBe(false);
    const printed = serialize(`s3://bucket/${HASH}.zip`, {}, '', 0, [], (v) => JSON.stringify(v));
    expect(printed).toBe('"s3://bucket/[ASSET_HASH].zip"');
  });

  test('the TypeScript aliases mask the same way as the class', () => {
    expect(maskAssetHashes(`x${HASH}`)).toBe(`x${Snapshot.MASKED_HASH}`);
    expect(MASKED_HASH).toBe('[ASSET_HASH]');
    expect(normalizeTemplate({ Outputs: { Key: { Value: HASH } } })).toEqual(Snapshot.normalizeTemplate({ Outputs: { Key: { Value: HASH } } }));
  });
});
