// Barrel for lib/constructs/studio: re-exports only.
export {};
