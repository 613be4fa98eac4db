/**
 * Studio teardown: deletes the apps (and optionally the spaces) of a SageMaker Studio domain so
 * that CloudFormation can delete user profiles, spaces and the domain itself.
 *
 * One implementation shared by the Studio custom-resource handler (which runs it in Lambda with
 * the AWS SDK v3 the Node.js runtime ships) and the `sagemaker-cdk studio cleanup` command.
 * It therefore imports only `@aws-sdk/*` and Node.js builtins.
 *
 * Every function is idempotent: apps or spaces that are already gone or already being deleted
 * are skipped, and a call can be repeated until {@link remainingApps} / {@link remainingSpaces}
 * return nothing.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/gs-studio-delete-domain.html
 */
import {
  DeleteAppCommand,
  DeleteSpaceCommand,
  paginateListApps,
  paginateListSpaces,
  type AppType,
  type ListAppsCommandInput,
  type SageMakerClient,
  type SpaceDetails,
} from '@aws-sdk/client-sagemaker';

/** What to clean up: a whole domain, one user profile's apps, or one space's apps. */
export interface CleanupTarget {
  /** The Studio domain id, e.g. `d-abc123def456`. */
  readonly domainId: string;
  /**
   * Restricts the cleanup to this user profile's apps, including the apps that run in the
   * private spaces the profile owns.
   *
   * @default - every app of the domain
   */
  readonly userProfileName?: string;
  /**
   * Restricts the cleanup to the apps of this space. Ignored when `userProfileName` is set.
   *
   * @default - every app of the domain
   */
  readonly spaceName?: string;
}

/** A Studio app as the cleanup sees it. */
export interface AppSummary {
  /** The app's name, e.g. `default`. */
  readonly appName: string;
  /** The app type, e.g. `JupyterLab`, `KernelGateway`. */
  readonly appType: string;
  /** The app's status when it was listed, e.g. `InService`. */
  readonly status: string;
  /** The user profile the app belongs to, when it belongs to one. */
  readonly userProfileName?: string;
  /** The space the app runs in, when it runs in one. */
  readonly spaceName?: string;
}

/** A Studio space as the cleanup sees it. */
export interface SpaceSummary {
  /** The space's name. */
  readonly spaceName: string;
  /** The space's status when it was listed, e.g. `InService`. */
  readonly status: string;
  /** The user profile owning the space, for private spaces. */
  readonly ownerUserProfileName?: string;
}

/** Options of {@link deleteSpaces}. */
export interface DeleteSpacesOptions {
  /**
   * Deletes only the spaces this user profile owns.
   *
   * @default - every space of the domain
   */
  readonly ownerUserProfileName?: string;
}

/** Writes one line of progress; the default discards it. */
export type CleanupLog = (line: string) => void;

const APP_DONE_STATUSES: ReadonlySet<string> = new Set(['Deleted', 'Failed']);
const APP_SKIP_STATUSES: ReadonlySet<string> = new Set(['Deleted', 'Deleting', 'Failed']);
const SPACE_SKIP_STATUSES: ReadonlySet<string> = new Set(['Deleting']);

const noLog: CleanupLog = () => undefined;

/**
 * Issues DeleteApp for every app of the target that is not Deleted, Deleting or Failed.
 *
 * Apps that disappear in between (ResourceNotFound) are skipped; apps SageMaker cannot delete yet
 * (ResourceInUse, e.g. still Pending) are logged and stay in {@link remainingApps}, so the caller
 * simply calls this again on its next poll.
 *
 * @returns the apps whose deletion this call started
 */
export async function startCleanup(
  client: SageMakerClient,
  target: CleanupTarget,
  log: CleanupLog = noLog,
): Promise<AppSummary[]> {
  const apps = await listTargetApps(client, target);
  const started: AppSummary[] = [];
  for (const app of apps) {
    if (APP_SKIP_STATUSES.has(app.status)) continue;
    const label = describeApp(app);
    try {
      await client.send(
        new DeleteAppCommand({
          DomainId: target.domainId,
          AppName: app.appName,
          AppType: app.appType as AppType,
          UserProfileName: app.spaceName === undefined ? app.userProfileName : undefined,
          SpaceName: app.spaceName,
        }),
      );
      log(`Deleting ${label} (was ${app.status}).`);
      started.push(app);
    } catch (error) {
      const name = errorName(error);
      if (name === 'ResourceNotFound') {
        log(`${label} is already gone.`);
      } else if (name === 'ResourceInUse') {
        log(`${label} cannot be deleted yet (${errorMessage(error)}); will retry.`);
      } else {
        throw error;
      }
    }
  }
  return started;
}

