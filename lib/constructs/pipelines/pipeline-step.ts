import { Duration, Token, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage, InstanceType } from '../core';
import { processorProblem } from '../../private/processor-match';
import { SageMakerConstructError, isConcreteText, validationError } from '../../private/errors';
import { acknowledgeWildcardResources } from '../../private/nag';
import { HyperparameterTuningJob, IJobDefinition, ProcessingJob, TrainingJob, TransformJob } from '../jobs';
import { IModelPackageGroup } from '../registry';
import { Condition } from './condition';
import { PropertyFile } from './property-file';
import { RetryPolicy } from './retry-policy';
import { StepPropertyReference } from './step-references';
import { keyPattern } from '../../private/grantable-prefix';
import type { QualityCheckStep } from './check-steps';
import type { ClarifyCheckStep } from './clarify-check-steps';

/** Options every step takes. */
export interface StepOptions {
  /**
   * Steps that must finish first, beyond those inferred from references.
   * @default - only inferred dependencies
   */
  readonly dependsOn?: PipelineStep[];
  /**
   * A description shown in Studio.
   * @default - none
   */
  readonly description?: string;
  /**
   * Retry policies.
   * @default - no retries
   */
  readonly retryPolicies?: RetryPolicy[];
}

/** Options of steps that can be cached. */
export interface CacheableStepOptions extends StepOptions {
  /**
   * Reuse the result of an identical earlier run for this long.
   * @default - no caching
   */
  readonly cacheFor?: Duration;
}

/**
 * What a step needs from the pipeline it is added to.
 * @internal
 */
export interface StepRenderContext {
  /** Roles the pipeline must be allowed to pass to SageMaker. */
  readonly passRoles: Set<iam.IRole>;
  /** The pipeline construct (scope for bindings). */
  readonly scope: Construct;
  /** The pipeline's role. */
  readonly pipelineRole: iam.IRole;
  /**
   * The prefix SageMaker names the step's job with (`<prefix>-<execution id>-...`).
   * @default - SageMaker's own `pipelines-<execution id>-...` names
   */
  readonly jobNamePrefix?: string;
}

/** The step types that take retry policies (the SageMaker Pipelines retry policy page). */
const RETRYABLE_STEP_TYPES = ['Processing', 'Training', 'Tuning', 'AutoML', 'Model', 'RegisterModel', 'Transform', 'NotebookJob', 'CreateModel'];

/**
 * A step of a SageMaker pipeline. A step belongs to one pipeline.
 */
export abstract class PipelineStep {
  /** The pipeline the step was added to (set by the pipeline). */
  public ownerPath?: string;

  protected constructor(
    /** The step name (unique in the pipeline). */
    public readonly stepName: string,
    /** The step type in the pipeline definition. */
    public readonly stepType: string,
    /** The options. */
    protected readonly options: StepOptions,
    /** Problems the subclass found in its options, reported with the name's in one error. */
    problems: string[] = [],
  ) {
    // Step Name: ^[A-Za-z0-9\-_]*$, at most 64 characters.
    // https://aws-sagemaker-mlops.github.io/sagemaker-model-building-pipeline-definition-JSON-schema/
    const all = [...problems];
    // Retry policies apply to job-like steps only; SageMaker refuses them elsewhere.
    // https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html
    if (options.retryPolicies?.length && !RETRYABLE_STEP_TYPES.includes(stepType)) {
      all.push(`retryPolicies is set, but ${stepType} steps take no retry policy (only ${RETRYABLE_STEP_TYPES.join(', ')} steps do); remove retryPolicies.`);
    }
    if (isConcreteText(stepName) && !/^[A-Za-z0-9\-_]{1,64}$/.test(stepName)) {
      all.unshift(`the name "${stepName}" (${stepName.length} characters) must be 1-64 letters, digits, "-" or "_"; rename the step, e.g. "${stepName.replace(/[^A-Za-z0-9\-_]/g, '-').slice(0, 64) || 'Step'}".`);
    }
    throwIfStepProblems(stepName, all);
  }

  /** A property of the step's result, e.g. `step.property('ModelArtifacts.S3ModelArtifacts')`. */
  public property(path: string): string {
    return new StepPropertyReference(this, path).toString();
  }

  /** Steps this one lists explicitly in DependsOn. */
  public get explicitDependencies(): PipelineStep[] {
    return this.options.dependsOn ?? [];
  }

