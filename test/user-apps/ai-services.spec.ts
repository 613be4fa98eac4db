import { Stack } from 'aws-cdk-lib';
import { expectLeastPrivilege, expectNagClean } from '../helpers';
import { aiServicesApp } from './apps';

// (f) No acknowledgement in the app: the AI service states, the Neo compilation fragment and the
// workflows running them keep every finding of their own fixed or acknowledged inside the library.
test('AI service states and a Neo compilation in Step Functions with default props have no cdk-nag or CloudFormation finding, and least-privilege roles', () => {
  const app = aiServicesApp();
  expectNagClean(app);
  expectLeastPrivilege(app.node.findChild('AiServices') as Stack);
});
