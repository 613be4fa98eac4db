// Barrel for lib/constructs/pipelines: re-exports only.
export {};
