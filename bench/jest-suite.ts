/**
 * A user's Jest suite with and without the library's shared-validator test environment
 * (lib/testing/jest): the same test files, each synthesizing a stack of the library's constructs
 * (so aws-cdk-lib's CloudFormation validation runs in each), in one Jest worker. CPU time (user and
 * system) of one run each, after one unmeasured run each that fills ts-jest's cache: wall times of
 * single runs moved by half on this shared machine.
 */
import * as fs from 'fs';
import { runJestUserProject, writeJestUserProject } from '../test/helpers/jest-user-project';

/** One test file: a bucket, a model and an autoscaled endpoint, checked with the assertions module. */
const TEST_FILE = `
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, Endpoint, EndpointVariant, InstanceType, Model, ModelData, SecureBucket } from 'sagemaker-cdk-constructs';

test('an autoscaled endpoint', () => {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'Serving', { env: { account: '123456789012', region: 'us-east-1' } });
  const bucket = new SecureBucket(stack, 'Models');
  const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1'), modelData: ModelData.fromBucket(bucket, 'model.tar.gz') }] });
  const endpoint = new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
  endpoint.variant('AllTraffic').autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 });
  Template.fromStack(stack).resourceCountIs('AWS::SageMaker::Endpoint', 1);
});
`;

/** Result of {@link timeJestSuites}. */
export interface JestSuiteTimes {
  readonly files: number;
  /** CPU milliseconds with Jest's own Node environment (each test file builds its own validator). */
  readonly perFileMs: number;
  /** CPU milliseconds with the library's shared-validator environment. */
  readonly sharedMs: number;
}

/** Times a suite of `files` test files both ways. */
export function timeJestSuites(files: number): JestSuiteTimes {
  const tests = Object.fromEntries(Array.from({ length: files }, (_, i) => [`endpoint${i}.test.ts`, TEST_FILE]));
  const plain = writeJestUserProject({ environment: 'plain', tests });
  const shared = writeJestUserProject({ environment: 'shared', tests });
  const timed = (dir: string): number => {
    const run = runJestUserProject(dir);
    if (run.status !== 0) throw new Error(`the bench's Jest suite failed:\n${run.output}`);
    return run.cpuMs;
  };
  timed(plain);
  timed(shared);
  const perFileMs = timed(plain);
  const sharedMs = timed(shared);
  for (const dir of [plain, shared]) fs.rmSync(dir, { recursive: true, force: true });
  return { files, perFileMs, sharedMs };
}
