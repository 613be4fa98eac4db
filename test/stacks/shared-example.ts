import { App } from 'aws-cdk-lib';
import { ExampleProfileStacks, buildExampleApp } from '../../lib/stacks';
import { testApp } from '../helpers';

/**
 * The example app's CPU profile, built once for every spec of the stacks suite that only reads
 * its templates (the specs share one module registry, test/helpers/specs.ts): each of them built
 * and synthesized the same app again before. A spec that changes the app builds its own.
 */
let cpuProfile: ExampleProfileStacks | undefined;
export function sharedCpuProfile(): ExampleProfileStacks {
  cpuProfile ??= buildExampleApp(testApp(), { profile: 'cpu' }).cpu;
  return cpuProfile;
}

/** The whole example app (both profiles), built once for the specs that only read it. */
let wholeApp: App | undefined;
export function sharedExampleApp(): App {
  if (!wholeApp) {
    wholeApp = testApp();
    buildExampleApp(wholeApp);
  }
  return wholeApp;
}
