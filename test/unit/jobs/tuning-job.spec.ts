import { HyperparameterTuningJob, ObjectiveType, ParameterRange, ScalingType, TuningStrategy, WarmStartType } from '../../../lib/constructs/jobs';
import { training } from './support';

describe('HyperparameterTuningJob', () => {
  function tuning(overrides: Partial<ConstructorParameters<typeof HyperparameterTuningJob>[2]> = {}) {
    const { stack, job } = training();
    return () => new HyperparameterTuningJob(stack, 'Tune', {
      trainingJob: job,
      objectiveMetric: 'validation:auc',
      ranges: [ParameterRange.continuous('learning_rate', 0.01, 0.1), ParameterRange.integer('num_layers', 2, 5), ParameterRange.categorical('hidden_units', ['32', '64', '128'])],
      maxJobs: 10,
      maxParallelJobs: 2,
      ...overrides,
    });
  }

  test('the reference configuration builds', () => {
    expect(tuning()).not.toThrow();
  });

  test('renders the reference configuration: Maximize validation:auc, ranges with scaling, 10 jobs, 2 in parallel, early stopping', () => {
    const { stack, job } = training();
    const tune = new HyperparameterTuningJob(stack, 'Tune', {
      trainingJob: job,
      objectiveMetric: 'validation:auc',
      objectiveType: ObjectiveType.MAXIMIZE,
      ranges: [
        ParameterRange.continuous('eta', 0.01, 0.1, ScalingType.LOGARITHMIC),
        ParameterRange.integer('max_depth', 2, 5),
        ParameterRange.categorical('hidden_units', ['32', '64', '128']),
      ],
      maxJobs: 10,
      maxParallelJobs: 2,
      warmStartParentJobNames: ['previous-tuning'],
    });
    const request = stack.resolve(tune._renderRequest());
    expect(request.HyperParameterTuningJobConfig).toEqual({
      Strategy: 'Bayesian',
      HyperParameterTuningJobObjective: { MetricName: 'validation:auc', Type: 'Maximize' },
      ResourceLimits: { MaxNumberOfTrainingJobs: 10, MaxParallelTrainingJobs: 2 },
      ParameterRanges: {
        ContinuousParameterRanges: [{ Name: 'eta', MinValue: '0.01', MaxValue: '0.1', ScalingType: 'Logarithmic' }],
        IntegerParameterRanges: [{ Name: 'max_depth', MinValue: '2', MaxValue: '5', ScalingType: 'Auto' }],
        CategoricalParameterRanges: [{ Name: 'hidden_units', Values: ['32', '64', '128'] }],
      },
      TrainingJobEarlyStoppingType: 'Auto',
    });
    // Tuned hyperparameters leave the static ones; the rest of the training job is reused.
    expect(request.TrainingJobDefinition.StaticHyperParameters).toEqual({ objective: 'binary:logistic', num_round: '100' });
    expect(request.TrainingJobDefinition.RoleArn).toEqual(stack.resolve(job.role.roleArn));
    expect(request.WarmStartConfig).toEqual({ ParentHyperParameterTuningJobs: [{ HyperParameterTuningJobName: 'previous-tuning' }], WarmStartType: 'IdenticalDataAndAlgorithm' });
    expect(tune.role).toBe(job.role);
  });

  test('Hyperband turns the separate early stopping off', () => {
    const { stack, job } = training();
    const tune = new HyperparameterTuningJob(stack, 'Tune', { trainingJob: job, objectiveMetric: 'validation:auc', ranges: [ParameterRange.integer('max_depth', 2, 5)], maxJobs: 4, maxParallelJobs: 2, strategy: TuningStrategy.HYPERBAND });
    expect(stack.resolve(tune._renderRequest()).HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType).toBe('Off');
  });

  test('rejects max parallel above max jobs', () => {
    expect(tuning({ maxJobs: 2, maxParallelJobs: 3 })).toThrow(/maxParallelJobs 3 is above maxJobs 2/);
  });

  test('rejects a range with min >= max', () => {
    expect(tuning({ ranges: [ParameterRange.continuous('eta', 0.5, 0.1)] })).toThrow(/continuous range "eta" has min 0.5 >= max 0.1/);
  });

  test('rejects a categorical range with no values', () => {
    expect(tuning({ ranges: [ParameterRange.categorical('units', [])] })).toThrow(/categorical range "units" has no values/);
  });

  test('rejects fractional integer bounds and logarithmic scaling from 0', () => {
    expect(tuning({ ranges: [ParameterRange.integer('layers', 1.5, 4)] })).toThrow(/integer range "layers" has bounds 1.5 and 4; both must be whole numbers/);
    expect(tuning({ ranges: [ParameterRange.continuous('alpha', 0, 1, ScalingType.LOGARITHMIC)] })).toThrow(/continuous range "alpha" uses logarithmic scaling with min 0/);
  });

  test('transfer-learning warm start; at most 5 parent jobs', () => {
    const { stack, job } = training();
    const tune = new HyperparameterTuningJob(stack, 'Tune', {
      trainingJob: job, objectiveMetric: 'validation:auc', ranges: [ParameterRange.integer('max_depth', 2, 5)], maxJobs: 4, maxParallelJobs: 2,
      warmStartParentJobNames: ['previous'], warmStartType: WarmStartType.TRANSFER_LEARNING,
    });
    expect(stack.resolve(tune._renderRequest()).WarmStartConfig.WarmStartType).toBe('TransferLearning');
    expect(tuning({ warmStartParentJobNames: ['a', 'b', 'c', 'd', 'e', 'f'] })).toThrow(/warmStartParentJobNames has 6 jobs, but a tuning job warm-starts from at most 5/);
  });

  test('rejects continuous ranges with grid search', () => {
    expect(tuning({ strategy: TuningStrategy.GRID })).toThrow(/Grid strategy cannot search continuous ranges/);
  });
});

