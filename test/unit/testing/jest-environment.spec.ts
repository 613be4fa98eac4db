/**
 * The Jest test environment users can set (lib/testing/jest): a user's project, with the library's
 * files compiled as they are published (dist/lib/testing/jest/*.js), runs two test files in one
 * Jest worker; the second synth reuses the engine the first built, and a schema error still fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runJestUserProject, writeJestUserProject } from '../../helpers/jest-user-project';

/** Each test file writes what it saw beside itself: the worker's pid and the engines built before and after its synth. */
const RECORD = `
const fs = require('fs');
const path = require('path');
const { App, CfnResource, Stack } = require('aws-cdk-lib');
function record(name, entry) { fs.writeFileSync(path.join(__dirname, name + '.json'), JSON.stringify({ pid: process.pid, ...entry })); }
function synth(properties) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  new CfnResource(new Stack(app, 'Stack'), 'Bucket', { type: 'AWS::S3::Bucket', properties });
  return () => app.synth();
}
const built = () => require('@aws/cloudformation-validate').sharedEnginesBuilt();
`;

/** Two test files: a valid bucket, and one with a property outside AWS::S3::Bucket's schema. */
const TESTS = {
  'valid.test.js': `${RECORD}
test('a valid bucket synthesizes', () => {
  const before = built();
  expect(synth({})).not.toThrow();
  record('valid', { before, after: built() });
});
`,
  'broken.test.js': `${RECORD}
test('a property outside the schema fails the synth', () => {
  const before = built();
  expect(synth({ NoSuchProperty: 'x' })).toThrow(/NoSuchProperty/);
  record('broken', { before, after: built() });
});
`,
};

const read = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join(dir, 'tests', `${name}.json`), 'utf-8')) as { pid: number; before: number; after: number };

describe('the shared-validator Jest environment in a user project', () => {
  test('two test files in one worker build one engine, and a schema error still fails the synth', () => {
    const dir = writeJestUserProject({ environment: 'shared', tests: TESTS });
    const { status, output } = runJestUserProject(dir);
    expect(output).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(status).toBe(0);
    const valid = read(dir, 'valid');
    const broken = read(dir, 'broken');
    expect(valid.pid).toBe(broken.pid);
    // Whichever file ran first built the engine; the other found it built and built none.
    expect([valid.before, broken.before].sort()).toEqual([0, 1]);
    expect([valid.after, broken.after]).toEqual([1, 1]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('without a jest-environment-node it can find, the environment says what to install', () => {
    const dir = writeJestUserProject({ environment: 'shared', tests: TESTS, withoutJestEnvironmentNode: true });
    const { status, output } = runJestUserProject(dir);
    expect(status).toBe(1);
    expect(output).toContain('jest-environment-node, which is not installed where it can be found: add jest-environment-node (the version of your Jest) to your devDependencies');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the module mapping without the environment fails with what to set', () => {
    const dir = writeJestUserProject({ environment: 'node', tests: TESTS });
    const { status, output } = runJestUserProject(dir);
    expect(status).toBe(1);
    expect(output).toContain("needs its test environment: set testEnvironment to 'sagemaker-cdk-constructs/dist/lib/testing/jest/environment'");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
