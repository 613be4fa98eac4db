// Barrel for lib/constructs/notebook: re-exports only.
export * from './notebook-instance';
export * from './notebook-lifecycle-config';
export * from './notebook-platform';
