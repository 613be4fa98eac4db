import { Duration, Stack, aws_cloudwatch as cloudwatch, aws_events as events, aws_kms as kms, aws_s3 as s3, aws_scheduler as scheduler, aws_sqs as sqs } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { SageMakerStartPipelineExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { DataQualityMonitor, MonitorAlerts, MonitoringBaseline } from '../../../lib/constructs/monitoring';
import { FailStep, MlPipeline, PipelineParameter, PipelineRuleTarget } from '../../../lib/constructs/pipelines';
import { ManagedPolicyRole, SecureBucket } from '../../../lib/constructs/security';
import { expectLeastPrivilege, expectNagClean, testApp, testStack } from '../../helpers';
import { referenceEndpoint } from '../hosting/fixtures';

function pipelineIn(stack: Stack): MlPipeline {
  return new MlPipeline(stack, 'Pipeline', {
    steps: [new FailStep('Stop', 'placeholder step')],
    parameters: [PipelineParameter.ofString('InputUri', 's3://bucket/raw/'), PipelineParameter.ofString('Reason', 'manual')],
  });
}

function monitorIn(stack: Stack): DataQualityMonitor {
  const { endpoint, bucket, key } = referenceEndpoint(stack);
  return new DataQualityMonitor(stack, 'Drift', {
    endpoint,
    outputBucket: bucket,
    encryptionKey: key,
    baseline: MonitoringBaseline.fromBucket(bucket, 'baseline/statistics.json', 'baseline/constraints.json'),
  });
}

function rules(stack: Stack): Array<Record<string, any>> {
  return Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map((r) => r.Properties);
}

describe('MlPipeline.startOnMonitorViolations', () => {
  test("matches this monitor's executions that complete with violations, and starts the pipeline with the given parameters", () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const monitor = monitorIn(stack);
    const rule = pipeline.startOnMonitorViolations(monitor, { parameters: { Reason: 'drift' } });
    const [rendered] = rules(stack);
    expect(rendered.EventPattern).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Processing Job State Change'],
      detail: {
        ProcessingJobStatus: ['Completed'],
        ExitMessage: [{ prefix: 'CompletedWithViolations' }],
        Environment: { sagemaker_monitoring_schedule_name: [stack.resolve(monitor.monitoringScheduleName)] },
      },
    });
    expect(rendered.State).toBe('ENABLED');
    expect(rendered.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: stack.resolve(pipeline.pipelineArn),
        RoleArn: expect.anything(),
        SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Reason', Value: 'drift' }] },
      },
    ]);
    expect(rule.node.path).toBe('TestStack/Pipeline/OnMonitorViolations');
  });
});

describe('MlPipeline.startOnAlarm', () => {
  test('matches the alarm ARN going into ALARM, with description, disabled state and rule name', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const monitor = monitorIn(stack);
    const alarm = monitor.metric('feature_baseline_drift_credit_score').createAlarm(stack, 'DriftAlarm', { threshold: 0.1, evaluationPeriods: 1 });
    pipeline.startOnAlarm(alarm, { description: 'Retrain on drift', enabled: false, ruleName: 'retrain-on-drift' });
    const [rule] = rules(stack);
    expect(rule).toMatchObject({
      Name: 'retrain-on-drift',
      Description: 'Retrain on drift',
      State: 'DISABLED',
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [stack.resolve(alarm.alarmArn)],
        detail: { state: { value: ['ALARM'] } },
      },
    });
    expect(rule.Targets[0].SageMakerPipelineParameters).toBeUndefined();
  });

  test('a second trigger of the same kind gets its own rule and role', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const alarms = ['A', 'B'].map((id) => new cloudwatch.Alarm(stack, id, { metric: new cloudwatch.Metric({ namespace: 'ns', metricName: id }), threshold: 1, evaluationPeriods: 1 }));
    const [first, second] = alarms.map((a) => pipeline.startOnAlarm(a));
    expect([first.node.id, second.node.id]).toEqual(['OnAlarm', 'OnAlarm2']);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 3);
  });
});

