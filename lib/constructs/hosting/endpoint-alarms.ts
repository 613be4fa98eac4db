import { Duration, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EndpointVariantHandle } from './endpoint';
import { rangeProblem, throwIfProblems } from '../../private/errors';
import { MlKey } from '../security';
import { PublishingService, allowServiceToUseTopicKey } from '../security/topic-key-access';

/**
 * Properties of {@link EndpointAlarms}.
 */
export interface EndpointAlarmsProps {
  /** The variant to watch (e.g. `endpoint.variant('AllTraffic')`). */
  readonly variant: EndpointVariantHandle;
  /**
   * The topic notified when an alarm fires or recovers. When it is encrypted with a `kms.Key`
   * of this stack, CloudWatch is allowed to use the key (conditioned on this account and its
   * alarms); with any other key a synth warning names the key policy statement to add.
   * @default - a new topic encrypted with `encryptionKey`, TLS only
   */
  readonly topic?: sns.ITopic;
  /**
   * The key of the topic created when none is given. Prefer a key for alerting only: its key
   * policy lets CloudWatch (and EventBridge, for monitor alerts) decrypt with it.
   * @default - a new MlKey used only by the alert topic
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Alarm when invocations in a period exceed this.
   * @default 1000
   */
  readonly maxInvocations?: number;
  /**
   * Alarm when average model latency exceeds this.
   * @default Duration.millis(100)
   */
  readonly maxModelLatency?: Duration;
  /**
   * Alarm when 5xx errors in a period reach this.
   * @default 1
   */
  readonly max5xxErrors?: number;
  /**
   * The evaluation period.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * Periods that must breach before the alarm fires.
   * @default 2
   */
  readonly evaluationPeriods?: number;
}

/**
 * The operational alarms of an endpoint variant: invocations above
 * a ceiling, model latency above a ceiling, and server errors, each notifying a topic. The
 * latency and error alarms make good rollback alarms for a deployment policy.
 */
export class EndpointAlarms extends Construct {
  /** Invocations above `maxInvocations`. */
  public readonly invocationsAlarm: cloudwatch.Alarm;
  /** Average model latency above `maxModelLatency`. */
  public readonly modelLatencyAlarm: cloudwatch.Alarm;
  /** Server errors at or above `max5xxErrors`. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** The topic the alarms notify. */
  public readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: EndpointAlarmsProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const evaluationPeriods = props.evaluationPeriods ?? 2;
    throwIfProblems(this, [rangeProblem('evaluationPeriods', evaluationPeriods, 1, 100)].filter((p): p is string => p !== undefined));
    const variant = props.variant;
    const common = { evaluationPeriods, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };

    this.invocationsAlarm = variant.metricInvocations({ period }).createAlarm(this, 'Invocations', {
      ...common,
      threshold: props.maxInvocations ?? 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: `Invocations of variant ${variant.variantName} above ${props.maxInvocations ?? 1000} per ${period.toHumanString()}`,
    });
    const latency = props.maxModelLatency ?? Duration.millis(100);
    // ModelLatency is reported in microseconds.
    this.modelLatencyAlarm = variant.metricModelLatency({ period }).createAlarm(this, 'ModelLatency', {
      ...common,
      threshold: latency.toMilliseconds() * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: `Average model latency of variant ${variant.variantName} above ${latency.toMilliseconds()} ms`,
    });
    this.errorsAlarm = variant.metricInvocation5XXErrors({ period }).createAlarm(this, 'ServerErrors', {
      ...common,
      threshold: props.max5xxErrors ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `5xx errors of variant ${variant.variantName}`,
    });
    this.topic =
      props.topic ??
      new sns.Topic(this, 'Topic', {
        masterKey:
          props.encryptionKey ??
          new MlKey(this, 'TopicKey', { description: `Encrypts the alarm topic of ${this.node.path}`, allowCloudWatchLogs: false }),
        enforceSSL: true,
      });
    // CloudWatch publishes to the encrypted topic through the key: without a key policy
    // statement for it, SNS drops the alarm notifications.
    allowServiceToUseTopicKey(this, this.topic, PublishingService.CLOUDWATCH);
    const action = new actions.SnsAction(this.topic);
    for (const alarm of [this.invocationsAlarm, this.modelLatencyAlarm, this.errorsAlarm]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
