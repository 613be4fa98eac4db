export * from './normalize';
export * from './iam-check';
export * from './acknowledge';
