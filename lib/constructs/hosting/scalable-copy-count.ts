import {
  Annotations,
  Duration,
  aws_applicationautoscaling as appscaling,
  aws_cloudwatch as cloudwatch,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { isConcrete, throwIfProblems } from '../../private/errors';
import { sageMakerAutoScalingRole } from '../../private/autoscaling-role';
import { addScaleOutFromZero, scaleOutFromZeroProblems } from '../../private/scale-out-from-zero';

/**
 * The bounds of an inference component's copy-count autoscaling.
 */
export interface CopyCountScalingRange {
  /**
   * The fewest copies. 0 lets the component scale to zero copies when idle (and, with a variant
   * whose `minInstanceCount` is 0, the endpoint to zero instances); then call
   * `scaleOutFromZero()` so a request brings a copy back.
   */
  readonly minCopies: number;
  /** The most copies (at least 1). */
  readonly maxCopies: number;
}

/**
 * Options of copy-count target tracking on invocations per copy.
 */
export interface InvocationsPerCopyScalingProps {
  /** Invocations per copy per minute to keep, e.g. 1 for a model idle most of the day. */
  readonly targetInvocationsPerCopy: number;
  /**
   * How long after a scale-in before the next.
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * How long after a scale-out before the next.
   * @default Duration.seconds(300)
   */
  readonly scaleOutCooldown?: Duration;
  /**
   * Never remove copies with this policy (another policy or a schedule scales in).
   * @default false
   */
  readonly disableScaleIn?: boolean;
}

/**
 * Options of copy-count target tracking on concurrent requests per copy (high resolution).
 */
export interface ConcurrentRequestsPerCopyScalingProps {
  /** Concurrent requests per copy to keep, e.g. 5. */
  readonly targetConcurrentRequestsPerCopy: number;
  /**
   * How long after a scale-in before the next.
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * How long after a scale-out before the next.
   * @default Duration.seconds(300)
   */
  readonly scaleOutCooldown?: Duration;
  /**
   * Never remove copies with this policy.
   * @default false
   */
  readonly disableScaleIn?: boolean;
}

/**
 * Options of the scale-out-from-zero policy.
 */
export interface ScaleOutFromZeroProps {
  /**
   * Copies to add when a request finds no capacity.
   * @default 1
   */
  readonly copiesToAdd?: number;
  /**
   * How long after a scale-out before the policy acts again.
   * @default Duration.seconds(60)
   */
  readonly cooldown?: Duration;
}

/**
 * What a {@link ScalableCopyCount} needs to know about its inference component.
 */
export interface ScalableCopyCountProps {
  /** The inference component name. */
  readonly inferenceComponentName: string;
  /** The scaling bounds. */
  readonly scalingRange: CopyCountScalingRange;
  /** The inference component resource the scalable target must wait for. */
  readonly dependency: IConstruct;
}

/** The dimension and resource id format Application Auto Scaling uses for inference components. */
const COPY_COUNT_DIMENSION = 'sagemaker:inference-component:DesiredCopyCount';

/**
 * The copy count of an inference component, scaled by Application Auto Scaling (namespace
 * `sagemaker`, resource id `inference-component/<name>`, dimension
 * `sagemaker:inference-component:DesiredCopyCount`).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
 */
export class ScalableCopyCount extends Construct {
  /** The Application Auto Scaling target. */
  public readonly scalableTarget: appscaling.ScalableTarget;
  /** The scaling bounds. */
  public readonly scalingRange: CopyCountScalingRange;
  private readonly inferenceComponentName: string;
  private scaleOutAlarm?: cloudwatch.Alarm;
  private scheduled = false;

  constructor(scope: Construct, id: string, props: ScalableCopyCountProps) {
    super(scope, id);
    this.scalingRange = props.scalingRange;
    this.inferenceComponentName = props.inferenceComponentName;
    this.scalableTarget = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `inference-component/${props.inferenceComponentName}`,
      scalableDimension: COPY_COUNT_DIMENSION,
      minCapacity: props.scalingRange.minCopies,
      maxCapacity: props.scalingRange.maxCopies,
      role: sageMakerAutoScalingRole(this),
    });
    this.scalableTarget.node.addDependency(props.dependency);
    this.node.addValidation({
      validate: () => {
        // Target tracking cannot leave zero copies (it divides by the copy count), so a component
        // that scales in to zero without a scale-out-from-zero policy (or a schedule) stays at zero.
        if (isConcrete(this.scalingRange.minCopies) && this.scalingRange.minCopies === 0 && !this.scaleOutAlarm && !this.scheduled) {
          Annotations.of(this).addWarningV2(
            'sagemaker-cdk:copyCountStuckAtZero',
            'minCopies is 0 but nothing brings the component back from zero copies: target tracking cannot scale out from zero, so requests would fail until the next deployment. Call scaleOutFromZero(), add a scheduled action, or set minCopies to 1.',
          );
        }
        return [];
      },
    });
  }

  /** A target-tracking policy on a predefined metric, with 300 s cooldowns by default. */
  private trackPredefinedMetric(
    id: string,
    predefinedMetric: appscaling.PredefinedMetric,
    targetValue: number,
    props: { readonly scaleInCooldown?: Duration; readonly scaleOutCooldown?: Duration; readonly disableScaleIn?: boolean },
  ): void {
    this.scalableTarget.scaleToTrackMetric(id, {
      predefinedMetric,
      targetValue,
      scaleInCooldown: props.scaleInCooldown ?? Duration.seconds(300),
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.seconds(300),
      disableScaleIn: props.disableScaleIn,
    });
  }

  /**
   * Keeps invocations per copy near a target (`SageMakerInferenceComponentInvocationsPerCopy`).
   * Target tracking cannot leave zero copies (it divides by the copy count): with
   * `minCopies: 0`, add `scaleOutFromZero()`.
   */
  public scaleOnInvocationsPerCopy(props: InvocationsPerCopyScalingProps): void {
    this.trackPredefinedMetric('InvocationsPerCopy', appscaling.PredefinedMetric.SAGEMAKER_INFERENCE_COMPONENT_INVOCATIONS_PER_COPY, props.targetInvocationsPerCopy, props);
  }

  /**
   * Keeps concurrent requests per copy near a target
   * (`SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution`, published every
   * 10 seconds, so it reacts faster than invocations per copy).
   */
  public scaleOnConcurrentRequestsPerCopy(props: ConcurrentRequestsPerCopyScalingProps): void {
    this.trackPredefinedMetric(
      'ConcurrentRequestsPerCopy',
      appscaling.PredefinedMetric.SAGEMAKER_INFERENCE_COMPONENT_CONCURRENT_REQUESTS_PER_COPY_HIGH_RESOLUTION,
      props.targetConcurrentRequestsPerCopy,
      props,
    );
  }

  /**
   * Brings the component back from zero copies when a request finds no capacity: a CloudWatch
   * alarm on `NoCapacityInvocationFailures` (namespace `AWS/SageMaker`, dimension
   * `InferenceComponentName`, sum over one minute) runs a step scaling policy that adds copies
   * (`ChangeInCapacity`, aggregation `Maximum`, cooldown 60 s), as SageMaker documents. The
   * alarm fires on the first failed request (>= 1) rather than the documented example's "> 1",
   * so a single request at zero wakes the component. Requests fail for the several minutes the
   * instance and the copy take to start.
   * @returns the alarm, for dashboards or notifications
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
   */
  public scaleOutFromZero(props: ScaleOutFromZeroProps = {}): cloudwatch.Alarm {
    const copies = props.copiesToAdd ?? 1;
    throwIfProblems(this, scaleOutFromZeroProblems({
      subject: 'component', unit: 'copies', alreadyCalled: this.scaleOutAlarm !== undefined,
      minName: 'minCopies', min: this.scalingRange.minCopies, maxName: 'maxCopies', max: this.scalingRange.maxCopies, addName: 'copiesToAdd', add: copies,
    }));
    const alarm = addScaleOutFromZero(this, {
      target: this.scalableTarget,
      adjustment: copies,
      aggregation: appscaling.MetricAggregationType.MAXIMUM,
      cooldown: props.cooldown ?? Duration.seconds(60),
      alarmId: 'NoCapacityAlarm',
      alarm: {
        alarmDescription: `Requests to inference component ${this.inferenceComponentName} found no capacity: scale it out from zero copies.`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/SageMaker',
          metricName: 'NoCapacityInvocationFailures',
          dimensionsMap: { InferenceComponentName: this.inferenceComponentName },
          statistic: 'Sum',
          period: Duration.minutes(1),
        }),
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        // SageMaker publishes the metric only when a request fails; no data means no failures.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    });
    this.scaleOutAlarm = alarm;
    return alarm;
  }

  /** Scheduled scaling (e.g. business hours). */
  public scaleOnSchedule(id: string, action: appscaling.ScalingSchedule): void {
    this.scheduled = true;
    this.scalableTarget.scaleOnSchedule(id, action);
  }
}