  /** The job definitions the step runs (for inferring dependencies on their outputs). */
  public get jobs(): IJobDefinition[] {
    return [];
  }

  /** Steps nested in this one (condition branches). */
  public get nestedSteps(): PipelineStep[] {
    return [];
  }

  /**
   * Binds what the step needs before synthesis (image grants) and tells the pipeline which roles
   * it must be allowed to pass. Called once, when the step is added to a pipeline.
   * @internal
   */
  public _prepare(context: StepRenderContext): void {
    for (const job of this.jobs) context.passRoles.add(job.role);
  }

  /**
   * The step's arguments (may hold references and tokens).
   * @internal
   */
  public abstract _renderArguments(context: StepRenderContext): Record<string, unknown>;

  /**
   * The whole step, as the pipeline definition has it (before references are rendered).
   * @internal
   */
  public _render(context: StepRenderContext): Record<string, unknown> {
    const cacheFor = (this.options as CacheableStepOptions).cacheFor;
    return {
      Name: this.stepName,
      Type: this.stepType,
      Arguments: this._renderArguments(context),
      ...(this.options.description ? { Description: this.options.description } : {}),
      ...(this.options.dependsOn?.length ? { DependsOn: this.options.dependsOn.map((s) => s.stepName) } : {}),
      ...(this.options.retryPolicies?.length ? { RetryPolicies: this.options.retryPolicies.map((r) => r._render()) } : {}),
      ...(cacheFor ? { CacheConfig: { Enabled: true, ExpireAfter: cacheFor.toIsoString() } } : {}),
      ...this.renderExtra(),
    };
  }

  /** Extra top-level fields of the step (property files). */
  protected renderExtra(): Record<string, unknown> {
    return {};
  }
}

/** Options of a {@link ProcessingStep}. */
export interface ProcessingStepOptions extends CacheableStepOptions {
  /**
   * JSON files the step writes whose values later steps read.
   * @default - none
   */
  readonly propertyFiles?: PropertyFile[];
}

/** Runs a processing job. */
export class ProcessingStep extends PipelineStep {
  constructor(stepName: string, public readonly job: ProcessingJob, options: ProcessingStepOptions = {}) {
    super(stepName, 'Processing', options);
    for (const file of options.propertyFiles ?? []) {
      job.output(file.outputName);
      file.stepName = stepName;
    }
  }

  public get jobs(): IJobDefinition[] {
    return [this.job];
  }

  /** The S3 URI the step's output landed at. */
  public outputUri(outputName: string): string {
    this.job.output(outputName);
    return this.property(`ProcessingOutputConfig.Outputs['${outputName}'].S3Output.S3Uri`);
  }

  /**
   * Besides passing the job's role, lets the pipeline role read the property files: SageMaker
   * Pipelines evaluates `Std:JsonGet` with the pipeline role.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html
   * @internal
   */
  public _prepare(context: StepRenderContext): void {
    super._prepare(context);
    for (const file of (this.options as ProcessingStepOptions).propertyFiles ?? []) {
      const output = this.job.output(file.outputName);
      const prefix = output.prefix === '' || output.prefix.endsWith('/') ? output.prefix : `${output.prefix}/`;
      // A prefix with a run id (one report per run) is granted with '*' for the id.
      const key = keyPattern(`${prefix}${file.path}`);
      const reportArn = output.bucket.arnForObjects(key);
      iam.Grant.addToPrincipal({ grantee: context.pipelineRole, actions: ['s3:GetObject'], resourceArns: [reportArn] });
      // Only on the pipeline's own role: a role the user passes keeps its findings.
      if (key !== `${prefix}${file.path}` && context.pipelineRole.node.scope === context.scope) {
        acknowledgeWildcardResources(
          context.pipelineRole,
          [reportArn],
          `Each pipeline execution writes its own ${file.path} under ${prefix}: the '*' stands for the execution id, known only at run time; the role reads exactly that file name of this step's output.`,
        );
      }
      output.bucket.encryptionKey?.grant(context.pipelineRole, 'kms:Decrypt');
    }
  }

  /** @internal */
  public _renderArguments(context: StepRenderContext): Record<string, unknown> {
    return { ...jobName('ProcessingJobName', context), ...this.job._renderRequest() };
  }

