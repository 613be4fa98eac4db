import { Template } from 'aws-cdk-lib/assertions';
import { aws_s3 as s3 } from 'aws-cdk-lib';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { Model } from '../../../lib/constructs/hosting';
import { S3Location, TransformJob, TransformJobProps } from '../../../lib/constructs/jobs';
import { MonitorDatasetFormat } from '../../../lib/constructs/monitoring';
import { MlPipeline, TransformStep } from '../../../lib/constructs/pipelines';
import { MlKey } from '../../../lib/constructs/security';
import { MlWorkflow, SageMakerJobState } from '../../../lib/constructs/workflows';
import { pipelineSchemaAvailable, pipelineSchemaErrors } from '../../helpers';
import { definitionOf } from '../workflows/support';
import { setup } from './support';

function capturingJob(overrides: Partial<TransformJobProps> = {}) {
  const { stack, bucket, key } = setup();
  const captureKey = new MlKey(stack, 'CaptureKey');
  const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
  const job = new TransformJob(stack, 'Score', {
    model,
    input: S3Location.fromBucket(bucket, 'test/'),
    contentType: 'text/csv',
    outputBucket: bucket,
    instanceType: InstanceType.ML_M5_XLARGE,
    encryptionKey: key,
    dataCapture: { bucket, prefix: 'batch-capture/', encryptionKey: captureKey, generateInferenceId: true },
    ...overrides,
  });
  return { stack, bucket, key, captureKey, model, job };
}

describe('TransformJob data capture', () => {
  test('renders DataCaptureConfig (destination, key, inference ids) in the CreateTransformJob request', () => {
    const { stack, bucket, captureKey, job } = capturingJob();
    expect(stack.resolve(job._renderRequest()).DataCaptureConfig).toEqual({
      DestinationS3Uri: stack.resolve(`s3://${bucket.bucketName}/batch-capture/`),
      KmsKeyId: stack.resolve(captureKey.keyArn),
      GenerateInferenceId: true,
    });
  });

  test('without dataCapture the request has no DataCaptureConfig', () => {
    const { stack, job } = capturingJob({ dataCapture: undefined });
    expect(stack.resolve(job._renderRequest())).not.toHaveProperty('DataCaptureConfig');
  });

  test("the model's role writes under the capture prefix and may use the capture key", () => {
    const { stack, bucket, captureKey } = capturingJob();
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .concat(Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    const text = JSON.stringify(statements);
    expect(text).toContain(JSON.stringify(stack.resolve(bucket.arnForObjects('batch-capture/*'))));
    const captureKeyArn = stack.resolve(captureKey.keyArn);
    const keyStatements = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(captureKeyArn));
    expect(keyStatements.flatMap((s) => [s.Action].flat())).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Encrypt', 'kms:CreateGrant']));
    const writes = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(writes)).toContain('batch-capture/*');
  });

  test('monitorInput() gives what a monitor reads', () => {
    const { bucket, captureKey, job } = capturingJob();
    const format = MonitorDatasetFormat.csv({ header: false });
    expect(job.monitorInput(format)).toEqual({ captureBucket: bucket, capturePrefix: 'batch-capture/', datasetFormat: format, encryptionKey: captureKey });
  });

  test('monitorInput() without dataCapture is an error naming the job', () => {
    const { job } = capturingJob({ dataCapture: undefined });
    expect(() => job.monitorInput(MonitorDatasetFormat.parquet())).toThrow(/^\[TestStack\/Score\] the job has no dataCapture, so there is nothing for a monitor to read/);
  });

  test('a capture destination longer than a monitor accepts (512 characters)', () => {
    const { stack, bucket } = setup();
    const named = s3.Bucket.fromBucketName(stack, 'Named', 'capture-bucket');
    const model = new Model(stack, 'Model', { containers: [{ image: ContainerImage.xgboost('1.7-1') }] });
    const props = { model, input: S3Location.fromBucket(bucket, 'test/'), outputBucket: bucket, instanceType: InstanceType.ML_M5_XLARGE };
    expect(() => new TransformJob(stack, 'Score', { ...props, dataCapture: { bucket: named, prefix: `${'p'.repeat(520)}/` } })).toThrow(
      /^\[TestStack\/Score\] dataCapture destination "s3:\/\/capture-bucket\/p+\.\.\." has 541 characters, but must have 1 to 512; shorten dataCapture.prefix so a monitor can read it\.$/,
    );
    expect(() => new TransformJob(stack, 'Fits', { ...props, dataCapture: { bucket: named, prefix: 'capture/' } })).not.toThrow();
  });

  test('both runners send it: the pipeline Transform step and the Step Functions state', () => {
    const { stack, job } = capturingJob();
    const pipeline = new MlPipeline(stack, 'Pipeline', { steps: [new TransformStep('Score', job)] });
    const definition = pipeline.renderDefinitionJson() as { Steps: Array<Record<string, any>> };
    expect(definition.Steps[0].Arguments.DataCaptureConfig).toMatchObject({ GenerateInferenceId: true });
    if (pipelineSchemaAvailable()) expect(pipelineSchemaErrors(definition)).toEqual([]);
    const workflow = new MlWorkflow(stack, 'Workflow', { states: [new SageMakerJobState(stack, 'ScoreState', { stateName: 'Score', job })] });
    expect(definitionOf(stack, workflow).States.Score.Parameters.DataCaptureConfig).toMatchObject({ GenerateInferenceId: true, DestinationS3Uri: expect.stringMatching(/batch-capture\/$/) });
  });
});
