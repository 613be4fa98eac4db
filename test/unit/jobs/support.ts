import * as path from 'path';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { Hyperparameters, InputMode, TrainingInput, TrainingJob, TrainingJobProps } from '../../../lib/constructs/jobs';
import { MlKey, SecureBucket } from '../../../lib/constructs/security';
import { testStack } from '../../helpers';

/** A small script-mode source directory. */
export const SOURCE = path.join(__dirname, '..', '..', 'fixtures', 'source');

/** A stack with a key and a bucket encrypted with it. */
export function setup() {
  const stack = testStack();
  const key = new MlKey(stack, 'Key');
  const bucket = new SecureBucket(stack, 'Data', { encryptionKey: key });
  return { stack, key, bucket };
}

/** The reference XGBoost training job, with overrides. */
export function training(overrides: Partial<TrainingJobProps> = {}) {
  const { stack, bucket, key } = setup();
  const job = new TrainingJob(stack, 'Train', {
    image: ContainerImage.xgboost('1.7-1'),
    instanceType: InstanceType.ML_M5_XLARGE,
    hyperparameters: Hyperparameters.xgboost({ maxDepth: 5, eta: 0.2, objective: 'binary:logistic', numRound: 100 }),
    channels: { train: TrainingInput.fromBucket(bucket, 'train/', { contentType: 'text/csv', inputMode: InputMode.FAST_FILE }) },
    outputBucket: bucket,
    encryptionKey: key,
    ...overrides,
  });
  return { stack, bucket, key, job };
}
