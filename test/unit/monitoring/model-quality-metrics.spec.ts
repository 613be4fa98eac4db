import { Duration, Stack, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelBiasMonitor, ModelQualityMonitor, MonitorAlerts, ProblemType } from '../../../lib/constructs/monitoring';
import { testStack } from '../../helpers';
import { referenceEndpoint } from '../hosting/fixtures';

function qualityMonitor(problemType: ProblemType, stack: Stack = testStack()) {
  const { endpoint, bucket } = referenceEndpoint(stack);
  const monitor = new ModelQualityMonitor(stack, 'Quality', { endpoint, outputBucket: bucket, problemType, groundTruthBucket: bucket, groundTruthPrefix: 'ground-truth/' });
  return { stack, endpoint, bucket, monitor };
}

const names = (metrics: cloudwatch.Metric[]) => metrics.map((m) => m.metricName);

describe('ModelQualityMonitor metric accessors (the metrics the Developer Guide lists per problem type)', () => {
  test('binary classification', () => {
    const { monitor } = qualityMonitor(ProblemType.BINARY_CLASSIFICATION);
    expect(names([
      monitor.metricAccuracy(), monitor.metricPrecision(), monitor.metricRecall(), monitor.metricAuc(),
      monitor.metricFHalf(), monitor.metricF1(), monitor.metricF2(),
      monitor.metricTruePositiveRate(), monitor.metricTrueNegativeRate(), monitor.metricFalsePositiveRate(), monitor.metricFalseNegativeRate(),
    ])).toEqual(['accuracy', 'precision', 'recall', 'auc', 'f0_5', 'f1', 'f2', 'true_positive_rate', 'true_negative_rate', 'false_positive_rate', 'false_negative_rate']);
  });

  test('multiclass classification', () => {
    const { monitor } = qualityMonitor(ProblemType.MULTICLASS_CLASSIFICATION);
    expect(names([
      monitor.metricAccuracy(), monitor.metricWeightedPrecision(), monitor.metricWeightedRecall(), monitor.metricWeightedFHalf(), monitor.metricWeightedF1(), monitor.metricWeightedF2(),
    ])).toEqual(['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f0_5', 'weighted_f1', 'weighted_f2']);
  });

  test('regression', () => {
    const { monitor } = qualityMonitor(ProblemType.REGRESSION);
    expect(names([monitor.metricMae(), monitor.metricMse(), monitor.metricRmse(), monitor.metricR2()])).toEqual(['mae', 'mse', 'rmse', 'r2']);
  });

  test('an endpoint monitor: aws/sagemaker/Endpoints/model-metrics with the Endpoint and MonitoringSchedule dimensions', () => {
    const { stack, endpoint, monitor } = qualityMonitor(ProblemType.BINARY_CLASSIFICATION);
    const auc = monitor.metricAuc({ period: Duration.hours(6), statistic: 'Minimum' });
    expect(auc.namespace).toBe('aws/sagemaker/Endpoints/model-metrics');
    expect(stack.resolve(auc.dimensions)).toEqual({ Endpoint: stack.resolve(endpoint.endpointName), MonitoringSchedule: stack.resolve(monitor.monitoringScheduleName) });
    expect(auc.period.toHours()).toBe(6);
    expect(auc.statistic).toBe('Minimum');
  });

  test('a metric of another problem type is a synth error naming the monitor', () => {
    const { monitor } = qualityMonitor(ProblemType.REGRESSION);
    expect(() => monitor.metricAuc()).toThrow(/^\[TestStack\/Quality\] the metric "auc" is published for BinaryClassification models, but this monitor judges a Regression model/);
    const binary = qualityMonitor(ProblemType.BINARY_CLASSIFICATION).monitor;
    expect(() => binary.metricRmse()).toThrow(/the metric "rmse" is published for Regression models, but this monitor judges a BinaryClassification model/);
    expect(() => binary.metricWeightedF1()).toThrow(/the metric "weighted_f1" is published for MulticlassClassification models/);
    const multiclass = qualityMonitor(ProblemType.MULTICLASS_CLASSIFICATION).monitor;
    expect(() => multiclass.metricF1()).toThrow(/the metric "f1" is published for BinaryClassification models, but this monitor judges a MulticlassClassification model/);
  });

  test('metric(): extra dimensions are added to the monitor\'s, not put in their place (bias metrics carry Facet, ...)', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    const bias = new ModelBiasMonitor(stack, 'Bias', {
      endpoint, outputBucket: bucket, headers: ['age'], label: 'default', labelValuesOrThreshold: ['1'], facets: [{ nameOrIndex: 'age' }], groundTruthBucket: bucket, groundTruthPrefix: 'gt/',
    });
    const metric = bias.metric('bias_metric_DPPL', { dimensionsMap: { Facet: 'age' } });
    expect(metric.namespace).toBe('aws/sagemaker/Endpoints/bias-metrics');
    expect(Object.keys(metric.dimensions ?? {}).sort()).toEqual(['Endpoint', 'Facet', 'MonitoringSchedule']);
  });
});

describe('MonitorAlerts on model quality metrics', () => {
  test('an alarm when AUC falls below a threshold, on the model-metrics namespace and the monitor\'s dimensions', () => {
    const { stack, monitor } = qualityMonitor(ProblemType.BINARY_CLASSIFICATION);
    const alerts = new MonitorAlerts(stack, 'Alerts', {
      monitor,
      thresholds: [{ metricName: monitor.metricAuc().metricName, threshold: 0.7, alarmWhenBelow: true }, { metricName: 'f1', threshold: 0.5, alarmWhenBelow: true }],
    });
    expect(alerts.alarms).toHaveLength(2);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/Endpoints/model-metrics',
      MetricName: 'auc',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 0.7,
      Dimensions: Match.arrayWith([Match.objectLike({ Name: 'Endpoint' }), Match.objectLike({ Name: 'MonitoringSchedule' })]),
      AlarmDescription: Match.stringLikeRegexp('ModelQuality monitor TestStack/Quality: auc below 0.7'),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ Environment: { sagemaker_monitoring_schedule_name: [stack.resolve(monitor.monitoringScheduleName)] } }) }),
    });
  });

  test('a bias metric alarm with the facet dimensions added to the monitor\'s; alarms of two facets do not collide', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    const bias = new ModelBiasMonitor(stack, 'Bias', {
      endpoint, outputBucket: bucket, headers: ['age'], label: 'default', labelValuesOrThreshold: ['1'], facets: [{ nameOrIndex: 'age' }], groundTruthBucket: bucket, groundTruthPrefix: 'gt/',
    });
    const alerts = new MonitorAlerts(stack, 'BiasAlerts', {
      monitor: bias,
      thresholds: [
        { metricName: 'bias_metric_DPPL', threshold: 0.2, dimensions: { Facet: 'age', FacetValue: '25' } },
        { metricName: 'bias_metric_DPPL', threshold: 0.2, dimensions: { Facet: 'age', FacetValue: '60' } },
      ],
    });
    expect(alerts.alarms.map((a) => a.node.id)).toEqual(['Alarm-bias_metric_DPPL-age-25', 'Alarm-bias_metric_DPPL-age-60']);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/Endpoints/bias-metrics',
      Dimensions: Match.arrayWith([{ Name: 'Facet', Value: 'age' }, { Name: 'FacetValue', Value: '60' }, Match.objectLike({ Name: 'MonitoringSchedule' })]),
    });
  });
});
