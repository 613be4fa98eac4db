/**
 * `model list [group]`: the versions of a model package group, newest first, with their approval
 * status and the model quality metrics their evaluation reported.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type ModelApprovalStatus,
  type ModelPackageSummary,
  paginateListModelPackages,
} from '@aws-sdk/client-sagemaker';
import { type CommandContext } from '../context';
import { CliError, ExitCode, errorMessage, errorName } from '../errors';
import { formatTime, renderTable } from '../output';
import { groupArn, groupName } from './model-common';

/** Options of `model list`. */
export interface ModelListOptions {
  /** Only versions with this approval status. */
  readonly status?: string;
  /** How many versions to show. */
  readonly maxResults?: number;
}

const STATUSES: readonly ModelApprovalStatus[] = ['Approved', 'Rejected', 'PendingManualApproval'];

/** The metrics of a version's model quality report, or why they could not be read. */
export interface VersionMetrics {
  /** Where the report is (`ModelMetrics.ModelQuality.Statistics.S3Uri`). */
  readonly reportUri?: string;
  /** `name=value` pairs, e.g. `auc=0.83`. */
  readonly values?: Record<string, number>;
  /** Why the report could not be read. */
  readonly error?: string;
}

/** One listed version. */
interface ListedVersion {
  readonly summary: ModelPackageSummary;
  readonly details: Omit<DescribeModelPackageCommandOutput, '$metadata'>;
  readonly metrics: VersionMetrics;
}

/** Runs `model list`. */
export async function modelList(ctx: CommandContext, groupArgument: string | undefined, options: ModelListOptions): Promise<number> {
  const status = options.status;
  if (status !== undefined && !STATUSES.includes(status as ModelApprovalStatus)) {
    throw new CliError(`--status "${status}" is invalid: pass one of ${STATUSES.join(', ')}.`, ExitCode.BAD_INPUT);
  }
  const limit = options.maxResults ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new CliError(`--max-results ${options.maxResults} is invalid: pass a whole number from 1 to 1000.`, ExitCode.BAD_INPUT);
  }
  const group = await groupName(ctx, groupArgument);
  // ListModelPackages answers an unknown group with an empty list, so ask for the group first.
  await groupArn(ctx, group);
  const summaries: ModelPackageSummary[] = [];
  for await (const page of paginateListModelPackages(
    { client: ctx.clients.sagemaker, pageSize: Math.min(limit, 100) },
    {
      ModelPackageGroupName: group,
      ModelPackageType: 'Versioned',
      ModelApprovalStatus: status as ModelApprovalStatus | undefined,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    },
  )) {
    summaries.push(...(page.ModelPackageSummaryList ?? []));
    if (summaries.length >= limit) break;
  }
  const shown = summaries.slice(0, limit);
  const versions: ListedVersion[] = [];
  for (const summary of shown) {
    const { $metadata: _ignored, ...details } = await ctx.clients.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: summary.ModelPackageArn }));
    versions.push({ summary, details, metrics: await readMetrics(ctx, details.ModelMetrics?.ModelQuality?.Statistics?.S3Uri) });
  }
  ctx.result(
    versions.map((v) => ({ ...v.details, qualityMetrics: v.metrics })),
    () =>
      versions.length === 0
        ? `Model package group ${group} has no versions${status ? ` with status ${status}` : ''}.\n`
        : renderTable(versions, [
            { heading: 'VERSION', cell: (v) => v.summary.ModelPackageVersion, alignRight: true },
            { heading: 'APPROVAL', cell: (v) => v.summary.ModelApprovalStatus },
            { heading: 'STATUS', cell: (v) => v.summary.ModelPackageStatus },
            { heading: 'CREATED', cell: (v) => formatTime(v.summary.CreationTime) },
            { heading: 'METRICS', cell: (v) => renderMetrics(v.metrics) },
          ]),
  );
  return ExitCode.SUCCESS;
}

function renderMetrics(metrics: VersionMetrics): string | undefined {
  if (metrics.error) return `(${metrics.error})`;
  if (!metrics.values) return undefined;
  const pairs = Object.entries(metrics.values).map(([name, value]) => `${name}=${value}`);
  return pairs.length ? pairs.join(' ') : '(no metrics in the report)';
}

/** Reads and flattens a model quality report; a report that cannot be read says why. */
async function readMetrics(ctx: CommandContext, uri: string | undefined): Promise<VersionMetrics> {
  if (!uri) return {};
  const location = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!location) return { reportUri: uri, error: `metrics report ${uri} is not an s3:// URI` };
  try {
    const response = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: location[1], Key: location[2] }));
    const text = await response.Body?.transformToString();
    if (text === undefined) return { reportUri: uri, error: `metrics report ${uri} is empty` };
    return { reportUri: uri, values: flattenMetrics(JSON.parse(text)) };
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not JSON' : `cannot be read: ${errorName(error)}: ${errorMessage(error)}`;
    return { reportUri: uri, error: `metrics report ${uri} ${reason}` };
  }
}

/**
 * Flattens a metrics report in SageMaker's model quality format
 * (`{"binary_classification_metrics": {"auc": {"value": 0.83, "standard_deviation": ...}}}`) to
 * `{auc: 0.83}`: each object with a numeric `value` gives one metric named by its key. Numbers
 * outside such objects are named by their path (`group.name`).
 */
export function flattenMetrics(report: unknown): Record<string, number> {
  const metrics: Record<string, number> = {};
  const visit = (node: unknown, path: string[]): void => {
    if (typeof node === 'number' && path.length > 0) {
      metrics[path.join('.')] = node;
      return;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const record = node as Record<string, unknown>;
    if (typeof record.value === 'number' && path.length > 0) {
      metrics[path[path.length - 1] in metrics ? path.join('.') : path[path.length - 1]] = record.value;
      return;
    }
    for (const [key, value] of Object.entries(record)) visit(value, [...path, key]);
  };
  visit(report, []);
  return metrics;
}
