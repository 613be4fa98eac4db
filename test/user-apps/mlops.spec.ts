import { expectNagClean } from '../helpers';
import { mlopsApp } from './apps';

// (e) No acknowledgement in the app: the resolver's and the promotion pipeline's internal findings
// are acknowledged inside those constructs (docs/acknowledgements.md).
test('a registry-served model behind an endpoint and a promotion pipeline with default props has no cdk-nag or CloudFormation finding', () => {
  expectNagClean(mlopsApp());
});
