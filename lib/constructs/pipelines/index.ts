// Barrel for lib/constructs/pipelines: re-exports only.
export * from './pipeline-parameter';
export * from './step-references';
export * from './property-file';
export * from './retry-policy';
export * from './condition';
export * from './pipeline-step';
export * from './ml-pipeline';
export { PipelineRuleTarget } from './pipeline-triggers';
export type { PipelineRuleTargetProps, PipelineTriggerOptions } from './pipeline-triggers';
export * from './check-steps';
export * from './clarify-values';
export * from './clarify-config-writer';
export * from './clarify-check-steps';
