import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { variantMetric } from './endpoint';

/**
 * Metrics of one endpoint variant, in the namespace SageMaker publishes each in (instance
 * metrics such as `CPUUtilization` under `/aws/sagemaker/Endpoints`, invocation metrics under
 * `AWS/SageMaker`), for endpoints this app does not define.
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
    return variantMetric(endpointName, variantName, metricName, props);
  }

  private constructor() {}
}
