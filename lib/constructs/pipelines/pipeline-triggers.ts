import {
  Annotations,
  Stack,
  Token,
  aws_cloudwatch as cloudwatch,
  aws_events as events,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../security';
import { turnOnEventBridgeNotifications } from '../../private/bucket-eventbridge';
import { validationError } from '../../private/errors';
import type { ModelMonitor } from '../monitoring';
import type { IMlPipeline } from './ml-pipeline';

/** Options shared by the ways {@link MlPipeline} can be started by an EventBridge rule. */
export interface PipelineTriggerOptions {
  /**
   * Values for the pipeline's parameters in the executions the rule starts. Every name must be a
   * parameter the pipeline declares (an unknown name fails synth); parameters left out keep
   * their defaults.
   * @default - none: every parameter keeps its default
   * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_SageMakerPipelineParameters.html
   */
  readonly parameters?: Record<string, string>;
  /**
   * A description of the rule.
   * @default - says which pipeline the rule starts and on what
   */
  readonly description?: string;
  /**
   * Whether the rule is enabled.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * A queue for events EventBridge could not deliver (for example when the pipeline cannot be
   * started). The queue policy lets only this rule send to it; when the queue is encrypted with a
   * KMS key of this stack, the key policy lets EventBridge use the key for rules of this account.
   * @default - none: undeliverable events are dropped after EventBridge's retries
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * A physical name for the rule.
   * @default - a name CloudFormation generates
   */
  readonly ruleName?: string;
}

/** Properties of a {@link PipelineRuleTarget}. */
export interface PipelineRuleTargetProps {
  /**
   * Values for the pipeline's parameters in the executions the rule starts. For an
   * {@link MlPipeline} every name must be a declared parameter (checked at synth).
   * @default - none: every parameter keeps its default
   */
  readonly parameters?: Record<string, string>;
  /**
   * A queue for events EventBridge could not deliver.
   * @default - none
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/** EventBridge takes at most 200 pipeline parameters per target. */
const MAX_PARAMETERS = 200;

/**
 * An EventBridge rule target that starts a SageMaker pipeline (an {@link MlPipeline} or one
 * imported with `MlPipeline.fromPipelineName`), with a role that may start exactly that pipeline.
 *
 * aws-cdk-lib has no SageMaker pipeline target for EventBridge rules (aws-events-targets), and
 * its `RuleTargetConfig` has no field for `SageMakerPipelineParameters`, so the parameters are
 * written onto the rule's target with a property override.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-events-rule-target.html
 */
export class PipelineRuleTarget implements events.IRuleTarget {
  /**
   * @param pipeline the pipeline the rule starts
   * @param props parameters and dead-letter queue
   */
  constructor(private readonly pipeline: IMlPipeline, private readonly props: PipelineRuleTargetProps = {}) {}

  /** Called by `rule.addTarget()`: creates the rule's role for this pipeline and renders the target. */
  public bind(rule: events.IRuleRef, id?: string): events.RuleTargetConfig {
    if (!(rule instanceof events.Rule)) {
      throw validationError(rule, "PipelineRuleTarget needs an events.Rule of this app (it writes the pipeline parameters onto the rule's target); create the rule with new events.Rule().");
    }
    const targetId = id ?? 'Target0';
    const role = new ManagedPolicyRole(rule, `${targetId}EventsRole`, {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(rule).account } }),
      description: `Lets EventBridge rule ${rule.node.path} start SageMaker pipeline ${this.pipeline.node.path}`,
    });
    // sagemaker:StartPipelineExecution on the pipeline ARN only.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
    this.pipeline.grantStartPipelineExecution(role);

    const parameters = this.props.parameters ?? {};
    const names = Object.keys(parameters);
    if (names.length > 0) {
      const index = /^Target(\d+)$/.exec(targetId);
      if (!index) {
        throw validationError(rule, `PipelineRuleTarget with parameters must be added with rule.addTarget() (target id "${targetId}" is not one the rule generated).`);
      }
      (rule.node.defaultChild as events.CfnRule).addPropertyOverride(`Targets.${index[1]}.SageMakerPipelineParameters`, {
        PipelineParameterList: names.map((name) => ({ Name: name, Value: parameters[name] })),
      });
      rule.node.addValidation({ validate: () => this.parameterProblems(names) });
    }

    const queue = this.props.deadLetterQueue;
    if (queue) allowRuleToUseQueue(rule, queue);
    return {
      arn: this.pipeline.pipelineArn,
      role,
      deadLetterConfig: queue ? { arn: queue.queueArn } : undefined,
    };
  }

  private parameterProblems(names: string[]): string[] {
    const problems: string[] = [];
    if (names.length > MAX_PARAMETERS) {
      problems.push(`parameters has ${names.length} entries, but EventBridge passes at most ${MAX_PARAMETERS} to a pipeline; set fewer and let the rest keep their defaults.`);
    }
    const declared = declaredParameterNames(this.pipeline);
    // An imported pipeline's parameters are unknown here.
    if (declared === undefined) return problems;
    const unknown = names.filter((n) => !Token.isUnresolved(n) && !declared.includes(n));
    if (unknown.length > 0) {
      problems.push(
        `parameters ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length === 1 ? 'is not a parameter' : 'are not parameters'} of pipeline ${this.pipeline.node.path}, ` +
          `which declares ${declared.length ? declared.map((n) => `"${n}"`).join(', ') : 'no parameters'}. ` +
          'Use a declared name, or declare the parameter in the pipeline (its parameters prop, or a step that uses it).',
      );
    }
    return problems;
  }
}

