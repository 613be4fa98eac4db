// The local runner: runs the SageMaker pipelines of a synthesized CDK app on this machine.
export * from './assembly';
export * from './assets';
export * from './intrinsics';
export * from './local-runner';
export * from './local-state';
export * from './object-store';
export * from './pipeline-conditions';
export * from './pipeline-definition';
export * from './pipeline-executor';
export * from './pipeline-graph';
export * from './pipeline-parameters';
export * from './pipeline-references';
export * from './run-report';
export type { LocalJobExecutors, LocalJobContext, LocalJobResult, LocalModel, LocalTuningOptions, LocalInvocationResult } from './jobs/types';
export { LocalJobStatus } from './jobs/types';