describe('MlPipeline.startOnNewData', () => {
  test('S3 "Object Created" under the prefix; an owned bucket gets EventBridge notifications on the bucket resource (no notifications Lambda)', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const bucket = new SecureBucket(stack, 'Data');
    pipeline.startOnNewData(bucket, 'raw/', { parameters: { InputUri: bucket.s3UrlForObject('raw/') } });
    const template = Template.fromStack(stack);
    const [rule] = rules(stack);
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [stack.resolve(bucket.bucketName)] }, object: { key: [{ prefix: 'raw/' }] } },
    });
    expect(rule.Targets[0].SageMakerPipelineParameters.PipelineParameterList).toEqual([{ Name: 'InputUri', Value: stack.resolve(bucket.s3UrlForObject('raw/')) }]);
    template.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('an empty prefix matches the whole bucket', () => {
    const stack = testStack();
    pipelineIn(stack).startOnNewData(new SecureBucket(stack, 'Data'), '');
    expect(rules(stack)[0].EventPattern.detail).toEqual({ bucket: { name: [expect.anything()] } });
  });

  test('a bucket that already has CDK-managed notifications keeps EventBridge on through them', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const bucket = new SecureBucket(stack, 'Data');
    pipeline.startOnNewData(bucket, 'raw/');
    bucket.addObjectCreatedNotification(new SqsDestination(new sqs.Queue(stack, 'Queue', { enforceSSL: true })));
    Template.fromStack(stack).hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: Match.objectLike({ EventBridgeConfiguration: {} }),
    });
  });

  test('a SecureBucket with eventBridgeEnabled keeps one EventBridge setting and no notifications Lambda', () => {
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Data', { eventBridgeEnabled: true });
    pipelineIn(stack).startOnNewData(bucket, 'raw/');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('an imported bucket gets a warning that its EventBridge notifications must be on', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'landing-bucket');
    pipelineIn(stack).startOnNewData(bucket, 'raw/');
    Annotations.fromStack(stack).hasWarning('/TestStack/Pipeline/OnNewData', Match.stringLikeRegexp('Bucket TestStack/Imported is imported, so its EventBridge notifications cannot be turned on here'));
    expect(rules(stack)[0].EventPattern.detail.bucket).toEqual({ name: ['landing-bucket'] });
  });

  test('a prefix with a leading slash is an error', () => {
    const stack = testStack();
    expect(() => pipelineIn(stack).startOnNewData(new SecureBucket(stack, 'Data'), '/raw/')).toThrow(
      '[TestStack/Pipeline] startOnNewData prefix "/raw/" starts with "/", but S3 object keys do not, so no object would match; write the prefix without the leading slash ("raw/").',
    );
  });
});

