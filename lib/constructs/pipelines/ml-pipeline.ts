import {
  Annotations,
  ArnFormat,
  Duration,
  IResource,
  Lazy,
  Resource,
  Stack,
  Token,
  aws_cloudwatch as cloudwatch,
  aws_events as events,
  aws_iam as iam,
  aws_s3 as s3,
  aws_s3_assets as s3_assets,
  aws_sagemaker as sagemaker,
  aws_scheduler as scheduler,
} from 'aws-cdk-lib';
import { aws_sagemaker as sagemakerRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JobReference } from '../jobs';
import { ManagedPolicyRole } from '../security';
import { integerProblem, isConcrete, throwIfProblems, validationError } from '../../private/errors';
import { acknowledgeWildcardResources } from '../../private/nag';
import { pathBasedName } from '../../private/names';
import { ConditionStep, PipelineStep, StepRenderContext } from './pipeline-step';
import { PipelineParameter } from './pipeline-parameter';
import { JsonGetReference, StepPropertyReference } from './step-references';
import { estimatedSize, renderReferences } from './definition-renderer';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';
import type { ModelMonitor } from '../monitoring';
import { PipelineRuleTarget, PipelineRuleTargetProps, PipelineTriggerOptions, startOnAlarm, startOnMonitorViolations, startOnNewData } from './pipeline-triggers';

/**
 * A SageMaker pipeline. Extends aws-cdk-lib's `aws_sagemaker.IPipeline`, so EventBridge
 * Scheduler and rule targets that take one accept it.
 */
export interface IMlPipeline extends IResource, sagemaker.IPipeline {
  // pipelineName and pipelineArn come from sagemaker.IPipeline (jsii refuses re-declared
  // interface members: they would be invalid C#).
}

/** Properties of an {@link MlPipeline}. */
export interface MlPipelineProps {
  /**
   * The steps (steps nested in condition branches are found through their condition step).
   * @default - none; add them with `addStep`
   */
  readonly steps?: PipelineStep[];
  /**
   * Parameters executions can set. Parameters used by steps are declared automatically.
   * @default - those the steps use
   */
  readonly parameters?: PipelineParameter[];
  /**
   * The pipeline name (pipelines are started by name, so one is generated from the path).
   * @default - generated from the stack name and construct path
   */
  readonly pipelineName?: string;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
  /**
   * The role the pipeline runs with.
   * @default - a new role that may pass the steps' roles and run exactly the steps' job types
   */
  readonly role?: iam.IRole;
  /**
   * The most steps running at once in an execution (`ParallelismConfiguration`); a whole number,
   * at least 1. The local runner follows it too.
   * @default - no limit: every step whose dependencies are done runs, as SageMaker does by default
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-pipeline.html#build-and-manage-pipeline-execution
   */
  readonly maxParallelSteps?: number;
  /**
   * Definitions larger than this (in characters) go to S3 as an asset
   * (`PipelineDefinitionS3Location`) instead of the template, so the template stays under
   * CloudFormation's 1 MB limit. A definition that holds deploy-time values (role ARNs, bucket
   * names), which SageMaker does not substitute in a file in S3, stays inline with a warning
   * up to {@link MlPipeline.MAX_INLINE_DEFINITION_SIZE}.
   * @default 100000 (a tenth of the 1 MB template limit)
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
   */
  readonly inlineDefinitionLimit?: number;
  /**
   * A prefix for the names of the processing, training and transform jobs the pipeline starts
   * (1-20 letters, digits and hyphens). SageMaker then names each job
   * `<prefix>-<execution id>-<token>-<attempt>`, and the pipeline role may create, describe and
   * stop only jobs whose names start with the prefix, instead of every `pipelines-*` job of
   * the account.
   * @default - SageMaker's `pipelines-<execution id>-...` names (the role is scoped to `pipelines-*`)
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html
   */
  readonly jobNamePrefix?: string;
}

