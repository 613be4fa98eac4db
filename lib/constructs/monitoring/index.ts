// Barrel for lib/constructs/monitoring: re-exports only.
export * from './monitoring-schedule';
export * from './monitoring-baseline';
export * from './batch-transform-monitor-input';
export * from './monitor-props';
export * from './model-monitor';
export * from './data-quality-monitor';
export * from './model-quality-monitor';
export * from './clarify-monitors';
export * from './monitor-alerts';
