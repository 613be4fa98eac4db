import * as fs from 'fs';
import * as path from 'path';
import { trialName, runTuningJob } from '../../../../lib/local/jobs/tuning';
import { LocalJobStatus } from '../../../../lib/local/jobs/types';
import { FIXTURES, SKLEARN_IMAGE, describeWithPython, makeContext } from './helpers';

test('trial names follow <tuning name>-<NNN>-<8 hex>', () => {
  expect(trialName('a-very-long-tuning-job-name-over-32-chars', 2)).toMatch(/^a-very-long-tuning-job-name-over-002-[0-9a-f]{8}$/);
});

describeWithPython('runTuningJob', () => {
  // A script-mode "training" whose metric is a known function of the hyperparameters, so the best trial is
  // predictable: score = -(alpha - 3)^2 (best near 3), printed as a metric line.
  function request(type: 'Maximize' | 'Minimize', metric: string, maxJobs = 10): any {
    return {
      HyperParameterTuningJobName: 'pipelines-run1-Tune',
      HyperParameterTuningJobConfig: {
        Strategy: 'Random',
        HyperParameterTuningJobObjective: { Type: type, MetricName: metric },
        ResourceLimits: { MaxNumberOfTrainingJobs: maxJobs, MaxParallelTrainingJobs: 1 },
        ParameterRanges: {
          ContinuousParameterRanges: [{ Name: 'alpha', MinValue: '0', MaxValue: '6', ScalingType: 'Linear' }],
          IntegerParameterRanges: [{ Name: 'depth', MinValue: '1', MaxValue: '100', ScalingType: 'Logarithmic' }],
          CategoricalParameterRanges: [{ Name: 'kind', Values: ['a', 'b'] }],
        },
      },
      TrainingJobDefinition: {
        AlgorithmSpecification: {
          TrainingImage: SKLEARN_IMAGE,
          TrainingInputMode: 'File',
          MetricDefinitions: [{ Name: 'score', Regex: 'score=(-?[0-9.]+)' }, { Name: 'loss', Regex: 'loss=(-?[0-9.]+)' }],
        },
        StaticHyperParameters: { sagemaker_program: '"objective.py"', sagemaker_submit_directory: '"s3://b/code/objective.py"' },
        InputDataConfig: [],
        OutputDataConfig: { S3OutputPath: 's3://b/tuning' },
        ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10 },
        StoppingCondition: { MaxRuntimeInSeconds: 120 },
        RoleArn: 'arn:aws:iam::111122223333:role/r',
      },
    };
  }

  test('picks the best trial (Maximize and Minimize), summaries best first, and a missing metric fails the trial', async () => {
    const ctx = makeContext();
    ctx.store.putFile('s3://b/code/objective.py', path.join(FIXTURES, 'objective.py'));
    const max = await runTuningJob(request('Maximize', 'score'), ctx, { maxTrials: 3, randomSeed: 7 });
    expect(max.failureReason).toBeUndefined();
    expect(max.status).toBe(LocalJobStatus.COMPLETED);
    const summaries = max.properties.TrainingJobSummaries as any[];
    expect(summaries).toHaveLength(3);
    const values = summaries.map((s) => s.FinalHyperParameterTuningJobObjectiveMetric.Value);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    const best = max.properties.BestTrainingJob as any;
    expect(best.TrainingJobName).toBe(summaries[0].TrainingJobName);
    expect(best.TrainingJobName).toMatch(/^pipelines-run1-Tune-00[1-3]-[0-9a-f]{8}$/);
    expect(best.FinalHyperParameterTuningJobObjectiveMetric).toEqual({ Type: 'Maximize', MetricName: 'score', Value: values[0] });
    const x = Number(best.TunedHyperParameters.alpha);
    expect(values[0]).toBeCloseTo(-((x - 3) ** 2), 3);
    expect(Object.keys(best.TunedHyperParameters).sort()).toEqual(['alpha', 'depth', 'kind']);
    // Each trial's model lands where TuningStep.get_top_model_s3_uri points: <prefix>/<trial name>/output/model.tar.gz.
    expect(ctx.store.exists(`s3://b/tuning/${best.TrainingJobName}/output/model.tar.gz`)).toBe(true);
    // The trial saw the objective as _tuning_objective_metric, not as a script argument.
    const seen = JSON.parse(fs.readFileSync(path.join(ctx.workDir, best.TrainingJobName, 'algo-1', 'model', 'args.json'), 'utf8'));
    expect(seen.args.some((a: string) => a.includes('_tuning_objective_metric'))).toBe(false);

    const min = await runTuningJob(request('Minimize', 'loss', 2), ctx, { maxTrials: 5, randomSeed: 7 });
    const minSummaries = min.properties.TrainingJobSummaries as any[];
    expect(minSummaries).toHaveLength(2); // MaxNumberOfTrainingJobs caps maxTrials
    const minValues = minSummaries.map((s) => s.FinalHyperParameterTuningJobObjectiveMetric.Value);
    expect([...minValues].sort((a, b) => a - b)).toEqual(minValues);
    expect((min.properties.BestTrainingJob as any).FinalHyperParameterTuningJobObjectiveMetric.Value).toBe(minValues[0]);

    const missing = await runTuningJob(request('Maximize', 'accuracy', 1), ctx);
    expect(missing.status).toBe(LocalJobStatus.FAILED);
    expect(missing.failureReason).toMatch(/the objective metric accuracy was not found in the trial's log \(metrics found: score, loss\)/);
  });
});
