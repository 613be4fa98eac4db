/** Writes small cloud assemblies for the engine's tests. Not a test file itself. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A stack of a hand-written assembly. */
export interface FakeStack {
  readonly template: Record<string, unknown>;
  readonly stackName?: string;
  /** Asset manifest `files` entries. */
  readonly assets?: Record<string, unknown>;
  /** Files to write beside the manifest (name → content). */
  readonly files?: Record<string, string>;
}

/** Writes `manifest.json`, templates and asset manifests; returns the directory. */
export function writeAssembly(stacks: Record<string, FakeStack>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-assembly-'));
  const artifacts: Record<string, unknown> = {};
  for (const [id, stack] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, `${id}.template.json`), JSON.stringify(stack.template));
    const dependencies: string[] = [];
    if (stack.assets) {
      fs.writeFileSync(path.join(dir, `${id}.assets.json`), JSON.stringify({ version: '55.0.0', files: stack.assets, dockerImages: {} }));
      artifacts[`${id}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${id}.assets.json` } };
      dependencies.push(`${id}.assets`);
    }
    for (const [name, content] of Object.entries(stack.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    artifacts[id] = {
      type: 'aws:cloudformation:stack',
      environment: 'aws://unknown-account/unknown-region',
      properties: { templateFile: `${id}.template.json`, ...(stack.stackName ? { stackName: stack.stackName } : {}) },
      dependencies,
    };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  return dir;
}