/** The names of the parameters an MlPipeline declares, or undefined for an imported pipeline. */
function declaredParameterNames(pipeline: IMlPipeline): string[] | undefined {
  if (!('renderDefinitionJson' in pipeline) || typeof pipeline.renderDefinitionJson !== 'function') return undefined;
  const definition = pipeline.renderDefinitionJson() as { Parameters?: Array<{ Name: string }> };
  return (definition.Parameters ?? []).map((p) => p.Name);
}

/**
 * Lets only `rule` send to the dead-letter queue, and EventBridge use the queue's key.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
function allowRuleToUseQueue(rule: events.Rule, queue: sqs.IQueue): void {
  const stack = Stack.of(rule);
  const result = queue.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    }),
  );
  if (!result.statementAdded) {
    Annotations.of(rule).addWarningV2(
      'sagemaker-cdk:deadLetterQueuePolicy',
      `The dead-letter queue ${queue.node.path} is imported, so its policy cannot be changed here. Add to its queue policy: Allow, Principal {"Service": "events.amazonaws.com"}, ` +
        `Action "sqs:SendMessage", Resource the queue ARN, Condition {"ArnEquals": {"aws:SourceArn": "<the ARN of rule ${rule.node.path}>"}}; otherwise undeliverable events are lost.`,
    );
  }
  const key = queue.encryptionMasterKey;
  if (!key) return;
  if (key instanceof kms.Key && Stack.of(key) === stack) {
    // The key cannot name this rule: the rule refers to the queue, which refers to the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
        },
      }),
    );
    return;
  }
  Annotations.of(rule).addWarningV2(
    'sagemaker-cdk:deadLetterQueueKeyPolicy',
    `The dead-letter queue's key ${key.node.path} is imported or belongs to another stack, so its key policy cannot be changed here. Add to it: Allow, Principal {"Service": "events.amazonaws.com"}, ` +
      `Action ["kms:Decrypt", "kms:GenerateDataKey"], Resource "*", Condition {"ArnLike": {"aws:SourceArn": "arn:${Token.isUnresolved(stack.partition) ? '<partition>' : stack.partition}:events:<region>:<account>:rule/*"}}; otherwise EventBridge cannot write to the queue.`,
  );
}

/** A child id of `scope` not taken yet: `base`, then `base2`, `base3`, ... */
function freeId(scope: Construct, base: string): string {
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id); n++) id = `${base}${n}`;
  return id;
}

/** What each trigger contributes: a rule id, its event pattern and its default description. */
interface TriggerEvent {
  readonly id: string;
  readonly eventPattern: events.EventPattern;
  readonly description: string;
}

