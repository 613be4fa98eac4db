import { expectNagClean } from '../helpers';
import { gpuWorkflowApp } from './apps';

// (d) No acknowledgement in the app: every finding of the library's own internals is fixed or
// acknowledged inside the construct that causes it (docs/acknowledgements.md).
test('a PyTorch GPU training job on ml.p3.2xlarge run by Step Functions with default props has no cdk-nag or CloudFormation finding', () => {
  expectNagClean(gpuWorkflowApp());
});
