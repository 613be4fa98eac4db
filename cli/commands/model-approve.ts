/**
 * `model approve <version>`: sets a model package version's status to Approved.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html
 */
import { type CommandContext } from '../context';
import { type ModelApprovalOptions, setApprovalStatus } from './model-common';

/** Runs `model approve`. */
export function modelApprove(ctx: CommandContext, version: string, options: ModelApprovalOptions): Promise<number> {
  return setApprovalStatus(ctx, version, 'Approved', options);
}
