import {
  Duration,
  aws_applicationautoscaling as appscaling,
  aws_cloudwatch as cloudwatch,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { isConcrete, throwIfProblems } from '../../private/errors';
import { addScaleOutFromZero, scaleOutFromZeroProblems } from '../../private/scale-out-from-zero';
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
  /**
   * Whether the endpoint serves asynchronous requests (backlog scaling and scale to zero).
   * @default false
   */
  readonly asynchronous?: boolean;
}

/**
 * Options of backlog-based target tracking for an asynchronous endpoint.
 */
export interface BacklogScalingProps extends appscaling.BaseTargetTrackingProps {
  /** Queued requests per instance to keep, e.g. 5. */
  readonly targetBacklogPerInstance: number;
}

/**
 * Options of the scale-out from zero instances of an asynchronous endpoint.
 */
export interface AsyncScaleOutFromZeroProps {
  /**
   * Instances to start when requests wait and no instance runs.
   * @default 1
   */
  readonly instancesToAdd?: number;
  /**
   * The step policy's cooldown.
   * @default Duration.minutes(5)
   */
  readonly cooldown?: Duration;
}


/**
 * The instance count of an endpoint variant, scaled by Application Auto Scaling
 * (resource id `endpoint/<name>/variant/<variant>`).
 */
export class ScalableInstanceCount extends appscaling.BaseScalableAttribute {
  private readonly variantDimensions: { endpointName: string; variantName: string };
  private readonly asynchronous: boolean;
  private readonly scalingRange: ScalingRange;
  private scaleOutAlarm?: cloudwatch.Alarm;

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
    this.asynchronous = props.asynchronous ?? false;
    this.scalingRange = props.scalingRange;
  }

  /**
   * Keeps the queue of an asynchronous endpoint near a target number of requests per instance
   * (`ApproximateBacklogSizePerInstance`, namespace `AWS/SageMaker`, dimension `EndpointName`,
   * average), as SageMaker documents for asynchronous endpoints. Target tracking cannot leave
   * zero instances: with `minCapacity: 0`, add `scaleOutFromZero()`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html
   */
  public scaleOnBacklog(props: BacklogScalingProps): void {
    const problems: string[] = [];
    if (!this.asynchronous) problems.push(this.notAsynchronous('scaleOnBacklog()'));
    if (isConcrete(props.targetBacklogPerInstance) && !(props.targetBacklogPerInstance > 0)) {
      problems.push(`targetBacklogPerInstance is ${props.targetBacklogPerInstance}, but must be above 0 (queued requests per instance to keep); raise it.`);
    }
    throwIfProblems(this, problems);
    this.doScaleToTrackMetric('Backlog', {
      ...props,
      targetValue: props.targetBacklogPerInstance,
      customMetric: this.asyncMetric('ApproximateBacklogSizePerInstance'),
      scaleInCooldown: props.scaleInCooldown ?? Duration.seconds(300),
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.seconds(300),
    });
  }

  /**
   * Starts instances of an asynchronous endpoint scaled in to zero as soon as a request waits:
   * a CloudWatch alarm on `HasBacklogWithoutCapacity` (namespace `AWS/SageMaker`, dimension
   * `EndpointName`, average over one minute, >= 1 for two of two minutes) runs a step scaling
   * policy that adds instances (`ChangeInCapacity`), the policy SageMaker documents. Without it
   * the endpoint leaves zero only once the backlog exceeds the target tracking value.
   * @returns the alarm, for dashboards or notifications
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html
   */
  public scaleOutFromZero(props: AsyncScaleOutFromZeroProps = {}): cloudwatch.Alarm {
    const instances = props.instancesToAdd ?? 1;
    const problems = [
      ...(this.asynchronous ? [] : [this.notAsynchronous('scaleOutFromZero()')]),
      ...scaleOutFromZeroProblems({
        subject: 'variant', unit: 'instances', alreadyCalled: this.scaleOutAlarm !== undefined,
        minName: 'minCapacity', min: this.scalingRange.minCapacity, maxName: 'maxCapacity', max: this.scalingRange.maxCapacity, addName: 'instancesToAdd', add: instances,
      }),
    ];
    throwIfProblems(this, problems);
    const alarm = addScaleOutFromZero(this, {
      target: this,
      adjustment: instances,
      aggregation: appscaling.MetricAggregationType.AVERAGE,
      cooldown: props.cooldown ?? Duration.minutes(5),
      alarmId: 'BacklogWithoutCapacityAlarm',
      alarm: {
        alarmDescription: `Requests to asynchronous endpoint ${this.variantDimensions.endpointName} wait with no instance running: scale it out from zero.`,
        metric: this.asyncMetric('HasBacklogWithoutCapacity', Duration.minutes(1)),
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
    });
    this.scaleOutAlarm = alarm;
    return alarm;
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

  private asyncMetric(metricName: string, period?: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/SageMaker',
      metricName,
      dimensionsMap: { EndpointName: this.variantDimensions.endpointName },
      statistic: 'Average',
      period,
    });
  }

  private notAsynchronous(method: string): string {
    return `${method} scales on the request queue of an asynchronous endpoint, but endpoint ${this.variantDimensions.endpointName} has no asyncInference; set asyncInference on the endpoint or scale on invocations.`;
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
