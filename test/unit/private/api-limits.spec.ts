// The limits the library enforces at synth are the SageMaker API's: compared with an extract of the
// service model botocore ships (scripts/extract-api-limits.py writes the fixture).
import * as fs from 'fs';
import * as path from 'path';
import { CONTAINER_ENVIRONMENT, PROCESSING_ENVIRONMENT, TRAINING_ENVIRONMENT, TRANSFORM_ENVIRONMENT } from '../../../lib/private/api-limits';

const MODEL = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'sagemaker-api-limits.json'), 'utf-8')) as {
  shapes: Record<string, { entries?: number; key?: number; value?: number; min?: number; max?: number }>;
};

test.each([
  ['TrainingEnvironmentMap', TRAINING_ENVIRONMENT],
  ['ProcessingEnvironmentMap', PROCESSING_ENVIRONMENT],
  ['TransformEnvironmentMap', TRANSFORM_ENVIRONMENT],
  ['EnvironmentMap', CONTAINER_ENVIRONMENT],
] as const)('%s limits match the SageMaker service model', (shape, limits) => {
  expect({ entries: limits.maxEntries, key: limits.maxKeyLength, value: limits.maxValueLength }).toEqual(MODEL.shapes[shape]);
});
