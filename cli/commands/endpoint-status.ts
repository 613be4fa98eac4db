/**
 * `endpoint status [name]`: the endpoint's state, its variants with instance type and counts,
 * the autoscaling limits, and recent invocations, latency and errors from CloudWatch.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling.html
 */
import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand } from '@aws-sdk/client-sagemaker';
import { type CommandContext } from '../context';
import { CliError, ExitCode, errorName, isNotFound } from '../errors';
import { formatTime, renderFields, renderTable } from '../output';
import { StackOutputKeys } from '../stack-outputs';

/** Options of `endpoint status`. */
export interface EndpointStatusOptions {
  /** Minutes of CloudWatch metrics to sum up. */
  readonly since?: number;
}

/** One variant as `endpoint status` reports it. */
export interface VariantStatus {
  readonly variantName: string;
  readonly instanceType?: string;
  readonly serverless: boolean;
  readonly currentInstanceCount?: number;
  readonly desiredInstanceCount?: number;
  readonly currentWeight?: number;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  /** Invocations in the window. */
  readonly invocations?: number;
  /** Average ModelLatency in milliseconds over the window. */
  readonly averageModelLatencyMs?: number;
  /** 5XX errors in the window. */
  readonly invocation5xxErrors?: number;
}

/** The result of `endpoint status`. */
export interface EndpointStatusResult {
  readonly endpointName: string;
  readonly endpointArn?: string;
  readonly status: string;
  readonly failureReason?: string;
  readonly endpointConfigName?: string;
  readonly lastModifiedTime?: Date;
  readonly metricsWindowMinutes: number;
  readonly variants: VariantStatus[];
}

/** Runs `endpoint status`. */
export async function endpointStatus(ctx: CommandContext, nameArgument: string | undefined, options: EndpointStatusOptions): Promise<number> {
  const endpointName = await ctx.nameOrStackOutput(nameArgument, StackOutputKeys.ENDPOINT_NAME, 'endpoint name');
  const region = await ctx.region();
  const windowMinutes = options.since ?? 60;
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 60 * 24 * 14) {
    throw new CliError(`--since ${options.since} is invalid: pass whole minutes from 1 to 20160 (14 days).`, ExitCode.BAD_INPUT);
  }

  let endpoint;
  try {
    endpoint = await ctx.clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  } catch (error) {
    if (isNotFound(error)) throw new CliError(`Endpoint "${endpointName}" not found in ${region}.`, ExitCode.BAD_INPUT);
    throw error;
  }
  const instanceTypes = new Map<string, string>();
  if (endpoint.EndpointConfigName) {
    const config = await ctx.clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }));
    for (const variant of config.ProductionVariants ?? []) {
      if (variant.VariantName && variant.InstanceType) instanceTypes.set(variant.VariantName, variant.InstanceType);
    }
  }
  const summaries = endpoint.ProductionVariants ?? [];
  const names = summaries.map((v) => v.VariantName ?? '').filter((n) => n !== '');
  const limits = await scalingLimits(ctx, endpointName, names);
  const metrics = await recentMetrics(ctx, endpointName, names, windowMinutes);

  const result: EndpointStatusResult = {
    endpointName,
    endpointArn: endpoint.EndpointArn,
    status: endpoint.EndpointStatus ?? 'Unknown',
    failureReason: endpoint.FailureReason,
    endpointConfigName: endpoint.EndpointConfigName,
    lastModifiedTime: endpoint.LastModifiedTime,
    metricsWindowMinutes: windowMinutes,
    variants: summaries.map((v) => {
      const name = v.VariantName ?? '?';
      const m = metrics.get(name);
      return {
        variantName: name,
        instanceType: instanceTypes.get(name),
        serverless: v.CurrentServerlessConfig !== undefined,
        currentInstanceCount: v.CurrentInstanceCount,
        desiredInstanceCount: v.DesiredInstanceCount,
        currentWeight: v.CurrentWeight,
        minCapacity: limits.get(name)?.min,
        maxCapacity: limits.get(name)?.max,
        invocations: m?.invocations,
        averageModelLatencyMs: m?.latencyMs,
        invocation5xxErrors: m?.errors5xx,
      };
    }),
  };
  ctx.result(result, () => renderEndpointStatus(result));
  return ExitCode.SUCCESS;
}

