import { App, Duration, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { ContainerImage, InstanceType } from '../lib/constructs/core';
import { Hyperparameters, ProcessingJob, S3Location, TrainingInput, TrainingJob } from '../lib/constructs/jobs';
import { MlPipeline, PipelineParameter, PipelineStep, ProcessingStep, RetryPolicy, TrainingStep } from '../lib/constructs/pipelines';
import { MlKey, SageMakerExecutionRole, SecureBucket } from '../lib/constructs/security';

const ENV = { account: '123456789012', region: 'us-east-1' };

/**
 * A pipeline of `steps` steps in one stack: pairs of a processing step (preprocess one shard)
 * feeding a training step (XGBoost on that shard), each with its own job definition, sharing
 * one execution role, key and bucket, with a retry policy and a parameter, as a large
 * fan-out pipeline is built in practice. Returns the stack.
 */
export function buildPipeline(app: App, steps: number): Stack {
  const stack = new Stack(app, `Pipeline${steps}Steps`, { env: ENV });
  const key = new MlKey(stack, 'Key');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: key });
  const role = new SageMakerExecutionRole(stack, 'JobRole');
  role.grantLogging();
  role.grantMetrics();
  role.grantKeyUse(key);
  role.grantReadPrefix(data, 'shards/');
  role.grantWritePrefix(data, 'shards/');
  addSteps(stack, steps, { key, data, role });
  return stack;
}

/**
 * The same pipeline with an imported role, bucket and key (fixed ARNs and names): its
 * definition holds no deploy-time value, so past the inline limit it moves to S3 as an asset.
 */
export function buildPipelineInS3(app: App, steps: number): Stack {
  const stack = new Stack(app, `Pipeline${steps}StepsInS3`, { env: ENV });
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
  const data = s3.Bucket.fromBucketAttributes(stack, 'Data', { bucketName: 'ml-data-123456789012', encryptionKey: key });
  const role = iam.Role.fromRoleArn(stack, 'JobRole', 'arn:aws:iam::123456789012:role/ml-jobs', { mutable: false });
  addSteps(stack, steps, { key, data, role });
  return stack;
}

/** The shared key, bucket and role of a bench pipeline's jobs. */
interface PipelineResources {
  readonly key: kms.IKey;
  readonly data: s3.IBucket;
  readonly role: iam.IRole;
}

function addSteps(stack: Stack, steps: number, { key, data, role }: PipelineResources): void {
  const instanceType = InstanceType.ML_M5_XLARGE;
  const rounds = PipelineParameter.integer('NumRound', 100);
  const retry = [RetryPolicy.throttlingAndCapacity()];

  const pipelineSteps: PipelineStep[] = [];
  for (let i = 0; pipelineSteps.length < steps; i++) {
    const prep = new ProcessingJob(stack, `Prep${i}`, {
      image: ContainerImage.sklearn('1.2-1'),
      entrypoint: ['python3', '/opt/ml/processing/input/code/preprocess.py'],
      instanceType,
      role,
      inputs: [{ inputName: 'raw', source: S3Location.fromBucket(data, `shards/${i}/raw/`) }],
      outputs: [{ outputName: 'train', bucket: data, prefix: `shards/${i}/train/` }],
      encryptionKey: key,
    });
    pipelineSteps.push(new ProcessingStep(`Prep${i}`, prep, { retryPolicies: retry, cacheFor: Duration.days(7) }));
    if (pipelineSteps.length === steps) break;
    const train = new TrainingJob(stack, `Train${i}`, {
      image: ContainerImage.xgboost('1.7-1'),
      instanceType,
      role,
      hyperparameters: Hyperparameters.xgboost({ objective: 'binary:logistic', numRound: rounds.asNumber(), maxDepth: 5, eta: 0.2 }),
      channels: { train: TrainingInput.fromJobOutput(prep.output('train'), { contentType: 'text/csv' }) },
      outputBucket: data,
      outputPrefix: `shards/${i}/model/`,
      encryptionKey: key,
    });
    pipelineSteps.push(new TrainingStep(`Train${i}`, train, { retryPolicies: retry }));
  }
  new MlPipeline(stack, 'Pipeline', { steps: pipelineSteps, parameters: [rounds], maxParallelSteps: 10 });
}
