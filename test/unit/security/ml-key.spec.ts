import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MlKey } from '../../../lib/constructs/security';
import { testStack } from '../../helpers';

describe('MlKey', () => {
  test('rotation on, retained, 30-day pending window, usable by CloudWatch Logs of this account', () => {
    const stack = testStack();
    new MlKey(stack, 'Key', { alias: 'ml' });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: {
        EnableKeyRotation: true,
        PendingWindowInDays: 30,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AllowCloudWatchLogsOfThisAccount',
              Principal: { Service: 'logs.us-east-1.amazonaws.com' },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.stringLikeRegexp('log-group:\\*') } },
            }),
          ]),
        },
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ml' });
  });

  test('removal policy and the logs statement can be changed', () => {
    const stack = testStack();
    new MlKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY, allowCloudWatchLogs: false });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    expect(JSON.stringify(template.toJSON())).not.toContain('AllowCloudWatchLogsOfThisAccount');
  });
});
