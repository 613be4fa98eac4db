// Barrel for lib/constructs/ai-services: re-exports only.
export * from './comprehend-analysis-job';
export * from './comprehend-text-analysis';
export * from './comprehend-text-error';
export * from './comprehend-text-language';
export * from './comprehend-text-state';
export * from './rekognition-error';
export * from './rekognition-image-analysis';
export * from './rekognition-image-state';
export * from './speech-synthesis-task';
export * from './transcription-job';
