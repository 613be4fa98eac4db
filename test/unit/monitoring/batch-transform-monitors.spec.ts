import { Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage, InstanceType } from '../../../lib/constructs/core';
import { S3Location, TransformJob } from '../../../lib/constructs/jobs';
import {
  DataQualityMonitor,
  ModelBiasMonitor,
  ModelExplainabilityMonitor,
  ModelQualityMonitor,
  MonitorAlerts,
  MonitorDatasetFormat,
  MonitoringBaseline,
  MonitoringSchedule,
  ProblemType,
} from '../../../lib/constructs/monitoring';
import { FailStep, MlPipeline } from '../../../lib/constructs/pipelines';
import { MlKey } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { hostingFixture, referenceEndpoint } from '../hosting/fixtures';

const HEADERS = ['age', 'annual_income', 'credit_score'];

/** A batch transform job of the reference model that captures its data, and what a monitor reads of it. */
function batchFixture(stack: Stack) {
  const fixture = hostingFixture(stack);
  const captureKey = new MlKey(stack, 'CaptureKey');
  const transform = new TransformJob(stack, 'Score', {
    model: fixture.model,
    input: S3Location.fromBucket(fixture.bucket, 'batch-input/'),
    contentType: 'text/csv',
    outputBucket: fixture.bucket,
    instanceType: InstanceType.ML_M5_XLARGE,
    encryptionKey: fixture.key,
    dataCapture: { bucket: fixture.bucket, prefix: 'batch-capture/', encryptionKey: captureKey, generateInferenceId: true },
  });
  const batchTransform = transform.monitorInput(MonitorDatasetFormat.csv({ header: false }));
  return { ...fixture, captureKey, transform, batchTransform };
}

