import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalPipelineRunner, localCpus } from '../../../lib/local/local-runner';
import { writeAssembly } from './assembly-helpers';
import { fakeExecutors, maxOverlap, waitFor } from './fake-executors';
import { writeSampleAssembly } from './sample-app';

const EVALUATION = { binary_classification_metrics: { auc: { value: 0.9 } } };

function runner(fake = fakeExecutors({ evaluation: EVALUATION })) {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'local-runner-'));
  const lines: string[] = [];
  return { fake, lines, runner: new LocalPipelineRunner({ assemblyDirectory: writeSampleAssembly(), dataDirectory: data, python: 'python3', log: (l) => lines.push(l), executors: fake }) };
}

describe('LocalPipelineRunner', () => {
  test('runs the first pipeline of a stack with its cross-stack values and assets resolved', async () => {
    const { runner: r, fake, lines } = runner();
    const run = await r.runPipeline({ stack: 'Sample-Training' });
    expect(run.status).toBe('Succeeded');
    expect(run.pipelineName).toBe('sample-training');
    const request = fake.calls[0].request as any;
    expect(request.ProcessingInputs[0].S3Input.S3Uri).toBe('s3://sample-platform-databuckete3889a50/raw/');
    expect(request.ProcessingInputs[1].S3Input.S3Uri).toBe('s3://cdk-hnb659fds-assets-123456789012-us-east-1/aaaa1111.py');
    expect(request.RoleArn).toBe('arn:aws:iam::123456789012:role/Sample-Training-Role');
    expect(request.AppSpecification.ImageUri).toBe('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    // The script asset is in the store; the zip asset was skipped with a note.
    expect(r.store.exists('s3://cdk-hnb659fds-assets-123456789012-us-east-1/aaaa1111.py')).toBe(true);
    expect(run.notes).toEqual(expect.arrayContaining([
      '1 directory asset(s) (Lambda and custom-resource code) were not published to the local store.',
      'stack Sample-Training also has: sample-tuning (--pipeline TuningPipeline).',
    ]));
    expect(lines[0]).toBe('Running sample-training (PipelineC660917D); the stack also has sample-tuning (--pipeline TuningPipeline).');
  });

  test('picks a pipeline by construct id, and reads a definition from its S3 location', async () => {
    const { runner: r } = runner();
    const run = await r.runPipeline({ stack: 'Sample-Training', pipeline: 'TuningPipeline' });
    expect(run).toMatchObject({ status: 'Succeeded', pipelineName: 'sample-tuning', pipelineLogicalId: 'TuningPipelineA69922BC' });
    for (const selector of ['TuningPipelineA69922BC', 'sample-tuning', 'Sample-Training/TuningPipeline/Resource']) {
      expect(r.listPipelines('Sample-Training').length).toBe(2);
      await expect(r.runPipeline({ stack: 'Sample-Training', pipeline: selector })).resolves.toMatchObject({ pipelineName: 'sample-tuning' });
    }
    await expect(r.runPipeline({ stack: 'Sample-Training', pipeline: 'Nope' })).rejects.toThrow(
      'Stack Sample-Training has no pipeline "Nope". Its pipelines: PipelineC660917D (Sample-Training/Pipeline/Resource, name sample-training); TuningPipelineA69922BC (Sample-Training/TuningPipeline/Resource, name sample-tuning).',
    );
  });

  test('uploads files and directories and finds the data bucket', () => {
    const { runner: r } = runner();
    expect(r.bucketOf('Sample-Platform')).toBe('sample-platform-databuckete3889a50');
    expect(r.bucketOf('Sample-Platform', 'ArtifactsBucket2AAC5544')).toBe('sample-platform-artifactsbucket2aac5544');
    expect(r.bucketOf('Sample-Platform', 'ArtifactsBucket')).toBe('sample-platform-artifactsbucket2aac5544');
    expect(() => r.bucketOf('Sample-Platform', 'Nope')).toThrow('Stack Sample-Platform has no bucket or output "Nope" (outputs: DataBucketName; buckets: DataBucketE3889A50, ArtifactsBucket2AAC5544).');
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'local-upload-'));
    fs.mkdirSync(path.join(src, 'sub'));
    fs.writeFileSync(path.join(src, 'a.csv'), 'a');
    fs.writeFileSync(path.join(src, 'sub', 'b.csv'), 'bb');
    expect(r.uploadData(src, 's3://b/raw')).toEqual({ uris: ['s3://b/raw/a.csv', 's3://b/raw/sub/b.csv'], bytes: 3 });
    expect(r.uploadData(path.join(src, 'a.csv'), 's3://b/one/')).toEqual({ uris: ['s3://b/one/a.csv'], bytes: 1 });
  });

  test('invokes a model of the stack once its model data is in the store, and a pipeline-created model by name', async () => {
    const { runner: r, fake } = runner();
    await expect(r.invokeModel({ stack: 'Sample-Training', model: 'Model', body: '1,2', contentType: 'text/csv' })).rejects.toThrow(
      /The ModelDataUrl of model Model0301700E of stack Sample-Training, s3:\/\/sample-platform-databuckete3889a50\/models\/model.tar.gz, is not in the local store/,
    );
    r.store.write('s3://sample-platform-databuckete3889a50/models/model.tar.gz', 'm');
    const answer = await r.invokeModel({ stack: 'Sample-Training', model: 'Model', body: '1,2', contentType: 'text/csv' });
    expect(answer.body.toString()).toBe('0.42 from Sample-Training-Model0301700E');
    expect(fake.calls.at(-1)?.model?.containers[0].ModelDataUrl).toBe('s3://sample-platform-databuckete3889a50/models/model.tar.gz');

    const run = await r.runPipeline({ stack: 'Sample-Training' });
    const modelName = run.steps.find((s) => s.name === 'CreateModel')?.resourceName as string;
    const byName = await r.invokeModel({ model: modelName, body: Buffer.from('1,2'), contentType: 'text/csv', accept: 'application/json' });
    expect(byName).toMatchObject({ modelName, contentType: 'application/json' });
    await expect(r.invokeModel({ model: 'latest', body: '1', contentType: 'text/csv' })).resolves.toMatchObject({ modelName });
    await expect(r.invokeModel({ stack: 'Sample-Training', model: 'ghost', body: '', contentType: 'text/csv' })).rejects.toThrow(
      /^No model "ghost": it is neither a model in the local store \(pipelines-.*\) nor an AWS::SageMaker::Model of stack Sample-Training \(Sample-Training\/Model\/Resource\)\.$/,
    );
  });
});

