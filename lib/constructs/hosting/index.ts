// Barrel for lib/constructs/hosting: re-exports only.
export {};
