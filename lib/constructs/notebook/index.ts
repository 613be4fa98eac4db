// Barrel for lib/constructs/notebook: re-exports only.
export {};
