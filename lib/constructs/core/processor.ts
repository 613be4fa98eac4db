/**
 * The processor a framework image is built for.
 */
export enum Processor {
  /** The CPU build of the image. */
  CPU = 'cpu',
  /** The GPU (CUDA) build of the image; it needs a GPU instance type. */
  GPU = 'gpu',
}
