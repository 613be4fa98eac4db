import { ArnFormat, Aws, Lazy, Stack, aws_iam as iam, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HyperparameterTuningJob, IJobDefinition, JobKind, ProcessingJob, TrainingJob, TransformJob } from '../jobs';
import { throwIfProblems, validationError } from '../../private/errors';
import { JobName, JobNameConfig } from './job-name';
import { JobRetry } from './job-retry';
import { ResultLookup, renderParameters } from './parameters-renderer';
import { passRoleStatement } from '../../private/pass-role';
import { GENERATED_NAMES_REASON, declareWorkflowWildcards } from '../../private/workflow-wildcards';

/** Properties of a {@link SageMakerJobState}. */
export interface SageMakerJobStateProps {
  /** The job definition the state runs (processing, training, tuning or transform). */
  readonly job: IJobDefinition;
  /**
   * The state's name: 1-80 letters and digits, unique in the state machine. It is part of the
   * job names and of the JSONPath of the state's result (`$.<state name>`).
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * How the job is named.
   * @default JobName.fromExecutionName() (JobName.hashOfExecutionName() for tuning jobs)
   */
  readonly jobName?: JobName;
  /**
   * How the state is retried; an empty list switches retrying off.
   * @default [JobRetry.serviceErrors()] (60 s, 5 attempts, backoff 2 on SageMaker, throttling and capacity errors)
   */
  readonly retries?: JobRetry[];
  /**
   * The model a transform job uses: a model name, or an expression (a JSONPath starting with
   * `$`, or an intrinsic function such as `SageMakerModelState.modelNameExpression`) of a model
   * an earlier state created. Ignored for other job kinds.
   * @default - the transform job's own model
   */
  readonly modelName?: string;
  /**
   * A comment on the state.
   * @default - describes the job
   */
  readonly comment?: string;
}

/** The request fields and integration of each job kind. */
const KINDS: Record<JobKind, { readonly api: string; readonly nameKey: string; readonly arnResource: string; readonly actions: string[] }> = {
  [JobKind.PROCESSING]: {
    api: 'createProcessingJob', nameKey: 'ProcessingJobName', arnResource: 'processing-job',
    actions: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'],
  },
  [JobKind.TRAINING]: {
    api: 'createTrainingJob', nameKey: 'TrainingJobName', arnResource: 'training-job',
    actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
  },
  [JobKind.TUNING]: {
    api: 'createHyperParameterTuningJob', nameKey: 'HyperParameterTuningJobName', arnResource: 'hyper-parameter-tuning-job',
    actions: ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob'],
  },
  [JobKind.TRANSFORM]: {
    api: 'createTransformJob', nameKey: 'TransformJobName', arnResource: 'transform-job',
    actions: ['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'],
  },
};

/** State names this runner accepts: they become part of job names and JSONPaths. */
const STATE_NAME = /^[A-Za-z][A-Za-z0-9]{0,79}$/;

/**
 * A Step Functions task state that runs a job definition with the optimized `.sync` SageMaker
 * integration (`arn:<partition>:states:::sagemaker:create<Kind>Job.sync`): it starts the job
 * with the request the definition renders, waits for it to finish and puts the job's Describe
 * output at `$.<state name>`, where later states read it (model artifacts, best training job).
 *
 * Grant the permissions it needs with
 * {@link SageMakerJobState.policyStatements} or run it in an `MlWorkflow`, which does.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 */
export class SageMakerJobState extends sfn.CustomState {
  /** The job definition the state runs. */
  public readonly job: IJobDefinition;
  // The state's name is `stateId` (inherited): `stateName` and `resultPath` are protected members
  // of sfn.State, which jsii does not let a subclass make public.
  /** Where the state puts the job's Describe output, e.g. `$.Train`. */
  public readonly resultJsonPath: string;
  /** The Step Functions integration the state calls. */
  public readonly integrationArn: string;
  /** The job name expression and the ARN pattern every name matches. */
  public readonly jobNameConfig: JobNameConfig;
  private lookup: ResultLookup = { resultPathOfJob: () => undefined };

