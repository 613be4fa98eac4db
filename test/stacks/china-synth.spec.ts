import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExampleProfileStacks, buildExampleApp } from '../../lib/stacks';
import { expectLeastPrivilege, expectNagClean, stacksOf, testApp } from '../helpers';

// The example app synthesized for AWS China (Beijing), cn-north-1 in the aws-cn partition, with
// the gates of test/stacks/example-app.spec.ts: the three cdk-nag packs, CloudFormation's schema
// rules for the region (aws-cdk-lib's validator, which also fails on resource types the region's
// CloudFormation lacks) and the IAM least-privilege check.

const CHINA = { account: '123456789012', region: 'cn-north-1' };

/** The same allowance as example-app.spec.ts (aws-cdk-lib's own provider role); not imported, as a spec file registers its tests where it is imported. */
const CDK_PROVIDER_MANAGED_POLICIES = [
  {
    policyName: 'service-role/AWSLambdaBasicExecutionRole',
    pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider',
    reason: "aws-cdk-lib's provider that empties the VPC's default security group",
  },
];

/** Every string in a template, with the JSON path of keys leading to it. */
function stringsOf(value: unknown, keys: string[] = []): Array<{ keys: string[]; text: string }> {
  if (typeof value === 'string') return [{ keys, text: value }];
  if (Array.isArray(value)) return value.flatMap((item) => stringsOf(item, keys));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsOf(item, [...keys, key]));
  return [];
}

/**
 * Where a commercial-looking `<service>.amazonaws.com` name is right in China too:
 * - service principals (Principal.Service, iam:PassedToService): aws-cdk-lib renders
 *   `<service>.amazonaws.com` in every partition (ServicePrincipal's standardized behaviour,
 *   node_modules/aws-cdk-lib/aws-iam/lib/principals.js), and so does its own CloudWatch Logs key
 *   grant with the regional `logs.<region>.amazonaws.com`;
 * - kms:ViaService values `<service>.<region>.amazonaws.com`: the form aws-cdk-lib renders in
 *   every partition for its own ViaServicePrincipal grants (Secrets Manager, EC2);
 * - Application Auto Scaling's service-linked role, whose path is its service principal
 *   (arn:aws-cn:iam::<account>:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/...).
 */
function isServiceName(keys: string[], text: string): boolean {
  const last = keys[keys.length - 1];
  return (
    keys.includes('Principal') ||
    last === 'kms:ViaService' ||
    last === 'iam:PassedToService' ||
    /^arn:aws-cn:iam::\d{12}:role\/aws-service-role\/[a-z.-]+\.amazonaws\.com\/[A-Za-z_]+$/.test(text)
  );
}

describe('the example app in cn-north-1 (aws-cn)', () => {
  let app: App;
  let stacks: Record<string, ExampleProfileStacks>;
  let templates: Record<string, unknown>;

  beforeAll(() => {
    app = testApp();
    stacks = buildExampleApp(app, CHINA);
    // Synthesizes with the nag packs and the schema rules; fails on any finding.
    expectNagClean(app);
    templates = Object.fromEntries(
      fs
        .readdirSync(app.outdir)
        .filter((file) => file.endsWith('.template.json'))
        .map((file) => [file, JSON.parse(fs.readFileSync(path.join(app.outdir, file), 'utf-8')) as unknown]),
    );
  });

  test('builds both profiles in cn-north-1', () => {
    expect(Object.keys(stacks).sort()).toEqual(['cpu', 'gpu']);
    for (const stack of stacksOf(app)) {
      expect(stack.region).toBe('cn-north-1');
      expect(stack.partition).toBe('aws-cn');
    }
    expect(Object.keys(templates).length).toBe(stacksOf(app).length);
  });

  test('every stack passes the IAM least-privilege check', () => {
    for (const stack of stacksOf(app)) {
      expectLeastPrivilege(stack, { allowManagedPolicies: CDK_PROVIDER_MANAGED_POLICIES });
    }
  });

  test('no commercial ARN and no commercial endpoint domain in any template', () => {
    const offending: string[] = [];
    for (const [file, template] of Object.entries(templates)) {
      for (const { keys, text } of stringsOf(template)) {
        if (/arn:aws:/.test(text)) offending.push(`${file} ${keys.join('.')}: ${text}`);
        if (/\.amazonaws\.com(?!\.cn)/.test(text) && !isServiceName(keys, text)) offending.push(`${file} ${keys.join('.')}: ${text}`);
      }
    }
    expect(offending).toEqual([]);
  });

  test('SageMaker image URIs of each kind are in the China registries (amazonaws.com.cn)', () => {
    const text = JSON.stringify(templates).replace(/\\"/g, '"');
    const uris = [...text.matchAll(/\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9-]+(?=[:@])/g)].map((match) => match[0]);
    const repositories = new Set(uris.map((uri) => uri.split('/')[1]));
    expect([...repositories].sort()).toEqual(
      expect.arrayContaining(['pytorch-inference', 'pytorch-training', 'sagemaker-model-monitor-analyzer', 'sagemaker-scikit-learn', 'sagemaker-xgboost']),
    );
    for (const uri of uris) {
      expect(uri).toMatch(/^\d{12}\.dkr\.ecr\.cn-north-1\.amazonaws\.com\.cn\//);
    }
    expect(uris).toEqual(
      expect.arrayContaining([
        '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost',
        '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-scikit-learn',
        '727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/pytorch-training',
        '727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/pytorch-inference',
        '453000072557.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer',
      ]),
    );
  });

  test('what CloudFormation lacks in China is left out: the registry is imported, no monitors, no inference components', () => {
    for (const profile of ['cpu', 'gpu']) {
      const { training, inference } = stacks[profile];
      Template.fromStack(training).resourceCountIs('AWS::SageMaker::ModelPackageGroup', 0);
      expect(training.registry.modelPackageGroupName).toBe(`loan-default-${profile}`);
      expect(inference.monitor).toBeUndefined();
      Template.fromStack(inference).resourceCountIs('AWS::SageMaker::DataQualityJobDefinition', 0);
      Template.fromStack(inference).resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
    }
    const hostingModes = stacks.cpu.hostingModes!;
    expect(hostingModes.components).toEqual([]);
    expect(hostingModes.componentEndpoint).toBeUndefined();
    Template.fromStack(hostingModes).resourceCountIs('AWS::SageMaker::InferenceComponent', 0);
    // The asynchronous and A/B endpoints stay.
    Template.fromStack(hostingModes).resourceCountIs('AWS::SageMaker::Endpoint', 2);
  });

  test('the weekly training schedule targets the aws-cn universal target', () => {
    const schedules = Template.fromStack(stacks.cpu.training).findResources('AWS::Scheduler::Schedule');
    const arns = Object.values(schedules).map((s) => (s as { Properties: { Target: { Arn: string } } }).Properties.Target.Arn);
    expect(arns.length).toBeGreaterThan(0);
    arns.forEach((arn) => expect(arn).toBe('arn:aws-cn:scheduler:::aws-sdk:sagemaker:startPipelineExecution'));
  });
});
