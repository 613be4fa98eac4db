// Which CloudFormation resource types the library creates that a region does not offer; not exported.
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';

/** The AWS China regions (partition `aws-cn`). */
const CHINA_REGIONS: readonly string[] = ['cn-north-1', 'cn-northwest-1'];

/**
 * Resource types the library creates that CloudFormation does not offer in some regions, with
 * those regions.
 *
 * Source: CloudFormation's resource provider schemas by Region, which AWS documents as the way to
 * check whether a resource type is available in a Region
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/resource-type-schemas.html;
 * China: https://docs.amazonaws.cn/en_us/AWSCloudFormation/latest/UserGuide/resource-type-schemas.html).
 * The cn-north-1 and cn-northwest-1 schema sets have none of the types below; aws-cdk-lib's
 * template validator (@aws/cloudformation-validate 1.14.0, rule F3006) reads the same schemas and
 * reports "Resource type ... does not exist in 'cn-north-1'" for each. Every other type the
 * library creates (Endpoint, EndpointConfig, Model, Pipeline, FeatureGroup, Domain, UserProfile,
 * NotebookInstance, MonitoringSchedule, ModelPackage, Scheduler::Schedule, ...) is in both.
 * test/unit/core/region-support.spec.ts checks this table against that validator.
 */
export const UNAVAILABLE_RESOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  'AWS::SageMaker::ModelPackageGroup': CHINA_REGIONS,
  'AWS::SageMaker::DataQualityJobDefinition': CHINA_REGIONS,
  'AWS::SageMaker::ModelQualityJobDefinition': CHINA_REGIONS,
  'AWS::SageMaker::ModelBiasJobDefinition': CHINA_REGIONS,
  'AWS::SageMaker::ModelExplainabilityJobDefinition': CHINA_REGIONS,
  'AWS::SageMaker::InferenceComponent': CHINA_REGIONS,
  'AWS::SageMaker::Space': CHINA_REGIONS,
};

/**
 * Whether CloudFormation offers `resourceType` in the region of `scope`'s stack. True when the
 * region is a token (an env-agnostic stack decides at deploy time).
 */
export function isResourceTypeAvailable(scope: IConstruct, resourceType: string): boolean {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) return true;
  const gaps = Object.hasOwn(UNAVAILABLE_RESOURCE_TYPES, resourceType) ? UNAVAILABLE_RESOURCE_TYPES[resourceType] : [];
  return !gaps.includes(region);
}

/**
 * Throws at synth when `scope`'s stack is in a concrete region whose CloudFormation has no
 * `resourceType`, naming the construct, the region, the type and what to do instead.
 * @param feature what the resource is for, e.g. "a data quality monitor"
 * @param fix what the user can do instead in that region
 */
export function assertResourceTypeAvailable(scope: IConstruct, resourceType: string, feature: string, fix: string): void {
  if (isResourceTypeAvailable(scope, resourceType)) return;
  const region = Stack.of(scope).region;
  throw validationError(
    scope,
    `${feature} needs the CloudFormation resource type ${resourceType}, which CloudFormation does not offer in region ${region} ` +
      `(the region's resource provider schemas have no such type: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/resource-type-schemas.html). ${fix}`,
  );
}
