// Barrel for lib/constructs/feature-store: re-exports only.
export {};
