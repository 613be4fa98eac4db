/**
 * What `model approve` and `model reject` share: finding a model package version by number or
 * ARN, and setting its approval status.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html
 */
import {
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  type DescribeModelPackageCommandOutput,
  type ModelApprovalStatus,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { type CommandContext } from '../context';
import { CliError, ExitCode, isNotFound } from '../errors';
import { renderFields } from '../output';
import { StackOutputKeys } from '../stack-outputs';

/** Options of `model approve` and `model reject`. */
export interface ModelApprovalOptions {
  /** The model package group of a version number (else the `--stack` output). */
  readonly group?: string;
  /** Why the version is approved or rejected (`ApprovalDescription`). */
  readonly description?: string;
}

/** A versioned model package ARN: `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`. */
const MODEL_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[^/]+\/\d+$/;

/** The group's name, from `--group` or the `--stack` output. */
export async function groupName(ctx: CommandContext, given: string | undefined): Promise<string> {
  return ctx.nameOrStackOutput(given, StackOutputKeys.MODEL_PACKAGE_GROUP_NAME, 'model package group name');
}

/** The ARN of the group, or exit code 2 when the group does not exist. */
export async function groupArn(ctx: CommandContext, group: string): Promise<string> {
  try {
    const response = await ctx.clients.sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: group }));
    if (!response.ModelPackageGroupArn) throw new CliError(`SageMaker returned no ARN for model package group "${group}".`);
    return response.ModelPackageGroupArn;
  } catch (error) {
    if (isNotFound(error)) {
      throw new CliError(`Model package group "${group}" not found in ${await ctx.region()}. Check the name, --stack and --region.`, ExitCode.BAD_INPUT);
    }
    throw error;
  }
}

/** The ARN of the version: the ARN itself, or built from the group's ARN for a version number. */
async function versionArn(ctx: CommandContext, version: string, options: ModelApprovalOptions): Promise<string> {
  if (version.startsWith('arn:')) {
    if (!MODEL_PACKAGE_ARN.test(version)) {
      throw new CliError(`"${version}" is not a model package version ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>).`, ExitCode.BAD_INPUT);
    }
    return version;
  }
  if (!/^[1-9]\d*$/.test(version)) {
    throw new CliError(`"${version}" is neither a version number (1, 2, ...) nor a model package ARN.`, ExitCode.BAD_INPUT);
  }
  if (!options.group && !(await ctx.outputs())) {
    throw new CliError(
      `Version ${version} needs its model package group: pass --group <name>, or --stack <name> to read the stack output "${StackOutputKeys.MODEL_PACKAGE_GROUP_NAME}", or pass the version's model package ARN.`,
      ExitCode.BAD_INPUT,
    );
  }
  const group = await groupName(ctx, options.group);
  // A version's ARN is its group's ARN with model-package-group/ replaced by model-package/ and the
  // version appended (both as SageMaker writes them, lower-cased).
  return `${(await groupArn(ctx, group)).replace(':model-package-group/', ':model-package/')}/${version}`;
}

/** Describes a version; an unknown one is exit code 2. */
async function describeVersion(ctx: CommandContext, arn: string, given: string, options: ModelApprovalOptions): Promise<DescribeModelPackageCommandOutput> {
  try {
    return await ctx.clients.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  } catch (error) {
    if (isNotFound(error)) {
      const which = given.startsWith('arn:') ? `Model package ${given}` : `Version ${given} of model package group "${options.group ?? arn.split('/')[1]}"`;
      throw new CliError(`${which} not found in ${await ctx.region()}. List the versions with "model list".`, ExitCode.BAD_INPUT);
    }
    throw error;
  }
}

/**
 * Sets the approval status of a version (by number or ARN) and reports what changed. A version
 * already in that status is left alone and reported (exit code 0).
 */
export async function setApprovalStatus(ctx: CommandContext, version: string, status: ModelApprovalStatus, options: ModelApprovalOptions): Promise<number> {
  const arn = await versionArn(ctx, version, options);
  const described = await describeVersion(ctx, arn, version, options);
  const previous = described.ModelApprovalStatus;
  const group = described.ModelPackageGroupName;
  const number = described.ModelPackageVersion;
  const changed = previous !== status;
  if (changed) {
    await ctx.clients.sagemaker.send(new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: status, ApprovalDescription: options.description }));
  }
  const promotion = status === 'Approved' && changed
    ? 'An approval starts the promotion pipeline when one is deployed (it reacts to "SageMaker Model Package State Change" events of the group).'
    : undefined;
  ctx.result(
    { modelPackageArn: arn, modelPackageGroupName: group, modelPackageVersion: number, previousStatus: previous, status, changed, approvalDescription: changed ? options.description : undefined },
    () =>
      changed
        ? `Version ${number} of ${group}: ${previous ?? 'no status'} -> ${status}\n` +
          renderFields([['ARN', arn], ['Description', options.description]]) +
          (promotion ? `${promotion}\n` : '')
        : `Version ${number} of ${group} is already ${status}; nothing changed.\n`,
  );
  return ExitCode.SUCCESS;
}
