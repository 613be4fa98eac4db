import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Endpoint } from './endpoint';

/**
 * Properties of an {@link EndpointDashboard}.
 */
export interface EndpointDashboardProps {
  /** The endpoint to show. */
  readonly endpoint: Endpoint;
  /**
   * The metrics' period.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * A dashboard name.
   * @default - generated
   */
  readonly dashboardName?: string;
}

/**
 * A CloudWatch dashboard for an endpoint: traffic, latency and errors per variant, and what each
 * variant's kind publishes: CPU, memory and disk utilization for instance variants, GPU and GPU
 * memory utilization too when the instance type has GPUs, and for serverless variants (which
 * publish no instance metrics) cold-start time (`ModelSetupTime`), overhead latency and
 * concurrency utilization.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-monitoring.html
 */
export class EndpointDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: EndpointDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const variants = props.endpoint.variants;
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { dashboardName: props.dashboardName });
    const graph = (title: string, metrics: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, left: metrics, width: 12 });
    this.dashboard.addWidgets(
      graph('Invocations', variants.map((v) => v.metricInvocations({ period, label: v.variantName }))),
      graph('Model latency (µs)', variants.map((v) => v.metricModelLatency({ period, label: v.variantName }))),
    );
    const instanceVariants = variants.filter((v) => !v.definition.isServerless);
    const serverlessVariants = variants.filter((v) => v.definition.isServerless);
    const errors = graph('Errors', variants.flatMap((v) => [
      v.metricInvocation4XXErrors({ period, label: `${v.variantName} 4xx` }),
      v.metricInvocation5XXErrors({ period, label: `${v.variantName} 5xx` }),
    ]));
    if (instanceVariants.length === 0) {
      this.dashboard.addWidgets(errors);
    } else {
      this.dashboard.addWidgets(
        errors,
        graph('Utilization (%)', instanceVariants.flatMap((v) => [
          v.metricCpuUtilization({ period, label: `${v.variantName} CPU` }),
          v.metricMemoryUtilization({ period, label: `${v.variantName} memory` }),
          v.metric('DiskUtilization', { statistic: 'Average', period, label: `${v.variantName} disk` }),
        ])),
      );
    }
    const gpuVariants = instanceVariants.filter((v) => v.definition.instanceType?.isGpu);
    if (gpuVariants.length > 0) {
      this.dashboard.addWidgets(
        graph('GPU utilization (%, summed over GPUs)', gpuVariants.map((v) => v.metricGpuUtilization({ period, label: v.variantName }))),
        graph('GPU memory utilization (%, summed over GPUs)', gpuVariants.map((v) => v.metric('GPUMemoryUtilization', { statistic: 'Average', period, label: v.variantName }))),
      );
    }
    if (serverlessVariants.length > 0) {
      this.dashboard.addWidgets(
        graph('Cold starts: model setup time (µs)', serverlessVariants.map((v) => v.metric('ModelSetupTime', { statistic: 'Average', period, label: v.variantName }))),
        graph('Serverless concurrency utilization and overhead latency', serverlessVariants.flatMap((v) => [
          v.metric('ServerlessConcurrentExecutionsUtilization', { statistic: 'Maximum', period, label: `${v.variantName} concurrency` }),
          v.metricOverheadLatency({ period, label: `${v.variantName} overhead (µs)` }),
        ])),
      );
    }
  }
}
