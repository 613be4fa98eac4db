import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalObjectStore } from '../../../lib/local/object-store';
import { LocalJobStatus, type LocalJobResult } from '../../../lib/local/jobs/types';
import { LocalState } from '../../../lib/local/local-state';
import { cpuShares, executePipeline, newExecutionId, pipelineJobName, type PipelineExecutionOptions } from '../../../lib/local/pipeline-executor';
import { PipelineDefinitionError } from '../../../lib/local/pipeline-graph';
import { ParameterError } from '../../../lib/local/pipeline-parameters';
import type { PipelineDefinition } from '../../../lib/local/pipeline-definition';
import { fakeExecutors, maxOverlap, trainingDefinition, waitFor } from './fake-executors';

const GOOD_EVALUATION = { binary_classification_metrics: { auc: { value: 0.83 }, accuracy: { value: 0.9 } } };

function setup(definition: Record<string, unknown>, extra: Partial<PipelineExecutionOptions> = {}, fake = fakeExecutors({ evaluation: GOOD_EVALUATION })) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-exec-'));
  const store = new LocalObjectStore(root);
  const lines: string[] = [];
  const options: PipelineExecutionOptions = {
    definition: definition as unknown as PipelineDefinition,
    pipelineName: 'loan-default',
    store,
    executors: fake,
    python: 'python3',
    account: '123456789012',
    region: 'us-east-1',
    log: (line) => lines.push(line),
    ...extra,
  };
  return { store, lines, fake, options, run: () => executePipeline(options) };
}

