/**
 * Custom-resource handler (CDK Provider framework, onEvent only) that picks the model package
 * version a model deploys: the newest Approved version of a group, or a requested version after
 * checking that it belongs to the group and is Approved. A rejected or pending version therefore
 * fails the deployment instead of reaching an endpoint.
 *
 * CloudFormation calls it on Create, and on Update only when a property changes (the group or the
 * requested version), so a deployment with the same inputs keeps the version it resolved before.
 * Delete does nothing: the version belongs to the registry, not to the stack.
 *
 * Imports only the AWS SDK v3 that the Node.js Lambda runtime ships.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 */
import { DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

/** The custom resource's properties (CloudFormation passes them as strings). */
export interface ResolveVersionProperties {
  /** The model package group. */
  readonly ModelPackageGroupName: string;
  /** A version ARN to deploy instead of the newest approved one; empty for the newest. */
  readonly RequestedVersionArn?: string;
}

/** The part of a CloudFormation custom-resource event this handler reads. */
export interface ResolveVersionEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: ResolveVersionProperties & { readonly ServiceToken?: string };
}

/** What onEvent returns to the framework; `Data` becomes the resource's attributes. */
export interface ResolveVersionResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly ModelPackageArn: string; readonly ModelPackageVersion: string };
}

let client: SageMakerClient | undefined;

/** The SageMaker client; tests replace it through aws-sdk-client-mock. */
function sagemaker(): SageMakerClient {
  client ??= new SageMakerClient({});
  return client;
}

function log(line: string): void {
  console.log(line);
}

/** How to get an approved version, for the error messages. */
function approveFix(group: string): string {
  return (
    `Run the training pipeline so that it registers a version in "${group}", approve the version ` +
    '(npx sagemaker-cdk --stack <training stack> model approve <version>, or UpdateModelPackage with ModelApprovalStatus=Approved), then deploy again.'
  );
}

/** The newest version of the group whose ModelApprovalStatus is Approved. */
async function latestApproved(group: string): Promise<{ arn: string; version: string }> {
  const listed = await sagemaker().send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: group,
      ModelApprovalStatus: 'Approved',
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }),
  );
  const newest = listed.ModelPackageSummaryList?.[0];
  if (!newest?.ModelPackageArn) {
    throw new Error(`Model package group "${group}" has no version whose approval status is Approved, so there is no model to deploy. ${approveFix(group)}`);
  }
  return { arn: newest.ModelPackageArn, version: String(newest.ModelPackageVersion ?? newest.ModelPackageArn.split('/').pop()) };
}

/** The requested version, after checking that it belongs to the group and is Approved. */
async function requested(group: string, arn: string): Promise<{ arn: string; version: string }> {
  // The role may describe only this group's versions: name another group's version clearly
  // instead of failing with AccessDenied.
  const arnGroup = /:model-package\/([^/]+)\/\d+$/.exec(arn)?.[1];
  if (arnGroup !== undefined && arnGroup.toLowerCase() !== group.toLowerCase()) {
    throw new Error(
      `The requested model package version ${arn} belongs to group "${arnGroup}", not to "${group}". ` +
        `Request a version of "${group}", or leave the requested version empty to deploy its newest approved version.`,
    );
  }
  const described = await sagemaker().send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  // Group names are case-insensitive in ARNs, which SageMaker writes in lower case.
  const actualGroup = described.ModelPackageGroupName ?? '';
  if (actualGroup.toLowerCase() !== group.toLowerCase()) {
    throw new Error(
      `The requested model package version ${arn} belongs to group "${actualGroup || '(none: an unversioned package)'}", not to "${group}". ` +
        `Request a version of "${group}", or leave the requested version empty to deploy its newest approved version.`,
    );
  }
  const status = described.ModelApprovalStatus ?? '(none)';
  if (status !== 'Approved') {
    throw new Error(
      `The requested model package version ${arn} has approval status ${status}; only an Approved version may be deployed. ` +
        `Approve it first (npx sagemaker-cdk model approve ${arn}, or UpdateModelPackage with ModelApprovalStatus=Approved), request another version, ` +
        'or leave the requested version empty to deploy the newest approved one.',
    );
  }
  const resolved = described.ModelPackageArn ?? arn;
  return { arn: resolved, version: String(described.ModelPackageVersion ?? resolved.split('/').pop()) };
}

/** Resolves the version on Create and Update; Delete leaves the registry alone. */
export async function onEvent(event: ResolveVersionEvent): Promise<ResolveVersionResponse> {
  const group = event.ResourceProperties.ModelPackageGroupName;
  if (event.RequestType === 'Delete') {
    log(`Delete ${event.PhysicalResourceId ?? group}: nothing to do (the version stays in the registry).`);
    return { PhysicalResourceId: event.PhysicalResourceId ?? group };
  }
  if (!group) {
    throw new Error('The model package version custom resource needs the ModelPackageGroupName property.');
  }
  const wanted = (event.ResourceProperties.RequestedVersionArn ?? '').trim();
  const resolved = wanted ? await requested(group, wanted) : await latestApproved(group);
  log(`${event.RequestType}: ${wanted ? 'requested' : 'newest approved'} version of ${group} is ${resolved.arn}`);
  return { PhysicalResourceId: resolved.arn, Data: { ModelPackageArn: resolved.arn, ModelPackageVersion: resolved.version } };
}
