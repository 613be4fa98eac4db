/**
 * One Jest suite per test folder: each `*.spec.ts` under the folder runs inside the suite of the
 * folder's `*.test.ts`, in a `describe` named after the file.
 *
 * Why: Jest gives every test file a fresh module registry, so each file loads aws-cdk-lib, the
 * library and cdk-nag again and warms the JIT again; that start-up, not the tests, was most of
 * `npm test`'s time (measured on 2 CPUs: the five security test files took 51.6 s of CPU as five
 * files and 19.5 s as one suite, the same 36 tests; the whole suite, 1131 tests, went from 117
 * files in 616 s to 41 suites in 445 s, and to 347 s with both CPUs used, see jest.config.js). Specs that replace modules or SDK clients
 * (`jest.mock`, aws-sdk-client-mock) stay separate `*.test.ts` files: a replacement would leak
 * into the specs after them in a shared registry.
 *
 * A long suite may leave a subfolder to a suite of its own (`exclude`), so both workers share its
 * time: test/unit/local/jobs, whose Python jobs were 32 s of test/unit/local's 53 s on two idle CPUs.
 *
 * Run one spec file on its own with `npm run test:spec -- <path>`.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Options of {@link includeSpecs}. */
export interface IncludeSpecsOptions {
  /**
   * Subfolders (relative to the directory) whose specs run in a suite of their own: the folder's
   * `*.test.ts` calls `includeSpecs(__dirname)` itself. Splitting a long suite lets Jest run the
   * halves on both workers at the same time.
   * @default - every subfolder is included
   */
  readonly exclude?: string[];
}

/** The spec files under `directory`, recursively, in a stable order, without those under `exclude` (absolute paths). */
export function specFiles(directory: string, exclude: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!exclude.includes(full)) found.push(...specFiles(full, exclude));
    } else if (entry.name.endsWith('.spec.ts')) found.push(full);
  }
  return found;
}

/** Registers the tests of every spec under `directory` (but not under `options.exclude`) in the calling suite. */
export function includeSpecs(directory: string, options: IncludeSpecsOptions = {}): void {
  const exclude = (options.exclude ?? []).map((folder) => path.resolve(directory, folder));
  for (const folder of exclude) {
    // An excluded folder must hold specs and a suite that runs them, or its specs would silently not run.
    const suites = fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith('.test.ts')) : [];
    if (suites.length === 0 || specFiles(folder).length === 0) {
      throw new Error(`excluded folder ${folder} must hold *.spec.ts files and the *.test.ts suite that includes them`);
    }
  }
  const files = specFiles(directory, exclude);
  if (files.length === 0) throw new Error(`no *.spec.ts files under ${directory}`);
  for (const file of files) {
    describe(path.relative(directory, file), () => {
      // A require inside the describe registers the file's tests in it; an import cannot.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    });
  }
}