/** The human rendering of `endpoint status`. */
export function renderEndpointStatus(result: EndpointStatusResult): string {
  const header = renderFields([
    ['Endpoint', result.endpointName],
    ['Status', result.status],
    ['Failure', result.failureReason],
    ['Config', result.endpointConfigName],
    ['Updated', result.lastModifiedTime ? formatTime(result.lastModifiedTime) : undefined],
  ]);
  const table = renderTable(result.variants, [
    { heading: 'VARIANT', cell: (v) => v.variantName },
    { heading: 'INSTANCE TYPE', cell: (v) => (v.serverless ? 'serverless' : v.instanceType) },
    { heading: 'INSTANCES', cell: (v) => (v.serverless ? undefined : `${v.currentInstanceCount ?? '-'}/${v.desiredInstanceCount ?? '-'}`), alignRight: true },
    { heading: 'WEIGHT', cell: (v) => v.currentWeight, alignRight: true },
    { heading: 'AUTOSCALING', cell: (v) => (v.minCapacity !== undefined ? `${v.minCapacity}-${v.maxCapacity}` : 'off') },
    { heading: `INVOCATIONS (${result.metricsWindowMinutes}m)`, cell: (v) => v.invocations, alignRight: true },
    { heading: 'AVG LATENCY', cell: (v) => (v.averageModelLatencyMs !== undefined ? `${v.averageModelLatencyMs.toFixed(1)} ms` : undefined), alignRight: true },
    { heading: '5XX', cell: (v) => v.invocation5xxErrors, alignRight: true },
  ]);
  return `${header}\n${table}`;
}

async function scalingLimits(ctx: CommandContext, endpointName: string, variants: readonly string[]): Promise<Map<string, { min?: number; max?: number }>> {
  const limits = new Map<string, { min?: number; max?: number }>();
  if (variants.length === 0) return limits;
  const resourceId = (variant: string): string => `endpoint/${endpointName}/variant/${variant}`;
  try {
    const response = await ctx.clients.autoScaling.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'sagemaker',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        ResourceIds: variants.map(resourceId),
      }),
    );
    for (const target of response.ScalableTargets ?? []) {
      const variant = variants.find((v) => resourceId(v) === target.ResourceId);
      if (variant) limits.set(variant, { min: target.MinCapacity, max: target.MaxCapacity });
    }
  } catch (error) {
    ctx.note(`note: could not read the autoscaling limits (${errorName(error)}); shown as "off".`);
  }
  return limits;
}

interface VariantMetrics {
  invocations?: number;
  latencyMs?: number;
  errors5xx?: number;
}

async function recentMetrics(
  ctx: CommandContext,
  endpointName: string,
  variants: readonly string[],
  windowMinutes: number,
): Promise<Map<string, VariantMetrics>> {
  const out = new Map<string, VariantMetrics>();
  if (variants.length === 0) return out;
  const end = ctx.deps.now();
  const start = new Date(end.getTime() - windowMinutes * 60_000);
  // One datapoint per metric over the whole window (period rounded up to a multiple of 60 s).
  const period = windowMinutes * 60;
  const queries: MetricDataQuery[] = [];
  variants.forEach((variant, i) => {
    const metric = (id: string, metricName: string, stat: string): MetricDataQuery => ({
      Id: `${id}${i}`,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/SageMaker',
          MetricName: metricName,
          Dimensions: [
            { Name: 'EndpointName', Value: endpointName },
            { Name: 'VariantName', Value: variant },
          ],
        },
        Period: period,
        Stat: stat,
      },
    });
    queries.push(metric('inv', 'Invocations', 'Sum'), metric('lat', 'ModelLatency', 'Average'), metric('err', 'Invocation5XXErrors', 'Sum'));
  });
  try {
    const response = await ctx.clients.cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end }));
    for (const series of response.MetricDataResults ?? []) {
      const match = /^(inv|lat|err)(\d+)$/.exec(series.Id ?? '');
      if (!match) continue;
      const variant = variants[Number(match[2])];
      const values = series.Values ?? [];
      const entry = out.get(variant) ?? {};
      if (match[1] === 'inv') entry.invocations = sum(values);
      // ModelLatency is reported in microseconds.
      else if (match[1] === 'lat') entry.latencyMs = values.length > 0 ? sum(values) / values.length / 1000 : undefined;
      else entry.errors5xx = sum(values);
      out.set(variant, entry);
    }
  } catch (error) {
    ctx.note(`note: could not read CloudWatch metrics (${errorName(error)}); invocations and latency are left out.`);
  }
  return out;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