describe('monitors over batch transform output', () => {
  test('data quality: BatchTransformInput (capture URI, CSV without header, local path), no EndpointInput', () => {
    const stack = testStack();
    const { bucket, batchTransform } = batchFixture(stack);
    const monitor = new DataQualityMonitor(stack, 'Drift', { batchTransform, outputBucket: bucket });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityJobInput: {
        BatchTransformInput: {
          DataCapturedDestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, '/batch-capture/']] },
          DatasetFormat: { Csv: { Header: false } },
          LocalPath: '/opt/ml/processing/input',
          S3InputMode: 'File',
          S3DataDistributionType: 'FullyReplicated',
        },
      },
    });
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::SageMaker::DataQualityJobDefinition'))).not.toContain('EndpointInput');
    expect(monitor.endpoint).toBeUndefined();
  });

  test('the metrics of a batch monitor: aws/sagemaker/ModelMonitoring/<kind>-metrics with the MonitoringSchedule dimension only', () => {
    const stack = testStack();
    const { bucket, batchTransform } = batchFixture(stack);
    const drift = new DataQualityMonitor(stack, 'Drift', { batchTransform, outputBucket: bucket });
    const metric = drift.metricFeatureDrift('credit_score');
    expect(metric.namespace).toBe('aws/sagemaker/ModelMonitoring/data-metrics');
    expect(metric.metricName).toBe('feature_baseline_drift_credit_score');
    expect(stack.resolve(metric.dimensions)).toEqual({ MonitoringSchedule: stack.resolve(drift.monitoringScheduleName) });
    const quality = new ModelQualityMonitor(stack, 'Quality', {
      batchTransform, outputBucket: bucket, problemType: ProblemType.BINARY_CLASSIFICATION, groundTruthBucket: bucket, groundTruthPrefix: 'ground-truth/', schedule: MonitoringSchedule.daily(1),
    });
    expect(quality.metricAuc().namespace).toBe('aws/sagemaker/ModelMonitoring/model-metrics');
    expect(Object.keys(quality.metricAuc().dimensions ?? {})).toEqual(['MonitoringSchedule']);
  });

  test('model quality: inference and probability attributes on the BatchTransformInput, ground truth beside it', () => {
    const stack = testStack();
    const { bucket, batchTransform } = batchFixture(stack);
    new ModelQualityMonitor(stack, 'Quality', {
      batchTransform, outputBucket: bucket, problemType: ProblemType.BINARY_CLASSIFICATION, groundTruthBucket: bucket, groundTruthPrefix: 'ground-truth/',
      inferenceAttribute: '0', probabilityAttribute: '1', probabilityThreshold: 0.6,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityJobInput: {
        BatchTransformInput: Match.objectLike({ DatasetFormat: { Csv: { Header: false } }, InferenceAttribute: '0', ProbabilityAttribute: '1', ProbabilityThresholdAttribute: 0.6 }),
        GroundTruthS3Input: { S3Uri: Match.anyValue() },
      },
    });
  });

  test('bias and explainability: BatchTransformInput with the probability attributes, namespaces of batch transform', () => {
    const stack = testStack();
    const { bucket, batchTransform } = batchFixture(stack);
    const bias = new ModelBiasMonitor(stack, 'Bias', {
      batchTransform, outputBucket: bucket, headers: HEADERS, label: 'default', labelValuesOrThreshold: ['1'], facets: [{ nameOrIndex: 'age', valuesOrThreshold: ['25'] }],
      groundTruthBucket: bucket, groundTruthPrefix: 'ground-truth/', probabilityAttribute: '0', schedule: MonitoringSchedule.daily(2),
    });
    const shap = new ModelExplainabilityMonitor(stack, 'Shap', { batchTransform, outputBucket: bucket, headers: HEADERS, shapBaseline: [['40', '55000', '680']], schedule: MonitoringSchedule.daily(3) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::ModelBiasJobDefinition', {
      ModelBiasJobInput: { BatchTransformInput: Match.objectLike({ ProbabilityAttribute: '0', ProbabilityThresholdAttribute: 0.5 }), GroundTruthS3Input: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::SageMaker::ModelExplainabilityJobDefinition', {
      ModelExplainabilityJobInput: { BatchTransformInput: Match.objectLike({ LocalPath: '/opt/ml/processing/input' }) },
    });
    expect(bias.metricNamespace).toBe('aws/sagemaker/ModelMonitoring/bias-metrics');
    expect(shap.metricNamespace).toBe('aws/sagemaker/ModelMonitoring/explainability-metrics');
  });

  test('dataset formats: CSV (header by default), JSON Lines, Parquet', () => {
    const stack = testStack();
    const { bucket, transform } = batchFixture(stack);
    const formats = [MonitorDatasetFormat.csv(), MonitorDatasetFormat.jsonLines(), MonitorDatasetFormat.parquet()];
    formats.forEach((format, i) => new DataQualityMonitor(stack, `Drift${i}`, { batchTransform: transform.monitorInput(format), outputBucket: bucket }));
    const rendered = Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::DataQualityJobDefinition')).map(
      (r: any) => r.Properties.DataQualityJobInput.BatchTransformInput.DatasetFormat,
    );
    expect(rendered).toEqual([{ Csv: { Header: true } }, { Json: { Line: true } }, { Parquet: true }]);
    expect(formats.map((f) => f.kind)).toEqual(['csv', 'jsonLines', 'parquet']);
  });

  test("the created role reads the capture prefix and may decrypt with the capture key, and nothing of the endpoint's capture", () => {
    const stack = testStack();
    const { bucket, captureKey, batchTransform } = batchFixture(stack);
    const monitor = new DataQualityMonitor(stack, 'Drift', { batchTransform, outputBucket: bucket });
    const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: stack.getLogicalId(monitor.role.node.defaultChild as never) }] } });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    const reads = statements.filter((s) => [s.Action].flat().includes('s3:GetObject'));
    expect(stack.resolve(reads.map((s) => s.Resource))).toContainEqual(stack.resolve(bucket.arnForObjects('batch-capture/*')));
    expect(JSON.stringify(statements)).toContain(JSON.stringify(stack.resolve(captureKey.keyArn)));
    expect(JSON.stringify(statements)).not.toContain('data-capture/');
  });
});

