/**
 * aws-cdk-lib's CloudFormation validator (`@aws/cloudformation-validate`), loaded once per Jest
 * worker process instead of once per test file, with one engine per configuration.
 *
 * Why: every synth of an app runs aws-cdk-lib's built-in CloudFormation validation. Jest gives each
 * test file a fresh module registry, so each file compiles the validator's 9 MB WebAssembly module
 * again (0.3 s) and builds its engine again (2 to 3 s of CPU on a 2-CPU machine); aws-cdk-lib also
 * builds a new engine whenever a synth meets a resource type the current engine was not built for,
 * although the engine's configuration (the rule set) is the same. The engine is meant to be
 * reused: aws-cdk-lib validates every stack of one synth with one engine.
 *
 * This module is loaded by Node's own `require` from the test environment (./environment), outside
 * the per-file registries, so its cache lives as long as the worker. Every template is still
 * validated, by the same validator with the same configuration and options; only start-up is
 * shared. Arguments cross from a test file's realm into this one as JSON, because the validator
 * accepts only plain objects of its own realm.
 */
import * as path from 'path';

/** The part of an engine of `@aws/cloudformation-validate` that aws-cdk-lib uses. */
interface ValidatorEngine {
  validateTemplate(template: unknown, options: unknown): unknown;
  free(): void;
}

/** The module `@aws/cloudformation-validate` (its other exports are passed through unchanged). */
interface ValidatorModule {
  readonly CompositeEngine: new (config: unknown) => ValidatorEngine;
  readonly [name: string]: unknown;
}

/** The global of each test file's realm through which ./cloudformation-validate reaches {@link sharedValidatorModule}. */
export const SHARED_VALIDATOR_GLOBAL = '__sagemakerCdkSharedCloudFormationValidate';

/** Where a project's aws-cdk-lib is looked for, first to last: its root directory, then this package. */
const searchPaths: string[] = [];
/** The real module, loaded on first use. */
let realModule: ValidatorModule | undefined;
/** What aws-cdk-lib gets instead of the real module, made on first use. */
let sharedModule: Record<string, unknown> | undefined;
/** Engines by their configuration (as JSON). */
const engines = new Map<string, ValidatorEngine>();
/** How many engines this worker has built. */
let enginesBuilt = 0;

/**
 * Adds a directory to look for aws-cdk-lib from (the Jest project's root directory), before this
 * package's own location: the validator loaded is the one of the aws-cdk-lib the tests load.
 */
export function addSearchPath(directory: string): void {
  if (!searchPaths.includes(directory)) searchPaths.push(directory);
}

/** Loads `@aws/cloudformation-validate` from beside the project's aws-cdk-lib. */
function real(): ValidatorModule {
  if (!realModule) {
    const cdkLib = require.resolve('aws-cdk-lib/package.json', { paths: [...searchPaths, __dirname] });
    const validator = require.resolve('@aws/cloudformation-validate', { paths: [path.dirname(cdkLib)] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path resolved at run time
    realModule = require(validator) as ValidatorModule;
  }
  return realModule;
}

/** A CompositeEngine that shares the underlying engine with every engine of the same configuration. */
class SharedCompositeEngine {
  private readonly key: string;

  constructor(config?: unknown) {
    this.key = JSON.stringify(config ?? {});
  }

  public validateTemplate(template: unknown, options?: unknown): unknown {
    let engine = engines.get(this.key);
    if (!engine) {
      const Engine = real().CompositeEngine;
      engine = new Engine(JSON.parse(this.key));
      engines.set(this.key, engine);
      enginesBuilt += 1;
    }
    try {
      return engine.validateTemplate(template, JSON.parse(JSON.stringify(options ?? {})));
    } catch (error) {
      // A failed call can leave the WebAssembly instance unusable: build a new engine next time.
      engines.delete(this.key);
      throw error;
    }
  }

  /** The shared engine outlives this wrapper; the worker's exit frees it. */
  public free(): void {}
}

/**
 * The module aws-cdk-lib gets for `require('@aws/cloudformation-validate')`: the real module's
 * exports, with `CompositeEngine` sharing its engines across the worker's test files, and
 * `sharedEnginesBuilt()`, how many engines this worker has built (one per configuration, unless a
 * failed call made it build one again).
 */
export function sharedValidatorModule(): Record<string, unknown> {
  if (!sharedModule) {
    sharedModule = { ...real(), CompositeEngine: SharedCompositeEngine, sharedEnginesBuilt: () => enginesBuilt };
  }
  return sharedModule;
}
