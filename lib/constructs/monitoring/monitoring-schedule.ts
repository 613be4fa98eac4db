import { Duration, Token } from 'aws-cdk-lib';
import { SageMakerConstructError } from '../../private/errors';

/**
 * When a monitor runs. SageMaker accepts hourly, daily, every-N-hours and one-time schedules.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html
 */
export class MonitoringSchedule {
  /** Every hour, at minute 0. */
  public static hourly(): MonitoringSchedule {
    return new MonitoringSchedule('cron(0 * ? * * *)', Duration.hours(1));
  }

  /**
   * Every day at an hour (UTC).
   * @param hour 0 to 23
   */
  public static daily(hour: number = 0): MonitoringSchedule {
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
      throw new SageMakerConstructError(`MonitoringSchedule.daily(${hour}): the hour must be a whole number from 0 to 23 (UTC).`);
    }
    return new MonitoringSchedule(`cron(0 ${hour} ? * * *)`, Duration.days(1));
  }

  /**
   * A cron expression of a form SageMaker accepts: `cron(0 * ? * * *)`, `cron(0 H ? * * *)`
   * or `cron(0 H/N ? * * *)` (every N hours from hour H).
   */
  public static cron(expression: string): MonitoringSchedule {
    if (Token.isUnresolved(expression)) return new MonitoringSchedule(expression, undefined);
    const hourly = /^cron\(0 \* \? \* \* \*\)$/;
    const daily = /^cron\(0 ([01]?\d|2[0-3]) \? \* \* \*\)$/;
    const everyN = /^cron\(0 ([01]?\d|2[0-3])\/([1-9]|1\d|2[0-4]) \? \* \* \*\)$/;
    if (hourly.test(expression)) return new MonitoringSchedule(expression, Duration.hours(1));
    if (daily.test(expression)) return new MonitoringSchedule(expression, Duration.days(1));
    const n = everyN.exec(expression);
    if (n) return new MonitoringSchedule(expression, Duration.hours(Number(n[2])));
    throw new SageMakerConstructError(
      `Monitoring schedule "${expression}" is not one SageMaker accepts. Use cron(0 * ? * * *) (hourly), cron(0 H ? * * *) (daily at hour H) ` +
        'or cron(0 H/N ? * * *) (every N hours), or MonitoringSchedule.hourly()/daily()/oneTime().',
    );
  }

  /**
   * Once, as soon as the schedule is created, over a window of captured data ending `endOffset`
   * before now and starting `windowLength` before that.
   */
  public static oneTime(windowLength: Duration = Duration.hours(1), endOffset: Duration = Duration.hours(0)): MonitoringSchedule {
    return new MonitoringSchedule('NOW', undefined, `-PT${windowLength.plus(endOffset).toHours({ integral: false })}H`, `-PT${endOffset.toHours({ integral: false })}H`);
  }

  private constructor(
    /** The schedule expression. */
    public readonly expression: string,
    /** The time between runs, when the schedule repeats. */
    public readonly interval: Duration | undefined,
    /** For one-time schedules: the window start, relative to now. */
    public readonly dataAnalysisStartTime?: string,
    /** For one-time schedules: the window end, relative to now. */
    public readonly dataAnalysisEndTime?: string,
  ) {}
}
