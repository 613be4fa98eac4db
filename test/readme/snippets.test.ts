// The README's code samples are these files' bodies: each synthesizes here (CloudFormation's
// schema rules on, the three cdk-nag packs with no acknowledgement written by the snippet), and the
// README must hold each body verbatim, so a sample cannot rot.
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { featureStoreSnippet } from '../../examples/snippets/feature-store';
import { hostingSnippet } from '../../examples/snippets/hosting';
import { networkSnippet } from '../../examples/snippets/network';
import { studioSnippet } from '../../examples/snippets/studio';
import { trainingPipelineSnippet } from '../../examples/snippets/training-pipeline';
import { workflowSnippet } from '../../examples/snippets/workflow';
import { expectNagClean, testApp, testStack } from '../helpers';

const SNIPPETS = path.join(__dirname, '..', '..', 'examples', 'snippets');
const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');

/** The lines between the snippet markers, without their common indentation. */
function body(file: string): string {
  const text = fs.readFileSync(path.join(SNIPPETS, file), 'utf-8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes('// snippet:start'));
  const end = lines.findIndex((l) => l.includes('// snippet:end'));
  const kept = lines.slice(start + 1, end);
  const indent = Math.min(...kept.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return kept.map((l) => l.slice(indent)).join('\n');
}

const CASES: Array<[string, string, (scope: Construct) => unknown]> = [
  ['network.ts', 'security', networkSnippet],
  ['training-pipeline.ts', 'training pipeline', trainingPipelineSnippet],
  ['studio.ts', 'Studio and notebook', studioSnippet],
  ['feature-store.ts', 'feature group', featureStoreSnippet],
  ['hosting.ts', 'hosting and monitoring', hostingSnippet],
  ['workflow.ts', 'Step Functions', workflowSnippet],
];

describe.each(CASES)('README snippet %s (%s)', (file, _what, build) => {
  test('is in the README verbatim', () => {
    expect(README).toContain(body(file));
  });

  test('synthesizes with no cdk-nag finding and no acknowledgement of its own', () => {
    const app = testApp();
    build(testStack(app));
    expectNagClean(app);
  });
});
