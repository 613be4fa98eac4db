// Turns a pipeline definition (with job references and CloudFormation tokens) into the JSON
// body of AWS::SageMaker::Pipeline. Not exported from the barrel.
import { Fn, Stack, Token } from 'aws-cdk-lib';
import { JobOutputReference, JobReference } from '../jobs';
import { PipelineParameter } from './pipeline-parameter';
import { JsonGetReference, StepPropertyReference } from './step-references';

/** How the renderer finds the step of a job (for references to job outputs). */
export interface ReferenceLookup {
  /** The step that runs the given job construct path, if it is in the pipeline. */
  stepOfJob(jobPath: string): string | undefined;
  /** Called for every reference rendered, to check it belongs to the pipeline. */
  onReference(reference: JobReference): void;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const INTRINSICS = ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::FindInMap', 'Fn::Select', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Split', 'Fn::Base64'];

function isIntrinsic(value: Json): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && INTRINSICS.includes(Object.keys(value)[0]);
}

function renderReference(reference: JobReference, stack: Stack, lookup: ReferenceLookup): Json {
  lookup.onReference(reference);
  if (reference instanceof PipelineParameter) return { Get: `Parameters.${reference.name}` };
  if (reference instanceof StepPropertyReference) return { Get: `Steps.${reference.step.stepName}.${reference.path}` };
  if (reference instanceof JsonGetReference) {
    const file = reference.propertyFile;
    return { 'Std:JsonGet': { PropertyFile: { Get: `Steps.${file.stepName}.PropertyFiles.${file.name}` }, Path: reference.jsonPath } };
  }
  if (reference instanceof JobOutputReference) {
    const step = lookup.stepOfJob(reference.output.job.node.path);
    if (step) return { Get: `Steps.${step}.${reference.output.propertyPath}` };
    return stack.resolve(reference.output.staticUri) as Json;
  }
  throw new Error(`SageMaker Pipelines cannot render ${reference.description}.`);
}

/** Replaces reference markers in a resolved tree with pipeline expressions. */
function renderReferences(value: Json, stack: Stack, lookup: ReferenceLookup): Json {
  if (typeof value === 'string') {
    if (!JobReference.holdsReference(value)) return value;
    const parts = JobReference.split(value).map((p) => (typeof p === 'string' ? p : renderReference(p, stack, lookup)));
    return parts.length === 1 ? parts[0] : { 'Std:Join': { On: '', Values: parts } };
  }
  if (Array.isArray(value)) return value.map((v) => renderReferences(v, stack, lookup));
  if (value !== null && typeof value === 'object') {
    if (value['Fn::Join'] !== undefined) {
      const [delimiter, items] = value['Fn::Join'] as [string, Json[]];
      const rendered = items.map((i) => renderReferences(i, stack, lookup));
      if (JSON.stringify(rendered) !== JSON.stringify(items) && rendered.some((r) => !isIntrinsic(r) && typeof r === 'object')) {
        // A CloudFormation join around a pipeline expression: SageMaker joins at run time.
        const values = delimiter === '' ? rendered : rendered.flatMap((r, i) => (i === 0 ? [r] : [delimiter, r]));
        return { 'Std:Join': { On: '', Values: values } };
      }
      return { 'Fn::Join': [delimiter, rendered] };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderReferences(v, stack, lookup)]));
  }
  return value;
}

/**
 * Renders `definition` to a JSON string, with CloudFormation values (role ARNs, bucket names)
 * left for CloudFormation to substitute at deploy time, and job references as pipeline expressions.
 */
export function renderDefinition(definition: Record<string, unknown>, stack: Stack, lookup: ReferenceLookup): { body: string; size: number; hasDeployTimeValues: boolean; json: Json } {
  const resolved = stack.resolve(definition) as Json;
  const rendered = renderReferences(resolved, stack, lookup);
  const intrinsics: Json[] = [];
  const text = JSON.stringify(rendered, (_key, value: Json) => {
    if (isIntrinsic(value)) {
      intrinsics.push(value);
      return `@@CFN${intrinsics.length - 1}@@`;
    }
    return value;
  });
  if (intrinsics.length === 0) return { body: text, size: text.length, hasDeployTimeValues: false, json: rendered };
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/@@CFN(\d+)@@/g)) {
    parts.push(text.slice(last, match.index));
    parts.push(Token.asString(intrinsics[Number(match[1])]));
    last = match.index! + match[0].length;
  }
  parts.push(text.slice(last));
  return { body: Fn.join('', parts), size: text.length, hasDeployTimeValues: true, json: rendered };
}
