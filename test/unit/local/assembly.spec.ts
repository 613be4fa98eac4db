import * as path from 'path';
import { CloudAssembly } from '../../../lib/local/assembly';
import { writeSampleAssembly } from './sample-app';

describe('CloudAssembly', () => {
  const dir = writeSampleAssembly();
  const assembly = new CloudAssembly(dir);

  test('lists the stacks with their templates and asset manifests', () => {
    expect(assembly.stacks.map((s) => [s.id, s.stackName, path.basename(s.templateFile), s.assetManifests.map((m) => path.basename(m))])).toEqual([
      ['Sample-Platform', 'Sample-Platform', 'Sample-Platform.template.json', []],
      ['Sample-Training', 'Sample-Training', 'Sample-Training.template.json', ['Sample-Training.assets.json']],
    ]);
  });

  test('finds a stack by id or name, and lists the stacks when none matches', () => {
    expect(assembly.stack('Sample-Training').id).toBe('Sample-Training');
    expect(() => assembly.stack('Nope')).toThrow(`Stack "Nope" is not in the cloud assembly ${dir}. Its stacks: Sample-Platform, Sample-Training.`);
  });

  test('reads templates and file assets', () => {
    const stack = assembly.stack('Sample-Training');
    expect(Object.keys(assembly.template(stack).Resources ?? {})).toContain('PipelineC660917D');
    expect(assembly.fileAssets(stack).map((a) => [a.id, a.packaging, path.relative(dir, a.sourcePath)])).toEqual([
      ['aaaa1111', 'file', 'asset.aaaa1111.py'],
      ['bbbb2222', 'file', 'asset.bbbb2222.json'],
      ['cccc3333', 'zip', 'asset.cccc3333'],
    ]);
  });

  test('a directory without manifest.json is refused with the fix', () => {
    expect(() => new CloudAssembly(path.join(dir, 'nope'))).toThrow(/has no manifest.json. Run "npx cdk synth" first/);
  });
});
