// The limits the library enforces at synth are the SageMaker API's: compared here with the
// service model botocore ships (the same model the API reference is generated from).
import { execFileSync } from 'child_process';
import { CONTAINER_ENVIRONMENT, PROCESSING_ENVIRONMENT, TRAINING_ENVIRONMENT, TRANSFORM_ENVIRONMENT } from '../../../lib/private/api-limits';

const SCRIPT = `
import json, botocore.session
m = botocore.session.get_session().get_service_model('sagemaker')
out = {}
for name in ['TrainingEnvironmentMap', 'ProcessingEnvironmentMap', 'TransformEnvironmentMap', 'EnvironmentMap']:
    s = m.shape_for(name)
    out[name] = {'entries': s.metadata.get('max'), 'key': s.key.metadata.get('max'), 'value': s.value.metadata.get('max')}
print(json.dumps(out))
`;

function serviceModel(): Record<string, { entries: number; key: number; value: number }> | undefined {
  try {
    return JSON.parse(execFileSync('python3', ['-c', SCRIPT], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    if (process.env.CI) throw error;
    return undefined;
  }
}

const model = serviceModel();
const maybe = model ? test : test.skip;
if (!model) console.warn('botocore is not importable by python3: the API-limit comparison is skipped (it runs in CI).');

maybe.each([
  ['TrainingEnvironmentMap', TRAINING_ENVIRONMENT],
  ['ProcessingEnvironmentMap', PROCESSING_ENVIRONMENT],
  ['TransformEnvironmentMap', TRANSFORM_ENVIRONMENT],
  ['EnvironmentMap', CONTAINER_ENVIRONMENT],
] as const)('%s limits match the SageMaker service model', (shape, limits) => {
  expect({ entries: limits.maxEntries, key: limits.maxKeyLength, value: limits.maxValueLength }).toEqual(model![shape]);
});
