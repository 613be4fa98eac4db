import { aws_cloudwatch as cloudwatch, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IEndpoint } from '../hosting';

/** The metric namespace suffix of each monitoring type. */
const NAMESPACE_SUFFIX: Readonly<Record<string, string>> = {
  DataQuality: 'data-metrics',
  ModelQuality: 'model-metrics',
  ModelBias: 'bias-metrics',
  ModelExplainability: 'explainability-metrics',
};

/**
 * What every monitor exposes: its schedule, role and metrics.
 *
 * Availability: per the Amazon SageMaker AI Developer Guide, "Amazon SageMaker Model Monitor is
 * no longer open to new customers. Existing customers can continue to use the service as
 * normal." AWS continues to invest in its security and availability but plans no new features.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-containers.html (the note at the top)
 * @see https://docs.amazonaws.cn/en_us/sagemaker/latest/dg/model-monitor-byoc-containers.md
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-availability-change.html
 */
export abstract class ModelMonitor extends Construct {
  /** The monitoring schedule name. */
  public abstract readonly monitoringScheduleName: string;
  /** The role the monitoring jobs run with. */
  public abstract readonly role: iam.IRole;
  /** The monitored endpoint; undefined for a monitor over batch transform output. */
  public abstract readonly endpoint?: IEndpoint;
  /** `DataQuality`, `ModelQuality`, `ModelBias` or `ModelExplainability`. */
  public abstract readonly monitoringType: string;

  /**
   * The CloudWatch namespace the monitor publishes its metrics in:
   * `aws/sagemaker/Endpoints/<kind>-metrics` for an endpoint and
   * `aws/sagemaker/ModelMonitoring/<kind>-metrics` for batch transform output, where `<kind>` is
   * `data`, `model`, `bias` or `explainability`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-cloudwatch.html
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-bias-drift-cw.html
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-feature-attribute-drift-cw.html
   */
  public get metricNamespace(): string {
    const suffix = NAMESPACE_SUFFIX[this.monitoringType] ?? 'explainability-metrics';
    return `aws/sagemaker/${this.endpoint ? 'Endpoints' : 'ModelMonitoring'}/${suffix}`;
  }

  /**
   * A metric the monitor publishes, e.g. `feature_baseline_drift_credit_score` (data quality)
   * or `auc` (model quality), with the dimensions `Endpoint` and `MonitoringSchedule` for an
   * endpoint and `MonitoringSchedule` alone for batch transform output. Dimensions in
   * `props.dimensionsMap` are added to these: bias metrics also carry `BiasStage`, `Label`,
   * `LabelValue`, `Facet` and `FacetValue`, explainability metrics `ExplainabilityMethod`,
   * `Label` and `ValueType`, and CloudWatch matches a metric only with all its dimensions.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-cloudwatch.html
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-cloudwatch.html
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const dimensions: Record<string, string> = this.endpoint
      ? { Endpoint: this.endpoint.endpointName, MonitoringSchedule: this.monitoringScheduleName }
      : { MonitoringSchedule: this.monitoringScheduleName };
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      statistic: 'Maximum',
      ...props,
      dimensionsMap: { ...dimensions, ...props?.dimensionsMap },
    });
  }
}
