// Barrel for lib/constructs/registry: re-exports only.
export * from './model-package-group';
export * from './model-package-version';
export * from './model-package-resolver';
export * from './approved-version-parameter';
