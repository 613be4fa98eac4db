import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../lib/stacks';
import { Snapshot } from '../../lib/testing';
import { stacksOf, testApp } from '../helpers';

// One normalised snapshot per example stack (asset hashes masked). Run with `jest --ci`, so a
// changed template fails until the snapshot is reviewed and updated on purpose (`jest -u`).
describe('example stack snapshots', () => {
  const app = testApp();
  buildExampleApp(app);
  for (const stack of stacksOf(app)) {
    test(stack.stackName, () => {
      expect(Snapshot.normalizeTemplate(Template.fromStack(stack).toJSON())).toMatchSnapshot();
    });
  }
});
