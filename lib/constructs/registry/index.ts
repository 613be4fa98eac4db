// Barrel for lib/constructs/registry: re-exports only.
export * from './model-package-group';