describe('executePipeline', () => {
  test('runs the training pipeline in dependency order and takes the IfSteps when the AUC clears the threshold', async () => {
    const { run, fake, lines, store } = setup(trainingDefinition());
    const result = await run();
    expect(result.status).toBe('Succeeded');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['Preprocess', 'Succeeded'], ['Train', 'Succeeded'], ['Evaluate', 'Succeeded'], ['CheckAuc', 'Succeeded'],
      ['Register', 'Succeeded'], ['CreateModel', 'Succeeded'], ['BatchScore', 'Succeeded'], ['AucTooLow', 'Skipped'],
    ]);
    // References resolved into concrete requests.
    const training = fake.calls.find((c) => c.kind === 'training');
    expect(JSON.stringify(training?.request)).toContain('"S3Uri":"s3://data-bucket/prepared/train/"');
    expect(training?.request.TrainingJobName).toMatch(new RegExp(`^pipelines-${result.executionId}-Train-[A-Za-z0-9]{10}$`));
    const transform = fake.calls.find((c) => c.kind === 'transform');
    expect(transform?.model?.modelName).toMatch(new RegExp(`^pipelines-${result.executionId}-CreateModel-[0-9a-f]{6}$`));
    expect(transform?.model?.containers[0].ModelDataUrl).toMatch(/^s3:\/\/artifacts\/models\/pipelines-.*\/output\/model.tar.gz$/);
    // The condition's outcome and the model package are step properties.
    expect(result.steps.find((s) => s.name === 'CheckAuc')?.properties).toEqual({ Outcome: 'True' });
    const register = result.steps.find((s) => s.name === 'Register');
    expect(register?.properties?.ModelPackageVersion).toBe(1);
    expect(register?.properties?.ModelPackageArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/1');
    // Std:Join joins as SageMaker does: an output URI ending in / gives a double slash (a different S3 key).
    expect((register?.properties?.ModelMetrics as any).ModelQuality.Statistics.S3Uri).toBe('s3://artifacts/evaluation//evaluation.json');
    expect(register?.warnings).toEqual([
      'ModelMetrics.ModelQuality.Statistics.S3Uri s3://artifacts/evaluation//evaluation.json is not an object in the local store (note the double slash: Std:Join of a URI ending in / and a file name); RegisterModel records it anyway, as SageMaker does.',
    ]);
    // The property file is in the report.
    expect(result.steps.find((s) => s.name === 'Evaluate')?.propertyFiles?.EvaluationReport).toEqual({ uri: 's3://artifacts/evaluation/evaluation.json', content: GOOD_EVALUATION });
    // Progress lines.
    expect(lines.some((l) => /^\[Preprocess\] Processing pipelines-\S+ Succeeded in \d/.test(l))).toBe(true);
    expect(lines).toContain('[Preprocess] processing done');
    // The model is saved for `local model invoke`.
    expect(fs.existsSync(path.join(store.root, '.runner', 'models', `${transform?.model?.modelName}.json`))).toBe(true);
  });

  test('writes report.json with the steps, parameters and notes', async () => {
    const { run, store } = setup(trainingDefinition());
    const result = await run();
    expect(result.reportFile).toBe(path.join(store.root, '.runner', 'executions', result.executionId, 'report.json'));
    const report = JSON.parse(fs.readFileSync(result.reportFile, 'utf-8'));
    expect(report).toMatchObject({ executionId: result.executionId, pipelineName: 'loan-default', status: 'Succeeded', parameters: { AucThreshold: 0.7 } });
    expect(report.steps).toHaveLength(8);
    expect(report.steps[0].summary).toEqual({ train: 's3://data-bucket/prepared/train/', test: 's3://data-bucket/prepared/test/' });
    expect(report.notes).toContain('step Preprocess has caching enabled; local runs never reuse earlier results.');
  });

  test('registers versions 1, 2, ... of a model package group across runs', async () => {
    const first = setup(trainingDefinition());
    await first.run();
    const second = await executePipeline(first.options);
    expect(second.steps.find((s) => s.name === 'Register')?.properties?.ModelPackageVersion).toBe(2);
    expect(fs.readdirSync(path.join(first.store.root, '.runner', 'registry', 'loan-default')).sort()).toEqual(['1.json', '2.json']);
  });

  test('takes the ElseSteps and fails with the Fail step\'s message when the AUC is below the threshold', async () => {
    const { run } = setup(trainingDefinition(), { parameters: { AucThreshold: '0.95' } });
    const result = await run();
    expect(result.status).toBe('Failed');
    expect(result.failedStep).toBe('AucTooLow');
    expect(result.failureReason).toBe('AucTooLow: AUC below 0.95');
    expect(result.steps.filter((s) => s.status === 'Skipped').map((s) => s.name)).toEqual(['Register', 'CreateModel', 'BatchScore']);
    expect(result.steps.find((s) => s.name === 'CheckAuc')?.properties).toEqual({ Outcome: 'False' });
    expect(result.steps.find((s) => s.name === 'Register')?.skippedBecause).toBe('CheckAuc evaluated to False, so its IfSteps do not run');
  });

  test('parameter overrides are type-checked and unknown names are refused before anything runs', async () => {
    const { run, fake } = setup(trainingDefinition(), { parameters: { AucThreshold: 'high', Nope: '1' } });
    await expect(run()).rejects.toThrow(ParameterError);
    await expect(run()).rejects.toThrow(/"Nope" is not a parameter of the pipeline; AucThreshold="high" is not a valid Float \(a number such as 0.75\)\. Declared parameters: AucThreshold \(Float, default 0.7\)/);
    expect(fake.calls).toHaveLength(0);
  });

  test('a missing property file fails the Condition step, naming the file and what the output holds', async () => {
    const { run } = setup(trainingDefinition(), {}, fakeExecutors({ evaluation: undefined }));
    const result = await run();
    expect(result.status).toBe('Failed');
    expect(result.failedStep).toBe('CheckAuc');
    expect(result.failureReason).toBe(
      'CheckAuc: property file EvaluationReport (s3://artifacts/evaluation/evaluation.json) does not exist: step Evaluate wrote nothing to its output "evaluation" (s3://artifacts/evaluation/).',
    );
    expect(result.steps.filter((s) => s.status === 'NotRun').map((s) => s.name)).toEqual(['Register', 'CreateModel', 'BatchScore', 'AucTooLow']);
    expect(result.steps.find((s) => s.name === 'Evaluate')?.propertyFiles?.EvaluationReport.error).toMatch(/does not exist/);
  });

  test('a JSON path missing from the property file fails the step that evaluates it, saying what is there', async () => {
    const { run } = setup(trainingDefinition(), {}, fakeExecutors({ evaluation: { binary_classification_metrics: { accuracy: { value: 0.9 } } } }));
    const result = await run();
    expect(result.failureReason).toBe(
      'CheckAuc: property file EvaluationReport (s3://artifacts/evaluation/evaluation.json) has no "binary_classification_metrics.auc.value"; at "binary_classification_metrics" it has: accuracy',
    );
  });

  test('a failed job ends the run with its reason and log excerpt; later steps do not run', async () => {
    const { run, fake } = setup(trainingDefinition(), {}, fakeExecutors({ evaluation: GOOD_EVALUATION, failing: ['Train'] }));
    const result = await run();
    expect(result.status).toBe('Failed');
    expect(result.failedStep).toBe('Train');
    expect(result.failureReason).toBe('Train: AlgorithmError: boom');
    expect(result.steps.find((s) => s.name === 'Train')?.logExcerpt).toContain('ValueError: boom');
    expect(fake.calls.map((c) => c.kind)).toEqual(['processing', 'training']);
    expect(result.steps.slice(2).every((s) => s.status === 'NotRun')).toBe(true);
  });

  test('DependsOn orders steps that share no data, and ties keep the definition order', async () => {
    const definition = {
      Steps: [
        { Name: 'B', Type: 'Condition', DependsOn: ['C'], Arguments: { Conditions: [{ Type: 'Equals', LeftValue: 1, RightValue: 1 }] } },
        { Name: 'A', Type: 'Condition', Arguments: { Conditions: [] } },
        { Name: 'C', Type: 'Condition', Arguments: { Conditions: [] } },
      ],
    };
    const result = await setup(definition).run();
    expect(result.steps.map((s) => s.name)).toEqual(['A', 'C', 'B']);
  });

  test('a dependency cycle is refused before anything runs', async () => {
    const definition = {
      Steps: [
        { Name: 'A', Type: 'Condition', Arguments: { Conditions: [{ Type: 'Equals', LeftValue: { Get: 'Steps.C.Outcome' }, RightValue: 'True' }] } },
        { Name: 'B', Type: 'Condition', DependsOn: ['A'], Arguments: { Conditions: [] } },
        { Name: 'C', Type: 'Condition', DependsOn: ['B'], Arguments: { Conditions: [] } },
      ],
    };
    const { run, fake } = setup(definition);
    await expect(run()).rejects.toThrow(PipelineDefinitionError);
    await expect(run()).rejects.toThrow('The steps depend on each other in a cycle: A → C → B → A.');
    expect(fake.calls).toHaveLength(0);
  });

  test('references to unknown steps, parameters and execution variables are refused together', async () => {
    const definition = {
      Parameters: [{ Name: 'P', Type: 'String', DefaultValue: 'x' }],
      Steps: [{
        Name: 'Only',
        Type: 'Fail',
        DependsOn: ['Ghost'],
        Arguments: { ErrorMessage: { 'Std:Join': { On: '', Values: [{ Get: 'Steps.Missing.Outcome' }, { Get: 'Parameters.Q' }, { Get: 'Execution.Nope' }] } } },
      }],
    };
    await expect(setup(definition).run()).rejects.toThrow(
      /refers to step "Missing", which is not in the pipeline.*refers to Parameters.Q, which the pipeline does not declare \(declared: P\).*Execution.Nope, which is not an execution variable.*DependsOn "Ghost"/,
    );
  });

  test('invalid retry policies and cache configs are refused', async () => {
    const definition = trainingDefinition();
    const steps = definition.Steps as any[];
    steps[0].RetryPolicies = [{ ExceptionType: ['Step.NOPE'], MaxAttempts: 50 }];
    steps[0].CacheConfig = { Enabled: 'yes', ExpireAfter: '7 days' };
    await expect(setup(definition).run()).rejects.toThrow(
      /exception type Step.NOPE is not one of Step.SERVICE_FAULT.*MaxAttempts is 50, but must be a whole number from 1 to 20.*CacheConfig.Enabled must be true or false.*ExpireAfter "7 days" is not an ISO 8601 duration/,
    );
  });

  test('a step type that is not emulated fails clearly (and is announced in the notes)', async () => {
    const definition = { Steps: [{ Name: 'Notify', Type: 'Lambda', Arguments: { FunctionArn: 'arn' } }] };
    const result = await setup(definition).run();
    expect(result.status).toBe('Failed');
    expect(result.failureReason).toBe('Notify: Lambda steps are not emulated locally (the local runner runs Processing, Training, Tuning, Transform, QualityCheck, Model, RegisterModel, Condition, Fail).');
    expect(result.notes[0]).toMatch(/Notify is a Lambda step, which the local runner does not emulate/);
  });

  test('execution variables resolve, and tuning gets maxTrials and a name of at most 32 characters', async () => {
    const definition = {
      Steps: [{
        Name: 'TuneTheModelHyperparameters',
        Type: 'Tuning',
        Arguments: { HyperParameterTuningJobConfig: {}, TrainingJobDefinition: { OutputDataConfig: { S3OutputPath: { 'Std:Join': { On: '/', Values: ['s3://b', { Get: 'Execution.PipelineExecutionId' }, { Get: 'Execution.PipelineName' }] } } } } },
      }],
    };
    const fake = fakeExecutors();
    const result = await setup(definition, { maxTrials: 2, executionId: 'abcdefabcdef' }, fake).run();
    expect(result.status).toBe('Succeeded');
    const call = fake.calls[0];
    expect(call.options).toEqual({ maxTrials: 2 });
    expect((call.request.TrainingJobDefinition as any).OutputDataConfig.S3OutputPath).toBe('s3://b/abcdefabcdef/loan-default');
    expect((call.request.HyperParameterTuningJobName as string).length).toBeLessThanOrEqual(32);
    expect(result.steps[0].summary).toEqual({ best: expect.stringMatching(/-001-abc$/), 'validation:auc': '0.8', trials: '1' });
  });

  test('a transform of a model that is not in the store fails naming it', async () => {
    const definition = { Steps: [{ Name: 'Score', Type: 'Transform', Arguments: { ModelName: 'nope', TransformOutput: { S3OutputPath: 's3://b/o/' } } }] };
    const result = await setup(definition).run();
    expect(result.failureReason).toMatch(/^Score: ModelName "nope" is not a model in the local store/);
  });

  test('ids and job names follow SageMaker\'s rules', () => {
    expect(newExecutionId()).toMatch(/^[a-z0-9]{12}$/);
    const name = pipelineJobName('abcdefabcdef', 'A_very_long_step_name_that_goes_on_and_on_and_on');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^pipelines-abcdefabcdef-A-very-long-step-name[-a-z_]*-[A-Za-z0-9]{10}$/);
  });
});

