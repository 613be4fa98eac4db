import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/** The pipeline-definition schema in the steering repo's shared/ folder, beside this checkout. */
export const PIPELINE_SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'shared', 'schemas', 'sagemaker-pipeline-definition.schema.json');

let validator: ValidateFunction | undefined;

/** True when the schema file is there (a checkout without ../shared skips schema tests). */
export function pipelineSchemaAvailable(): boolean {
  return fs.existsSync(PIPELINE_SCHEMA_FILE);
}

const INTRINSICS = ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::FindInMap', 'Fn::Select', 'Fn::ImportValue'];

/** Deploy-time CloudFormation values become the strings CloudFormation would put there. */
function withDeployTimeValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDeployTimeValues);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && INTRINSICS.includes(keys[0])) return 'deploy-time-value';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDeployTimeValues(v)]));
  }
  return value;
}

/** Validates a rendered pipeline definition; returns the schema errors (empty when valid). */
export function pipelineSchemaErrors(definition: unknown): ErrorObject[] {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(PIPELINE_SCHEMA_FILE, 'utf-8')) as Record<string, unknown>;
    delete schema.$schema; // "http://json-schema.org/schema#": treated as draft-07 (see the schema's README)
    validator = new Ajv({ strict: false, allErrors: true }).compile(schema);
  }
  return validator(withDeployTimeValues(definition)) ? [] : [...(validator.errors ?? [])];
}
