// Barrel for lib/constructs/jobs: re-exports only.
export * from './job-definition';
export * from './job-reference';
export * from './job-io';
export * from './run-reference';
export * from './hyperparameters';
export * from './training-input';
export * from './processing-job';
export * from './training-job';
export * from './tuning-job';
export * from './transform-job';
export type { JobComputeProps } from './job-support';
export * from './deploy-time-processing-job';
