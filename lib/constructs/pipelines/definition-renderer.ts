// Turns a pipeline definition (with job references and CDK tokens) into the JSON body of
// AWS::SageMaker::Pipeline. Not exported from the barrel.
import { IResolvable, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { JobOutputReference, JobReference, RunReference } from '../jobs';
import { PipelineParameter } from './pipeline-parameter';
import { JsonGetReference, StepPropertyReference } from './step-references';

/** How the renderer finds the step of a job (for references to job outputs). */
export interface ReferenceLookup {
  /** The step that runs the given job construct path, if it is in the pipeline. */
  stepOfJob(jobPath: string): string | undefined;
  /** Called for every reference rendered, to check it belongs to the pipeline. */
  onReference(reference: JobReference): void;
}

function renderReference(reference: JobReference, lookup: ReferenceLookup): unknown {
  lookup.onReference(reference);
  if (reference instanceof PipelineParameter) return { Get: `Parameters.${reference.name}` };
  if (reference instanceof RunReference) return { Get: 'Execution.PipelineExecutionId' };
  if (reference instanceof StepPropertyReference) return { Get: `Steps.${reference.step.stepName}.${reference.path}` };
  if (reference instanceof JsonGetReference) {
    const file = reference.propertyFile;
    return { 'Std:JsonGet': { PropertyFile: { Get: `Steps.${file.stepName}.PropertyFiles.${file.name}` }, Path: reference.jsonPath } };
  }
  if (reference instanceof JobOutputReference) {
    const step = lookup.stepOfJob(reference.output.job.node.path);
    // A job outside the pipeline is read from the location it is configured to write to.
    return step ? { Get: `Steps.${step}.${reference.output.propertyPath}` } : reference.output.staticUri;
  }
  throw new Error(`SageMaker Pipelines cannot render ${reference.description}.`);
}

/** Splits a plain string into literal text and pipeline expressions. */
function renderText(text: string, lookup: ReferenceLookup): unknown[] {
  return JobReference._split(text).map((part) => (typeof part === 'string' ? part : renderReference(part, lookup)));
}

/** Joins parts into one value: a string when all are text, else `Std:Join`. */
function joinParts(parts: unknown[]): unknown {
  const merged: unknown[] = [];
  for (const part of parts) {
    if (typeof part === 'string' && !Token.isUnresolved(part) && typeof merged[merged.length - 1] === 'string' && !Token.isUnresolved(merged[merged.length - 1])) {
      merged[merged.length - 1] = `${merged[merged.length - 1] as string}${part}`;
    } else if (part !== '') {
      merged.push(part);
    }
  }
  if (merged.length === 0) return '';
  if (merged.length === 1) return merged[0];
  if (merged.every((p) => typeof p === 'string')) return merged.join('');
  return { 'Std:Join': { On: '', Values: merged } };
}

/**
 * Replaces job references with pipeline expressions, leaving CDK tokens (role ARNs, bucket
 * names, cross-stack values) in place for CDK to render, so the definition can go through
 * `stack.toJsonString`.
 */
export function renderReferences(value: unknown, lookup: ReferenceLookup): unknown {
  if (typeof value === 'string') {
    if (!Token.isUnresolved(value)) {
      return JobReference.holdsReference(value) ? joinParts(renderText(value, lookup)) : value;
    }
    const parts: unknown[] = [];
    for (const fragment of fragmentsOf(value)) {
      if (typeof fragment === 'string') parts.push(...renderText(fragment, lookup));
      else {
        const marker = markerOf(fragment);
        parts.push(marker ? renderText(marker, lookup)[0] : typeof fragment === 'string' ? fragment : Token.asString(fragment));
      }
    }
    return joinParts(parts);
  }
  if (typeof value === 'number') {
    if (!Token.isUnresolved(value)) return value;
    const token = Tokenization.reverseNumber(value);
    const marker = token ? markerOf(token) : undefined;
    return marker ? renderText(marker, lookup)[0] : value;
  }
  if (Array.isArray(value)) return value.map((v) => renderReferences(v, lookup));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, renderReferences(v, lookup)]));
  }
  return value;
}

/** The literal and token fragments of a string, in order. */
function fragmentsOf(value: string): Array<string | IResolvable> {
  const result: Array<string | IResolvable> = [];
  let last = 0;
  for (const match of value.matchAll(/\$\{Token\[[^\]]+\]\}/g)) {
    if (match.index! > last) result.push(value.slice(last, match.index));
    result.push(Tokenization.reverseString(match[0]).firstToken ?? match[0]);
    last = match.index! + match[0].length;
  }
  if (last < value.length) result.push(value.slice(last));
  return result;
}

/** The marker string of a job reference token, if the token is one. */
function markerOf(token: IResolvable): string | undefined {
  const text = token.toString();
  return JobReference.holdsReference(text) ? text : undefined;
}

/** The size of the definition once CloudFormation has substituted its values (estimated). */
export function estimatedSize(definition: unknown, stack: Stack): number {
  return JSON.stringify(stack.resolve(definition)).length;
}