describe('monitor input validation', () => {
  test('both an endpoint and a batch transform input', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    const batchTransform = { captureBucket: bucket, capturePrefix: 'batch-capture/', datasetFormat: MonitorDatasetFormat.csv() };
    expect(() => new DataQualityMonitor(stack, 'Drift', { endpoint, batchTransform, outputBucket: bucket })).toThrow(
      /^\[TestStack\/Drift\] both endpoint \(TestStack\/Endpoint\) and batchTransform are set, but a monitoring job reads one input; give one of them/,
    );
  });

  test('neither an endpoint nor a batch transform input', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    expect(() => new DataQualityMonitor(stack, 'Drift', { outputBucket: bucket })).toThrow(
      /^\[TestStack\/Drift\] neither endpoint nor batchTransform is set; give the endpoint to monitor, or the captured data of a batch transform job/,
    );
  });

  test('a capture URI longer than 512 characters', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const named = s3.Bucket.fromBucketName(stack, 'Named', 'capture-bucket');
    const batchTransform = { captureBucket: named, capturePrefix: 'c'.repeat(600), datasetFormat: MonitorDatasetFormat.parquet() };
    expect(() => new DataQualityMonitor(stack, 'Drift', { batchTransform, outputBucket: bucket })).toThrow(
      /^\[TestStack\/Drift\] batchTransform capture URI "s3:\/\/capture-bucket\/c+\.\.\." has 620 characters, but must have 1 to 512; shorten capturePrefix\.$/,
    );
  });

  test('the endpoint-only rules do not apply to a batch transform input', () => {
    const stack = testStack();
    const { bucket, batchTransform } = batchFixture(stack);
    expect(() => new ModelQualityMonitor(stack, 'Quality', {
      batchTransform, outputBucket: bucket, problemType: ProblemType.REGRESSION, groundTruthBucket: bucket, groundTruthPrefix: 'gt/',
    })).not.toThrow();
  });
});

describe('a batch transform monitor under the nag packs and the IAM check', () => {
  test('transform job with data capture, data quality monitor with baseline and alerts: clean', () => {
    const app = testApp();
    const stack = testStack(app);
    const { bucket, key, batchTransform } = batchFixture(stack);
    const monitor = new DataQualityMonitor(stack, 'Drift', {
      batchTransform, outputBucket: bucket, encryptionKey: key,
      baseline: MonitoringBaseline.fromBucket(bucket, 'baseline/statistics.json', 'baseline/constraints.json'),
    });
    const alerts = new MonitorAlerts(stack, 'Alerts', { monitor, thresholds: [{ metricName: 'feature_baseline_drift_credit_score', threshold: 0.1 }] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/ModelMonitoring/data-metrics',
      Dimensions: [{ Name: 'MonitoringSchedule', Value: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ Environment: { sagemaker_monitoring_schedule_name: [stack.resolve(monitor.monitoringScheduleName)] } }) }),
    });
    expect(alerts.alarms).toHaveLength(1);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});

describe('pinned analysis images and triggers of batch monitors', () => {
  const DIGEST = `sha256:${'0f'.repeat(32)}`;

  test('the monitors and the deploy-time baseline run the image they are given', () => {
    const stack = testStack();
    const { bucket, batchTransform } = batchFixture(stack);
    const analyzer = ContainerImage.modelMonitorAnalyzer({ digest: DIGEST });
    const baseline = MonitoringBaseline.computeAtDeployTime(stack, 'Baseline', { dataset: S3Location.fromBucket(bucket, 'baseline-data/'), outputBucket: bucket, image: analyzer });
    new DataQualityMonitor(stack, 'Drift', { batchTransform, outputBucket: bucket, baseline, image: analyzer });
    new ModelExplainabilityMonitor(stack, 'Shap', {
      batchTransform, outputBucket: bucket, headers: HEADERS, shapBaseline: [['40', '55000', '680']], image: ContainerImage.clarify({ tag: '1.0' }), schedule: MonitoringSchedule.daily(3),
    });
    const template = Template.fromStack(stack);
    const pinned = `156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer@${DIGEST}`;
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', { DataQualityAppSpecification: { ImageUri: pinned } });
    template.hasResourceProperties('AWS::SageMaker::ProcessingJob', Match.objectLike({ AppSpecification: Match.objectLike({ ImageUri: pinned }) }));
    template.hasResourceProperties('AWS::SageMaker::ModelExplainabilityJobDefinition', {
      ModelExplainabilityAppSpecification: Match.objectLike({ ImageUri: '205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0' }),
    });
  });

  test('MlPipeline.startOnMonitorViolations works with a batch monitor (the rule matches its schedule name)', () => {
    const stack = testStack();
    const { bucket, batchTransform } = batchFixture(stack);
    const monitor = new DataQualityMonitor(stack, 'Drift', { batchTransform, outputBucket: bucket });
    const pipeline = new MlPipeline(stack, 'Pipeline', { steps: [new FailStep('Stop', 'placeholder step')] });
    pipeline.startOnMonitorViolations(monitor);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ ExitMessage: [{ prefix: 'CompletedWithViolations' }], Environment: { sagemaker_monitoring_schedule_name: [stack.resolve(monitor.monitoringScheduleName)] } }) }),
    });
  });
});
