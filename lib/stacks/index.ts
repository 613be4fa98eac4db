// Barrel for lib/stacks: re-exports only.
export {};
