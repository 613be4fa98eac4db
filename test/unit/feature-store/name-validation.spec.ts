import { FeatureGroup, FeatureGroupProps, FeatureType } from '../../../lib';
import { testStack } from '../../helpers';

// FeatureGroupName: ^[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63} (CreateFeatureGroup).
const BASE: FeatureGroupProps = {
  features: [
    { featureName: 'customer_id', featureType: FeatureType.STRING },
    { featureName: 'event_time', featureType: FeatureType.FRACTIONAL },
  ],
  recordIdentifierFeatureName: 'customer_id',
  eventTimeFeatureName: 'event_time',
  onlineStore: {},
};

describe('featureGroupName', () => {
  test('64 characters pass; 65 fail with the rule and the fix', () => {
    expect(() => new FeatureGroup(testStack(), 'Group', { ...BASE, featureGroupName: 'a'.repeat(64) })).not.toThrow();
    expect(() => new FeatureGroup(testStack(), 'Group', { ...BASE, featureGroupName: 'a'.repeat(65) })).toThrow(
      /\[TestStack\/Group\] featureGroupName is "a{65}", but must be 1-64 letters, digits, hyphens and underscores, starting and ending with a letter or digit \(it has 65 characters\); rename it, or leave it unset/,
    );
  });
});
