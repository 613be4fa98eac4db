// Barrel for lib/constructs/jobs: re-exports only.
export {};
