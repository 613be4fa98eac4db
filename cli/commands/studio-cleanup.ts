/**
 * `studio cleanup [domain-id] [--user-profile <name>]`: deletes the running apps (and then the
 * spaces) of a Studio domain so that its stack can be destroyed. Uses the same code as the
 * Studio teardown custom resource.
 */
import { DescribeDomainCommand } from '@aws-sdk/client-sagemaker';
import {
  type AppSummary,
  type CleanupTarget,
  deleteSpaces,
  describeApp,
  remainingApps,
  remainingSpaces,
  startCleanup,
} from '../../lib/constructs/studio/handlers/studio-cleanup';
import { type CommandContext } from '../context';
import { CliError, ExitCode, InterruptedError, isNotFound } from '../errors';
import { renderTable } from '../output';
import { StackOutputKeys } from '../stack-outputs';

/** Options of `studio cleanup`. */
export interface StudioCleanupOptions {
  readonly userProfile?: string;
  readonly space?: string;
  /** Keep the spaces (only delete apps). */
  readonly keepSpaces?: boolean;
  /** Wait until everything is deleted. */
  readonly wait?: boolean;
  /** Minutes to wait at most. */
  readonly timeout?: number;
  /** Seconds between polls. */
  readonly pollInterval?: number;
}

/** The result of `studio cleanup`. */
export interface StudioCleanupResult {
  readonly domainId: string;
  readonly deletedApps: AppSummary[];
  readonly deletedSpaces: string[];
  /** Apps and spaces still being deleted (only without `--wait` or on timeout). */
  readonly remainingApps: AppSummary[];
  readonly remainingSpaces: string[];
}

/** Runs `studio cleanup`; exit 0 when the target is clean (or deletion was started, without --wait). */
export async function studioCleanup(ctx: CommandContext, domainArgument: string | undefined, options: StudioCleanupOptions): Promise<number> {
  const domainId = await ctx.nameOrStackOutput(domainArgument, StackOutputKeys.STUDIO_DOMAIN_ID, 'Studio domain id');
  const region = await ctx.region();
  const sagemaker = ctx.clients.sagemaker;
  const timeoutMs = (options.timeout ?? 30) * 60_000;
  const pollMs = (options.pollInterval ?? 15) * 1000;
  if (options.userProfile && options.space) {
    throw new CliError('Pass either --user-profile or --space, not both.', ExitCode.BAD_INPUT);
  }
  try {
    await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
  } catch (error) {
    if (isNotFound(error)) throw new CliError(`Studio domain "${domainId}" not found in ${region}.`, ExitCode.BAD_INPUT);
    throw error;
  }
  const target: CleanupTarget = { domainId, userProfileName: options.userProfile, spaceName: options.space };
  const log = (line: string): void => ctx.note(line);
  const wait = options.wait !== false;
  const deadline = ctx.deps.now().getTime() + timeoutMs;
  const deletedApps: AppSummary[] = [];
  const deletedSpaces: string[] = [];
  // Spaces go with the whole domain or with the user profile owning them, never with --space.
  const spaceScope = options.keepSpaces || options.space ? undefined : { ownerUserProfileName: options.userProfile };

  let apps: AppSummary[] = [];
  for (;;) {
    deletedApps.push(...(await startCleanup(sagemaker, target, log)));
    apps = await remainingApps(sagemaker, target);
    if (apps.length === 0 || !wait) break;
    await waitOrGiveUp(ctx, deadline, pollMs, `${apps.length} app(s) still deleting: ${apps.map(describeApp).join('; ')}`);
  }
  let spaces: string[] = [];
  if (spaceScope && apps.length === 0) {
    for (;;) {
      deletedSpaces.push(...(await deleteSpaces(sagemaker, domainId, log, spaceScope)));
      spaces = (await remainingSpaces(sagemaker, domainId, spaceScope)).map((s) => s.spaceName);
      if (spaces.length === 0 || !wait) break;
      await waitOrGiveUp(ctx, deadline, pollMs, `${spaces.length} space(s) still deleting: ${spaces.join(', ')}`);
    }
  }
  const result: StudioCleanupResult = {
    domainId,
    deletedApps,
    deletedSpaces,
    remainingApps: apps,
    remainingSpaces: spaces,
  };
  ctx.result(result, () => renderCleanup(result, wait));
  return ExitCode.SUCCESS;
}

function renderCleanup(result: StudioCleanupResult, waited: boolean): string {
  const lines: string[] = [];
  if (result.deletedApps.length > 0) {
    lines.push(renderTable(result.deletedApps, [
      { heading: 'DELETED APP', cell: (a) => a.appName },
      { heading: 'TYPE', cell: (a) => a.appType },
      { heading: 'USER PROFILE', cell: (a) => a.userProfileName },
      { heading: 'SPACE', cell: (a) => a.spaceName },
      { heading: 'WAS', cell: (a) => a.status },
    ]));
  }
  if (result.deletedSpaces.length > 0) lines.push(`Deleted spaces: ${result.deletedSpaces.join(', ')}\n`);
  const pending = result.remainingApps.length + result.remainingSpaces.length;
  if (pending === 0) lines.push(`Studio domain ${result.domainId} has no running apps${result.deletedSpaces.length > 0 ? ' or spaces' : ''} left; its stack can be destroyed.\n`);
  else if (!waited) lines.push(`Deletion started; ${pending} app(s)/space(s) are still shutting down. Run again with --wait to wait for them.\n`);
  return lines.join('\n');
}

async function waitOrGiveUp(ctx: CommandContext, deadline: number, pollMs: number, status: string): Promise<void> {
  if (ctx.deps.now().getTime() + pollMs > deadline) {
    throw new CliError(`Gave up waiting: ${status}. Run the command again later, or raise --timeout.`);
  }
  ctx.note(status);
  await ctx.sleep(pollMs);
  if (ctx.interrupted) throw new InterruptedError(`Stopped waiting; deletions already started go on. ${status}.`);
}
