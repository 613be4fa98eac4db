import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MlNetwork } from '../../lib/constructs/security';
import { buildExampleApp } from '../../lib/stacks/example-app';
import { testApp, testStack } from '../helpers';

// `npx cdk synth -c account=... -c region=...` must work without AWS credentials: the app may not
// ask the CLI for any context lookup (each `missing` entry makes the CLI call AWS).
describe('environment-specific synth needs no lookup', () => {
  test('the example app in a concrete environment leaves no missing context', () => {
    const app = testApp();
    const stacks = buildExampleApp(app, { account: '123456789012', region: 'us-east-1' });
    const assembly = app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);

    // The network's subnets sit in CloudFormation's first two zones of the region.
    const template = Template.fromStack(stacks.cpu.platform);
    const zones = Object.values(template.findResources('AWS::EC2::Subnet')).map((subnet) => subnet.Properties.AvailabilityZone);
    expect(zones).toEqual([
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
    ]);
  });

  test('MlNetwork.deployTimeAvailabilityZones selects from Fn::GetAZs', () => {
    const stack = testStack();
    expect(stack.resolve(MlNetwork.deployTimeAvailabilityZones(3))).toEqual([0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })));
  });

  test('an env-agnostic platform stack keeps the default zones', () => {
    const app = testApp();
    const stacks = buildExampleApp(app, { profile: 'cpu' });
    expect(Stack.of(stacks.cpu.platform).resolve(stacks.cpu.platform.availabilityZones)).toEqual([
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
    ]);
  });
});