/** Job ARN patterns of the jobs SageMaker Pipelines starts, per step type (`{jobs}`: the job name pattern). */
const STEP_PERMISSIONS: Record<string, { actions: string[]; resource: string }> = {
  Processing: { actions: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'], resource: 'processing-job/{jobs}' },
  Training: { actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'], resource: 'training-job/{jobs}' },
  Tuning: {
    actions: ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob', 'sagemaker:ListTrainingJobsForHyperParameterTuningJob'],
    resource: 'hyper-parameter-tuning-job/*',
  },
  Transform: { actions: ['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'], resource: 'transform-job/{jobs}' },
  // Pipelines names the models of Model steps like its jobs (pipelines-<execution id>-<step>-…).
  Model: { actions: ['sagemaker:CreateModel', 'sagemaker:DescribeModel'], resource: 'model/pipelines-*' },
};

/**
 * A SageMaker pipeline (AWS::SageMaker::Pipeline) built from steps that run job definitions.
 * References between steps are typed objects rendered to the pipeline language; the
 * definition is rendered at synth and validated (step names, ownership, references).
 */
export class MlPipeline extends Resource implements IMlPipeline {
  /**
   * The largest definition (in characters) kept inline in the template: CloudFormation
   * templates are at most 1,000,000 bytes (uploaded through S3), and SageMaker's
   * `PipelineDefinition` at most 1,048,576 characters; the rest of the template needs room too.
   */
  public static readonly MAX_INLINE_DEFINITION_SIZE = 900_000;

  /** An existing pipeline by name. */
  public static fromPipelineName(scope: Construct, id: string, pipelineName: string): IMlPipeline {
    class Import extends Resource implements IMlPipeline {
      public readonly pipelineName = pipelineName;
      public readonly pipelineArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: pipelineName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
      public get pipelineRef(): sagemakerRefs.PipelineReference {
        return { pipelineName: this.pipelineName };
      }
      public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
        return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:StartPipelineExecution'], resourceArns: [this.pipelineArn] });
      }
    }
    return new Import(scope, id);
  }

  public readonly pipelineName: string;
  public readonly pipelineArn: string;
  /** The role the pipeline runs with. */
  public readonly role: iam.IRole;
  private readonly steps: PipelineStep[] = [];
  private readonly parameters: PipelineParameter[];
  private readonly props: MlPipelineProps;
  private rendered?: { definition: unknown; size: number };

  constructor(scope: Construct, id: string, props: MlPipelineProps = {}) {
    const name = props.pipelineName ?? pathBasedName(scope, id, 256);
    super(scope, id, { physicalName: name });
    assertSingleCdkLib(this);
    const problems: string[] = [];
    // PipelineName: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePipeline.html#sagemaker-CreatePipeline-request-PipelineName
    if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/.test(name)) {
      problems.push(`pipelineName "${name}" (${name.length} characters) must be 1-256 letters, digits and hyphens, starting and ending with a letter or digit; rename it, or leave it unset for a name from the construct path.`);
    }
    const prefix = props.jobNamePrefix;
    if (prefix !== undefined && !Token.isUnresolved(prefix) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,19}$/.test(prefix)) {
      problems.push(
        `jobNamePrefix "${prefix}" must be 1-20 letters, digits and hyphens, starting and ending with a letter or digit: ` +
          'SageMaker appends the execution id and a token, and job names are at most 63 characters.',
      );
    }
    // MaxParallelExecutionSteps: Integer, minimum 1.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ParallelismConfiguration.html
    const parallel = props.maxParallelSteps;
    const parallelProblem =
      integerProblem('maxParallelSteps', parallel) ??
      (isConcrete(parallel) && parallel < 1 ? `maxParallelSteps is ${parallel}, but SageMaker runs at least 1 step at a time; set 1 or more, or leave it unset for no limit.` : undefined);
    if (parallelProblem) problems.push(parallelProblem);
    throwIfProblems(this, problems);
    this.props = props;
    this.parameters = [...(props.parameters ?? [])];
    this.pipelineName = name;
    this.pipelineArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const role = props.role ?? new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: `Runs SageMaker pipeline ${this.node.path}`,
    });
    this.role = role;
    for (const step of props.steps ?? []) this.addStep(step);

    const resource = new sagemaker.CfnPipeline(this, 'Resource', {
      pipelineName: name,
      pipelineDescription: props.description,
      roleArn: role.roleArn,
      parallelismConfiguration: parallel !== undefined ? { MaxParallelExecutionSteps: parallel } : undefined,
      pipelineDefinition: Lazy.any({ produce: () => this.definitionProperty() }),
    });
    resource.node.addDependency(role);
    this.node.addValidation({ validate: () => this.validateSteps() });
  }

  /** The `IPipelineRef` shape aws-cdk-lib integrations read. */
  public get pipelineRef(): sagemakerRefs.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  /** Adds top-level steps (steps of condition branches come with their condition step). */
  public addStep(...steps: PipelineStep[]): void {
    for (const step of steps) {
      for (const s of [step, ...flatten(step.nestedSteps)]) {
        if (s.ownerPath && s.ownerPath !== this.node.path) {
          throw validationError(this, `step "${s.stepName}" already belongs to pipeline ${s.ownerPath}; a step belongs to one pipeline, so create another step.`);
        }
        s.ownerPath = this.node.path;
      }
      this.steps.push(step);
      const context = this.stepContext();
      for (const s of [step, ...flatten(step.nestedSteps)]) {
        s._prepare(context);
        this.grantStepType(s.stepType);
      }
      for (const role of context.passRoles) this.grantPassRole(role);
    }
  }

  /** All steps, condition branches included. */
  public get allSteps(): PipelineStep[] {
    return flatten(this.steps);
  }

  /** Lets `grantee` start executions. */
  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:StartPipelineExecution'], resourceArns: [this.pipelineArn] });
  }

  /** Lets `grantee` start, watch and stop executions. */
  public grantOperate(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'sagemaker:StartPipelineExecution', 'sagemaker:StopPipelineExecution', 'sagemaker:DescribePipeline', 'sagemaker:ListPipelineExecutions',
        'sagemaker:DescribePipelineExecution', 'sagemaker:ListPipelineExecutionSteps', 'sagemaker:ListPipelineParametersForExecution',
      ],
      resourceArns: [this.pipelineArn, `${this.pipelineArn}/execution/*`],
    });
  }

  /**
   * Starts the pipeline on a schedule with EventBridge Scheduler (e.g. weekly).
   * @param expression e.g. `scheduler.ScheduleExpression.cron({ weekDay: 'MON', hour: '2', minute: '0' })`
   */
  public addSchedule(id: string, expression: scheduler.ScheduleExpression, description?: string): scheduler.CfnSchedule {
    const role = new ManagedPolicyRole(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(this).account } }),
      description: `Lets EventBridge Scheduler start ${this.node.path}`,
    });
    this.grantStartPipelineExecution(role);
    const schedule = new scheduler.CfnSchedule(this, id, {
      scheduleExpression: expression.expressionString,
      scheduleExpressionTimezone: expression.timeZone?.timezoneName,
      flexibleTimeWindow: { mode: 'OFF' },
      description: description ?? `Starts SageMaker pipeline ${this.node.path}`,
      target: {
        // Universal target, in the stack's partition (arn:aws-cn:scheduler:... in China):
        // https://docs.amazonaws.cn/en_us/scheduler/latest/UserGuide/managing-targets-universal.html
        arn: `arn:${Stack.of(this).partition}:scheduler:::aws-sdk:sagemaker:startPipelineExecution`,
        roleArn: role.roleArn,
        // The execution id of the schedule's invocation, the same on Scheduler's retries, makes a
        // retried start idempotent: SageMaker returns the execution the first attempt started.
        // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
        input: Stack.of(this).toJsonString({ PipelineName: this.pipelineName, ClientRequestToken: '<aws.scheduler.execution-id>' }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: Duration.hours(1).toSeconds() },
      },
    });
    schedule.node.addDependency(role);
    return schedule;
  }

  /** Starts the pipeline every week (Monday 02:00 UTC by default). */
  public scheduleWeekly(weekDay: string = 'MON', hour: number = 2): scheduler.CfnSchedule {
    return this.addSchedule('WeeklySchedule', scheduler.ScheduleExpression.cron({ weekDay, hour: String(hour), minute: '0' }), 'Weekly run');
  }

  /**
   * An EventBridge rule target that starts the pipeline (e.g. on new data in S3), with a role
   * that may start exactly this pipeline: the same as `new PipelineRuleTarget(pipeline, props)`.
   * @param props values for the pipeline's parameters and a dead-letter queue (by default
   * none: every parameter keeps its default and undeliverable events are dropped)
   */
  public asEventTarget(props: PipelineRuleTargetProps = {}): events.IRuleTarget {
    return new PipelineRuleTarget(this, props);
  }

  /**
   * Starts the pipeline (e.g. retraining) when a monitoring execution of `monitor` completes
   * with violations: an EventBridge rule on the monitor's processing jobs whose exit message
   * reports `CompletedWithViolations`, for this monitor's schedule only. To start on a metric
   * threshold instead, pass an alarm on `monitor.metric(...)` to `startOnAlarm`.
   * @returns the rule (id `OnMonitorViolations`, then `OnMonitorViolations2`, ...)
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-results.html
   */
  public startOnMonitorViolations(monitor: ModelMonitor, options: PipelineTriggerOptions = {}): events.Rule {
    return startOnMonitorViolations(this, monitor, options);
  }

  /**
   * Starts the pipeline when `alarm` changes to the ALARM state (EventBridge "CloudWatch Alarm
   * State Change" events of that alarm).
   * @returns the rule (id `OnAlarm`, then `OnAlarm2`, ...)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
   */
  public startOnAlarm(alarm: cloudwatch.IAlarm, options: PipelineTriggerOptions = {}): events.Rule {
    return startOnAlarm(this, alarm, options);
  }

  /**
   * Starts the pipeline when objects are created in `bucket` under `prefix` (S3 "Object Created"
   * events through EventBridge). Turns on the EventBridge notifications of a bucket of this app;
   * for an imported bucket a warning says they must be on.
   * @param prefix the key prefix, e.g. `raw/` (no leading slash); `''` for the whole bucket
   * @returns the rule (id `OnNewData`, then `OnNewData2`, ...)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
   */
  public startOnNewData(bucket: s3.IBucket, prefix: string, options: PipelineTriggerOptions = {}): events.Rule {
    return startOnNewData(this, bucket, prefix, options);
  }

  /** The rendered definition (JSON text with deploy-time placeholders), for tests and tools. */
  public renderDefinitionJson(): unknown {
    return Stack.of(this).resolve(this.render().definition);
  }

  private render() {
    if (!this.rendered) {
      this.renderDefinitionOnce();
    }
    return this.rendered!;
  }

  /** The context steps are prepared and rendered with. */
  private stepContext(): StepRenderContext {
    return { passRoles: new Set<iam.IRole>(), scope: this, pipelineRole: this.role, jobNamePrefix: this.props.jobNamePrefix };
  }

  /** Renders the definition (roles and permissions were granted when the steps were added). */
  private renderDefinitionOnce(): void {
    const parameters = new Map(this.parameters.map((p) => [p.name, p]));
    const jobSteps = new Map<string, string>();
    for (const step of this.allSteps) for (const job of step.jobs) jobSteps.set(job.node.path, step.stepName);
    const foreign: string[] = [];
    const stepNames = new Set(this.allSteps.map((s) => s.stepName));
    const definition = {
      Version: '2020-12-01',
      Metadata: {},
      Parameters: [] as unknown[],
      Steps: this.steps.map((s) => s._render(this.stepContext())),
    };
    const rendered = renderReferences(definition, {
      stepOfJob: (jobPath) => jobSteps.get(jobPath),
      onReference: (reference: JobReference) => {
        if (reference instanceof PipelineParameter && !parameters.has(reference.name)) parameters.set(reference.name, reference);
        if (reference instanceof StepPropertyReference && !stepNames.has(reference.step.stepName)) foreign.push(reference.description);
        if (reference instanceof JsonGetReference && (!reference.propertyFile.stepName || !stepNames.has(reference.propertyFile.stepName))) foreign.push(reference.description);
      },
    }) as { Parameters: unknown[] };
    if (foreign.length) {
      throw validationError(this, `steps reference steps that are not in this pipeline: ${[...new Set(foreign)].join('; ')}. Add those steps to the pipeline, or pass a static S3 location.`);
    }
    rendered.Parameters = [...parameters.values()].map((p) => p._renderDeclaration());
    this.rendered = { definition: rendered, size: estimatedSize(rendered, Stack.of(this)) };
  }

  private readonly passedRoles = new Set<iam.IRole>();
  private readonly grantedStepTypes = new Set<string>();

  private grantPassRole(passRole: iam.IRole): void {
    if (this.passedRoles.has(passRole)) return;
    this.passedRoles.add(passRole);
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['iam:PassRole'],
      resourceArns: [passRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
  }

  private grantStepType(type: string): void {
    const permission = STEP_PERMISSIONS[type];
    if (!permission || this.grantedStepTypes.has(type)) return;
    this.grantedStepTypes.add(type);
    // SageMaker lower-cases job names in ARNs.
    const jobs = this.props.jobNamePrefix ? `${this.props.jobNamePrefix.toLowerCase()}-*` : 'pipelines-*';
    const [resource, resourceName] = permission.resource.replace('{jobs}', jobs).split('/');
    const resourceArn = Stack.of(this).formatArn({ service: 'sagemaker', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: [...permission.actions, 'sagemaker:AddTags'],
      resourceArns: [resourceArn],
    });
    // Only on the pipeline's own role: a role the user passes keeps its findings.
    if (this.role.node.scope === this) {
      acknowledgeWildcardResources(
        this.role,
        [resourceArn],
        type === 'Tuning'
          ? 'SageMaker Pipelines gives the tuning jobs it starts generated names that no prefix option controls; scoped to hyper-parameter tuning jobs of this account and region.'
          : `SageMaker Pipelines names the ${type.toLowerCase()} ${type === 'Model' ? 'models' : 'jobs'} it starts at run time ("pipelines-<execution id>-<step>-...", or the jobNamePrefix); the role may act only on names with that prefix.`,
      );
    }
  }

  private definitionProperty(): Record<string, unknown> {
    // PipelineDefinition is untyped in the L1, so its keys are written as CloudFormation has them.
    const rendered = this.render();
    const limit = this.props.inlineDefinitionLimit ?? 100_000;
    const stack = Stack.of(this);
    if (rendered.size <= limit) return { PipelineDefinitionBody: stack.toJsonString(rendered.definition) };
    const resolved = JSON.stringify(stack.resolve(rendered.definition));
    if (/"(Ref|Fn::[A-Za-z]+)":/.test(resolved)) {
      if (rendered.size > MlPipeline.MAX_INLINE_DEFINITION_SIZE) {
        throw validationError(
          this,
          `the pipeline definition is ${rendered.size} characters and holds deploy-time values (role ARNs, bucket names) that a definition in S3 cannot receive, ` +
            `so it must stay inline, but the template allows at most ${MlPipeline.MAX_INLINE_DEFINITION_SIZE}. ` +
            'Split the pipeline into several pipelines, or pass imported roles and buckets with fixed ARNs and names so the definition holds no deploy-time values.',
        );
      }
      Annotations.of(this).addWarningV2(
        'sagemaker-cdk:largeInlinePipelineDefinition',
        `The pipeline definition is ${rendered.size} characters (above inlineDefinitionLimit ${limit}) but holds deploy-time values, so it stays in the template ` +
          'and counts against its 1 MB limit. Use imported roles and buckets with fixed ARNs and names to let it move to S3.',
      );
      return { PipelineDefinitionBody: stack.toJsonString(rendered.definition) };
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smcdk-pipeline-')), 'definition.json');
    fs.writeFileSync(file, resolved);
    const asset = new s3_assets.Asset(this, 'DefinitionAsset', { path: file });
    asset.grantRead(this.role);
    return { PipelineDefinitionS3Location: { Bucket: asset.s3BucketName, Key: asset.s3ObjectKey } };
  }

  private validateSteps(): string[] {
    const problems: string[] = [];
    const names = this.allSteps.map((s) => s.stepName);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length) problems.push(`step names must be unique in a pipeline, but ${[...new Set(repeated)].join(', ')} repeat; rename the steps so each name is used once.`);
    if (this.steps.length === 0) problems.push('the pipeline has no steps; add steps with the steps prop or addStep().');
    const inPipeline = new Set(this.allSteps);
    for (const step of this.allSteps) {
      for (const dependency of step.explicitDependencies) {
        if (!inPipeline.has(dependency)) problems.push(`step "${step.stepName}" depends on "${dependency.stepName}", which is not in this pipeline; add "${dependency.stepName}" to the pipeline or remove it from dependsOn.`);
      }
      if (step instanceof ConditionStep) {
        for (const condition of step.conditions) {
          for (const side of [condition.left, condition.right]) {
            const text = String(Stack.of(this).resolve(side));
            if (JobReference.holdsReference(text)) {
              for (const part of JobReference._split(text)) {
                if (part instanceof JobReference && !part.isNumeric) {
                  problems.push(`condition step "${step.stepName}" compares ${part.description}, which is not numeric; compare numbers (PropertyFile.getNumber, numeric parameters).`);
                }
              }
            }
          }
        }
      }
    }
    return problems;
  }
}

function flatten(steps: PipelineStep[]): PipelineStep[] {
  return steps.flatMap((s) => [s, ...flatten(s.nestedSteps)]);
}