  protected renderExtra(): Record<string, unknown> {
    const files = (this.options as ProcessingStepOptions).propertyFiles ?? [];
    if (!files.length) return {};
    return { PropertyFiles: files.map((f) => ({ PropertyFileName: f.name, OutputName: f.outputName, FilePath: f.path })) };
  }
}

/** Runs a training job. */
export class TrainingStep extends PipelineStep {
  constructor(stepName: string, public readonly job: TrainingJob, options: CacheableStepOptions = {}) {
    super(stepName, 'Training', options);
  }

  public get jobs(): IJobDefinition[] {
    return [this.job];
  }

  /** The S3 URI of the trained `model.tar.gz`. */
  public get modelArtifactsUri(): string {
    return this.property('ModelArtifacts.S3ModelArtifacts');
  }

  /** @internal */
  public _renderArguments(context: StepRenderContext): Record<string, unknown> {
    return { ...jobName('TrainingJobName', context), ...this.job._renderRequest() };
  }
}

/** Runs a hyperparameter tuning job. */
export class TuningStep extends PipelineStep {
  constructor(stepName: string, public readonly job: HyperparameterTuningJob, options: CacheableStepOptions = {}) {
    super(stepName, 'Tuning', options);
  }

  public get jobs(): IJobDefinition[] {
    return [this.job];
  }

  /** The name of the best training job. */
  public get bestTrainingJobName(): string {
    return this.property('BestTrainingJob.TrainingJobName');
  }

  /** @internal */
  public _renderArguments(): Record<string, unknown> {
    return this.job._renderRequest() as unknown as Record<string, unknown>;
  }
}

/** Options of a {@link TransformStep}. */
export interface TransformStepOptions extends StepOptions {
  /**
   * A model created by an earlier step to transform with, instead of the job's model.
   * @default - the job's model
   */
  readonly modelStep?: CreateModelStep;
}

/** Runs a batch transform job. */
export class TransformStep extends PipelineStep {
  constructor(
    stepName: string,
    public readonly job: TransformJob,
    options: TransformStepOptions = {},
  ) {
    super(stepName, 'Transform', options);
    this.modelStep = options.modelStep;
    const mismatch = options.modelStep ? processorProblem(options.modelStep.image, job.instanceType) : undefined;
    if (mismatch) {
      throw validationError(job, `transform step "${stepName}" runs the model of step "${options.modelStep!.stepName}" there: ${mismatch}`);
    }
  }

  private readonly modelStep?: CreateModelStep;

  public get jobs(): IJobDefinition[] {
    return [this.job];
  }

  /** @internal */
  public _renderArguments(context: StepRenderContext): Record<string, unknown> {
    return { ...jobName('TransformJobName', context), ...this.job._renderRequest(this.modelStep ? this.modelStep.modelName : undefined) };
  }
}

/** Options of a {@link CreateModelStep}. */
export interface CreateModelStepOptions extends StepOptions {
  /** The inference image. */
  readonly image: ContainerImage;
  /** The model artifact, e.g. `trainingStep.modelArtifactsUri`. */
  readonly modelDataUrl: string;
  /** The model's execution role (it pulls the image and reads the artifact). */
  readonly role: iam.IRole;
  /**
   * Run the model network-isolated.
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Environment variables of the inference container, e.g. the framework containers'
   * `SAGEMAKER_PROGRAM` (the inference script) and `SAGEMAKER_SUBMIT_DIRECTORY`
   * (`/opt/ml/model/code` when the script is packed into the model artifact).
   * @default - none
   */
  readonly environment?: Record<string, string>;
}

/** Creates a SageMaker model from a trained artifact. */
export class CreateModelStep extends PipelineStep {
  private readonly props: CreateModelStepOptions;

  constructor(stepName: string, options: CreateModelStepOptions) {
    super(stepName, 'Model', options, modelDataUrlProblems(options.modelDataUrl));
    this.props = options;
  }

  /** The name of the created model. */
  public get modelName(): string {
    return this.property('ModelName');
  }

  /** The inference image of the model. */
  public get image(): ContainerImage {
    return this.props.image;
  }

  private imageUri?: string;

  /** @internal */
  public _prepare(context: StepRenderContext): void {
    context.passRoles.add(this.props.role);
    this.imageUri = this.props.image.bind(context.scope, this.props.role).imageUri;
  }

