import * as path from 'path';
import { ContainerImage, InstanceType, SourceCode } from '../../../lib/constructs/core';
import { Template } from 'aws-cdk-lib/assertions';
import { ProcessingJob, RunReference, S3Location } from '../../../lib/constructs/jobs';
import { SOURCE, setup } from './support';

describe('ProcessingJob', () => {
  test('reference ScriptProcessor: ml.m5.xlarge, script as code input, outputs to S3 with KMS', () => {
    const { stack, bucket, key } = setup();
    const job = new ProcessingJob(stack, 'Prep', {
      image: ContainerImage.sklearn('1.2-1'),
      script: path.join(SOURCE, 'train.py'),
      instanceType: InstanceType.ML_M5_XLARGE,
      inputs: [{ inputName: 'raw', source: S3Location.fromBucket(bucket, 'raw/') }],
      outputs: [{ outputName: 'train', bucket, prefix: 'prepared/train/' }],
      encryptionKey: key,
    });
    const request = stack.resolve(job._renderRequest());
    expect(request.ProcessingInputs.map((i: any) => i.InputName)).toEqual(['raw', 'code']);
    // SageMaker keeps the last segment of the key when it copies an S3Prefix input: the script
    // lands as the asset's <hash>.py, and that is the file the entrypoint must run.
    const code = request.ProcessingInputs[1].S3Input;
    const landsAs = code.S3Uri.split('/').pop();
    expect(landsAs).toMatch(/^[0-9a-f]{64}\.py$/);
    expect(code).toMatchObject({ LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix' });
    expect(request.AppSpecification.ContainerEntrypoint).toEqual(['python3', `/opt/ml/processing/input/code/${landsAs}`]);
    expect(request.ProcessingResources.ClusterConfig).toMatchObject({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 });
    expect(request.NetworkConfig).toMatchObject({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true });
    expect(job.outputLocalPath('train')).toBe('/opt/ml/processing/train');
    expect(() => job.output('nope')).toThrow(/has no output named "nope"; its outputs are: train/);
  });

  test('an output prefix with the run id is written per run and granted up to the run id, to the writer and to readers', () => {
    const { stack, bucket } = setup();
    const evaluate = new ProcessingJob(stack, 'Evaluate', {
      image: ContainerImage.sklearn('1.2-1'),
      script: path.join(SOURCE, 'train.py'),
      instanceType: InstanceType.ML_M5_XLARGE,
      outputs: [{ outputName: 'evaluation', bucket, prefix: `evaluation/${RunReference.executionId()}/` }],
    });
    const reader = new ProcessingJob(stack, 'Report', {
      image: ContainerImage.sklearn('1.2-1'),
      script: path.join(SOURCE, 'train.py'),
      instanceType: InstanceType.ML_M5_XLARGE,
      inputs: [{ inputName: 'evaluation', source: S3Location.fromJobOutput(evaluate.output('evaluation')) }],
    });
    expect(reader).toBeDefined();
    const resources = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    // PutObject for the writer and GetObject for the reader on evaluation/*: IAM cannot name the run id.
    expect(resources).toContain('/evaluation/*');
    expect(resources).not.toContain('smcdk-ref');
  });

  test('a source directory (SourceCode) is copied in, unpacked and its entry point run with the arguments', () => {
    const { stack, bucket } = setup();
    const job = new ProcessingJob(stack, 'Evaluate', {
      image: ContainerImage.sklearn('1.2-1'),
      code: SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }),
      arguments: ['--threshold', '0.7'],
      instanceType: InstanceType.ML_M5_XLARGE,
      outputs: [{ outputName: 'evaluation', bucket, prefix: 'evaluation/' }],
    });
    const request = stack.resolve(job._renderRequest());
    const [shell, flag, run, name] = request.AppSpecification.ContainerEntrypoint;
    expect([shell, flag, name]).toEqual(['/bin/sh', '-c', 'processing']);
    expect(run).toMatch(/^cd \/opt\/ml\/processing\/input\/code && tar -xzf \S+ && exec python3 train.py "\$@"$/);
    expect(request.AppSpecification.ContainerArguments).toEqual(['--threshold', '0.7']);
    expect(request.ProcessingInputs.map((i: any) => [i.InputName, i.S3Input.LocalPath])).toEqual([['code', '/opt/ml/processing/input/code']]);
  });

  test('rejects both a script and a source directory', () => {
    const { stack } = setup();
    expect(() => new ProcessingJob(stack, 'Both', {
      image: ContainerImage.sklearn('1.2-1'),
      script: path.join(SOURCE, 'train.py'),
      code: SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }),
      instanceType: InstanceType.ML_M5_XLARGE,
    })).toThrow(/\[TestStack\/Both\] both script and code are set; give one/);
  });

  test('rejects duplicate input/output names and a missing script', () => {
    const { stack, bucket } = setup();
    expect(() => new ProcessingJob(stack, 'Dup', {
      image: ContainerImage.sklearn('1.2-1'),
      instanceType: InstanceType.ML_M5_XLARGE,
      inputs: [{ inputName: 'data', source: S3Location.fromBucket(bucket, 'a/') }],
      outputs: [{ outputName: 'data', bucket, prefix: 'b/' }],
    })).toThrow(/input and output names must be unique, but data repeat/);
    expect(() => new ProcessingJob(stack, 'NoScript', { image: ContainerImage.sklearn('1.2-1'), instanceType: InstanceType.ML_M5_XLARGE, script: '/nope.py' })).toThrow(
      /script "\/nope.py" is not a file/,
    );
  });
});

