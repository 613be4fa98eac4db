export * from './app';
export * from './nag';
export * from './iam';
export * from './pipeline-schema';
