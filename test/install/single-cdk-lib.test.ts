import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { MlKey, MlNetwork, SecureBucket } from '../../lib/constructs/security';
import { assertSingleCdkLib } from '../../lib/private/single-cdk-lib';

// An app installed with the library as a link (`file:..`, `npm link`) loads a second aws-cdk-lib:
// the app's stacks come from one copy, the library's resources from the other, and cdk-nag of
// the app's copy skips every resource of the library. jest.isolateModules loads that second
// instance here, as the app's, while the library keeps the one this test file imported.
// aws-cdk-lib loads its modules lazily, so the second copy's classes are used inside the callback.
function inOtherCdkLib<T>(use: (cdk: typeof import('aws-cdk-lib')) => T): T {
  let result: T | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh instance needs a require inside the callback
    result = use(require('aws-cdk-lib'));
  });
  return result as T;
}

/** A stack (in an app) of the second copy. */
function otherStack(): Stack {
  return inOtherCdkLib((cdk) => new cdk.Stack(new cdk.App(), 'AppStack', { env: { account: '123456789012', region: 'us-east-1' } })) as unknown as Stack;
}

const ownDirectory = path.dirname(require.resolve('aws-cdk-lib/package.json'));

describe('a second copy of aws-cdk-lib', () => {
  test('the second instance really is another copy', () => {
    expect(inOtherCdkLib((cdk) => cdk.Stack)).not.toBe(Stack);
    expect(otherStack()).not.toBeInstanceOf(Stack);
    expect(Stack.isStack(otherStack())).toBe(true);
  });

  test.each([
    ['MlKey', (s: Stack) => new MlKey(s, 'Key')],
    ['MlNetwork', (s: Stack) => new MlNetwork(s, 'Network')],
    ['SecureBucket', (s: Stack) => new SecureBucket(s, 'Bucket')],
  ])('%s in a stack of the other copy fails with both copies and the fix', (_name, create) => {
    const stack = otherStack();
    let message = '';
    try {
      create(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^\[AppStack\/\w+\] Two copies of aws-cdk-lib are loaded: this stack was created by /);
    expect(message).toContain(`sagemaker-cdk-constructs uses the aws-cdk-lib in ${ownDirectory}`);
    expect(message).toMatch(/cdk-nag .* silently skip every resource this library creates/);
    expect(message).toContain('npm install --install-links <path to sagemaker-cdk-constructs>');
    expect(message).toContain('npm pack');
    expect(message).toContain('npm ls aws-cdk-lib');
  });

  test('a stack of the library\'s copy in an app of the other copy fails too', () => {
    const stack = new Stack(inOtherCdkLib((cdk) => new cdk.App()) as unknown as App, 'AppStack');
    expect(() => new MlKey(stack, 'Key')).toThrow(/Two copies of aws-cdk-lib are loaded: this app was created by /);
  });

  test('one copy passes, and the check runs once per stack', () => {
    const stack = new Stack(new App(), 'AppStack');
    expect(() => new MlKey(stack, 'Key')).not.toThrow();
    expect(() => assertSingleCdkLib(new MlKey(stack, 'Key2'))).not.toThrow();
  });
});
