import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SageMakerConstructError } from './errors';

/** Stacks already checked, so the check costs one `instanceof` per construct. */
const checked = new WeakSet<object>();

/**
 * Throws when the stack (or app) that `scope` lives in was made by another copy of aws-cdk-lib
 * than the one this library loaded.
 *
 * That happens when the library is installed as a link (`file:..` without `--install-links`,
 * `npm link`): the library then resolves aws-cdk-lib from its own `node_modules`, the app from
 * its own. Stacks still find each other (aws-cdk-lib marks them with global symbols), so synth
 * works, but every `instanceof` across the two copies is false: cdk-nag and other Aspects or
 * policy-validation plugins of the app's copy see none of the resources this library creates,
 * and report nothing. Failing here is the only way to make that visible.
 */
export function assertSingleCdkLib(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (checked.has(stack)) return;
  const root = stack.node.root;
  const foreign = !(stack instanceof Stack) ? stack : App.isApp(root) && !(root instanceof App) ? root : undefined;
  if (foreign) {
    throw new SageMakerConstructError(singleCdkLibMessage(scope, foreign));
  }
  checked.add(stack);
}

/** Where this library's aws-cdk-lib lives. */
function ownCdkLibDirectory(): string {
  return path.dirname(require.resolve('aws-cdk-lib/package.json'));
}

/** The aws-cdk-lib class (`Stack` or `App`) that `instance`'s class extends. */
function cdkLibBaseClass(instance: object): object | undefined {
  const rtti = Symbol.for('jsii.rtti');
  for (let ctor = instance.constructor; ctor && ctor !== Function.prototype; ctor = Object.getPrototypeOf(ctor)) {
    const own = Object.prototype.hasOwnProperty.call(ctor, rtti) ? (ctor as unknown as Record<symbol, { fqn?: string }>)[rtti] : undefined;
    if (own?.fqn === 'aws-cdk-lib.Stack' || own?.fqn === 'aws-cdk-lib.App') return ctor;
  }
  return undefined;
}

/**
 * Where the class of `foreign` was loaded from: the aws-cdk-lib directory whose loaded
 * `core/lib/stack.js` or `core/lib/app.js` defines it, else the aws-cdk-lib the current directory
 * resolves (the app `cdk synth` runs), else undefined.
 */
function foreignCdkLibDirectory(foreign: object): string | undefined {
  const own = ownCdkLibDirectory();
  const base = cdkLibBaseClass(foreign);
  const cache = (require.cache ?? {}) as Record<string, NodeModule | undefined>;
  for (const file of Object.keys(cache)) {
    const match = /^(.*[\\/]aws-cdk-lib)[\\/]core[\\/]lib[\\/](stack|app)\.js$/.exec(file);
    if (!match || match[1] === own) continue;
    const exported = cache[file]?.exports as Record<string, unknown> | undefined;
    if (base && (exported?.Stack === base || exported?.App === base)) return match[1];
  }
  try {
    const fromCwd = path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [process.cwd()] }));
    return fromCwd !== own ? fromCwd : undefined;
  } catch {
    return undefined;
  }
}

function singleCdkLibMessage(scope: IConstruct, foreign: object): string {
  const rtti = (foreign.constructor as unknown as Record<symbol, { version?: string } | undefined>)[Symbol.for('jsii.rtti')];
  const own = ownCdkLibDirectory();
  const other = foreignCdkLibDirectory(foreign);
  const kind = Stack.isStack(foreign) ? 'stack' : 'app';
  return [
    `[${scope.node.path}] Two copies of aws-cdk-lib are loaded: this ${kind} was created by ` +
      (other ? `the aws-cdk-lib in ${other}` : `another instance of aws-cdk-lib${rtti?.version ? ` (${rtti.version})` : ''}, loaded separately from the same or another directory`) +
      `, but sagemaker-cdk-constructs uses the aws-cdk-lib in ${own}.`,
    'With two copies, cdk-nag and any other Aspect or validation plugin of your app silently skip every resource this library creates, ' +
      'so a clean synth would prove nothing.',
    'This happens when the library is installed as a link (a `file:` dependency without --install-links, or `npm link`). ' +
      'Install a packed copy instead: `npm install --install-links <path to sagemaker-cdk-constructs>` or `npm install <sagemaker-cdk-constructs-x.y.z.tgz>` (from `npm pack`), ' +
      'then check that `npm ls aws-cdk-lib` lists a single version (`npm dedupe` merges compatible copies).',
  ].join('\n');
}
