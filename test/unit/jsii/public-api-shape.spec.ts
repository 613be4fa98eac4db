// jsii publishes classes, interfaces and enums only: an exported function or constant is silently
// missing in Python. This keeps the package's public API (what lib/index.ts exports) free of them,
// without running jsii (npm run build does). TypeScript-only aliases are marked @internal.
import * as path from 'path';
import * as ts from 'typescript';

const INDEX = path.join(__dirname, '..', '..', '..', 'lib', 'index.ts');


/**
 * A program over the library's own sources. What lib/index.ts exports is decided by those files
 * alone, so every file under node_modules (aws-cdk-lib's and TypeScript's declarations) is read
 * as empty: the same exports are found in 0.6 s instead of 18 s. A name re-exported from a
 * dependency then has no declaration, and is reported (the package must not re-export one).
 */
function libraryProgram(): ts.Program {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, skipLibCheck: true, noEmit: true };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    fileName.split(path.sep).includes('node_modules') ? ts.createSourceFile(fileName, '', languageVersion) : read(fileName, languageVersion, onError, shouldCreate);
  return ts.createProgram([INDEX], options, host);
}

function exportedValues(): string[] {
  const program = libraryProgram();
  const checker = program.getTypeChecker();
  const found: string[] = [];
  const walk = (module: ts.Symbol, prefix: string) => {
    for (const exported of checker.getExportsOfModule(module)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = target.declarations?.[0];
      if (!declaration) {
        found.push(`${prefix}${exported.name} (re-exported from a dependency)`);
        continue;
      }
      if (ts.isSourceFile(declaration)) {
        walk(target, `${prefix}${exported.name}.`);
        continue;
      }
      if (!(target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable))) continue;
      const internal = ts.getJSDocTags(ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration).some((tag) => tag.tagName.text === 'internal');
      if (!internal) found.push(`${prefix}${exported.name} (${path.relative(path.dirname(INDEX), declaration.getSourceFile().fileName)})`);
    }
  };
  walk(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!, '');
  return found;
}

test('the public API exports no free functions or constants (jsii would drop them)', () => {
  const unexpected = exportedValues();
  expect(unexpected).toEqual([]);
});
