// Barrel for lib/constructs/core: re-exports only.
export {};
