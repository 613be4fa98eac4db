import { expectNagClean } from '../helpers';
import { inferenceApp } from './apps';

// (c) No acknowledgement in the app: every finding of the library's own internals is fixed or
// acknowledged inside the construct that causes it (docs/acknowledgements.md).
test('a model behind a canary-deployed endpoint with alarms, a data quality monitor and an InferenceApi with default props has no cdk-nag or CloudFormation finding', () => {
  expectNagClean(inferenceApp());
});