/** Apps of the target that are not Deleted (or Failed); empty when the target is clean. */
export async function remainingApps(client: SageMakerClient, target: CleanupTarget): Promise<AppSummary[]> {
  const apps = await listTargetApps(client, target);
  return apps.filter((app) => !APP_DONE_STATUSES.has(app.status));
}

/**
 * Issues DeleteSpace for every space of the domain (or of one owner) that is not already being
 * deleted. A space whose apps are still shutting down (ResourceInUse) is logged and skipped, so
 * call {@link startCleanup} first and repeat this until {@link remainingSpaces} is empty.
 *
 * @returns the names of the spaces whose deletion this call started
 */
export async function deleteSpaces(
  client: SageMakerClient,
  domainId: string,
  log: CleanupLog = noLog,
  options: DeleteSpacesOptions = {},
): Promise<string[]> {
  const spaces = await listSpaces(client, domainId, options.ownerUserProfileName);
  const started: string[] = [];
  for (const space of spaces) {
    if (SPACE_SKIP_STATUSES.has(space.status)) continue;
    try {
      await client.send(new DeleteSpaceCommand({ DomainId: domainId, SpaceName: space.spaceName }));
      log(`Deleting space ${space.spaceName} (was ${space.status}).`);
      started.push(space.spaceName);
    } catch (error) {
      const name = errorName(error);
      if (name === 'ResourceNotFound') {
        log(`Space ${space.spaceName} is already gone.`);
      } else if (name === 'ResourceInUse') {
        log(`Space ${space.spaceName} cannot be deleted yet (${errorMessage(error)}); will retry.`);
      } else {
        throw error;
      }
    }
  }
  return started;
}

/** Spaces of the domain (or of one owner) that still exist, including those being deleted. */
export async function remainingSpaces(
  client: SageMakerClient,
  domainId: string,
  options: DeleteSpacesOptions = {},
): Promise<SpaceSummary[]> {
  return listSpaces(client, domainId, options.ownerUserProfileName);
}

/** A readable one-line name of an app, for logs. */
export function describeApp(app: AppSummary): string {
  const owner = app.spaceName !== undefined ? `space ${app.spaceName}` : `user profile ${app.userProfileName ?? '-'}`;
  return `${app.appType} app ${app.appName} of ${owner}`;
}

async function listTargetApps(client: SageMakerClient, target: CleanupTarget): Promise<AppSummary[]> {
  if (target.userProfileName !== undefined) {
    // ListApps accepts either a user profile or a space filter; a profile's private spaces are
    // listed separately so that their apps are cleaned up with the profile.
    const own = await listApps(client, { DomainIdEquals: target.domainId, UserProfileNameEquals: target.userProfileName });
    const spaces = await listSpaces(client, target.domainId, target.userProfileName);
    const inSpaces: AppSummary[] = [];
    for (const space of spaces) {
      inSpaces.push(...(await listApps(client, { DomainIdEquals: target.domainId, SpaceNameEquals: space.spaceName })));
    }
    return [...own, ...inSpaces];
  }
  if (target.spaceName !== undefined) {
    return listApps(client, { DomainIdEquals: target.domainId, SpaceNameEquals: target.spaceName });
  }
  return listApps(client, { DomainIdEquals: target.domainId });
}

async function listApps(client: SageMakerClient, input: ListAppsCommandInput): Promise<AppSummary[]> {
  const apps: AppSummary[] = [];
  for await (const page of paginateListApps({ client }, input)) {
    for (const app of page.Apps ?? []) {
      if (app.AppName === undefined || app.AppType === undefined) continue;
      apps.push({
        appName: app.AppName,
        appType: app.AppType,
        status: app.Status ?? 'Unknown',
        userProfileName: app.UserProfileName,
        spaceName: app.SpaceName,
      });
    }
  }
  return apps;
}

async function listSpaces(client: SageMakerClient, domainId: string, owner?: string): Promise<SpaceSummary[]> {
  const spaces: SpaceSummary[] = [];
  for await (const page of paginateListSpaces({ client }, { DomainIdEquals: domainId })) {
    for (const space of page.Spaces ?? []) {
      const summary = toSpaceSummary(space);
      if (summary === undefined) continue;
      if (owner !== undefined && summary.ownerUserProfileName !== owner) continue;
      spaces.push(summary);
    }
  }
  return spaces;
}

function toSpaceSummary(space: SpaceDetails): SpaceSummary | undefined {
  if (space.SpaceName === undefined) return undefined;
  return {
    spaceName: space.SpaceName,
    status: space.Status ?? 'Unknown',
    ownerUserProfileName: space.OwnershipSettingsSummary?.OwnerUserProfileName,
  };
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
