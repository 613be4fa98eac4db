// Barrel for lib/constructs/security: re-exports only.
export * from './ml-key';
export * from './secure-bucket';
export * from './ml-network';
export * from './managed-policy-role';
export * from './execution-role';
