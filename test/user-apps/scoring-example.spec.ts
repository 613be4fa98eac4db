import { ScoringStack } from '../../examples/app/scoring-stack';
import { expectNagClean, testApp } from '../helpers';

// The examples' scoring stack is written as another team would write it, from the package
// entry alone; with the library's defaults it needs no acknowledgement at all.
test('the examples scoring stack has no cdk-nag or CloudFormation finding and writes no acknowledgement', () => {
  const app = testApp();
  new ScoringStack(app, 'Scoring');
  expectNagClean(app);
});
