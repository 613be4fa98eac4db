// The public API of sagemaker-cdk-constructs: re-exports only, nothing private.
export * from './constructs/core';
export * from './constructs/security';
export * from './constructs/notebook';
export * from './constructs/studio';
export * from './constructs/feature-store';
export * from './constructs/jobs';
export * from './constructs/pipelines';
export * from './constructs/registry';
export * from './constructs/promotion';
export * from './constructs/hosting';
export * from './constructs/monitoring';
export * from './constructs/workflows';
export * as testing from './testing';
export * as local from './local';