  /** @internal */
  public _renderArguments(): Record<string, unknown> {
    return {
      ExecutionRoleArn: this.props.role.roleArn,
      PrimaryContainer: { Image: this.imageUri, ModelDataUrl: this.props.modelDataUrl, Environment: this.props.environment },
      EnableNetworkIsolation: this.props.networkIsolation ?? true,
    };
  }
}

/** The approval status a registered model version starts with. */
export enum ModelApprovalStatus {
  /** Waiting for a person (or automation) to approve it. */
  PENDING_MANUAL_APPROVAL = 'PendingManualApproval',
  /** Approved for deployment. */
  APPROVED = 'Approved',
  /** Rejected. */
  REJECTED = 'Rejected',
}

/** Options of a {@link RegisterModelStep}. */
export interface RegisterModelStepOptions extends StepOptions {
  /** The model package group (registry) the version goes to. */
  readonly modelPackageGroup: IModelPackageGroup;
  /** The inference image. */
  readonly image: ContainerImage;
  /** The model artifact, e.g. `trainingStep.modelArtifactsUri`. */
  readonly modelDataUrl: string;
  /** The role that pulls the image (the pipeline passes nothing; used for the grant). */
  readonly role: iam.IRole;
  /**
   * The approval status of the new version.
   * @default ModelApprovalStatus.PENDING_MANUAL_APPROVAL
   */
  readonly approvalStatus?: ModelApprovalStatus;
  /**
   * Content types the model accepts.
   * @default ['text/csv']
   */
  readonly contentTypes?: string[];
  /**
   * Content types the model returns.
   * @default ['text/csv']
   */
  readonly responseTypes?: string[];
  /**
   * Instance types for real-time inference.
   * @default ['ml.c5.xlarge']
   */
  readonly inferenceInstanceTypes?: string[];
  /**
   * Instance types for batch transform.
   * @default ['ml.m5.xlarge']
   */
  readonly transformInstanceTypes?: string[];
  /**
   * The evaluation report (model quality statistics): a processing step's output URI plus
   * the file name, e.g. the `evaluation` output's `evaluation.json`.
   * @default - no model metrics
   */
  readonly modelMetrics?: JobOutputFile;
  /**
   * Environment variables of the inference container (e.g. `SAGEMAKER_PROGRAM`).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Check steps whose baselines the version records: each step's `BaselineUsedForDriftCheck*`
   * files as the version's `DriftCheckBaselines` (what later drift checks compare against), and
   * its `CalculatedBaseline*` files as the version's `ModelMetrics`.
   * @default - no drift-check baselines
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html#sagemaker-CreateModelPackage-request-DriftCheckBaselines
   */
  readonly driftCheckBaselines?: DriftCheckBaselineSteps;
}

/** The check steps whose baselines a registered model version records. */
export interface DriftCheckBaselineSteps {
  /**
   * A DATA_QUALITY {@link QualityCheckStep} (`ModelDataQuality`).
   * @default - none
   */
  readonly dataQuality?: QualityCheckStep;
  /**
   * A MODEL_QUALITY {@link QualityCheckStep} (`ModelQuality`); not together with `modelMetrics`,
   * which also sets the version's model quality statistics.
   * @default - none
   */
  readonly modelQuality?: QualityCheckStep;
  /**
   * A DATA_BIAS {@link ClarifyCheckStep}: its constraints become the version's pre-training bias
   * baseline (`Bias.PreTrainingConstraints`) and report (`ModelMetrics.Bias.PreTrainingReport`).
   * @default - none
   */
  readonly bias?: ClarifyCheckStep;
}

/** A file inside a processing step's output. */
export interface JobOutputFile {
  /** The processing step. */
  readonly step: ProcessingStep;
  /** The output name. */
  readonly outputName: string;
  /** The file name inside the output. */
  readonly fileName: string;
}

/** Registers a model version in a model package group. */
export class RegisterModelStep extends PipelineStep {
  private readonly props: RegisterModelStepOptions;

  constructor(stepName: string, options: RegisterModelStepOptions) {
    super(stepName, 'RegisterModel', options, registerModelProblems(options));
    this.props = options;
  }

  private imageUri?: string;

