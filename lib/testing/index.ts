export * from './normalize';
export * from './iam-check';
