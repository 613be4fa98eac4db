/**
 * How to snapshot-test your own app with the library's serializer (see jest.config.js:
 * `snapshotSerializers` names the library's serializer, which masks asset hashes) and
 * `testing.Snapshot.normalizeTemplate`, which also drops the CDK metadata resource.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { testing } from 'sagemaker-cdk-constructs';
import { ScoringStack } from '../app/scoring-stack';

test('the scoring stack matches its reviewed snapshot', () => {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new ScoringStack(app, 'Scoring', { env: { account: '123456789012', region: 'us-east-1' } });
  const template = Template.fromStack(stack);
  expect(testing.Snapshot.normalizeTemplate(template.toJSON())).toMatchSnapshot();
});

test('it has no IAM statement broader than it needs', () => {
  const app = new App();
  const stack = new ScoringStack(app, 'Scoring');
  const findings = testing.LeastPrivilege.check(Template.fromStack(stack).toJSON(), {
    allowManagedPolicies: [{ policyName: 'service-role/AWSLambdaBasicExecutionRole', pathIncludes: 'VpcRestrictDefaultSG', reason: "aws-cdk-lib's default-SG provider" }],
  });
  expect(testing.LeastPrivilege.formatFindings(findings)).toBe('');
});