  constructor(scope: Construct, id: string, props: SageMakerJobStateProps) {
    const kind = KINDS[props.job.kind as JobKind];
    const integrationArn = kind ? `arn:${Aws.PARTITION}:states:::sagemaker:${kind.api}.sync` : '';
    const holder: { state?: SageMakerJobState } = {};
    super(scope, id, {
      stateJson: {
        Type: 'Task',
        Comment: props.comment ?? `Runs SageMaker ${String(props.job.kind).toLowerCase()} job ${props.job.node.path}`,
        Resource: integrationArn,
        Parameters: Lazy.any({ produce: () => holder.state!._renderParameters() }),
        ResultPath: `$.${props.stateName ?? id}`,
      },
    });
    holder.state = this;
    if (!kind || !isRunnable(props.job)) {
      throw validationError(
        this,
        `cannot run job definition ${props.job.node.path} (kind "${String(props.job.kind)}"): the Step Functions runner runs ProcessingJob, TrainingJob, ` +
          'HyperparameterTuningJob and TransformJob definitions, whose requests it renders. Wrap other work in a sfn.CustomState or a tasks.* state.',
      );
    }
    const name = props.stateName ?? id;
    const problems: string[] = [];
    if (!STATE_NAME.test(name)) {
      problems.push(`state name "${name}" must be 1-80 letters and digits, starting with a letter: it becomes part of job names and JSONPaths.`);
    }
    const retries = props.retries ?? [JobRetry.serviceErrors()];
    for (const retry of retries) problems.push(...retry.problems());
    throwIfProblems(this, problems);

    this.job = props.job;
    this.resultJsonPath = `$.${name}`;
    // sfn.CustomState passes no stateName to sfn.State: set State's protected fields, so `stateId`
    // (the name in the state machine) is this name.
    Object.assign(this, { stateName: name, resultPath: this.resultJsonPath });
    this.integrationArn = integrationArn;
    const naming = props.jobName ?? (props.job.kind === JobKind.TUNING ? JobName.hashOfExecutionName() : JobName.fromExecutionName());
    this.jobNameConfig = naming.bind(this, name, props.job.kind);
    // A generated name has the state's fixed part (a tuning job's bare hash has none); a name read
    // from the state input (JobName.fromJsonPath) is the user's choice and keeps its finding.
    if (this.jobNameConfig.expression.startsWith('States.')) declareWorkflowWildcards(this, [this.jobArnPattern()], GENERATED_NAMES_REASON);
    this.modelName = props.modelName;
    for (const retry of retries) {
      if (retry.maxAttempts !== 0) this.addRetry(retry.toRetryProps());
    }
    // References (added by other constructs until synth) are checked before anything resolves.
    this.node.addValidation({
      validate: () => {
        try {
          this._renderParameters();
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });
  }

  private readonly modelName?: string;

  /** The SageMaker API name of the job kind's ARN resource, e.g. `training-job`. */
  public get arnResource(): string {
    return KINDS[this.job.kind].arnResource;
  }

  /**
   * What the state machine's role needs to run this state: pass the job's role to SageMaker;
   * create, describe, stop, tag and list tags of jobs of this kind whose names match the
   * state's pattern (SageMaker writes job names in lower case in ARNs); and
   * manage the EventBridge rule Step Functions creates for `.sync` tasks of this kind.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
   */
  public policyStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const kind = KINDS[this.job.kind];
    return [
      passRoleStatement(this.job.role, 'sagemaker.amazonaws.com'),
      new iam.PolicyStatement({ actions: [...kind.actions, 'sagemaker:AddTags', 'sagemaker:ListTags'], resources: [this.jobArnPattern()] }),
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: `StepFunctionsGetEventsForSageMaker${this.job.kind}JobsRule`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
      }),
    ];
  }

  /** The ARN pattern of the jobs this state starts (the name pattern in lower case, as SageMaker writes ARNs). */
  private jobArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: KINDS[this.job.kind].arnResource, resourceName: this.jobNameConfig.arnPattern, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /**
   * The JSONPath of a field of the job's Describe output, for later states, e.g.
   * `pathOf('ModelArtifacts.S3ModelArtifacts')` or `pathOf('BestTrainingJob.TrainingJobName')`.
   */
  public pathOf(field: string): string {
    return `${this.resultJsonPath}.${field}`;
  }

  /** The JSONPath of the job's ARN in the state's result (e.g. `$.Train.TrainingJobArn`). */
  public get jobArnPath(): string {
    const prefix = KINDS[this.job.kind].nameKey.replace(/Name$/, '');
    return this.pathOf(`${prefix}Arn`);
  }

  /** The JSONPath of the model artifact of a training state (`$.<state>.ModelArtifacts.S3ModelArtifacts`). */
  public get modelArtifactsPath(): string {
    if (this.job.kind !== JobKind.TRAINING) throw validationError(this, `modelArtifactsPath is only known for training states; this state runs a ${this.job.kind.toLowerCase()} job.`);
    return this.pathOf('ModelArtifacts.S3ModelArtifacts');
  }

  /** The JSONPath of the best training job's name of a tuning state (`$.<state>.BestTrainingJob.TrainingJobName`). */
  public get bestTrainingJobNamePath(): string {
    if (this.job.kind !== JobKind.TUNING) throw validationError(this, `bestTrainingJobNamePath is only known for tuning states; this state runs a ${this.job.kind.toLowerCase()} job.`);
    return this.pathOf('BestTrainingJob.TrainingJobName');
  }

  /**
   * Tells the state where earlier states' results are (set by the workflow that runs it).
   * @internal
   */
  public _bindLookup(lookup: ResultLookup): void {
    this.lookup = lookup;
  }

  /**
   * The Parameters of the state: the rendered request with its job name.
   * @internal
   */
  public _renderParameters(): Record<string, unknown> {
    const fromPath = this.modelName !== undefined && (this.modelName.startsWith('$') || this.modelName.startsWith('States.'));
    const request = requestOf(this.job, fromPath ? undefined : this.modelName);
    const kind = KINDS[this.job.kind];
    const parameters = renderParameters(this, request, this.lookup);
    if (fromPath && this.job.kind === JobKind.TRANSFORM) {
      delete parameters.ModelName;
      parameters['ModelName.$'] = this.modelName;
    }
    return { [`${kind.nameKey}.$`]: this.jobNameConfig.expression, ...parameters };
  }
}

function isRunnable(job: IJobDefinition): boolean {
  return job instanceof ProcessingJob || job instanceof TrainingJob || job instanceof HyperparameterTuningJob || job instanceof TransformJob;
}

function requestOf(job: IJobDefinition, modelName?: string): object {
  if (job instanceof TransformJob) return modelName === undefined ? job._renderRequest() : job._renderRequest(modelName);
  return (job as ProcessingJob | TrainingJob | HyperparameterTuningJob)._renderRequest();
}
