/**
 * The processor a framework image is built for.
 */
export enum Processor {
  /** CPU image. */
  CPU = 'cpu',
  /** GPU (CUDA) image. */
  GPU = 'gpu',
}
