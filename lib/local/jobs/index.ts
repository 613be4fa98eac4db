// The local runner's job executors: `createLocalJobExecutors()` is what the pipeline interpreter calls.
import { runProcessingJob } from './processing';
import { runTrainingJob } from './training';
import { runTransformJob, invokeModel } from './transform';
import { runTuningJob } from './tuning';
import type { LocalJobExecutors } from './types';

export * from './types';
export { EMULATED_IMAGES, classifyImage, renderEmulationTable } from './images';
export type { EmulatedImage, ImageInfo, ImageKind } from './images';

/** The executors that run SageMaker jobs on this machine under the container contract. */
export function createLocalJobExecutors(): LocalJobExecutors {
  return { runProcessingJob, runTrainingJob, runTuningJob, runTransformJob, invokeModel };
}
