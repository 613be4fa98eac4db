// Barrel for lib/constructs/security: re-exports only.
export {};
