import { Duration, Stack, aws_cloudwatch as cloudwatch, aws_kms as kms, aws_scheduler as scheduler, aws_sns as sns, aws_sqs as sqs } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { FailStep, MlPipeline } from '../../../lib/constructs/pipelines';
import { ApprovedVersionParameter, ModelPackageGroup } from '../../../lib/constructs/registry';
import { PublishingService, allowServiceToUseTopicKey } from '../../../lib/constructs/security/topic-key-access';
import { envAgnosticStack, testApp, testStack } from '../../helpers';

// ARNs the library writes itself (not through formatArn) follow the stack's partition: aws-cn in
// the China regions, AWS::Partition in env-agnostic stacks.

function chinaStack(): Stack {
  return testStack(testApp(), 'China', { env: { account: '123456789012', region: 'cn-north-1' } });
}

function pipelineIn(stack: Stack): MlPipeline {
  return new MlPipeline(stack, 'Pipeline', { steps: [new FailStep('Stop', 'placeholder step')] });
}

function scheduleTargetArn(stack: Stack): unknown {
  pipelineIn(stack).addSchedule('Weekly', scheduler.ScheduleExpression.rate(Duration.days(7)));
  const [schedule] = Object.values(Template.fromStack(stack).findResources('AWS::Scheduler::Schedule')) as Array<{ Properties: { Target: { Arn: unknown } } }>;
  return schedule.Properties.Target.Arn;
}

const IMPORTED_KEY = (region: string, partition: string) => `arn:${partition}:kms:${region}:123456789012:key/11111111-2222-3333-4444-555555555555`;

describe('partition-aware ARNs', () => {
  test('the pipeline schedule targets the universal target of the stack partition', () => {
    expect(scheduleTargetArn(chinaStack())).toBe('arn:aws-cn:scheduler:::aws-sdk:sagemaker:startPipelineExecution');
    expect(scheduleTargetArn(testStack())).toBe('arn:aws:scheduler:::aws-sdk:sagemaker:startPipelineExecution');
    expect(scheduleTargetArn(envAgnosticStack())).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:sagemaker:startPipelineExecution']] });
  });

  test("the approved-version parameter's constraint shows the ARN of the stack partition", () => {
    const description = (stack: Stack): string => {
      const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'Group', 'loan-default');
      return new ApprovedVersionParameter(stack, 'Version', group).parameter.constraintDescription!;
    };
    expect(description(chinaStack())).toContain('arn:aws-cn:sagemaker:<region>:<account>:model-package/<group>/<version>');
    expect(description(testStack())).toContain('arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>');
    expect(description(envAgnosticStack())).toContain('arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>');
  });

  test("the warning for an imported dead-letter queue key names the China rule ARN pattern", () => {
    const stack = chinaStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', IMPORTED_KEY('cn-north-1', 'aws-cn'));
    const queue = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: key, enforceSSL: true });
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric: new cloudwatch.Metric({ namespace: 'ns', metricName: 'm' }), threshold: 1, evaluationPeriods: 1 });
    pipelineIn(stack).startOnAlarm(alarm, { deadLetterQueue: queue });
    Annotations.fromStack(stack).hasWarning('/China/Pipeline/OnAlarm', Match.stringLikeRegexp('"aws:SourceArn": "arn:aws-cn:events:<region>:<account>:rule/\\*"'));
  });

  test("the warning for an imported topic key names the China alarm and rule ARN patterns", () => {
    const stack = chinaStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', IMPORTED_KEY('cn-north-1', 'aws-cn'));
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
    allowServiceToUseTopicKey(new Construct(stack, 'Alarms'), topic, PublishingService.CLOUDWATCH);
    allowServiceToUseTopicKey(new Construct(stack, 'Rules'), topic, PublishingService.EVENTBRIDGE);
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/China/Alarms', Match.stringLikeRegexp('"aws:SourceArn": "arn:aws-cn:cloudwatch:<region>:<account>:alarm:\\*"'));
    annotations.hasWarning('/China/Rules', Match.stringLikeRegexp('"aws:SourceArn": "arn:aws-cn:events:<region>:<account>:rule/\\*"'));
  });
});
