import { Duration, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_events as events, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MlKey } from '../security';
import { PublishingService, RuleScopedTopicTarget, allowServiceToUseTopicKey } from '../security/topic-key-access';
import { ModelMonitor } from './model-monitor';

/** A metric threshold of a monitor that raises an alarm. */
export interface MonitorMetricThreshold {
  /** The metric name, e.g. `feature_baseline_drift_credit_score`. */
  readonly metricName: string;
  /** The value above which the alarm fires (below, with `alarmWhenBelow`). */
  readonly threshold: number;
  /**
   * Fire when the metric falls below the threshold (quality metrics such as `auc`).
   * @default false
   */
  readonly alarmWhenBelow?: boolean;
  /**
   * Dimensions added to the monitor's own (`Endpoint`, `MonitoringSchedule`): bias metrics also
   * carry `BiasStage`, `Label`, `LabelValue`, `Facet` and `FacetValue`, explainability metrics
   * `ExplainabilityMethod`, `Label` and `ValueType`, and an alarm sees a metric only with all of
   * its dimensions.
   * @default - the monitor's dimensions only
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-bias-drift-cw.html
   */
  readonly dimensions?: Record<string, string>;
}

/** Properties of {@link MonitorAlerts}. */
export interface MonitorAlertsProps {
  /** The monitor to watch. */
  readonly monitor: ModelMonitor;
  /** Metric thresholds that raise alarms. */
  readonly thresholds: MonitorMetricThreshold[];
  /**
   * The topic alerts go to. When it is encrypted with a `kms.Key` of this stack, CloudWatch and
   * EventBridge are allowed to use the key (conditioned on this account and their alarms and
   * rules); with any other key a synth warning names the key policy statements to add. Only
   * this construct's rule may publish through EventBridge (topic policy `aws:SourceArn`).
   * @default - a new topic encrypted with `encryptionKey`, TLS only
   */
  readonly topic?: sns.ITopic;
  /**
   * The key of the topic created when none is given. Prefer a key for alerting only: its key
   * policy lets CloudWatch and EventBridge decrypt with it.
   * @default - a new MlKey used only by the alert topic
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Alerts for a model monitor: CloudWatch alarms on the metrics it publishes, and an EventBridge
 * rule for monitoring jobs that fail or end with violations, all to one SNS topic.
 */
export class MonitorAlerts extends Construct {
  /** The topic alerts go to. */
  public readonly topic: sns.ITopic;
  /** The metric alarms, in the order of the thresholds. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The rule for monitoring executions that fail or find violations. */
  public readonly executionRule: events.Rule;

  constructor(scope: Construct, id: string, props: MonitorAlertsProps) {
    super(scope, id);
    const key =
      props.encryptionKey ??
      (props.topic ? undefined : new MlKey(this, 'TopicKey', { description: `Encrypts the alert topic of ${this.node.path}`, allowCloudWatchLogs: false }));
    this.topic = props.topic ?? new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    // CloudWatch publishes to the encrypted topic through the key (EventBridge: see the target).
    allowServiceToUseTopicKey(this, this.topic, PublishingService.CLOUDWATCH);
    const action = new actions.SnsAction(this.topic);
    this.alarms = props.thresholds.map((t) => {
      // The id of an alarm without extra dimensions stays `Alarm-<metric>`; with them, their values tell alarms apart.
      const id = t.dimensions && Object.keys(t.dimensions).length > 0 ? `Alarm-${t.metricName}-${Object.values(t.dimensions).join('-')}` : `Alarm-${t.metricName}`;
      const alarm = props.monitor.metric(t.metricName, { period: Duration.hours(1), dimensionsMap: t.dimensions }).createAlarm(this, id, {
        threshold: t.threshold,
        evaluationPeriods: 1,
        comparisonOperator: t.alarmWhenBelow ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${props.monitor.monitoringType} monitor ${props.monitor.node.path}: ${t.metricName} ${t.alarmWhenBelow ? 'below' : 'above'} ${t.threshold}`,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
    // Monitoring executions run as processing jobs; their exit message starts with the
    // execution status (Failed, CompletedWithViolations).
    this.executionRule = new events.Rule(this, 'ExecutionRule', {
      description: `Monitoring runs of ${props.monitor.node.path} that fail or find violations`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Processing Job State Change'],
        detail: {
          ProcessingJobStatus: ['Failed', 'Completed'],
          ExitMessage: [{ prefix: 'CompletedWithViolations' }, { prefix: 'Failed' }, { prefix: 'Algorithm' }],
          Environment: { sagemaker_monitoring_schedule_name: [props.monitor.monitoringScheduleName] },
        },
      },
      // Only this rule may publish (aws-cdk-lib's SnsTopic target would allow any rule).
      targets: [new RuleScopedTopicTarget(this, this.topic)],
    });
  }
}