  /** @internal */
  public _prepare(context: StepRenderContext): void {
    this.imageUri = this.props.image.bind(context.scope, this.props.role).imageUri;
    const grant = this.props.modelPackageGroup.grantRegister(context.pipelineRole);
    // On the pipeline's own role only: a role the user passes keeps its findings.
    if (context.pipelineRole.node.scope === context.scope) {
      acknowledgeWildcardResources(
        context.pipelineRole,
        grant.principalStatements.flatMap((statement) => statement.resources),
        'The versions of one model package group: SageMaker numbers each version when the pipeline registers it (model-package/<group>/<version>).',
      );
    }
  }

  /** @internal */
  public _renderArguments(): Record<string, unknown> {
    const props = this.props;
    const checks = props.driftCheckBaselines ?? {};
    const json = (uri: unknown) => ({ ContentType: 'application/json', S3Uri: uri });
    const calculated = (step: QualityCheckStep) => ({ Statistics: json(step.calculatedBaselineStatistics), Constraints: json(step.calculatedBaselineConstraints) });
    const usedForDriftCheck = (step: QualityCheckStep) => ({ Statistics: json(step.baselineUsedForDriftCheckStatistics), Constraints: json(step.baselineUsedForDriftCheckConstraints) });
    const metrics: Record<string, unknown> = {
      ...(props.modelMetrics ? { ModelQuality: { Statistics: json(this.metricsUri(props.modelMetrics)) } } : {}),
      ...(checks.modelQuality ? { ModelQuality: calculated(checks.modelQuality) } : {}),
      ...(checks.dataQuality ? { ModelDataQuality: calculated(checks.dataQuality) } : {}),
      // A DATA_BIAS check's constraints are the pre-training bias report (ModelMetrics.Bias).
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Bias.html
      ...(checks.bias ? { Bias: { PreTrainingReport: json(checks.bias.calculatedBaselineConstraints) } } : {}),
    };
    const drift: Record<string, unknown> = {
      ...(checks.modelQuality ? { ModelQuality: usedForDriftCheck(checks.modelQuality) } : {}),
      ...(checks.dataQuality ? { ModelDataQuality: usedForDriftCheck(checks.dataQuality) } : {}),
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DriftCheckBias.html
      ...(checks.bias ? { Bias: { PreTrainingConstraints: json(checks.bias.baselineUsedForDriftCheckConstraints) } } : {}),
    };
    return {
      ModelPackageGroupName: props.modelPackageGroup.modelPackageGroupName,
      ModelApprovalStatus: props.approvalStatus ?? ModelApprovalStatus.PENDING_MANUAL_APPROVAL,
      InferenceSpecification: {
        Containers: [{ Image: this.imageUri, ModelDataUrl: props.modelDataUrl, Environment: props.environment }],
        SupportedContentTypes: props.contentTypes ?? ['text/csv'],
        SupportedResponseMIMETypes: props.responseTypes ?? ['text/csv'],
        SupportedRealtimeInferenceInstanceTypes: props.inferenceInstanceTypes ?? ['ml.c5.xlarge'],
        SupportedTransformInstanceTypes: props.transformInstanceTypes ?? ['ml.m5.xlarge'],
      },
      ...(Object.keys(metrics).length ? { ModelMetrics: metrics } : {}),
      ...(Object.keys(drift).length ? { DriftCheckBaselines: drift } : {}),
    };
  }

  /**
   * The report's URI: the output's S3 URI and the file name with exactly one "/" between them (an
   * output prefix usually ends in "/", and `a//b` is another S3 key than `a/b`).
   */
  private metricsUri(file: JobOutputFile): Record<string, unknown> {
    const prefix = file.step.job.output(file.outputName).prefix;
    const separator = !Token.isUnresolved(prefix) && prefix.endsWith('/') ? '' : '/';
    return { 'Std:Join': { On: separator, Values: [file.step.outputUri(file.outputName), file.fileName] } };
  }

  /** The model package group of the step. */
  public get modelPackageGroup(): IModelPackageGroup {
    return this.props.modelPackageGroup;
  }
}

/** Options of a {@link ConditionStep}. */
export interface ConditionStepOptions extends StepOptions {
  /** The conditions; all must hold for the "if" branch. */
  readonly conditions: Condition[];
  /** Steps run when the conditions hold. */
  readonly ifSteps: PipelineStep[];
  /**
   * Steps run otherwise.
   * @default - none
   */
  readonly elseSteps?: PipelineStep[];
}

/** Branches on conditions, e.g. register the model only if AUC >= threshold. */
export class ConditionStep extends PipelineStep {
  private readonly props: ConditionStepOptions;

