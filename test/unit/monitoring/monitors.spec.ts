import { Duration, Size, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { InstanceType } from '../../../lib/constructs/core';
import { Endpoint, EndpointVariant } from '../../../lib/constructs/hosting';
import { S3Location } from '../../../lib/constructs/jobs';
import {
  DataQualityMonitor,
  ModelBiasMonitor,
  ModelExplainabilityMonitor,
  ModelQualityMonitor,
  MonitorAlerts,
  MonitoringBaseline,
  MonitoringSchedule,
  ProblemType,
} from '../../../lib/constructs/monitoring';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { hostingFixture, referenceEndpoint } from '../hosting/fixtures';

const HEADERS = ['age', 'annual_income', 'credit_score'];

describe('DataQualityMonitor', () => {
  test("the reference DefaultModelMonitor: ml.m5.xlarge, 20 GB, 3600 s, hourly, on a capturing endpoint", () => {
    const stack = testStack();
    const { endpoint, bucket, key } = referenceEndpoint(stack);
    const monitor = new DataQualityMonitor(stack, 'Drift', {
      endpoint,
      outputBucket: bucket,
      baseline: MonitoringBaseline.fromBucket(bucket, 'baseline/statistics.json', 'baseline/constraints.json'),
      encryptionKey: key,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      JobDefinitionName: Match.stringLikeRegexp('-[0-9a-f]{8}$'),
      DataQualityAppSpecification: { ImageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest' },
      DataQualityBaselineConfig: { StatisticsResource: { S3Uri: Match.anyValue() }, ConstraintsResource: { S3Uri: Match.anyValue() } },
      DataQualityJobInput: { EndpointInput: Match.objectLike({ EndpointName: Match.anyValue(), LocalPath: '/opt/ml/processing/input/endpoint' }) },
      JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: Match.anyValue() } },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      NetworkConfig: { EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true },
    });
    template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: { MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } },
    });
    expect(monitor.metricFeatureDrift('credit_score').namespace).toBe('aws/sagemaker/Endpoints/data-metrics');
  });

  test('the job definition name changes with the definition (definitions are replaced, never updated)', () => {
    const names = [20, 30].map((gb) => {
      const stack = testStack();
      const { endpoint, bucket } = referenceEndpoint(stack);
      new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket, volumeSize: Size.gibibytes(gb) });
      const resources = Template.fromStack(stack).findResources('AWS::SageMaker::DataQualityJobDefinition');
      return (Object.values(resources)[0] as any).Properties.JobDefinitionName;
    });
    expect(names[0]).not.toEqual(names[1]);
  });

  test('a deploy-time baselining job with the analyzer image feeds the monitor', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    const baseline = MonitoringBaseline.computeAtDeployTime(stack, 'Baseline', { dataset: S3Location.fromBucket(bucket, 'baseline-data/'), outputBucket: bucket });
    new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket, baseline });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::ProcessingJob', Match.objectLike({}));
    template.hasResource('AWS::SageMaker::DataQualityJobDefinition', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('BaselineRun')]) });
  });
});

describe('monitor validation', () => {
  test('an endpoint without data capture', () => {
    const stack = testStack();
    const { model, bucket } = hostingFixture(stack);
    const endpoint = new Endpoint(stack, 'Endpoint', { variants: [EndpointVariant.instance({ model, instanceType: InstanceType.ML_C5_XLARGE })] });
    expect(() => new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket })).toThrow(/\[TestStack\/Drift\] endpoint TestStack\/Endpoint has no data capture/);
  });

  test('capture percentage 0', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    const endpoint = Endpoint.fromEndpointAttributes(stack, 'E', {
      endpointName: 'x',
      dataCapture: { bucket, prefix: 'c/', s3Uri: 's3://b/c/', samplingPercentage: 0, captureInput: true, captureOutput: true },
    });
    expect(() => new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket })).toThrow(/captures 0 % of requests/);
  });

  test('a serverless endpoint', () => {
    const stack = testStack();
    const { bucket } = hostingFixture(stack);
    // Our Endpoint refuses data capture with serverless variants; an imported one can claim both.
    const endpoint = Endpoint.fromEndpointAttributes(stack, 'Endpoint', {
      endpointName: 'serverless',
      isServerless: true,
      dataCapture: { bucket, prefix: 'data-capture/', s3Uri: 's3://b/data-capture/', samplingPercentage: 100, captureInput: true, captureOutput: true },
    });
    expect(() => new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket })).toThrow(/serves serverless variants, which Model Monitor does not support/);
  });

  test('a schedule expression SageMaker rejects', () => {
    expect(() => MonitoringSchedule.cron('cron(*/5 * * * ? *)')).toThrow(/is not one SageMaker accepts/);
    expect(() => MonitoringSchedule.daily(24)).toThrow(/hour must be a whole number from 0 to 23/);
    expect(MonitoringSchedule.cron('cron(0 2/6 ? * * *)').interval?.toHours()).toBe(6);
    expect(MonitoringSchedule.oneTime(Duration.hours(2)).dataAnalysisStartTime).toBe('-PT2H');
  });

  test('max runtime above the schedule interval', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(() => new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket, maxRuntime: Duration.hours(2) })).toThrow(
      /maxRuntime is 7200 s, above the schedule's interval of 3600 s/,
    );
  });

  test('model quality without ground truth or problem type', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(() => new ModelQualityMonitor(stack, 'Quality', {
      endpoint, outputBucket: bucket, problemType: undefined as unknown as ProblemType, groundTruthBucket: undefined as never, groundTruthPrefix: undefined as never,
    })).toThrow(/2 problems:\n.*problemType is missing.*\n.*ground truth is missing/);
  });

  test('bias config without facets', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(() => new ModelBiasMonitor(stack, 'Bias', {
      endpoint, outputBucket: bucket, headers: HEADERS, label: 'default', labelValuesOrThreshold: ['1'], facets: [], groundTruthBucket: bucket, groundTruthPrefix: 'gt/',
    })).toThrow(/facets is empty/);
  });

  test('explainability without a SHAP baseline', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(() => new ModelExplainabilityMonitor(stack, 'Shap', { endpoint, outputBucket: bucket, headers: HEADERS, shapBaseline: [] })).toThrow(/shapBaseline is empty/);
  });

  test('unresolved tokens pass through', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    expect(() => new DataQualityMonitor(stack, 'Drift', { endpoint, outputBucket: bucket, maxRuntime: Duration.seconds(Token.asNumber({ Ref: 'Max' })) })).not.toThrow();
  });
});

