// Barrel for lib/stacks: re-exports only.
export * from './profile';
export * from './platform-stack';
export * from './nag-acknowledgements';
export * from './example-app';
export * from './training-pipeline-stack';
export * from './inference-stack';
export * from './loan-default-workflow';
export * from './promotion-stack';
export * from './hosting-modes-stack';
export * from './loan-features';
