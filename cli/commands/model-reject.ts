/**
 * `model reject <version>`: sets a model package version's status to Rejected.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html
 */
import { type CommandContext } from '../context';
import { type ModelApprovalOptions, setApprovalStatus } from './model-common';

/** Runs `model reject`. */
export function modelReject(ctx: CommandContext, version: string, options: ModelApprovalOptions): Promise<number> {
  return setApprovalStatus(ctx, version, 'Rejected', options);
}