/** A processing step writing `s3://b/<name>/data.csv`, reading the outputs of `inputs` (data dependencies). */
function processing(name: string, inputs: string[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: name,
    Type: 'Processing',
    Arguments: {
      ProcessingInputs: inputs.map((step) => ({ InputName: step, S3Input: { S3Uri: { Get: `Steps.${step}.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri` }, LocalPath: `/opt/ml/processing/input/${step}` } })),
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://b/${name}/`, LocalPath: '/opt/ml/processing/out' } }] },
    },
    ...extra,
  };
}

/** A job result that fails the step with `reason` (what a fake job returns when what it waited for did not happen). */
function failure(reason: string): LocalJobResult {
  return { status: LocalJobStatus.FAILED, failureReason: reason, properties: {}, durationMs: 0 };
}

describe('executePipeline runs independent steps side by side', () => {
  test('two steps without a dependency run at the same time', async () => {
    const fake = fakeExecutors({
      // A succeeds only if B starts while A is still running.
      onStart: async (step) => (step === 'A' && !(await waitFor(() => fake.events.includes('start:B'))) ? failure('B did not start while A ran') : undefined),
    });
    const result = await setup({ Steps: [processing('A'), processing('B')] }, {}, fake).run();
    expect(result.steps.map((s) => [s.name, s.status, s.failureReason])).toEqual([['A', 'Succeeded', undefined], ['B', 'Succeeded', undefined]]);
    expect(maxOverlap(fake.events)).toBe(2);
  });

  test('with MaxParallelExecutionSteps 1 they run one after the other', async () => {
    let sawB: boolean | undefined;
    const fake = fakeExecutors({
      onStart: async (step) => {
        if (step === 'A') sawB = await waitFor(() => fake.events.includes('start:B'), 50);
        return undefined;
      },
    });
    const { run, lines } = setup({ Steps: [processing('A'), processing('B')] }, { maxParallelSteps: 1 }, fake);
    const result = await run();
    expect(result.status).toBe('Succeeded');
    expect(sawB).toBe(false);
    expect(fake.events).toEqual(['start:A', 'end:A', 'start:B', 'end:B']);
    expect(lines[0]).toMatch(/: A, B; at most 1 at once$/);
  });

  test('MaxParallelExecutionSteps caps the steps running at once', async () => {
    const fake = fakeExecutors({
      // A and B each wait for the other to start; C may start only when one of them has ended.
      onStart: async (step) => {
        const other = { A: 'B', B: 'A' }[step];
        if (other && !(await waitFor(() => fake.events.includes(`start:${other}`)))) return failure(`${other} did not start alongside ${step}`);
        return undefined;
      },
    });
    const result = await setup({ Steps: [processing('A'), processing('B'), processing('C')] }, { maxParallelSteps: 2 }, fake).run();
    expect(result.status).toBe('Succeeded');
    expect(maxOverlap(fake.events)).toBe(2);
    expect(fake.events.indexOf('start:C')).toBeGreaterThan(Math.min(fake.events.indexOf('end:A'), fake.events.indexOf('end:B')));
  });

  test('a MaxParallelExecutionSteps that is not a whole number of at least 1 is refused before anything runs', async () => {
    const { run, fake } = setup({ Steps: [processing('A')] }, { maxParallelSteps: 0 });
    await expect(run()).rejects.toThrow("The pipeline run's MaxParallelExecutionSteps must be a whole number, at least 1, got 0: give the most steps that may run at once.");
    expect(fake.calls).toHaveLength(0);
  });

  test('cpus that is not a whole number of at least 1 is refused before anything runs', async () => {
    const { run, fake } = setup({ Steps: [processing('A')] }, { cpus: 1.5 });
    await expect(run()).rejects.toThrow("The pipeline run's cpus must be a whole number, at least 1, got 1.5: give the CPUs its jobs may use.");
    expect(fake.calls).toHaveLength(0);
  });

  test('a dependent step starts only after its dependencies (data and DependsOn), a branch step only after its Condition', async () => {
    let startedEarly: boolean | undefined;
    const fake = fakeExecutors({
      // A runs until B, the Condition and its IfSteps step D are done; C (which reads A's output) must wait for A.
      onStart: async (step) => {
        if (step !== 'A') return undefined;
        if (!(await waitFor(() => fake.events.includes('end:D')))) return failure('D did not run while A ran');
        startedEarly = fake.events.includes('start:C');
        return undefined;
      },
    });
    const definition = {
      Steps: [
        processing('A'),
        processing('B'),
        processing('C', ['A']),
        processing('F', [], { DependsOn: ['B'] }),
        {
          Name: 'Check',
          Type: 'Condition',
          Arguments: {
            Conditions: [{ Type: 'Equals', LeftValue: { Get: 'Steps.B.ProcessingJobStatus' }, RightValue: 'Completed' }],
            IfSteps: [processing('D')],
            ElseSteps: [processing('E')],
          },
        },
      ],
    };
    const { run, lines } = setup(definition, {}, fake);
    const result = await run();
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([['A', 'Succeeded'], ['B', 'Succeeded'], ['C', 'Succeeded'], ['F', 'Succeeded'], ['Check', 'Succeeded'], ['D', 'Succeeded'], ['E', 'Skipped']]);
    expect(startedEarly).toBe(false);
    expect(fake.events.indexOf('start:C')).toBeGreaterThan(fake.events.indexOf('end:A'));
    expect(fake.events.indexOf('start:F')).toBeGreaterThan(fake.events.indexOf('end:B'));
    expect(fake.events.indexOf('start:F')).toBeLessThan(fake.events.indexOf('end:A'));
    const line = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    expect(line(/^\[Check\] Condition Succeeded/)).toBeGreaterThan(line(/^\[B\] Processing \S+ Succeeded/));
    expect(line(/^\[D\] Processing \S+ started/)).toBeGreaterThan(line(/^\[Check\] Condition Succeeded/));
  });

  test('after a failure the running step finishes and is recorded; its dependants and the steps not started are NotRun', async () => {
    const fake = fakeExecutors({
      failing: ['A'],
      // B is still running when A fails, and ends after it.
      onStart: async (step) => (step === 'B' && !(await waitFor(() => lines.some((l) => /^\[A\] Processing \S+ Failed/.test(l)))) ? failure('A did not fail while B ran') : undefined),
    });
    const definition = { Steps: [processing('A'), processing('B'), processing('C', ['A']), processing('D', ['B']), processing('E')] };
    const { run, lines } = setup(definition, { maxParallelSteps: 2 }, fake);
    const result = await run();
    expect(result).toMatchObject({ status: 'Failed', failedStep: 'A', failureReason: 'A: AlgorithmError: boom' });
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([['A', 'Failed'], ['B', 'Succeeded'], ['C', 'NotRun'], ['D', 'NotRun'], ['E', 'NotRun']]);
    expect(result.steps[1].properties?.ProcessingJobStatus).toBe('Completed');
    expect(result.steps[1].summary).toEqual({ out: 's3://b/B/' });
    expect(fake.events).toEqual(['start:A', 'start:B', 'end:A', 'end:B']);
    expect(lines.findIndex((l) => /^\[B\] Processing \S+ Succeeded/.test(l))).toBeGreaterThan(lines.findIndex((l) => /^\[A\] Processing \S+ Failed/.test(l)));
    expect(lines.at(-1)).toMatch(/^Pipeline loan-default: Failed in .* \(A: AlgorithmError: boom\)$/);
  });

  test('the report lists the steps in plan order, whatever order they finish in', async () => {
    const fake = fakeExecutors({
      onStart: async (step) => (step === 'A' && !(await waitFor(() => fake.events.includes('end:C'))) ? failure('C did not end while A ran') : undefined),
    });
    const result = await setup({ Steps: [processing('A'), processing('B'), processing('C', ['B'])] }, {}, fake).run();
    expect(fake.events.filter((e) => e.startsWith('end:'))).toEqual(['end:B', 'end:C', 'end:A']);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([['A', 'Succeeded'], ['B', 'Succeeded'], ['C', 'Succeeded']]);
    expect(JSON.parse(fs.readFileSync(result.reportFile, 'utf-8')).steps.map((s: { name: string }) => s.name)).toEqual(['A', 'B', 'C']);
  });
});

