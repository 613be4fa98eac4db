/**
 * `local model list <group>` and `local model approve|reject <version> [--group <g>]
 * [--description <text>]`: the local registry that local pipeline runs register versions in, and
 * what `ModelPackageVersion.latestApproved` resolves from when `local model invoke --stack` serves
 * a registry-backed Model. The same shape as `model list|approve|reject` against AWS.
 */
import { type CommandContext } from '../context';
import { CliError, ExitCode } from '../errors';
import { type LocalModelPackage } from '../../lib/local/local-state';
import { localRunner, type LocalOptions } from './local-common';

/** Options of `local model approve|reject`. */
export interface LocalModelApprovalOptions extends LocalOptions {
  readonly group?: string;
  readonly description?: string;
}

/** One row of `local model list --json`. */
export interface LocalModelVersionSummary {
  readonly version: number;
  readonly arn: string;
  readonly approvalStatus: string;
  readonly created: string;
  readonly modelDataUrl?: string;
}

function summary(pkg: LocalModelPackage): LocalModelVersionSummary {
  const containers = (pkg.InferenceSpecification as { Containers?: Array<{ ModelDataUrl?: string }> } | undefined)?.Containers ?? [];
  return {
    version: pkg.ModelPackageVersion,
    arn: pkg.ModelPackageArn,
    approvalStatus: pkg.ModelApprovalStatus,
    created: pkg.CreationTime,
    modelDataUrl: containers[0]?.ModelDataUrl,
  };
}

/** Runs `local model list <group>`: the group's versions, newest first. */
export async function localModelList(ctx: CommandContext, group: string, options: LocalOptions): Promise<number> {
  const state = localRunner(ctx, options, false).state;
  const versions = state.modelPackages(group).reverse().map(summary);
  if (versions.length === 0) {
    throw new CliError(`The local registry has no versions of model package group "${group}": a local pipeline run with a RegisterModel step registers them.`, ExitCode.BAD_INPUT);
  }
  ctx.result(versions, () => versions.map((v) => `${String(v.version).padStart(4)}  ${v.approvalStatus.padEnd(22)}  ${v.created}  ${v.modelDataUrl ?? ''}`).join('\n') + '\n');
  return ExitCode.SUCCESS;
}

function versionSelector(version: string, group: string | undefined): string {
  if (version.startsWith('arn:')) return version;
  if (!/^\d+$/.test(version)) throw new CliError(`"${version}" is neither a version number nor a model package version ARN.`, ExitCode.BAD_INPUT);
  if (!group) throw new CliError(`Version ${version} needs --group <model package group>, or pass the version's ARN.`, ExitCode.BAD_INPUT);
  return `${group}/${version}`;
}

async function setApproval(ctx: CommandContext, version: string, status: 'Approved' | 'Rejected', options: LocalModelApprovalOptions): Promise<number> {
  const state = localRunner(ctx, options, false).state;
  const selector = versionSelector(version, options.group);
  const current = state.modelPackage(selector);
  if (!current) throw new CliError(`The local registry has no model package version ${selector}.`, ExitCode.BAD_INPUT);
  if (current.ModelApprovalStatus === status) {
    ctx.result(summary(current), () => `${current.ModelPackageArn} is already ${status}.\n`);
    return ExitCode.SUCCESS;
  }
  const updated = state.updateModelPackageApproval(selector, status, options.description);
  ctx.result(summary(updated), () => `${updated.ModelPackageArn}: ${current.ModelApprovalStatus} -> ${status}\n`);
  return ExitCode.SUCCESS;
}

/** Runs `local model approve`. */
export function localModelApprove(ctx: CommandContext, version: string, options: LocalModelApprovalOptions): Promise<number> {
  return setApproval(ctx, version, 'Approved', options);
}

/** Runs `local model reject`. */
export function localModelReject(ctx: CommandContext, version: string, options: LocalModelApprovalOptions): Promise<number> {
  return setApproval(ctx, version, 'Rejected', options);
}
