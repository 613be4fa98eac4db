import { aws_cloudwatch as cloudwatch, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IEndpoint } from '../hosting';

/**
 * What every monitor exposes: its schedule, role and metrics.
 */
export abstract class ModelMonitor extends Construct {
  /** The monitoring schedule name. */
  public abstract readonly monitoringScheduleName: string;
  /** The role the monitoring jobs run with. */
  public abstract readonly role: iam.IRole;
  /** The monitored endpoint. */
  public abstract readonly endpoint: IEndpoint;
  /** `DataQuality`, `ModelQuality`, `ModelBias` or `ModelExplainability`. */
  public abstract readonly monitoringType: string;

  /** The CloudWatch namespace the monitor publishes its metrics in. */
  public get metricNamespace(): string {
    switch (this.monitoringType) {
      case 'DataQuality':
        return 'aws/sagemaker/Endpoints/data-metrics';
      case 'ModelQuality':
        return 'aws/sagemaker/Endpoints/model-metrics';
      case 'ModelBias':
        return 'aws/sagemaker/Endpoints/bias-metrics';
      default:
        return 'aws/sagemaker/Endpoints/explainability-metrics';
    }
  }

  /**
   * A metric the monitor publishes, e.g. `feature_baseline_drift_credit_score` (data quality)
   * or `auc` (model quality).
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-cloudwatch.html
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      dimensionsMap: { Endpoint: this.endpoint.endpointName, MonitoringSchedule: this.monitoringScheduleName },
      statistic: 'Maximum',
      ...props,
    });
  }
}
