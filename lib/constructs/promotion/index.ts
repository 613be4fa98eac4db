// Barrel for lib/constructs/promotion: re-exports only.
export * from './promotion-target';
export * from './model-promotion-pipeline';
