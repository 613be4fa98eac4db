// Barrel for lib/constructs/workflows: re-exports only.
export * from './job-retry';
export * from './job-name';
export * from './sagemaker-job-state';
export * from './ml-workflow';
export * from './sagemaker-model-state';
export * from './compilation-job-state';
export * from './workflow-permissions';