describe('trigger options', () => {
  test('an unknown parameter name fails synth, naming it and the declared parameters', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric: new cloudwatch.Metric({ namespace: 'ns', metricName: 'm' }), threshold: 1, evaluationPeriods: 1 });
    pipeline.startOnAlarm(alarm, { parameters: { InputURI: 's3://x/', Reason: 'alarm' } });
    expect(() => Template.fromStack(stack)).toThrow(
      'parameters "InputURI" is not a parameter of pipeline TestStack/Pipeline, which declares "InputUri", "Reason". Use a declared name, or declare the parameter in the pipeline (its parameters prop, or a step that uses it).',
    );
  });

  test('a dead-letter queue: only this rule may send to it, and EventBridge may use its key', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const key = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true });
    const queue = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: key, enforceSSL: true });
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric: new cloudwatch.Metric({ namespace: 'ns', metricName: 'm' }), threshold: 1, evaluationPeriods: 1 });
    const rule = pipeline.startOnAlarm(alarm, { deadLetterQueue: queue });
    const template = Template.fromStack(stack);
    expect(rules(stack)[0].Targets[0].DeadLetterConfig).toEqual({ Arn: stack.resolve(queue.queueArn) });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: stack.resolve(queue.queueArn),
            Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(rule.ruleArn) } },
          },
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/*' } },
          },
        ]),
      },
    });
  });

  test('an imported dead-letter queue gets a warning naming the queue policy to add', () => {
    const stack = testStack();
    const queue = sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:us-east-1:123456789012:dlq');
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric: new cloudwatch.Metric({ namespace: 'ns', metricName: 'm' }), threshold: 1, evaluationPeriods: 1 });
    pipelineIn(stack).startOnAlarm(alarm, { deadLetterQueue: queue });
    Annotations.fromStack(stack).hasWarning('/TestStack/Pipeline/OnAlarm', Match.stringLikeRegexp('The dead-letter queue TestStack/Dlq is imported'));
  });
});

describe('PipelineRuleTarget rules', () => {
  test('more than 200 parameters fail synth (EventBridge passes at most 200)', () => {
    const stack = testStack();
    const imported = MlPipeline.fromPipelineName(stack, 'Imported', 'existing-pipeline');
    const parameters = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`P${i}`, 'x']));
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['custom.test'] }, targets: [new PipelineRuleTarget(imported, { parameters })] });
    expect(() => Template.fromStack(stack)).toThrow(
      'parameters has 201 entries, but EventBridge passes at most 200 to a pipeline; set fewer and let the rest keep their defaults.',
    );
  });

  test('an imported rule cannot take the target', () => {
    const stack = testStack();
    const rule = events.Rule.fromEventRuleArn(stack, 'Imported', 'arn:aws:events:us-east-1:123456789012:rule/existing');
    expect(() => new PipelineRuleTarget(pipelineIn(stack)).bind(rule)).toThrow(
      "[TestStack/Imported] PipelineRuleTarget needs an events.Rule of this app (it writes the pipeline parameters onto the rule's target); create the rule with new events.Rule().",
    );
  });

  test('parameters need a target id the rule generated', () => {
    const stack = testStack();
    const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['custom.test'] } });
    expect(() => new PipelineRuleTarget(pipelineIn(stack), { parameters: { Reason: 'x' } }).bind(rule, 'Custom')).toThrow(
      '[TestStack/Rule] PipelineRuleTarget with parameters must be added with rule.addTarget() (target id "Custom" is not one the rule generated).',
    );
  });

  test('a target added after others writes its parameters at its own index', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['custom.test'] } });
    rule.addTarget(new PipelineRuleTarget(pipeline));
    rule.addTarget(new PipelineRuleTarget(pipeline, { parameters: { Reason: 'second' } }));
    const targets = rules(stack)[0].Targets;
    expect(targets[0].SageMakerPipelineParameters).toBeUndefined();
    expect(targets[1]).toMatchObject({ Id: 'Target1', SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Reason', Value: 'second' }] } });
  });

  test('MlPipeline.asEventTarget is a PipelineRuleTarget: parameters (checked against the pipeline), dead-letter queue, a role under the rule', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const queue = new sqs.Queue(stack, 'Dlq', { enforceSSL: true });
    const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['custom.test'] } });
    rule.addTarget(pipeline.asEventTarget({ parameters: { Reason: 'event' }, deadLetterQueue: queue }));
    expect(rules(stack)[0].Targets).toEqual([
      {
        Id: 'Target0',
        Arn: stack.resolve(pipeline.pipelineArn),
        RoleArn: stack.resolve((rule.node.findChild('Target0EventsRole') as ManagedPolicyRole).roleArn),
        DeadLetterConfig: { Arn: stack.resolve(queue.queueArn) },
        SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Reason', Value: 'event' }] },
      },
    ]);

    const other = testStack();
    const otherPipeline = pipelineIn(other);
    new events.Rule(other, 'Rule', { eventPattern: { source: ['custom.test'] }, targets: [otherPipeline.asEventTarget({ parameters: { Cause: 'event' } })] });
    expect(() => Template.fromStack(other)).toThrow('parameters "Cause" is not a parameter of pipeline TestStack/Pipeline');
  });

  test("a dead-letter queue whose key is imported gets a warning naming the key policy to add", () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const queue = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: key, enforceSSL: true });
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric: new cloudwatch.Metric({ namespace: 'ns', metricName: 'm' }), threshold: 1, evaluationPeriods: 1 });
    pipelineIn(stack).startOnAlarm(alarm, { deadLetterQueue: queue });
    Annotations.fromStack(stack).hasWarning('/TestStack/Pipeline/OnAlarm', Match.stringLikeRegexp("The dead-letter queue's key TestStack/Key is imported or belongs to another stack"));
  });
});

describe('aws-cdk-lib integrations', () => {
  test('PipelineRuleTarget and EventBridge Scheduler\'s SageMakerStartPipelineExecution take an MlPipeline and an imported one', () => {
    const stack = testStack();
    const pipeline = pipelineIn(stack);
    const imported = MlPipeline.fromPipelineName(stack, 'Imported', 'existing-pipeline');
    for (const [id, p] of [['Own', pipeline], ['Other', imported]] as const) {
      new events.Rule(stack, `${id}Rule`, { eventPattern: { source: ['custom.test'] }, targets: [new PipelineRuleTarget(p, { parameters: { Reason: id } })] });
      new scheduler.Schedule(stack, `${id}Schedule`, {
        schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
        target: new SageMakerStartPipelineExecution(p, { pipelineParameterList: [{ name: 'Reason', value: id }] }),
      });
    }
    const template = Template.fromStack(stack);
    const targets = rules(stack).map((r) => r.Targets[0]);
    expect(targets.map((t) => t.Arn)).toEqual([stack.resolve(pipeline.pipelineArn), stack.resolve(imported.pipelineArn)]);
    expect(targets.map((t) => t.SageMakerPipelineParameters.PipelineParameterList[0])).toEqual([{ Name: 'Reason', Value: 'Own' }, { Name: 'Reason', Value: 'Other' }]);
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r) => r.Properties.Target);
    expect(schedules.map((t) => t.Arn)).toEqual([stack.resolve(pipeline.pipelineArn), stack.resolve(imported.pipelineArn)]);
    expect(schedules.map((t) => t.SageMakerPipelineParameters.PipelineParameterList[0].Value)).toEqual(['Own', 'Other']);
  });
});

describe('triggers under the nag packs and the IAM check', () => {
  test('the three triggers, their roles and the bucket notifications are clean and least-privilege', () => {
    const app = testApp();
    const stack = testStack(app);
    const pipeline = pipelineIn(stack);
    const monitor = monitorIn(stack);
    const data = new SecureBucket(stack, 'Landing');
    // The alarm of MonitorAlerts notifies a topic too (an alarm without actions is a finding of its own).
    const alerts = new MonitorAlerts(stack, 'Alerts', { monitor, thresholds: [{ metricName: 'feature_baseline_drift_credit_score', threshold: 0.1 }] });
    const alarm = alerts.alarms[0];
    pipeline.startOnMonitorViolations(monitor);
    pipeline.startOnAlarm(alarm, { parameters: { Reason: 'alarm' } });
    pipeline.startOnNewData(data, 'raw/');
    const template = Template.fromStack(stack);
    const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.includes('EventsRole'));
    expect(policies).toHaveLength(3);
    for (const [, policy] of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: 'sagemaker:StartPipelineExecution', Resource: stack.resolve(pipeline.pipelineArn) },
      ]);
    }
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expectNagClean(app);
    expectLeastPrivilege(stack);
  });
});
