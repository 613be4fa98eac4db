import { InstanceType } from '../constructs/core';

/**
 * The hardware profile an example stack is built for.
 */
export enum ComputeProfile {
  /** CPU instances: ml.m5 for processing and training, ml.c5 for inference. */
  CPU = 'cpu',
  /** GPU instances: ml.p3 for training and real-time inference. */
  GPU = 'gpu',
}

/** The instance types each profile uses. */
export interface ProfileInstances {
  /** Processing jobs (preprocess, evaluate). */
  readonly processing: InstanceType;
  /** Training jobs. */
  readonly training: InstanceType;
  /** Number of training instances (distributed training when more than 1). */
  readonly trainingCount: number;
  /** Real-time inference. */
  readonly inference: InstanceType;
  /** Initial instance count of the real-time endpoint. */
  readonly inferenceCount: number;
  /** Batch transform. */
  readonly transform: InstanceType;
  /** Notebook instance. */
  readonly notebook: InstanceType;
}

/** The instance types of a profile (CPU: ml.m5.xlarge jobs, ml.c5.xlarge x 2 endpoint; GPU: ml.p3.2xlarge; notebook: ml.t3.medium). */
export function profileInstances(profile: ComputeProfile): ProfileInstances {
  if (profile === ComputeProfile.GPU) {
    return {
      processing: InstanceType.ML_M5_XLARGE,
      training: InstanceType.ML_P3_2XLARGE,
      trainingCount: 1,
      inference: InstanceType.ML_P3_2XLARGE,
      inferenceCount: 1,
      transform: InstanceType.ML_M5_XLARGE,
      notebook: InstanceType.ML_T3_MEDIUM,
    };
  }
  return {
    processing: InstanceType.ML_M5_XLARGE,
    training: InstanceType.ML_M5_XLARGE,
    trainingCount: 2,
    inference: InstanceType.ML_C5_XLARGE,
    inferenceCount: 2,
    transform: InstanceType.ML_M5_XLARGE,
    notebook: InstanceType.ML_T3_MEDIUM,
  };
}
