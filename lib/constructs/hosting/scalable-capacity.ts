import {
  Duration,
  aws_applicationautoscaling as appscaling,
  aws_cloudwatch as cloudwatch,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { sageMakerAutoScalingRole } from '../../private/autoscaling-role';

/**
 * The bounds of a variant's autoscaling.
 */
export interface ScalingRange {
  /** The fewest instances (or provisioned concurrency). */
  readonly minCapacity: number;
  /** The most instances (or provisioned concurrency). */
  readonly maxCapacity: number;
}

/**
 * Options of invocation-based target tracking.
 */
export interface InvocationsScalingProps extends appscaling.BaseTargetTrackingProps {
  /** Invocations per instance per minute to keep, e.g. 70. */
  readonly targetInvocationsPerInstance: number;
}

/**
 * Options of utilization-based target tracking.
 */
export interface UtilizationScalingProps extends appscaling.BaseTargetTrackingProps {
  /** The utilization to keep, in percent. */
  readonly targetUtilizationPercent: number;
}

/**
 * Options of provisioned-concurrency target tracking.
 */
export interface ProvisionedConcurrencyScalingProps extends appscaling.BaseTargetTrackingProps {
  /** The share of provisioned concurrency in use to keep, 0.1 to 1 (e.g. 0.7). */
  readonly targetUtilization: number;
}

/**
 * What a scalable variant attribute needs to know about its variant.
 */
export interface ScalableVariantProps {
  /** The endpoint name. */
  readonly endpointName: string;
  /** The variant name. */
  readonly variantName: string;
  /** The scaling bounds. */
  readonly scalingRange: ScalingRange;
  /** The endpoint resource the scalable target must wait for. */
  readonly dependency: IConstruct;
}


/**
 * The instance count of an endpoint variant, scaled by Application Auto Scaling
 * (resource id `endpoint/<name>/variant/<variant>`).
 */
export class ScalableInstanceCount extends appscaling.BaseScalableAttribute {
  private readonly variantDimensions: { endpointName: string; variantName: string };

  constructor(scope: Construct, id: string, props: ScalableVariantProps) {
    super(scope, id, {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${props.endpointName}/variant/${props.variantName}`,
      dimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: props.scalingRange.minCapacity,
      maxCapacity: props.scalingRange.maxCapacity,
      role: sageMakerAutoScalingRole(scope),
    });
    this.node.addDependency(props.dependency);
    this.variantDimensions = { endpointName: props.endpointName, variantName: props.variantName };
  }

  /**
   * Keeps invocations per instance near a target (`SageMakerVariantInvocationsPerInstance`).
   */
  public scaleOnInvocations(props: InvocationsScalingProps): void {
    this.doScaleToTrackMetric('Invocations', {
      ...props,
      targetValue: props.targetInvocationsPerInstance,
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      scaleInCooldown: props.scaleInCooldown ?? Duration.seconds(300),
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.seconds(300),
    });
  }

  /** Keeps average CPU utilization (percent of one core, summed over cores) near a target. */
  public scaleOnCpuUtilization(props: UtilizationScalingProps): void {
    this.trackInstanceMetric('CpuUtilization', 'CPUUtilization', props);
  }

  /** Keeps average GPU utilization (percent of one GPU, summed over GPUs) near a target. */
  public scaleOnGpuUtilization(props: UtilizationScalingProps): void {
    this.trackInstanceMetric('GpuUtilization', 'GPUUtilization', props);
  }

  /** Step scaling on any metric. */
  public scaleOnMetric(id: string, props: appscaling.BasicStepScalingPolicyProps): void {
    this.doScaleOnMetric(id, props);
  }

  /** Scheduled scaling (e.g. business hours). */
  public scaleOnSchedule(id: string, action: appscaling.ScalingSchedule): void {
    this.doScaleOnSchedule(id, action);
  }

  private trackInstanceMetric(id: string, metricName: string, props: UtilizationScalingProps): void {
    this.doScaleToTrackMetric(id, {
      ...props,
      targetValue: props.targetUtilizationPercent,
      customMetric: new cloudwatch.Metric({
        namespace: '/aws/sagemaker/Endpoints',
        metricName,
        dimensionsMap: { EndpointName: this.variantDimensions.endpointName, VariantName: this.variantDimensions.variantName },
        statistic: 'Average',
      }),
    });
  }
}

/**
 * The provisioned concurrency of a serverless variant, scaled by Application Auto Scaling.
 */
export class ScalableProvisionedConcurrency extends appscaling.BaseScalableAttribute {
  constructor(scope: Construct, id: string, props: ScalableVariantProps) {
    super(scope, id, {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${props.endpointName}/variant/${props.variantName}`,
      dimension: 'sagemaker:variant:DesiredProvisionedConcurrency',
      minCapacity: props.scalingRange.minCapacity,
      maxCapacity: props.scalingRange.maxCapacity,
      role: sageMakerAutoScalingRole(scope),
    });
    this.node.addDependency(props.dependency);
  }

  /** Keeps provisioned-concurrency utilization (0 to 1) near a target. */
  public scaleOnUtilization(props: ProvisionedConcurrencyScalingProps): void {
    this.doScaleToTrackMetric('ProvisionedConcurrencyUtilization', {
      ...props,
      targetValue: props.targetUtilization,
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_PROVISIONED_CONCURRENCY_UTILIZATION,
    });
  }

  /** Scheduled scaling. */
  public scaleOnSchedule(id: string, action: appscaling.ScalingSchedule): void {
    this.doScaleOnSchedule(id, action);
  }
}
