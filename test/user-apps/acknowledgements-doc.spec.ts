import * as fs from 'fs';
import * as path from 'path';
import { validationFindings } from '../helpers';
import { RecordedAcknowledgement, recordedAcknowledgements } from './acknowledgements';
import { aiServicesApp, gpuWorkflowApp, inferenceApp, mlopsApp, studioApp, trainingPipelineApp } from './apps';

/** A row of docs/acknowledgements.md: the construct, its finding ids and (for IAM5) resource patterns. */
interface DocRow {
  readonly construct: string;
  readonly ids: string[];
  readonly resourcePatterns: RegExp[];
}

const DOC = path.join(__dirname, '..', '..', 'docs', 'acknowledgements.md');

/** The cdk-nag packs' rule ids (aws-cdk-lib's own CloudFormation-Validate acknowledgements are not ours). */
const NAG_ID = /^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R5)-/;

function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `<...>` stands for one value of a deployment (a token such as `<Data1234.Arn>` or
 * `<AWS::Region>`, or text without a colon), `…` for any text; everything else is literal.
 */
function resourcePattern(text: string): RegExp {
  const source = text
    .split('…')
    .map((piece) => piece.split(/<[^>]*>/).map(escape).join('(?:<[^>]*>|[^:<>]+)'))
    .join('.+');
  return new RegExp(`^${source}$`);
}

function docRows(): DocRow[] {
  return fs
    .readFileSync(DOC, 'utf-8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [construct, ids, resource] = line.split(' | ').map((cell) => cell.replace(/^\| /, ''));
      return {
        construct: backticked(construct)[0],
        ids: backticked(ids),
        resourcePatterns: backticked(resource).filter((token) => token.includes('*')).map(resourcePattern),
      };
    });
}

/** The resource of an IAM5 acknowledgement, `AwsSolutions-IAM5[Resource::<resource>]`. */
function iam5Resource(ack: RecordedAcknowledgement): string | undefined {
  return /\[Resource::(.*)\]$/.exec(ack.fullId)?.[1];
}

function undocumented(acks: RecordedAcknowledgement[], rows: DocRow[]): string[] {
  const missing = new Set<string>();
  for (const ack of acks) {
    const id = ack.id.replace(/^.*::/, '');
    if (!NAG_ID.test(id)) continue;
    const candidates = rows.filter((row) => row.construct === ack.construct && row.ids.includes(id));
    const resource = iam5Resource(ack);
    const documented = resource === undefined ? candidates.length > 0 : candidates.some((row) => row.resourcePatterns.some((p) => p.test(resource)));
    if (!documented) missing.add(`${ack.construct} ${id}${resource ? ` on ${resource}` : ''} (at ${ack.path}: "${ack.reason}")`);
  }
  return [...missing].sort();
}

describe('docs/acknowledgements.md', () => {
  const rows = docRows();
  const apps = { trainingPipelineApp, studioApp, inferenceApp, gpuWorkflowApp, mlopsApp, aiServicesApp };

  test('the table parses: every row names a construct and finding ids, every IAM5 row resource patterns', () => {
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      expect(row.construct).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(row.ids.length).toBeGreaterThan(0);
      for (const id of row.ids) expect(id).toMatch(NAG_ID);
      if (row.ids.includes('AwsSolutions-IAM5')) expect(row.resourcePatterns.length).toBeGreaterThan(0);
    }
  });

  test.each(Object.entries(apps))('every acknowledgement the library makes in %s is in the table, and the app makes none', (_name, build) => {
    const app = build();
    expect(validationFindings(app)).toEqual([]);
    const acks = recordedAcknowledgements(app).filter((ack) => NAG_ID.test(ack.id.replace(/^.*::/, '')));
    expect(acks.length).toBeGreaterThan(0);
    // Nothing outside a library construct is acknowledged: the app writes no acknowledgement.
    expect(acks.filter((ack) => ack.construct === '(app)').map((ack) => `${ack.path}: ${ack.fullId}`)).toEqual([]);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(30);
    expect(undocumented(acks, rows)).toEqual([]);
  });
});