describe('jobs running side by side share the CPUs', () => {
  test('the free CPUs are split evenly among the jobs starting together, the remainder to the first, at least 1 each', () => {
    expect(cpuShares(4, [], 1)).toEqual([4]);
    expect(cpuShares(4, [], 3)).toEqual([2, 1, 1]);
    expect(cpuShares(8, [3], 2)).toEqual([3, 2]);
    expect(cpuShares(2, [], 3)).toEqual([1, 1, 1]);
    expect(cpuShares(2, [1, 1], 1)).toEqual([1]);
    expect(cpuShares(undefined, [], 2)).toEqual([undefined, undefined]);
  });

  test('each job gets its share of the run\'s CPUs as ctx.cpus; a job starting later gets what the running ones leave', async () => {
    const fake = fakeExecutors({
      // A and X run until C (which follows B) has started, so C shares the CPUs with them.
      onStart: async (step) => ((step === 'A' || step === 'X') && !(await waitFor(() => fake.events.includes('start:C'))) ? failure(`C did not start while ${step} ran`) : undefined),
    });
    const { run, lines } = setup({ Steps: [processing('A'), processing('B'), processing('X'), processing('C', ['B'])] }, { cpus: 5 }, fake);
    const result = await run();
    expect(result.status).toBe('Succeeded');
    const cpus = Object.fromEntries(fake.calls.map((c) => [c.ctx.jobName.split('-')[2], c.ctx.cpus]));
    // A, B and X start together: 5 CPUs as 2, 2, 1. When B ends, C gets B's 2.
    expect(cpus).toEqual({ A: 2, B: 2, X: 1, C: 2 });
    expect(lines.some((l) => /^\[X\] Processing \S+ started on 1 CPU$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\[C\] Processing \S+ started on 2 CPUs$/.test(l))).toBe(true);
  });

  test('without a CPU count the jobs get no cap', async () => {
    const { run, fake } = setup({ Steps: [processing('A'), processing('B')] });
    expect((await run()).status).toBe('Succeeded');
    expect(fake.calls.map((c) => c.ctx.cpus)).toEqual([undefined, undefined]);
  });
});

