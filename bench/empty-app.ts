/**
 * The baseline of the CLI synthesis figure: an app with one empty stack, run through the same
 * CLI and the same TypeScript runner (`npx tsx`) as the example app, so the ratio shows what the
 * example's stacks, checks and validation cost over the CLI's and Node's own start-up.
 */
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
new Stack(app, 'Empty');
app.synth();
