/**
 * What importing the library costs over importing aws-cdk-lib alone, as a user's app pays it:
 * the library is transpiled to JavaScript once (as the published package ships it), then fresh
 * Node processes, in interleaved rounds, time `require('aws-cdk-lib')` and `require` of the
 * library's entry point (which loads aws-cdk-lib and the modules the library uses).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { median } from './endpoints';

const ROOT = path.resolve(__dirname, '..');

/** Transpiles lib/ (without the Lambda handlers, which the library ships prebuilt) into `outDir`. */
function transpileLibrary(outDir: string): string {
  const walk = (directory: string): string[] =>
    fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === 'handlers' ? [] : walk(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
    });
  for (const file of walk(path.join(ROOT, 'lib'))) {
    const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const target = path.join(outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, output.outputText);
  }
  return path.join(outDir, 'lib', 'index.js');
}

/** Milliseconds a fresh Node process takes to `require(modules)`, measured inside it. */
function timeRequire(modules: string[]): number {
  const script = `const s=process.hrtime.bigint();${modules.map((m) => `require(${JSON.stringify(m)});`).join('')}process.stdout.write(String(Number(process.hrtime.bigint()-s)/1e6));`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

/** Result of {@link measureImportCost}, in milliseconds (medians). */
export interface ImportCost {
  readonly awsCdkLibMs: number;
  readonly libraryMs: number;
}

/** Medians over `rounds` interleaved rounds. */
export function measureImportCost(rounds: number): ImportCost {
  // Under node_modules so that the transpiled files resolve aws-cdk-lib and constructs as an installed package would.
  const outDir = path.join(ROOT, 'node_modules', '.cache', 'smcdk-bench-import');
  fs.rmSync(outDir, { recursive: true, force: true });
  const entry = transpileLibrary(outDir);
  const baseline: number[] = [];
  const library: number[] = [];
  timeRequire([entry]); // warms the file system cache
  for (let round = 0; round < rounds; round++) {
    baseline.push(timeRequire(['aws-cdk-lib', 'constructs']));
    library.push(timeRequire([entry]));
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  return { awsCdkLibMs: median(baseline), libraryMs: median(library) };
}
