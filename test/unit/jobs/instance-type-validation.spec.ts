import { ContainerImage, InstanceType, Processor } from '../../../lib/constructs/core';
import { PipelineParameter } from '../../../lib/constructs/pipelines';
import { training } from './support';

// A pipeline parameter as instance type passes; its GPU facts are unknown (issue 15).
describe('job instance type from a pipeline parameter', () => {
  test('a GPU image on a pipeline-parameter instance type is not a GPU/CPU mismatch', () => {
    const instanceType = InstanceType.of(PipelineParameter.ofString('TrainInstanceType', 'ml.p3.2xlarge').toString());
    expect(() => training({ image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }), instanceType })).not.toThrow();
  });

  test('a GPU image on a concrete CPU instance type is still rejected', () => {
    expect(() => training({ image: ContainerImage.pytorchTraining({ version: '2.1.0', processor: Processor.GPU }), instanceType: InstanceType.ML_M5_XLARGE })).toThrow(
      /\[TestStack\/Train\] .*the image is a GPU image but instanceType ml\.m5\.xlarge has no GPU/,
    );
  });
});
