// Barrel for lib/constructs/feature-store: re-exports only.
export * from './feature-definition';
export * from './feature-group';
export * from './throughput';
