// Barrel for lib/constructs/workflows: re-exports only.
export {};
