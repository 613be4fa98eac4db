/**
 * The SageMaker Pipelines definition language (as far as the local runner reads it), and finding
 * and loading the definition of an `AWS::SageMaker::Pipeline` in a synthesized stack.
 *
 * @see https://aws-sagemaker-mlops.github.io/sagemaker-model-building-pipeline-definition-JSON-schema/
 */
import { type StackResolver } from './intrinsics';
import { type LocalObjectStore } from './object-store';

/** A pipeline parameter declaration. */
export interface PipelineParameterDeclaration {
  readonly Name: string;
  /** `String`, `Integer`, `Float` or `Boolean`. */
  readonly Type?: string;
  readonly DefaultValue?: unknown;
  readonly EnumValues?: unknown[];
}

/** A property file of a processing step. */
export interface PropertyFileDeclaration {
  readonly PropertyFileName: string;
  readonly OutputName: string;
  readonly FilePath: string;
}

/** A step of the definition. */
export interface StepDefinition {
  readonly Name: string;
  readonly Type: string;
  readonly DisplayName?: string;
  readonly Description?: string;
  readonly Arguments?: Record<string, unknown>;
  readonly DependsOn?: string[];
  readonly PropertyFiles?: PropertyFileDeclaration[];
  readonly RetryPolicies?: unknown[];
  readonly CacheConfig?: unknown;
  readonly [key: string]: unknown;
}

/** A pipeline definition (`PipelineDefinitionBody`). */
export interface PipelineDefinition {
  readonly Version?: string;
  readonly Metadata?: Record<string, unknown>;
  readonly Parameters?: PipelineParameterDeclaration[];
  readonly Steps: StepDefinition[];
  readonly [key: string]: unknown;
}

/** A pipeline found in a stack. */
export interface StackPipeline {
  /** The logical id of the `AWS::SageMaker::Pipeline`. */
  readonly logicalId: string;
  /** Its construct path, e.g. `SageMakerCpu-Training/Pipeline/Resource`. */
  readonly constructPath?: string;
  /** Its resolved PipelineName. */
  readonly pipelineName: string;
}

/** The pipeline chosen and its parsed definition. */
export interface LoadedPipeline extends StackPipeline {
  /** The definition as SageMaker would receive it. */
  readonly definition: PipelineDefinition;
  /** The other pipelines of the stack (when several). */
  readonly others: StackPipeline[];
}

/** Every `AWS::SageMaker::Pipeline` of the stack, in template order. */
export function listPipelines(resolver: StackResolver): StackPipeline[] {
  return Object.entries(resolver.resources)
    .filter(([, resource]) => resource.Type === 'AWS::SageMaker::Pipeline')
    .map(([logicalId, resource]) => {
      const constructPath = resource.Metadata?.['aws:cdk:path'];
      return {
        logicalId,
        constructPath: typeof constructPath === 'string' ? constructPath : undefined,
        pipelineName: resolver.resolveString(resource.Properties?.PipelineName ?? logicalId, `${resolver.stack.id}/Resources/${logicalId}/Properties/PipelineName`),
      };
    });
}

/**
 * Whether `selector` names this pipeline: its logical id, construct path (with or without the
 * stack prefix and the `/Resource` suffix, e.g. `Pipeline` for `Stack/Pipeline/Resource`) or
 * pipeline name.
 */
export function matchesPipeline(pipeline: StackPipeline, stackId: string, selector: string): boolean {
  return selector === pipeline.pipelineName || matchesResource(pipeline.logicalId, pipeline.constructPath, stackId, selector);
}

/**
 * Whether `selector` names a resource: its logical id or construct path (full, relative to the
 * stack, with or without a final `/Resource`). Without path metadata (apps synthesized in code)
 * the construct path is recognised in the logical id: its components followed by an 8-digit hash.
 */
export function matchesResource(logicalId: string, constructPath: string | undefined, stackId: string, selector: string): boolean {
  if (selector === logicalId) return true;
  if (constructPath) {
    const withoutResource = constructPath.replace(/\/Resource$/, '');
    const relative = (p: string) => (p.startsWith(`${stackId}/`) ? p.slice(stackId.length + 1) : p);
    if ([constructPath, withoutResource, relative(constructPath), relative(withoutResource)].includes(selector)) return true;
  }
  const components = selector.split('/').filter((c, i, all) => !(i === 0 && c === stackId) && !(i === all.length - 1 && c === 'Resource'));
  return components.length > 0 && new RegExp(`^${components.join('').replace(/[^A-Za-z0-9]/g, '')}[0-9A-F]{8}$`).test(logicalId);
}

/**
 * Finds the pipeline (default: the first of the stack) and reads its definition: the resolved
 * `PipelineDefinitionBody`, or the object at `PipelineDefinitionS3Location` in the store (the
 * stack's assets must have been published to the store first).
 */
export function loadPipeline(resolver: StackResolver, store: LocalObjectStore, selector?: string): LoadedPipeline {
  const pipelines = listPipelines(resolver);
  const stackId = resolver.stack.id;
  if (pipelines.length === 0) throw new Error(`Stack ${stackId} has no AWS::SageMaker::Pipeline.`);
  const describe = (p: StackPipeline) => `${p.logicalId} (${p.constructPath ?? 'no construct path'}, name ${p.pipelineName})`;
  const chosen = selector === undefined ? pipelines[0] : pipelines.find((p) => matchesPipeline(p, stackId, selector));
  if (!chosen) {
    throw new Error(`Stack ${stackId} has no pipeline "${selector}". Its pipelines: ${pipelines.map(describe).join('; ')}.`);
  }
  const where = `${stackId}/Resources/${chosen.logicalId}/Properties/PipelineDefinition`;
  const property = resolver.resources[chosen.logicalId].Properties?.PipelineDefinition as Record<string, unknown> | undefined;
  if (!property) throw new Error(`${where} is missing.`);
  let body: string;
  if (property.PipelineDefinitionBody !== undefined) {
    body = resolver.resolveString(property.PipelineDefinitionBody, `${where}/PipelineDefinitionBody`);
  } else if (property.PipelineDefinitionS3Location !== undefined) {
    const location = resolver.resolve(property.PipelineDefinitionS3Location, `${where}/PipelineDefinitionS3Location`) as { Bucket?: string; Key?: string };
    const uri = `s3://${location.Bucket}/${location.Key}`;
    if (!store.exists(uri)) throw new Error(`${where}/PipelineDefinitionS3Location: ${uri} is not in the local store (it should be one of the stack's file assets).`);
    body = store.read(uri).toString('utf-8');
  } else {
    throw new Error(`${where} has neither PipelineDefinitionBody nor PipelineDefinitionS3Location.`);
  }
  return { ...chosen, definition: parseDefinition(body, where), others: pipelines.filter((p) => p !== chosen) };
}

/** Parses a definition body and checks its outline (Steps with Name and Type). */
export function parseDefinition(body: string, where = 'pipeline definition'): PipelineDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const definition = parsed as PipelineDefinition;
  if (!definition || typeof definition !== 'object' || !Array.isArray(definition.Steps)) {
    throw new Error(`${where} has no Steps list.`);
  }
  return definition;
}
