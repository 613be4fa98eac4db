import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalObjectStore } from '../../../lib/local/object-store';
import { executePipeline, newExecutionId, pipelineJobName, type PipelineExecutionOptions } from '../../../lib/local/pipeline-executor';
import { PipelineDefinitionError } from '../../../lib/local/pipeline-graph';
import { ParameterError } from '../../../lib/local/pipeline-parameters';
import type { PipelineDefinition } from '../../../lib/local/pipeline-definition';
import { fakeExecutors, trainingDefinition } from './fake-executors';

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
