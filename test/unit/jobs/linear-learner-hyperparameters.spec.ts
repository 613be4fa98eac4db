import { Duration, Lazy } from 'aws-cdk-lib';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import {
  BinaryClassifierModelSelectionCriteria,
  HyperparameterTuningJob,
  Hyperparameters,
  LinearLearnerHyperparameters,
  LinearLearnerPredictorType,
  ParameterRange,
  PositiveExampleWeight,
  TrainingInput,
  TrainingJob,
} from '../../../lib/constructs/jobs';
import { MlPipeline, TrainingStep } from '../../../lib/constructs/pipelines';
import { MlKey, MlNetwork, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

// Hyperparameters.linearLearner: names and rules of
// https://docs.aws.amazon.com/sagemaker/latest/dg/ll_hyperparameters.html

const BINARY = LinearLearnerPredictorType.BINARY_CLASSIFIER;
const MULTICLASS = LinearLearnerPredictorType.MULTICLASS_CLASSIFIER;
const REGRESSOR = LinearLearnerPredictorType.REGRESSOR;

function render(props: LinearLearnerHyperparameters): Record<string, string> {
  return Hyperparameters.linearLearner(props)._render();
}

describe('Hyperparameters.linearLearner renders the algorithm names as strings', () => {
  test('a binary classifier as in the concepts guide, with every typed value', () => {
    expect(
      render({
        predictorType: BINARY,
        featureDim: 30,
        miniBatchSize: 200,
        epochs: 20,
        learningRate: 0.05,
        l1: 0,
        wd: 0.001,
        binaryClassifierModelSelectionCriteria: BinaryClassifierModelSelectionCriteria.PRECISION_AT_TARGET_RECALL,
        targetRecall: 0.9,
        positiveExampleWeightMult: PositiveExampleWeight.BALANCED,
        earlyStoppingPatience: 5,
        earlyStoppingTolerance: 0.0005,
      }),
    ).toEqual({
      predictor_type: 'binary_classifier',
      feature_dim: '30',
      mini_batch_size: '200',
      epochs: '20',
      learning_rate: '0.05',
      l1: '0',
      wd: '0.001',
      binary_classifier_model_selection_criteria: 'precision_at_target_recall',
      target_recall: '0.9',
      positive_example_weight_mult: 'balanced',
      early_stopping_patience: '5',
      early_stopping_tolerance: '0.0005',
    });
  });

  test('only what is given: the algorithm keeps its defaults (auto) for the rest', () => {
    expect(render({ predictorType: REGRESSOR })).toEqual({ predictor_type: 'regressor' });
  });

  test('a multiclass classifier with its number of classes', () => {
    expect(render({ predictorType: MULTICLASS, numClasses: 10 })).toEqual({ predictor_type: 'multiclass_classifier', num_classes: '10' });
  });

  test('recall at a target precision; fixed and automatic positive weights', () => {
    expect(
      render({
        predictorType: BINARY,
        binaryClassifierModelSelectionCriteria: BinaryClassifierModelSelectionCriteria.RECALL_AT_TARGET_PRECISION,
        targetPrecision: 0.75,
        positiveExampleWeightMult: PositiveExampleWeight.of(4),
      }),
    ).toEqual({
      predictor_type: 'binary_classifier',
      binary_classifier_model_selection_criteria: 'recall_at_target_precision',
      target_precision: '0.75',
      positive_example_weight_mult: '4',
    });
    expect(render({ predictorType: BINARY, positiveExampleWeightMult: PositiveExampleWeight.AUTO }).positive_example_weight_mult).toBe('auto');
  });

  test('extra takes any other hyperparameter by its algorithm name', () => {
    expect(render({ predictorType: BINARY, extra: { optimizer: 'adam', loss: 'logistic' } })).toEqual({ predictor_type: 'binary_classifier', optimizer: 'adam', loss: 'logistic' });
  });

  test('tokens pass unchecked and render as tokens', () => {
    const stack = testStack();
    const epochs = Lazy.number({ produce: () => 0.5 });
    const values = Hyperparameters.linearLearner({ predictorType: BINARY, epochs, learningRate: Lazy.number({ produce: () => -1 }) })._render();
    expect(stack.resolve(values.epochs)).toBe('0.5');
    expect(stack.resolve(values.learning_rate)).toBe('-1');
  });

  test('a string map stays available for anything else', () => {
    expect(Hyperparameters.of({ predictor_type: 'regressor', loss: 'huber_loss', huber_delta: '2' })._render()).toEqual({ predictor_type: 'regressor', loss: 'huber_loss', huber_delta: '2' });
  });
});

describe('Hyperparameters.linearLearner rejects what the documentation rules out', () => {
  const docs = /See https:\/\/docs\.aws\.amazon\.com\/sagemaker\/latest\/dg\/ll_hyperparameters\.html for the valid values\./;

  test.each<[string, LinearLearnerHyperparameters, RegExp]>([
    ['an unknown predictor type', { predictorType: 'ranker' as LinearLearnerPredictorType }, /predictorType is "ranker", but must be one of binary_classifier, multiclass_classifier, regressor\./],
    ['a multiclass classifier without numClasses', { predictorType: MULTICLASS }, /predictorType is multiclass_classifier, but numClasses is missing; give the number of classes \(3 to 1,000,000\)\./],
    ['numClasses on a binary classifier', { predictorType: BINARY, numClasses: 3 }, /numClasses is set, but applies only to predictorType multiclass_classifier .*; remove it\./],
    ['numClasses below 3', { predictorType: MULTICLASS, numClasses: 2 }, /numClasses is 2, but must be between 3 and 1000000\./],
    ['numClasses above 1,000,000', { predictorType: MULTICLASS, numClasses: 1_000_001 }, /numClasses is 1000001, but must be between 3 and 1000000\./],
    ['a fractional numClasses', { predictorType: MULTICLASS, numClasses: 3.5 }, /numClasses is 3\.5, but must be a whole number\./],
    ['featureDim 0', { predictorType: BINARY, featureDim: 0 }, /featureDim is 0, but must be at least 1\./],
    ['a fractional featureDim', { predictorType: BINARY, featureDim: 2.5 }, /featureDim is 2\.5, but must be a whole number\./],
    ['miniBatchSize 0', { predictorType: BINARY, miniBatchSize: 0 }, /miniBatchSize is 0, but must be at least 1\./],
    ['a fractional miniBatchSize', { predictorType: BINARY, miniBatchSize: 10.5 }, /miniBatchSize is 10\.5, but must be a whole number\./],
    ['epochs 0', { predictorType: BINARY, epochs: 0 }, /epochs is 0, but must be at least 1\./],
    ['fractional epochs', { predictorType: BINARY, epochs: 1.5 }, /epochs is 1\.5, but must be a whole number\./],
    ['learningRate 0', { predictorType: BINARY, learningRate: 0 }, /learningRate is 0, but must be above 0\./],
    ['a negative l1', { predictorType: BINARY, l1: -0.1 }, /l1 is -0\.1, but must be at least 0\./],
    ['a negative wd', { predictorType: BINARY, wd: -1 }, /wd is -1, but must be at least 0\./],
    [
      'an unknown selection criterion',
      { predictorType: BINARY, binaryClassifierModelSelectionCriteria: 'auc' as BinaryClassifierModelSelectionCriteria },
      /binaryClassifierModelSelectionCriteria is "auc", but must be one of accuracy, f_beta, precision_at_target_recall, recall_at_target_precision, loss_function\./,
    ],
    [
      'a selection criterion on a regressor',
      { predictorType: REGRESSOR, binaryClassifierModelSelectionCriteria: BinaryClassifierModelSelectionCriteria.ACCURACY },
      /binaryClassifierModelSelectionCriteria is set, but applies only to predictorType binary_classifier; remove it\./,
    ],
    [
      'targetRecall above 1',
      { predictorType: BINARY, binaryClassifierModelSelectionCriteria: BinaryClassifierModelSelectionCriteria.PRECISION_AT_TARGET_RECALL, targetRecall: 1.5 },
      /targetRecall is 1\.5, but must be between 0 and 1\./,
    ],
    [
      'targetRecall without precision_at_target_recall',
      { predictorType: BINARY, targetRecall: 0.9 },
      /targetRecall is set, but applies only with binaryClassifierModelSelectionCriteria precision_at_target_recall; remove it\./,
    ],
    [
      'targetPrecision below 0',
      { predictorType: BINARY, binaryClassifierModelSelectionCriteria: BinaryClassifierModelSelectionCriteria.RECALL_AT_TARGET_PRECISION, targetPrecision: -0.2 },
      /targetPrecision is -0\.2, but must be between 0 and 1\./,
    ],
    [
      'targetPrecision without recall_at_target_precision',
      { predictorType: BINARY, binaryClassifierModelSelectionCriteria: BinaryClassifierModelSelectionCriteria.F_BETA, targetPrecision: 0.8 },
      /targetPrecision is set, but applies only with binaryClassifierModelSelectionCriteria recall_at_target_precision; remove it\./,
    ],
    ['a positive example weight of 0', { predictorType: BINARY, positiveExampleWeightMult: PositiveExampleWeight.of(0) }, /positiveExampleWeightMult is 0, but must be above 0 \(or BALANCED or AUTO\)\./],
    [
      'a positive example weight on a multiclass classifier',
      { predictorType: MULTICLASS, numClasses: 3, positiveExampleWeightMult: PositiveExampleWeight.BALANCED },
      /positiveExampleWeightMult is set, but applies only to predictorType binary_classifier; remove it\./,
    ],
    ['earlyStoppingPatience 0', { predictorType: BINARY, earlyStoppingPatience: 0 }, /earlyStoppingPatience is 0, but must be at least 1\./],
    ['a fractional earlyStoppingPatience', { predictorType: BINARY, earlyStoppingPatience: 2.5 }, /earlyStoppingPatience is 2\.5, but must be a whole number\./],
    ['earlyStoppingTolerance 0', { predictorType: BINARY, earlyStoppingTolerance: 0 }, /earlyStoppingTolerance is 0, but must be above 0\./],
  ])('%s', (_name, props, message) => {
    expect(() => Hyperparameters.linearLearner(props)).toThrow(message);
    expect(() => Hyperparameters.linearLearner(props)).toThrow(docs);
    expect(() => Hyperparameters.linearLearner(props)).toThrow(/^Hyperparameters\.linearLearner: /);
  });

  test('every problem is reported at once', () => {
    expect(() => Hyperparameters.linearLearner({ predictorType: BINARY, epochs: 0, l1: -1, numClasses: 4 })).toThrow(
      /numClasses is set, .* epochs is 0, but must be at least 1\. l1 is -1, but must be at least 0\./,
    );
  });
});

describe('a training job with Linear Learner', () => {
  function linearLearnerJob() {
    const app = testApp();
    const stack = testStack(app);
    const key = new MlKey(stack, 'Key');
    const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
    const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
    const train = new TrainingJob(stack, 'Train', {
      image: ContainerImage.linearLearner(),
      instanceType: InstanceType.ML_M5_XLARGE,
      hyperparameters: Hyperparameters.linearLearner({
        predictorType: BINARY,
        binaryClassifierModelSelectionCriteria: BinaryClassifierModelSelectionCriteria.F_BETA,
        positiveExampleWeightMult: PositiveExampleWeight.BALANCED,
        epochs: 15,
      }),
      channels: {
        train: TrainingInput.fromBucket(data, 'prepared/train/', { contentType: 'text/csv' }),
        validation: TrainingInput.fromBucket(data, 'prepared/validation/', { contentType: 'text/csv' }),
      },
      outputBucket: data,
      maxRuntime: Duration.hours(2),
      encryptionKey: key,
      network,
    });
    new MlPipeline(stack, 'Pipeline', { steps: [new TrainingStep('Train', train)] });
    return { app, stack, train };
  }

  test('renders the linear-learner image and the typed hyperparameters', () => {
    const { stack, train } = linearLearnerJob();
    const request = stack.resolve(train._renderRequest());
    expect(request.AlgorithmSpecification.TrainingImage).toBe('382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1');
    expect(request.HyperParameters).toEqual({
      predictor_type: 'binary_classifier',
      binary_classifier_model_selection_criteria: 'f_beta',
      positive_example_weight_mult: 'balanced',
      epochs: '15',
    });
  });

  test('is clean under the nag packs and the IAM check', () => {
    const { app, stack } = linearLearnerJob();
    expectNagClean(app);
    expectLeastPrivilege(stack, {
      allowManagedPolicies: [{ policyName: 'service-role/AWSLambdaBasicExecutionRole', pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider', reason: "aws-cdk-lib's default-SG provider" }],
    });
  });

  test('tunes on its own validation:* and test:* metrics without metric definitions; other names fail', () => {
    const { stack, train } = linearLearnerJob();
    const tune = (objectiveMetric: string, id: string) => () =>
      new HyperparameterTuningJob(stack, id, { trainingJob: train, objectiveMetric, ranges: [ParameterRange.continuous('wd', 0.0001, 1)], maxJobs: 4, maxParallelJobs: 2 });
    expect(tune('validation:binary_f_beta', 'TuneF')).not.toThrow();
    expect(tune('test:objective_loss', 'TuneLoss')).not.toThrow();
    expect(tune('train:objective_loss', 'TuneTrain')).toThrow(/objectiveMetric "train:objective_loss" is not among the training job's metric definitions \(none\) or one of the built-in Linear Learner metrics \(validation:\* or test:\*\)/);
  });
});
