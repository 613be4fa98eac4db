// Barrel for lib/constructs/monitoring: re-exports only.
export {};
