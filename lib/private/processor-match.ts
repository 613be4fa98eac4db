// Shared by job definitions, pipeline steps and endpoint variants; not exported.
import { ContainerImage, InstanceType, Processor } from '../constructs/core';

/**
 * The problem of a GPU image on an instance without GPUs (the container fails to start: the
 * CUDA runtime finds no device) or a CPU image on a GPU instance (it runs, but pays for GPUs it
 * never uses). Undefined when they match or either is unknown.
 */
export function processorProblem(image: ContainerImage, instanceType: InstanceType): string | undefined {
  if (!instanceType.family) return undefined;
  if (image.processor === Processor.GPU && !instanceType.isGpu) {
    return `the image is a GPU image but instanceType ${instanceType.name} has no GPU; use the image's CPU variant (processor: Processor.CPU) or a GPU instance type (ml.p3, ml.g5, ...).`;
  }
  if (image.processor === Processor.CPU && instanceType.isGpu) {
    return `the image is a CPU image but instanceType ${instanceType.name} is a GPU instance whose GPUs it would never use; use the image's GPU variant (processor: Processor.GPU) or a CPU instance type.`;
  }
  return undefined;
}
