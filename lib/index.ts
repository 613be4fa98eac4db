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
export * from './constructs/ai-services';
export * as testing from './testing';
// The local runner (lib/local) is Node.js-only and not part of the jsii API: TypeScript code imports
// it from 'sagemaker-cdk-constructs/dist/lib/local'; other languages drive it through `sagemaker-cdk local`.
