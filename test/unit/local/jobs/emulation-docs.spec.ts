import * as fs from 'fs';
import * as path from 'path';
import { renderEmulationTable } from '../../../../lib/local/jobs';

test('docs/local-runner.md holds the emulation table the executors actually use', () => {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'docs', 'local-runner.md'), 'utf-8');
  expect(docs).toContain(renderEmulationTable());
});
