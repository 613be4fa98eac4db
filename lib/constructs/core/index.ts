// Barrel for lib/constructs/core: re-exports only.
export * from './instance-type';
export * from './processor';
export * from './neo-target';
export * from './container-image';
export * from './model-data';
export * from './source-code';
