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
 * A CloudWatch dashboard for an endpoint: traffic, latency, errors and utilization per variant.
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
    this.dashboard.addWidgets(
      graph('Errors', variants.flatMap((v) => [
        v.metricInvocation4XXErrors({ period, label: `${v.variantName} 4xx` }),
        v.metricInvocation5XXErrors({ period, label: `${v.variantName} 5xx` }),
      ])),
      graph('Utilization (%)', variants.flatMap((v) => [
        v.metricCpuUtilization({ period, label: `${v.variantName} CPU` }),
        v.metricMemoryUtilization({ period, label: `${v.variantName} memory` }),
      ])),
    );
  }
}
