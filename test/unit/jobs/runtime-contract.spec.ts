// What the job definitions render must hold at run time, not only validate: the file an
// entrypoint runs is the file SageMaker writes, checkpoints belong to one run, the security group
// lets encrypted inter-container traffic through, and the transform feeds the model features only.
import * as path from 'path';
import { Duration, Stack, aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType, Processor, SourceCode } from '../../../lib/constructs/core';
import {
  HyperparameterTuningJob,
  Hyperparameters,
  JoinSource,
  ParameterRange,
  ProcessingJob,
  RunReference,
  S3Location,
  TrainingInput,
  TrainingJob,
  TrainingJobProps,
  TransformJob,
} from '../../../lib/constructs/jobs';
import { Model } from '../../../lib/constructs/hosting';
import { MlPipeline, TrainingStep, TuningStep } from '../../../lib/constructs/pipelines';
import { MlNetwork, SecureBucket } from '../../../lib/constructs/security';
import { envAgnosticStack } from '../../helpers';
import { SOURCE, setup, training } from './support';

/** The rendered pipeline definition of a stack's only pipeline. */
function definition(stack: Stack): any {
  const body = Template.fromStack(stack).findResources('AWS::SageMaker::Pipeline');
  const rendered = stack.resolve(Object.values(body)[0].Properties.PipelineDefinition.PipelineDefinitionBody);
  // Deploy-time values sit inside JSON strings; stand them in with a word.
  const text = typeof rendered === 'string' ? rendered : rendered['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

describe('script-mode code in an env-agnostic stack (the default app)', () => {
  test('sagemaker_submit_directory is the archive as it lands in the code channel, never a split token', () => {
    const stack = envAgnosticStack();
    const { job } = trainingIn(stack, { code: SourceCode.fromDirectory(SOURCE, { entryPoint: 'train.py' }) });
    const request = stack.resolve(job._renderRequest());
    const submit = request.HyperParameters.sagemaker_submit_directory;
    expect(typeof submit).toBe('string');
    expect(submit).toMatch(/^\/opt\/ml\/input\/data\/code\/[0-9a-f]{64}\.(tar\.)?gz$/);
    const channel = request.InputDataConfig.find((c: any) => c.ChannelName === 'code');
    expect(channel.DataSource.S3DataSource.S3Uri['Fn::Sub']).toMatch(new RegExp(`/${path.posix.basename(submit).replace(/\./g, '\\.')}$`));
  });

  test('an isolated job whose archive key is a deploy-time token is rejected with the fix', () => {
    const stack = envAgnosticStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Code', 'code-bucket');
    const key = `code/${stack.account}.tar.gz`;
    expect(() => trainingIn(stack, { code: SourceCode.fromBucket(bucket, key, { entryPoint: 'train.py' }) })).toThrow(
      /\[AgnosticStack\/Train\] code is an archive whose object key is only known at deploy time.*Give SourceCode\.fromBucket a literal key, or set networkIsolation: false/,
    );
  });
});

describe('checkpoints belong to one run', () => {
  test('by default the checkpoint URI holds the pipeline execution id', () => {
    const { stack, bucket } = setup();
    const { job: spot } = trainingIn(stack, { spot: { maxWait: Duration.hours(30), checkpointBucket: bucket } }, 'SpotTrain');
    new MlPipeline(stack, 'Pipeline', { steps: [new TrainingStep('Train', spot)] });
    const uri = definition(stack).Steps[0].Arguments.CheckpointConfig.S3Uri;
    expect(uri).toEqual({ 'Std:Join': { On: '', Values: expect.arrayContaining([{ Get: 'Execution.PipelineExecutionId' }]) } });
    expect(JSON.stringify(uri)).toMatch(/checkpoints\/TestStack\/SpotTrain\//);
  });

  test('a fixed checkpoint prefix warns that every run resumes from the last one', () => {
    const { stack, bucket } = setup();
    trainingIn(stack, { spot: { maxWait: Duration.hours(30), checkpointBucket: bucket, checkpointPrefix: 'ckpt/' } });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('spot.checkpointPrefix "ckpt/" is the same for every run'))).toHaveLength(1);
  });

  test('a prefix holding RunReference.executionId() does not warn, and the role may write under its static part', () => {
    const { stack, bucket } = setup();
    trainingIn(stack, { spot: { maxWait: Duration.hours(30), checkpointBucket: bucket, checkpointPrefix: `ckpt/${RunReference.executionId()}/` } }, 'WithRun');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('is the same for every run'))).toHaveLength(0);
    const policies = JSON.stringify(statements(stack));
    expect(policies).toContain('/ckpt/*');
    expect(policies).not.toContain('smcdk-ref');
  });

  test('tuning trials get no shared checkpoint URI', () => {
    const { stack, bucket } = setup();
    const { job } = trainingIn(stack, { spot: { maxWait: Duration.hours(30), checkpointBucket: bucket } });
    const tuning = new HyperparameterTuningJob(stack, 'Tune', {
      trainingJob: job,
      objectiveMetric: 'validation:auc',
      ranges: [ParameterRange.integer('max_depth', 2, 5)],
      maxJobs: 4,
      maxParallelJobs: 2,
    });
    new MlPipeline(stack, 'Pipeline', { steps: [new TuningStep('Tune', tuning)] });
    const definitionOfTraining = definition(stack).Steps[0].Arguments.TrainingJobDefinition;
    expect(definitionOfTraining.EnableManagedSpotTraining).toBe(true);
    expect(definitionOfTraining.CheckpointConfig).toBeUndefined();
  });
});

