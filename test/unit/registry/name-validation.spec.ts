import { ModelPackageGroup } from '../../../lib/constructs/registry';
import { testStack } from '../../helpers';

// ModelPackageGroupName: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62} (CreateModelPackageGroup).
describe('modelPackageGroupName', () => {
  test('63 characters pass; 64 fail with the rule and the fix', () => {
    expect(() => new ModelPackageGroup(testStack(), 'Registry', { modelPackageGroupName: 'g'.repeat(63) })).not.toThrow();
    expect(() => new ModelPackageGroup(testStack(), 'Registry', { modelPackageGroupName: 'g'.repeat(64) })).toThrow(
      /\[TestStack\/Registry\] modelPackageGroupName "g{64}" must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit \(it has 64 characters\); rename it, or leave it unset/,
    );
  });
});
