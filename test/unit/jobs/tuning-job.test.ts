import { HyperparameterTuningJob, ObjectiveType, ParameterRange, ScalingType, TuningStrategy } from '../../../lib/constructs/jobs';
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

  test('the seed configuration builds', () => {
    expect(tuning()).not.toThrow();
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

  test('rejects continuous ranges with grid search', () => {
    expect(tuning({ strategy: TuningStrategy.GRID })).toThrow(/Grid strategy cannot search continuous ranges/);
  });
});

