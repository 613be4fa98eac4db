/**
 * Custom-resource handler (CDK Provider framework, onEvent + isComplete) that empties a Studio
 * user profile or space before CloudFormation deletes it: apps users started by hand (JupyterLab,
 * Code Editor, kernel gateways) and, for a user profile, the private spaces it owns would
 * otherwise make the deletion fail.
 *
 * onEvent starts the deletions and returns at once; isComplete, polled by the framework's
 * waiter, repeats them (apps that could not be deleted yet) and reports completion when nothing
 * is left. So a teardown may take longer than Lambda's 15 minutes.
 *
 * Imports only the AWS SDK v3 that the Node.js Lambda runtime ships and files of this folder.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CleanupTarget, deleteSpaces, describeApp, remainingApps, remainingSpaces, startCleanup } from './studio-cleanup';

/** The custom resource's properties (CloudFormation passes them as strings). */
export interface TeardownProperties {
  /** The Studio domain id. */
  readonly DomainId: string;
  /** The user profile to empty. */
  readonly UserProfileName?: string;
  /** The space to empty (when no user profile is given). */
  readonly SpaceName?: string;
}

/** The part of a CloudFormation custom-resource event this handler reads. */
export interface TeardownEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: TeardownProperties & { readonly ServiceToken?: string };
}

/** What onEvent returns to the framework. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
}

/** What isComplete returns to the framework. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
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

function targetOf(properties: TeardownProperties): CleanupTarget {
  if (!properties.DomainId) {
    throw new Error('The teardown custom resource needs the DomainId property.');
  }
  if (!properties.UserProfileName && !properties.SpaceName) {
    throw new Error('The teardown custom resource needs UserProfileName or SpaceName.');
  }
  return properties.UserProfileName
    ? { domainId: properties.DomainId, userProfileName: properties.UserProfileName }
    : { domainId: properties.DomainId, spaceName: properties.SpaceName };
}

function physicalId(target: CleanupTarget): string {
  return target.userProfileName
    ? `${target.domainId}/user-profile/${target.userProfileName}`
    : `${target.domainId}/space/${target.spaceName ?? ''}`;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? '';
  return name === 'ResourceNotFound' || (name === 'ValidationException' && /does not exist|not found/i.test(message));
}

/** Starts the teardown on Delete; Create and Update only record what to tear down. */
export async function onEvent(event: TeardownEvent): Promise<OnEventResponse> {
  const target = targetOf(event.ResourceProperties);
  const id = physicalId(target);
  log(`${event.RequestType} ${id}`);
  if (event.RequestType === 'Delete') {
    try {
      const started = await startCleanup(sagemaker(), target, log);
      log(`Started deleting ${started.length} app(s).`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      log(`${id} is already gone: ${(error as Error).message}`);
    }
  }
  return { PhysicalResourceId: event.PhysicalResourceId ?? id };
}

/**
 * Complete when the target has no apps left (and, for a user profile, no private spaces).
 * Deletions that could not start yet are retried on every poll.
 */
export async function isComplete(event: TeardownEvent): Promise<IsCompleteResponse> {
  if (event.RequestType !== 'Delete') {
    return { IsComplete: true };
  }
  const target = targetOf(event.ResourceProperties);
  try {
    await startCleanup(sagemaker(), target, log);
    const apps = await remainingApps(sagemaker(), target);
    if (apps.length > 0) {
      log(`Waiting for ${apps.length} app(s): ${apps.map((app) => `${describeApp(app)} (${app.status})`).join(', ')}`);
      return { IsComplete: false };
    }
    if (target.userProfileName) {
      // Spaces the user created in Studio block deleting the profile; spaces in the stack depend
      // on this resource, so CloudFormation has deleted them already.
      await deleteSpaces(sagemaker(), target.domainId, log, { ownerUserProfileName: target.userProfileName });
      const spaces = await remainingSpaces(sagemaker(), target.domainId, { ownerUserProfileName: target.userProfileName });
      if (spaces.length > 0) {
        log(`Waiting for ${spaces.length} space(s): ${spaces.map((space) => `${space.spaceName} (${space.status})`).join(', ')}`);
        return { IsComplete: false };
      }
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
    log(`${physicalId(target)} is already gone: ${(error as Error).message}`);
  }
  log(`${physicalId(target)} has no apps left.`);
  return { IsComplete: true };
}