describe('the CPUs local jobs may use', () => {
  const saved = process.env.SAGEMAKER_LOCAL_CPUS;
  afterEach(() => {
    if (saved === undefined) delete process.env.SAGEMAKER_LOCAL_CPUS;
    else process.env.SAGEMAKER_LOCAL_CPUS = saved;
  });

  test('the cpus prop, else SAGEMAKER_LOCAL_CPUS, else every CPU', () => {
    process.env.SAGEMAKER_LOCAL_CPUS = '3';
    expect(localCpus(2)).toBe(2);
    expect(localCpus()).toBe(3);
    delete process.env.SAGEMAKER_LOCAL_CPUS;
    expect(localCpus()).toBe(os.availableParallelism());
  });

  test('every job of a run gets them', async () => {
    const fake = fakeExecutors({ evaluation: EVALUATION });
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'local-runner-'));
    const r = new LocalPipelineRunner({ assemblyDirectory: writeSampleAssembly(), dataDirectory: data, python: 'python3', executors: fake, cpus: 3 });
    expect((await r.runPipeline({ stack: 'Sample-Training' })).status).toBe('Succeeded');
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(fake.calls.map((c) => c.ctx.cpus)).toEqual(fake.calls.map(() => 3));
  });

  test('a count that is not a whole number of at least 1 is refused, naming where it came from', () => {
    expect(() => localCpus(0)).toThrow("The local runner's cpus must be a whole number of CPUs, at least 1, got 0: give the number of CPUs its jobs may use.");
    expect(() => localCpus(1.5)).toThrow(/cpus must be a whole number of CPUs, at least 1, got 1.5/);
    process.env.SAGEMAKER_LOCAL_CPUS = 'two';
    expect(() => localCpus()).toThrow(/SAGEMAKER_LOCAL_CPUS \("two"\) must be a whole number of CPUs, at least 1, got NaN/);
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'local-runner-'));
    expect(() => new LocalPipelineRunner({ assemblyDirectory: data, dataDirectory: data, cpus: -1 })).toThrow(/got -1/);
  });
});

describe('the steps a run starts at once', () => {
  /** An app whose pipeline has two independent processing steps and the given ParallelismConfiguration. */
  function parallelApp(parallelism: unknown): string {
    const step = (name: string) => ({ Name: name, Type: 'Processing', Arguments: { ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://b/${name}/` } }] } } });
    return writeAssembly({
      App: {
        template: {
          Resources: {
            Pipeline9850B417: {
              Type: 'AWS::SageMaker::Pipeline',
              Properties: {
                PipelineName: 'parallel',
                PipelineDefinition: { PipelineDefinitionBody: JSON.stringify({ Version: '2020-12-01', Steps: [step('A'), step('B')] }) },
                ...(parallelism === undefined ? {} : { ParallelismConfiguration: parallelism }),
              },
            },
          },
        },
      },
    });
  }

  function parallelRunner(parallelism: unknown) {
    const fake = fakeExecutors({
      // A waits a few turns for B: it sees B start only when both may run at once.
      onStart: async (step) => {
        if (step === 'A') await waitFor(() => fake.events.includes('start:B'), 50);
        return undefined;
      },
    });
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'local-runner-'));
    return { fake, runner: new LocalPipelineRunner({ assemblyDirectory: parallelApp(parallelism), dataDirectory: data, python: 'python3', executors: fake }) };
  }

  test('without a ParallelismConfiguration every step that may start does', async () => {
    const { runner: r, fake } = parallelRunner(undefined);
    expect((await r.runPipeline({ stack: 'App' })).status).toBe('Succeeded');
    expect(maxOverlap(fake.events)).toBe(2);
  });

  test('the pipeline\'s MaxParallelExecutionSteps limits them, and a run may set its own', async () => {
    const { runner: r, fake } = parallelRunner({ MaxParallelExecutionSteps: 1 });
    expect((await r.runPipeline({ stack: 'App' })).status).toBe('Succeeded');
    expect(fake.events).toEqual(['start:A', 'end:A', 'start:B', 'end:B']);
    fake.events.length = 0;
    expect((await r.runPipeline({ stack: 'App', maxParallelSteps: 2 })).status).toBe('Succeeded');
    expect(maxOverlap(fake.events)).toBe(2);
  });

  test('a MaxParallelExecutionSteps that is not a whole number of at least 1 is refused, naming where it is', async () => {
    const { runner: r, fake } = parallelRunner({ MaxParallelExecutionSteps: 0 });
    await expect(r.runPipeline({ stack: 'App' })).rejects.toThrow(
      'App/Resources/Pipeline9850B417/Properties/ParallelismConfiguration/MaxParallelExecutionSteps is 0, but must be a whole number, at least 1 (the most steps an execution runs at once).',
    );
    expect(fake.calls).toHaveLength(0);
  });
});
