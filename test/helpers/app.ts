import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Stack, StackProps } from 'aws-cdk-lib';

/** The account and region of stacks made by {@link testStack}. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/**
 * Context every test app gets: CloudFormation's own schema rules fail synth (not just warn),
 * and the validation report is written as JSON so the nag helper can read it.
 */
export const TEST_CONTEXT: Record<string, unknown> = {
  // The same feature flags as the example app (cdk.json), so tests see what `cdk synth` sees.
  ...(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8')) as { context: Record<string, unknown> }).context,
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:validationReportJson': true,
};

/**
 * An App with CloudFormation schema validation switched to errors, writing to a fresh
 * temporary directory (so parallel test files never share a cloud assembly).
 */
export function testApp(props: AppProps = {}): App {
  const outdir = props.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-test-'));
  return new App({
    ...props,
    outdir,
    context: { ...TEST_CONTEXT, ...(props.context ?? {}) },
  });
}

/** A stack in a fixed account and region (us-east-1), inside `app` or a new {@link testApp}. */
export function testStack(app: App = testApp(), id = 'TestStack', props: StackProps = {}): Stack {
  return new Stack(app, id, { env: TEST_ENV, ...props });
}

/** A stack with no account or region, as `cdk synth` of an env-agnostic app produces. */
export function envAgnosticStack(app: App = testApp(), id = 'AgnosticStack', props: StackProps = {}): Stack {
  return new Stack(app, id, props);
}
