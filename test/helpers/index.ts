export * from './app';
export * from './nag';
export * from './iam';
