import { Lazy } from 'aws-cdk-lib';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import { Hyperparameters, HyperparameterTuningJob, ParameterRange, S3Location, TransformJob } from '../../../lib/constructs/jobs';
import { PipelineParameter } from '../../../lib/constructs/pipelines';
import { setup, training } from './support';

// The new API-limit rules leave unresolved tokens and pipeline parameters alone (issue 15).
describe('API-limit rules let tokens and pipeline parameters through', () => {
  test('a metric regex from a token, hyperparameter and environment values from pipeline parameters', () => {
    expect(() =>
      training({
        metricDefinitions: [{ name: 'validation:auc', regex: Lazy.string({ produce: () => 'no group here' }) }],
        hyperparameters: Hyperparameters.of({ labels: PipelineParameter.ofString('Labels').toString() }),
        environment: { MODE: PipelineParameter.ofString('Mode').toString() },
      }),
    ).not.toThrow();
  });

  test('a tuning objective from a pipeline parameter is not checked against the metric definitions', () => {
    const { stack, job } = training();
    expect(
      () => new HyperparameterTuningJob(stack, 'Tune', { trainingJob: job, objectiveMetric: PipelineParameter.ofString('Objective').toString(), ranges: [ParameterRange.integer('max_depth', 2, 5)], maxJobs: 4, maxParallelJobs: 2 }),
    ).not.toThrow();
  });

  test('maxConcurrentTransforms from a pipeline parameter skips the payload product rule; S3 URIs from parameters pass', () => {
    const { stack, bucket } = setup();
    const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
    expect(
      () =>
        new TransformJob(stack, 'Score', {
          model,
          input: S3Location.fromUri(PipelineParameter.ofString('InputUri').toString()),
          outputBucket: bucket,
          instanceType: InstanceType.ML_M5_XLARGE,
          maxConcurrentTransforms: PipelineParameter.ofInteger('Concurrency', 64).asNumber(),
        }),
    ).not.toThrow();
  });
});
