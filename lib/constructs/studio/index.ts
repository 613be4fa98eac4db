// Barrel for lib/constructs/studio: re-exports only.
export * from './space';
export * from './studio-app-type';
export * from './studio-domain';
export * from './studio-lifecycle-config';
export * from './studio-teardown-provider';
export * from './user-profile';