describe('RegisterModel steps side by side', () => {
  const register = (name: string) => ({ Name: name, Type: 'RegisterModel', Arguments: { ModelPackageGroupName: 'churn', InferenceSpecification: { Containers: [{ Image: 'xgb' }] } } });

  test('two RegisterModel steps of one run get versions 1 and 2 of the group', async () => {
    const result = await setup({ Steps: [register('RegisterA'), register('RegisterB')] }).run();
    expect(result.steps.map((s) => [s.name, s.properties?.ModelPackageVersion])).toEqual([['RegisterA', 1], ['RegisterB', 2]]);
  });

  test('a version another registration took between listing and writing is not overwritten', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-state-'));
    const state = new LocalState(root, '123456789012', 'us-east-1');
    const request: Record<string, unknown> = { ModelPackageGroupName: 'churn' };
    // The request is read after the versions are listed: register a competing version 1 right then.
    let raced = false;
    Object.defineProperty(request, 'Competitor', {
      enumerable: true,
      get: () => {
        if (!raced) {
          raced = true;
          state.registerModelPackage({ ModelPackageGroupName: 'churn', Who: 'competitor' });
        }
        return 'yes';
      },
    });
    const mine = state.registerModelPackage(request);
    expect(mine.ModelPackageVersion).toBe(2);
    expect(state.modelPackages('churn').map((p) => [p.ModelPackageVersion, p.Who ?? 'mine'])).toEqual([[1, 'competitor'], [2, 'mine']]);
    expect(fs.readdirSync(path.join(root, '.runner', 'registry', 'churn')).sort()).toEqual(['1.json', '2.json']);
  });
});
