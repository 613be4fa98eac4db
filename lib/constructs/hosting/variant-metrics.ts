import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** CloudWatch namespace of invocation metrics. */
const INVOCATION_NAMESPACE = 'AWS/SageMaker';
/** CloudWatch namespace of instance metrics (CPU, memory, GPU, disk). */
const INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';
/** The metrics SageMaker publishes per instance, under {@link INSTANCE_NAMESPACE}. */
const INSTANCE_METRICS = ['CPUUtilization', 'MemoryUtilization', 'GPUUtilization', 'GPUMemoryUtilization', 'DiskUtilization'];

/**
 * Metrics of one endpoint variant, in the namespace SageMaker publishes each in (instance
 * metrics such as `CPUUtilization` under `/aws/sagemaker/Endpoints`, invocation metrics under
 * `AWS/SageMaker`). `Endpoint.metric()` and its variants' metrics use it; it also serves endpoints
 * this app does not define.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 */
export class VariantMetrics {
  /**
   * A metric of the variant `variantName` of the endpoint `endpointName`.
   * @param endpointName the endpoint name
   * @param variantName the production variant name
   * @param metricName the metric name, e.g. `Invocations`, `ModelLatency`, `CPUUtilization`
   * @param props period, statistic and other metric options
   */
  public static metric(endpointName: string, variantName: string, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: INSTANCE_METRICS.includes(metricName) ? INSTANCE_NAMESPACE : INVOCATION_NAMESPACE,
      metricName,
      dimensionsMap: { EndpointName: endpointName, VariantName: variantName },
      ...props,
    });
  }

  private constructor() {}
}
