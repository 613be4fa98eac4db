import { expectNagClean } from '../helpers';
import { studioApp } from './apps';

// (b) No acknowledgement in the app: every finding of the library's own internals is fixed or
// acknowledged inside the construct that causes it (docs/acknowledgements.md).
test('a VPC-only Studio domain with a user profile, a notebook instance and a feature group with default props has no cdk-nag or CloudFormation finding', () => {
  expectNagClean(studioApp());
});