function createTrigger(pipeline: IMlPipeline & Construct, trigger: TriggerEvent, options: PipelineTriggerOptions): events.Rule {
  const rule = new events.Rule(pipeline, freeId(pipeline, trigger.id), {
    ruleName: options.ruleName,
    description: options.description ?? trigger.description,
    enabled: options.enabled ?? true,
    eventPattern: trigger.eventPattern,
  });
  rule.addTarget(new PipelineRuleTarget(pipeline, { parameters: options.parameters, deadLetterQueue: options.deadLetterQueue }));
  return rule;
}

/**
 * When a monitoring execution of `monitor` completes with violations.
 *
 * Model Monitor runs each execution as a processing job and reports its result in the job's
 * exit message (`CompletedWithViolations: ...`, the monitoring execution status); the job's
 * environment carries `sagemaker_monitoring_schedule_name`, which ties it to the schedule.
 * The documented processing-job event sample shows neither field, so the match relies on the
 * event detail mirroring DescribeProcessingJob (which documents both); `startOnAlarm` over the
 * monitor's CloudWatch metrics does not.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-results.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-contract-inputs.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeProcessingJob.html
 */
export function startOnMonitorViolations(pipeline: IMlPipeline & Construct, monitor: ModelMonitor, options: PipelineTriggerOptions): events.Rule {
  return createTrigger(
    pipeline,
    {
      id: 'OnMonitorViolations',
      description: `Starts SageMaker pipeline ${pipeline.node.path} when monitor ${monitor.node.path} finds violations`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Processing Job State Change'],
        detail: {
          ProcessingJobStatus: ['Completed'],
          ExitMessage: [{ prefix: 'CompletedWithViolations' }],
          Environment: { sagemaker_monitoring_schedule_name: [monitor.monitoringScheduleName] },
        },
      },
    },
    options,
  );
}

/**
 * When `alarm` goes into the ALARM state.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
export function startOnAlarm(pipeline: IMlPipeline & Construct, alarm: cloudwatch.IAlarm, options: PipelineTriggerOptions): events.Rule {
  return createTrigger(
    pipeline,
    {
      id: 'OnAlarm',
      description: `Starts SageMaker pipeline ${pipeline.node.path} when alarm ${alarm.node.path} goes into ALARM`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [alarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
    },
    options,
  );
}

/**
 * When an object is created in `bucket` under `prefix`. S3 sends these events to EventBridge
 * only when the bucket's EventBridge notifications are on: they are turned on for a bucket of
 * this app, and a warning says so for an imported bucket.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html
 */
export function startOnNewData(pipeline: IMlPipeline & Construct, bucket: s3.IBucket, prefix: string, options: PipelineTriggerOptions): events.Rule {
  if (!Token.isUnresolved(prefix) && prefix.startsWith('/')) {
    throw validationError(
      pipeline,
      `startOnNewData prefix "${prefix}" starts with "/", but S3 object keys do not, so no object would match; write the prefix without the leading slash ("${prefix.replace(/^\/+/, '')}").`,
    );
  }
  const rule = createTrigger(
    pipeline,
    {
      id: 'OnNewData',
      description: `Starts SageMaker pipeline ${pipeline.node.path} when objects are created in ${bucket.node.path}${prefix ? ` under ${prefix}` : ''}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [bucket.bucketName] },
          ...(prefix ? { object: { key: [{ prefix }] } } : {}),
        },
      },
    },
    options,
  );
  if (!turnOnEventBridgeNotifications(bucket)) {
    Annotations.of(rule).addWarningV2(
      'sagemaker-cdk:bucketEventBridgeNotifications',
      `Bucket ${bucket.node.path} is imported, so its EventBridge notifications cannot be turned on here; S3 sends "Object Created" events to EventBridge only when they are on. ` +
        'Turn them on for the bucket (S3 console: Properties > Amazon EventBridge, or put-bucket-notification-configuration with EventBridgeConfiguration).',
    );
  }
  return rule;
}