describe('inter-container traffic encryption in a VPC', () => {
  test('a distributed job adds UDP 500 and ESP between members of the network\'s group', () => {
    const { stack } = setup();
    const network = new MlNetwork(stack, 'Network');
    trainingIn(stack, { instanceCount: 2, network });
    trainingIn(stack, { instanceCount: 3, network }, 'Second');
    const template = Template.fromStack(stack);
    const groupId = stack.resolve(network.securityGroup.securityGroupId);
    for (const [type, rule] of [
      ['AWS::EC2::SecurityGroupIngress', { IpProtocol: 'udp', FromPort: 500, ToPort: 500, SourceSecurityGroupId: groupId }],
      ['AWS::EC2::SecurityGroupIngress', { IpProtocol: '50', SourceSecurityGroupId: groupId }],
      ['AWS::EC2::SecurityGroupEgress', { IpProtocol: 'udp', FromPort: 500, ToPort: 500, DestinationSecurityGroupId: groupId }],
      ['AWS::EC2::SecurityGroupEgress', { IpProtocol: '50', DestinationSecurityGroupId: groupId }],
    ] as const) {
      // Added once however many jobs need them.
      expect(Object.keys(template.findResources(type, { Properties: rule }))).toHaveLength(1);
    }
  });

  test('a single-instance job or encryption switched off adds nothing', () => {
    const { stack } = setup();
    const network = new MlNetwork(stack, 'Network');
    trainingIn(stack, { instanceCount: 1, network });
    trainingIn(stack, { instanceCount: 2, network, interContainerTrafficEncryption: false }, 'Plain');
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress', { Properties: { IpProtocol: '50' } }))).toHaveLength(0);
  });

  test('a group the user brought is left alone with a warning naming the rules', () => {
    const { stack } = setup();
    const network = new MlNetwork(stack, 'Network');
    const theirs = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Theirs', 'sg-12345678');
    Object.defineProperty(network, 'securityGroup', { value: theirs });
    trainingIn(stack, { instanceCount: 2, network });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('allows UDP 500 and IP protocol 50 \\(ESP\\)'))).toHaveLength(1);
  });
});

describe('processing jobs', () => {
  test('a GPU image on a CPU processing instance is rejected', () => {
    const { stack } = setup();
    expect(
      () =>
        new ProcessingJob(stack, 'Eval', {
          image: ContainerImage.pytorchInference({ version: '2.1.0', processor: Processor.GPU }),
          script: path.join(SOURCE, 'train.py'),
          instanceType: InstanceType.ML_M5_XLARGE,
        }),
    ).toThrow(/\[TestStack\/Eval\] the image is a GPU image but instanceType ml\.m5\.xlarge has no GPU/);
  });

  test('the script input is readable as SageMaker reads an S3Prefix input (list + get)', () => {
    const { stack } = setup();
    new ProcessingJob(stack, 'Prep', { image: ContainerImage.sklearn('1.2-1'), script: path.join(SOURCE, 'train.py'), instanceType: InstanceType.ML_M5_XLARGE });
    const list = statements(stack).find((s: any) => s.Action === 's3:ListBucket' && s.Condition?.StringLike?.['s3:prefix']?.[0]?.endsWith?.('.py'));
    expect(list).toBeDefined();
  });
});

describe('batch transform of a labelled split', () => {
  test('input filter, join and output filter render as DataProcessing', () => {
    const { stack, bucket } = setup();
    const model = Model.fromModelAttributes(stack, 'M', { modelName: 'm', role: training().job.role });
    const job = new TransformJob(stack, 'Score', {
      model,
      input: S3Location.fromBucket(bucket, 'prepared/test/'),
      contentType: 'text/csv',
      accept: 'text/csv',
      inputFilter: '$[1:]',
      joinSource: JoinSource.INPUT,
      outputFilter: '$[0,-1]',
      outputBucket: bucket,
      instanceType: InstanceType.ML_M5_XLARGE,
    });
    expect(stack.resolve(job._renderRequest()).DataProcessing).toEqual({ InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' });
  });

  test('a filter that is not a JSONPath is rejected', () => {
    const { stack, bucket } = setup();
    const model = Model.fromModelAttributes(stack, 'M', { modelName: 'm', role: training().job.role });
    expect(
      () => new TransformJob(stack, 'Score', { model, input: S3Location.fromBucket(bucket, 't/'), inputFilter: '[1:]', outputBucket: bucket, instanceType: InstanceType.ML_M5_XLARGE }),
    ).toThrow(/\[TestStack\/Score\] inputFilter is "\[1:\]", but a filter is a JSONPath starting with "\$"/);
  });
});

/** Every IAM statement of the stack (inline and customer-managed policies). */
function statements(stack: Stack): any[] {
  const template = Template.fromStack(stack);
  const policies = { ...template.findResources('AWS::IAM::Policy'), ...template.findResources('AWS::IAM::ManagedPolicy') };
  return Object.values(policies).flatMap((p: any) => stack.resolve(p.Properties.PolicyDocument.Statement));
}

/** A training job in an existing stack, with its own data bucket. */
function trainingIn(stack: Stack, overrides: Partial<TrainingJobProps> = {}, id = 'Train') {
  const bucket = new SecureBucket(stack, `${id}Bucket`);
  const job = new TrainingJob(stack, id, {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    hyperparameters: Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: 10 }),
    channels: { train: TrainingInput.fromBucket(bucket, 'train/', { contentType: 'text/csv' }) },
    outputBucket: bucket,
    ...overrides,
  });
  return { job, bucket };
}
