// Barrel for lib/constructs/hosting: re-exports only.
export * from './model';
export * from './endpoint-variant';
export * from './data-capture';
export * from './async-inference';
export * from './deployment-policy';
export * from './scalable-capacity';
export * from './endpoint';
export * from './scalable-copy-count';
export * from './inference-component';
export * from './variant-metrics';
export * from './endpoint-alarms';
export * from './endpoint-dashboard';
export * from './inference-api';
export * from './front-feature';
export * from './inference-front';
