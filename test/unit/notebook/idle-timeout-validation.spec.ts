import { CfnParameter, Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MlNetwork, NotebookInstance, NotebookLifecycleConfig } from '../../../lib';
import { testStack } from '../../helpers';

// A token idle timeout passes into the on-start script (issue 15).
describe('NotebookLifecycleConfig idleTimeout validation', () => {
  test('a token idleTimeout in minutes passes and is written with Fn::Base64', () => {
    const stack = testStack();
    new NotebookLifecycleConfig(stack, 'Config', { idleTimeout: Duration.minutes(new CfnParameter(stack, 'IdleMinutes', { type: 'Number' }).valueAsNumber) });
    const config = Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::NotebookInstanceLifecycleConfig'))[0];
    const content = JSON.stringify(config.Properties.OnStart[0].Content);
    expect(content).toContain('Fn::Base64');
    expect(content).toContain('"Ref":"IdleMinutes"');
  });

  test('a token idleTimeout in another unit is rejected with the fix', () => {
    const stack = testStack();
    expect(() => new NotebookLifecycleConfig(stack, 'Config', { idleTimeout: Duration.hours(Token.asNumber({ Ref: 'IdleHours' })) })).toThrow(
      /\[TestStack\/Config\] idleTimeout comes from a token in a unit other than minutes.*give it as Duration\.minutes\(token\)/,
    );
  });

  test.each([5, 1440])('idleTimeout of %d minutes (a limit) passes', (minutes) => {
    expect(() => new NotebookLifecycleConfig(testStack(), 'Config', { idleTimeout: Duration.minutes(minutes) })).not.toThrow();
  });

  test.each([4, 1441])('idleTimeout of %d minutes (one beyond a limit) fails', (minutes) => {
    expect(() => new NotebookLifecycleConfig(testStack(), 'Config', { idleTimeout: Duration.minutes(minutes) })).toThrow(
      new RegExp(`\\[TestStack/Config\\] idleTimeout in minutes is ${minutes}, but must be between 5 and 1440; the check runs every 5 minutes`),
    );
  });
});

describe('NotebookInstance idleTimeout from a token', () => {
  test('passes through the notebook instance to its default lifecycle configuration', () => {
    const stack = testStack();
    const minutes = new CfnParameter(stack, 'IdleMinutes', { type: 'Number' }).valueAsNumber;
    expect(() => new NotebookInstance(stack, 'Notebook', { network: new MlNetwork(stack, 'Network'), idleTimeout: Duration.minutes(minutes) })).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::NotebookInstanceLifecycleConfig', { OnStart: [{ Content: { 'Fn::Base64': Match.anyValue() } }] });
  });
});