  constructor(stepName: string, options: ConditionStepOptions) {
    super(stepName, 'Condition', options, options.conditions.length === 0 ? ['the condition step has no conditions (conditions is empty); give at least one Condition.'] : []);
    this.props = options;
  }

  public get nestedSteps(): PipelineStep[] {
    return [...this.props.ifSteps, ...(this.props.elseSteps ?? [])];
  }

  /** The conditions. */
  public get conditions(): Condition[] {
    return this.props.conditions;
  }

  /** @internal */
  public _renderArguments(context: StepRenderContext): Record<string, unknown> {
    return {
      Conditions: this.props.conditions.map((c) => c._render()),
      IfSteps: this.props.ifSteps.map((s) => s._render(context)),
      ElseSteps: (this.props.elseSteps ?? []).map((s) => s._render(context)),
    };
  }
}

/** Ends the execution as failed with a message. */
export class FailStep extends PipelineStep {
  constructor(stepName: string, private readonly errorMessage: string, options: StepOptions = {}) {
    super(stepName, 'Fail', options);
  }

  /** @internal */
  public _renderArguments(): Record<string, unknown> {
    return { ErrorMessage: this.errorMessage };
  }
}

/**
 * The job name field of a step's arguments when the pipeline sets a job name prefix: SageMaker
 * Pipelines then names the job `<prefix>-<execution id>-<token>-<attempt>` (the SageMaker
 * Python SDK's `PipelineDefinitionConfig(use_custom_job_prefix=True)`).
 */
function jobName(field: string, context: StepRenderContext): Record<string, string> {
  return context.jobNamePrefix ? { [field]: context.jobNamePrefix } : {};
}

/**
 * Throws one error for a step's problems: steps are not constructs, so the message names the step
 * (`Pipeline step "X": ...`); the pipeline it is added to names its own path in its errors.
 */
function throwIfStepProblems(stepName: string, problems: string[]): void {
  if (problems.length === 1) throw new SageMakerConstructError(`Pipeline step "${stepName}": ${problems[0]}`);
  if (problems.length > 1) {
    throw new SageMakerConstructError(`Pipeline step "${stepName}": ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Problems of a register model step: the image must run on every instance type it lists; the
 * drift-check baselines come from check steps of the matching type.
 */
function registerModelProblems(options: RegisterModelStepOptions): string[] {
  const problems: string[] = [...modelDataUrlProblems(options.modelDataUrl)];
  const checks = options.driftCheckBaselines ?? {};
  for (const [field, expected] of [['dataQuality', 'DATA_QUALITY'], ['modelQuality', 'MODEL_QUALITY']] as const) {
    const step = checks[field];
    if (step && step.checkType !== expected) {
      problems.push(`driftCheckBaselines.${field} is step "${step.stepName}", a ${step.checkType} check; give a QualityCheckStep whose job has checkType ${expected}.`);
    }
  }
  if (checks.modelQuality && options.modelMetrics) {
    problems.push(
      `both modelMetrics and driftCheckBaselines.modelQuality set the version's model quality statistics; keep one: the evaluation report (modelMetrics) or the ${checks.modelQuality.stepName} step's calculated baseline.`,
    );
  }
  for (const [field, names] of [
    ['inferenceInstanceTypes', options.inferenceInstanceTypes ?? ['ml.c5.xlarge']],
    ['transformInstanceTypes', options.transformInstanceTypes ?? ['ml.m5.xlarge']],
  ] as const) {
    for (const name of names) {
      if (!isConcreteText(name)) continue;
      const problem = processorProblem(options.image, InstanceType.of(name));
      if (problem) problems.push(`the registered image cannot run on every instance type it lists: ${field}: ${problem}`);
    }
  }
  return problems;
}

/**
 * ModelDataUrl: ^(https|s3)://([^/]+)/?(.*)$ (a step property such as a training step's
 * `modelArtifactsUri`, or a pipeline parameter, passes).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html#sagemaker-Type-ContainerDefinition-ModelDataUrl
 */
function modelDataUrlProblems(url: string): string[] {
  if (!isConcreteText(url) || /^(https|s3):\/\/[^/]+/.test(url)) return [];
  return [`modelDataUrl "${url}" is not an S3 URI: it must start with "s3://" (or "https://") and name a bucket; give e.g. "s3://my-bucket/model/model.tar.gz" or a training step's modelArtifactsUri.`];
}
