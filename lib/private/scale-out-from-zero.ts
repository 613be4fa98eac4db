// Scale-out from zero, shared by asynchronous endpoint variants (instances) and inference
// components (copies): target tracking cannot leave zero capacity, so SageMaker documents a step
// scaling policy run by an alarm on a "requests found no capacity" metric.
import { Duration, aws_applicationautoscaling as appscaling, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as cloudwatchActions } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isConcrete } from './errors';

/** What the rules of a scale-out from zero compare. */
export interface ScaleOutFromZeroRange {
  /** What scales, e.g. 'variant' or 'component'. */
  readonly subject: string;
  /** Its unit, e.g. 'instances' or 'copies'. */
  readonly unit: string;
  readonly minName: string;
  readonly min: number;
  readonly maxName: string;
  readonly max: number;
  readonly addName: string;
  readonly add: number;
  /** True when scaleOutFromZero() ran before. */
  readonly alreadyCalled: boolean;
}

/** The problems of a scale-out from zero: called twice, a minimum above 0, a bad step. */
export function scaleOutFromZeroProblems(r: ScaleOutFromZeroRange): string[] {
  const problems: string[] = [];
  if (r.alreadyCalled) problems.push(`scaleOutFromZero() was already called for this ${r.subject}; call it once.`);
  if (isConcrete(r.min) && r.min > 0) {
    problems.push(
      `scaleOutFromZero() needs ${r.minName} 0, but ${r.minName} is ${r.min}, so the ${r.subject} never reaches zero ${r.unit}; set ${r.minName}: 0 or drop scaleOutFromZero().`,
    );
  }
  if (isConcrete(r.add) && (!Number.isInteger(r.add) || r.add < 1)) {
    problems.push(`scaleOutFromZero ${r.addName} is ${r.add}, but must be a whole number of at least 1; raise it.`);
  } else if (isConcrete(r.add) && isConcrete(r.max) && r.add > r.max) {
    problems.push(`scaleOutFromZero ${r.addName} is ${r.add}, above ${r.maxName} ${r.max}; lower it or raise ${r.maxName}.`);
  }
  return problems;
}

/** The step policy and its alarm. */
export interface ScaleOutFromZeroPolicy {
  readonly target: appscaling.IScalableTargetRef;
  /** Capacity to add when the alarm fires. */
  readonly adjustment: number;
  readonly aggregation: appscaling.MetricAggregationType;
  readonly cooldown: Duration;
  /** The alarm's id under `scope`. */
  readonly alarmId: string;
  /** The alarm (threshold >= 1 on `metric`). */
  readonly alarm: Omit<cloudwatch.AlarmProps, 'threshold' | 'comparisonOperator'>;
}

/** Adds the step scaling action ('ScaleOutFromZero') and the alarm that runs it; returns the alarm. */
export function addScaleOutFromZero(scope: Construct, policy: ScaleOutFromZeroPolicy): cloudwatch.Alarm {
  const action = new appscaling.StepScalingAction(scope, 'ScaleOutFromZero', {
    scalingTarget: policy.target,
    adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
    metricAggregationType: policy.aggregation,
    cooldown: policy.cooldown,
  });
  action.addAdjustment({ adjustment: policy.adjustment, lowerBound: 0 });
  const alarm = new cloudwatch.Alarm(scope, policy.alarmId, {
    ...policy.alarm,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  });
  alarm.addAlarmAction(new cloudwatchActions.ApplicationScalingAction(action));
  return alarm;
}
