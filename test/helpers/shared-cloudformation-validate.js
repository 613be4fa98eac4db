/**
 * aws-cdk-lib's CloudFormation validator (`@aws/cloudformation-validate`), loaded once per Jest
 * worker process instead of once per test file, with one engine per configuration.
 *
 * Why: every synth of a test app runs aws-cdk-lib's built-in CloudFormation validation. Jest gives
 * each test file a fresh module registry, so each file compiled the validator's 9 MB WebAssembly
 * module again (0.3 s) and built its engine again (2 to 3 s of CPU on this machine, more under
 * load); aws-cdk-lib also builds a new engine whenever a synth meets a resource type the current
 * engine was not built for, although the engine's configuration (the rule set) is the same.
 * The engine is meant to be reused: aws-cdk-lib validates every stack of a synth with one engine.
 *
 * This file is loaded by Node's own `require` from test/helpers/test-environment.js, outside the
 * per-file registries, so its cache lives as long as the worker. Every template is still validated,
 * by the same validator version with the same configuration and options; only start-up is shared.
 * Arguments cross from a test file's realm into this one as JSON, because the validator accepts
 * only plain objects of its own realm.
 */
'use strict';
const path = require('path');

const real = require(require.resolve('@aws/cloudformation-validate', {
  paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))],
}));

/** Engines by their configuration (as JSON). */
const engines = new Map();

/** A CompositeEngine that shares the underlying engine with every engine of the same configuration. */
class SharedCompositeEngine {
  constructor(config) {
    this.key = JSON.stringify(config ?? {});
  }

  engine() {
    let engine = engines.get(this.key);
    if (!engine) {
      engine = new real.CompositeEngine(JSON.parse(this.key));
      engines.set(this.key, engine);
    }
    return engine;
  }

  validateTemplate(template, options) {
    const engine = this.engine();
    try {
      return engine.validateTemplate(template, JSON.parse(JSON.stringify(options ?? {})));
    } catch (error) {
      // A failed call can leave the WebAssembly instance unusable: build a new engine next time.
      engines.delete(this.key);
      throw error;
    }
  }

  /** The shared engine outlives this wrapper; the worker's exit frees it. */
  free() {}
}

module.exports = { ...real, CompositeEngine: SharedCompositeEngine };
