import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnProcessingJob } from 'aws-cdk-lib/aws-sagemaker';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { DeployTimeProcessingJob, ProcessingJob, S3Location } from '../../../lib/constructs/jobs';
import { PipelineParameter } from '../../../lib/constructs/pipelines';
import { MlKey, MlNetwork, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';

const SCRIPT = path.join(__dirname, '..', '..', 'fixtures', 'source', 'train.py');

describe('DeployTimeProcessingJob', () => {
  const app = testApp();
  const stack = testStack(app);
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const network = new MlNetwork(stack, 'Network', { encryptionKey: key });
  const split = new ProcessingJob(stack, 'Split', {
    image: ContainerImage.sklearn('1.2-1'),
    script: SCRIPT,
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [{ inputName: 'raw', source: S3Location.fromBucket(data, 'raw/') }],
    outputs: [{ outputName: 'baseline', bucket: data, prefix: 'baseline/' }],
    encryptionKey: key,
    network,
  });
  const baseline = new ProcessingJob(stack, 'Baseline', {
    image: ContainerImage.sklearn('1.2-1'),
    script: SCRIPT,
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: [{ inputName: 'data', source: S3Location.fromJobOutput(split.output('baseline')) }],
    outputs: [{ outputName: 'statistics', bucket: data, prefix: 'statistics/' }],
    encryptionKey: key,
    network,
  });
  const run = new DeployTimeProcessingJob(stack, 'BaselineRun', { job: baseline });
  const template = Template.fromStack(stack);

  test('renders AWS::SageMaker::ProcessingJob from the job definition, without a fixed name', () => {
    template.resourceCountIs('AWS::SageMaker::ProcessingJob', 1);
    template.hasResourceProperties('AWS::SageMaker::ProcessingJob', {
      ProcessingJobName: Match.absent(),
      AppSpecification: { ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', ContainerEntrypoint: ['python3', Match.stringLikeRegexp('^/opt/ml/processing/input/code/[0-9a-f]{64}\\.py$')] },
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } } },
      NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: { Subnets: Match.anyValue(), SecurityGroupIds: Match.anyValue() } },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    });
    expect(run.node.defaultChild).toBeInstanceOf(CfnProcessingJob);
  });

  test("another job's output is read from its configured S3 location", () => {
    const resource = template.findResources('AWS::SageMaker::ProcessingJob');
    const inputs = Object.values(resource)[0].Properties.ProcessingInputs;
    expect(inputs[0]).toEqual({
      InputName: 'data',
      S3Input: {
        S3Uri: { 'Fn::Join': ['', ['s3://', stack.resolve(data.bucketName), '/baseline/']] },
        LocalPath: '/opt/ml/processing/input/data',
        S3DataType: 'S3Prefix',
        S3InputMode: 'File',
        S3DataDistributionType: 'FullyReplicated',
      },
    });
  });

  test("the job starts only after its role's permissions exist", () => {
    const resource = Object.values(template.findResources('AWS::SageMaker::ProcessingJob'))[0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^BaselineRole/)]));
  });

  test('is clean under the nag packs and the IAM check', () => {
    expectNagClean(app);
    expectLeastPrivilege(stack, {
      allowManagedPolicies: [{ policyName: 'service-role/AWSLambdaBasicExecutionRole', pathIncludes: 'VpcRestrictDefaultSGCustomResourceProvider', reason: "aws-cdk-lib's default-SG provider" }],
    });
  });
});

test('rejects values only a pipeline knows, naming them', () => {
  const stack = testStack();
  const data = new SecureBucket(stack, 'Data');
  const prefix = PipelineParameter.ofString('InputPrefix', 'raw/');
  const job = new ProcessingJob(stack, 'Prep', {
    image: ContainerImage.sklearn('1.2-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    instanceCount: PipelineParameter.ofInteger('Count', 1).asNumber(),
    inputs: [{ inputName: 'raw', source: S3Location.fromUri(`s3://${data.bucketName}/${prefix}`) }],
  });
  expect(() => new DeployTimeProcessingJob(stack, 'Run', { job })).toThrow(
    /\[TestStack\/Run\] the job uses values that only a pipeline knows \(parameter InputPrefix; parameter Count\), but a deploy-time job has no pipeline\. Use fixed values/,
  );
});

test("a job reading another deploy-time job's output runs after it, whichever run is defined first", () => {
  const stack = testStack();
  const data = new SecureBucket(stack, 'Data');
  const job = (id: string, source?: S3Location) => new ProcessingJob(stack, id, {
    image: ContainerImage.sklearn('1.2-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    inputs: source ? [{ inputName: 'data', source }] : [],
    outputs: [{ outputName: 'out', bucket: data, prefix: `${id}/` }],
  });
  const first = job('First');
  const second = job('Second', S3Location.fromJobOutput(first.output('out')));
  const third = job('Third', S3Location.fromJobOutput(second.output('out')));
  const thirdRun = new DeployTimeProcessingJob(stack, 'ThirdRun', { job: third });
  const secondRun = new DeployTimeProcessingJob(stack, 'SecondRun', { job: second });
  const firstRun = new DeployTimeProcessingJob(stack, 'FirstRun', { job: first });
  const jobs = Template.fromStack(stack).findResources('AWS::SageMaker::ProcessingJob');
  const id = (run: DeployTimeProcessingJob) => stack.getLogicalId(run.node.defaultChild as CfnProcessingJob);
  expect(jobs[id(thirdRun)].DependsOn).toContain(id(secondRun));
  expect(jobs[id(secondRun)].DependsOn).toContain(id(firstRun));
  expect(jobs[id(firstRun)].DependsOn).not.toContain(id(secondRun));
});