describe('model quality, bias and explainability monitors', () => {
  test('render their job definitions with ground truth and Clarify analysis configs', () => {
    const stack = testStack();
    const { endpoint, bucket } = referenceEndpoint(stack);
    new ModelQualityMonitor(stack, 'Quality', {
      endpoint, outputBucket: bucket, problemType: ProblemType.BINARY_CLASSIFICATION, groundTruthBucket: bucket, groundTruthPrefix: 'ground-truth/', probabilityThreshold: 0.6, schedule: MonitoringSchedule.daily(3),
    });
    new ModelBiasMonitor(stack, 'Bias', {
      endpoint, outputBucket: bucket, headers: HEADERS, label: 'default', labelValuesOrThreshold: ['1'], facets: [{ nameOrIndex: 'age', valuesOrThreshold: ['25'] }], groundTruthBucket: bucket, groundTruthPrefix: 'ground-truth/', schedule: MonitoringSchedule.daily(4),
    });
    new ModelExplainabilityMonitor(stack, 'Shap', { endpoint, outputBucket: bucket, headers: HEADERS, shapBaseline: [['40', '55000', '680']], schedule: MonitoringSchedule.daily(5) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: Match.objectLike({ ProblemType: 'BinaryClassification' }),
      ModelQualityJobInput: { EndpointInput: Match.objectLike({ ProbabilityThresholdAttribute: 0.6 }), GroundTruthS3Input: { S3Uri: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::SageMaker::ModelBiasJobDefinition', {
      ModelBiasAppSpecification: { ImageUri: '205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0', ConfigUri: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::SageMaker::ModelExplainabilityJobDefinition', { ModelExplainabilityAppSpecification: Match.objectLike({ ConfigUri: Match.anyValue() }) });
    template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 3);
  });
});

describe('MonitorAlerts delivery to the encrypted topic', () => {
  function build() {
    const stack = testStack();
    const { endpoint, bucket, key } = referenceEndpoint(stack);
    const monitor = new DataQualityMonitor(stack, 'Drift', {
      endpoint, outputBucket: bucket, encryptionKey: key,
      baseline: MonitoringBaseline.fromBucket(bucket, 'baseline/statistics.json', 'baseline/constraints.json'),
    });
    const alerts = new MonitorAlerts(stack, 'Alerts', { monitor, thresholds: [{ metricName: 'feature_baseline_drift_credit_score', threshold: 0.1 }] });
    return { stack, alerts, key, template: Template.fromStack(stack) };
  }

  test('only this construct\'s rule may publish through EventBridge (topic policy aws:SourceArn = the rule ARN)', () => {
    const { stack, alerts, template } = build();
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    const events = statements.filter((s) => s.Principal?.Service === 'events.amazonaws.com');
    expect(events).toEqual([
      expect.objectContaining({
        Action: 'sns:Publish',
        Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(alerts.executionRule.ruleArn) } },
      }),
    ]);
  });

  test('the alert topic has its own key; CloudWatch and EventBridge may use it only for this account\'s alarms and rules; the data key grants them nothing', () => {
    const { stack, alerts, key, template } = build();
    const topicKey = (alerts.topic as import('aws-cdk-lib').aws_sns.Topic).masterKey!;
    expect(topicKey).not.toBe(key);
    const keyPolicy = (k: import('aws-cdk-lib').aws_kms.IKey) =>
      template.toJSON().Resources[stack.getLogicalId(k.node.defaultChild as import('aws-cdk-lib').CfnElement)].Properties.KeyPolicy.Statement as Array<Record<string, any>>;
    const services = (k: import('aws-cdk-lib').aws_kms.IKey) => keyPolicy(k).filter((s) => ['cloudwatch.amazonaws.com', 'events.amazonaws.com'].includes(s.Principal?.Service));
    expect(services(topicKey)).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' } },
      }),
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/*' } },
      }),
    ]);
    expect(services(key)).toEqual([]);
  });
});

describe('monitoring under the nag packs and the IAM check', () => {
  test('capture, baseline, schedule, alarms and the execution rule are clean', () => {
    const app = testApp();
    const stack = testStack(app);
    const { endpoint, bucket, key } = referenceEndpoint(stack);
    const monitor = new DataQualityMonitor(stack, 'Drift', {
      endpoint, outputBucket: bucket, encryptionKey: key,
      baseline: MonitoringBaseline.fromBucket(bucket, 'baseline/statistics.json', 'baseline/constraints.json'),
    });
    const alerts = new MonitorAlerts(stack, 'Alerts', { monitor, thresholds: [{ metricName: 'feature_baseline_drift_credit_score', threshold: 0.1 }] });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['SageMaker Processing Job State Change'] }),
    });
    expect(alerts.alarms).toHaveLength(1);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
