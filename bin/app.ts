#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { buildExampleApp } from '../lib/stacks/example-app';

// The example app. `-c profile=cpu|gpu|all` picks the stacks (default: all);
// `-c account=... -c region=...` pins an environment (default: env-agnostic).
const app = new App();
buildExampleApp(app, {
  profile: app.node.tryGetContext('profile'),
  account: app.node.tryGetContext('account'),
  region: app.node.tryGetContext('region'),
});

// Every template is checked at synth by the three cdk-nag packs; findings fail the synth
// unless an example stack acknowledges them with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app));
app.synth();
