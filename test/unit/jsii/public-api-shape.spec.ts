// jsii publishes classes, interfaces and enums only: an exported function or constant is silently
// missing in Python. This keeps the package's public API (what lib/index.ts exports) free of them,
// without running jsii (npm run build does). TypeScript-only aliases are marked @internal.
import * as path from 'path';
import * as ts from 'typescript';

const INDEX = path.join(__dirname, '..', '..', '..', 'lib', 'index.ts');


function exportedValues(): string[] {
  const program = ts.createProgram([INDEX], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const found: string[] = [];
  const walk = (module: ts.Symbol, prefix: string) => {
    for (const exported of checker.getExportsOfModule(module)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = target.declarations?.[0];
      if (!declaration) continue;
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
