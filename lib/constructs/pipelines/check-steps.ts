import { Duration, Size, Token, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage, InstanceType } from '../core';
import { ProcessingJob, RunReference, S3Location } from '../jobs';
import { grantReadLocation } from '../jobs/job-support';
import { IModelPackageGroup } from '../registry';
import { MlNetwork } from '../security';
import { isConcrete, isConcreteText, throwIfProblems } from '../../private/errors';
import { checkProcessingJob, grantCheckJobs, grantReadGroup } from './check-step-support';
import { CacheableStepOptions, PipelineStep, StepRenderContext } from './pipeline-step';

// The analyzer container's contract, as the SageMaker Python SDK renders it for a QualityCheck step
// (src/sagemaker/workflow/quality_check_step.py and ModelMonitor._generate_env_map in
// src/sagemaker/model_monitor/model_monitoring.py): the baseline dataset is copied to
// /opt/ml/processing/input/baseline_dataset_input, the results are written to /opt/ml/processing/output
// (output "quality_check_output"), and the analysis is configured by environment variables.
// https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-quality-check
const DATASET_INPUT_NAME = 'baseline_dataset_input';
const DATASET_LOCAL_PATH = '/opt/ml/processing/input/baseline_dataset_input';
const OUTPUT_NAME = 'quality_check_output';
const OUTPUT_LOCAL_PATH = '/opt/ml/processing/output';

/** What a quality check analyzes. */
export enum QualityCheckType {
  /** Statistics and constraints of the features of a data set (Model Monitor data quality). */
  DATA_QUALITY = 'DATA_QUALITY',
  /** Quality metrics of a model's predictions against ground truth (Model Monitor model quality). */
  MODEL_QUALITY = 'MODEL_QUALITY',
}

/**
 * The machine learning problem of a model quality check.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 */
export enum ModelQualityProblemType {
  /** Two classes: confusion matrix, precision, recall, accuracy, AUC, F-scores. */
  BINARY_CLASSIFICATION = 'BinaryClassification',
  /** More than two classes. */
  MULTICLASS_CLASSIFICATION = 'MulticlassClassification',
  /** A numeric target: MAE, MSE, RMSE, R². */
  REGRESSION = 'Regression',
}

/**
 * Where a model quality check finds predictions and ground truth in the data set (CSV column
 * names when the data set has a header, else 0-based column indexes as text).
 */
export interface ModelQualityCheckConfig {
  /** The problem type. */
  readonly problemType: ModelQualityProblemType;
  /** The column with the actual label (the analyzer's `ground_truth_attribute`). */
  readonly groundTruthAttribute: string;
  /**
   * The column with the predicted label (the analyzer's `inference_attribute`).
   * @default - none; then `probabilityAttribute` is required (classification only)
   */
  readonly inferenceAttribute?: string;
  /**
   * The column with the predicted probability of the positive class (`probability_attribute`).
   * @default - none
   */
  readonly probabilityAttribute?: string;
  /**
   * The probability above which a prediction counts as the positive class
   * (`probability_threshold_attribute`), between 0 and 1.
   * @default - the analyzer's default
   */
  readonly probabilityThreshold?: number;
}

/** The compute, encryption, network and role of a check step's processing job. */
export interface CheckJobResources {
  /**
   * The instance type.
   * @default InstanceType.ML_M5_XLARGE
   */
  readonly instanceType?: InstanceType;
  /**
   * How many instances.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * The storage volume of each instance.
   * @default Size.gibibytes(30)
   */
  readonly volumeSize?: Size;
  /**
   * The longest the job may run.
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * The key for the results and the volumes.
   * @default - the output bucket's key; AWS-managed encryption if it has none
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Run the job in these private subnets (for a Clarify check, also the stack's configuration
   * writer when the check creates it).
   * @default - no VPC
   */
  readonly network?: MlNetwork;
  /**
   * The job's execution role.
   * @default - a new role that reads the inputs and writes the results only
   */
  readonly role?: iam.IRole;
}

/** Properties of a {@link QualityCheckJob}. */
export interface QualityCheckJobProps extends CheckJobResources {
  /** What the check analyzes. */
  readonly checkType: QualityCheckType;
  /**
   * The data set to baseline and check: a CSV file or prefix (for MODEL_QUALITY with prediction and
   * ground-truth columns), e.g. `S3Location.fromJobOutput(prep.output('train'))`.
   */
  readonly baselineDataset: S3Location;
  /**
   * Whether the CSV files start with a header row (the analyzer's `dataset_format`
   * `{"csv": {"header": ...}}`).
   * @default true
   */
  readonly csvHeader?: boolean;
  /** Where the calculated `statistics.json` and `constraints.json` go. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the results; each execution writes below it in its own folder.
   * @default `quality-check/<data-quality|model-quality>/<execution id>/`
   */
  readonly outputPrefix?: string;
  /**
   * Where predictions and ground truth are (required for MODEL_QUALITY, not allowed for DATA_QUALITY).
   * @default - none
   */
  readonly modelQuality?: ModelQualityCheckConfig;
}

/**
 * The analyzer job of a {@link QualityCheckStep}: a processing job with the Model Monitor analyzer
 * image (`ContainerImage.modelMonitorAnalyzer()`) that baselines a data set (DATA_QUALITY) or a
 * model's predictions (MODEL_QUALITY), configured as the SageMaker Python SDK's QualityCheckStep
 * configures it.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-pre-built-container.html
 */
export class QualityCheckJob extends Construct {
  /** The processing job that runs the analyzer. */
  public readonly job: ProcessingJob;
  /** What the check analyzes. */
  public readonly checkType: QualityCheckType;

  constructor(scope: Construct, id: string, props: QualityCheckJobProps) {
    super(scope, id);
    throwIfProblems(this, qualityCheckProblems(props));
    this.checkType = props.checkType;
    const kind = props.checkType === QualityCheckType.DATA_QUALITY ? 'data-quality' : 'model-quality';
    const prefix = props.outputPrefix ?? `quality-check/${kind}/${RunReference.executionId()}/`;
    this.job = checkProcessingJob(this, props, props.outputBucket, {
      image: ContainerImage.modelMonitorAnalyzer(),
      inputs: [{ inputName: DATASET_INPUT_NAME, source: props.baselineDataset, localPath: DATASET_LOCAL_PATH }],
      outputs: [{ outputName: OUTPUT_NAME, bucket: props.outputBucket, prefix, localPath: OUTPUT_LOCAL_PATH }],
      environment: analyzerEnvironment(props),
    });
  }

  /** The execution role of the analyzer job. */
  public get role(): iam.IRole {
    return this.job.role;
  }
}

/**
 * The analyzer's environment, in the order and with the names of `ModelMonitor._generate_env_map`
 * (CloudWatch metrics are only for monitoring schedules, so always "Disabled" here).
 */
function analyzerEnvironment(props: QualityCheckJobProps): Record<string, string> {
  const env: Record<string, string> = {
    output_path: OUTPUT_LOCAL_PATH,
    publish_cloudwatch_metrics: 'Disabled',
    dataset_format: JSON.stringify({ csv: { header: props.csvHeader ?? true, output_columns_position: 'START' } }),
    dataset_source: DATASET_LOCAL_PATH,
  };
  const quality = props.modelQuality;
  if (props.checkType === QualityCheckType.MODEL_QUALITY && quality) {
    env.analysis_type = 'MODEL_QUALITY';
    env.problem_type = quality.problemType;
    if (quality.inferenceAttribute !== undefined) env.inference_attribute = quality.inferenceAttribute;
    if (quality.probabilityAttribute !== undefined) env.probability_attribute = quality.probabilityAttribute;
    env.ground_truth_attribute = quality.groundTruthAttribute;
    if (quality.probabilityThreshold !== undefined) env.probability_threshold_attribute = Token.isUnresolved(quality.probabilityThreshold) ? Token.asString(quality.probabilityThreshold) : String(quality.probabilityThreshold);
  }
  return env;
}

function qualityCheckProblems(props: QualityCheckJobProps): string[] {
  const problems: string[] = [];
  const quality = props.modelQuality;
  if (props.checkType === QualityCheckType.DATA_QUALITY) {
    if (quality) problems.push('modelQuality is set, but checkType is DATA_QUALITY, which analyzes features only; remove modelQuality or use QualityCheckType.MODEL_QUALITY.');
    return problems;
  }
  if (!quality) {
    return ['checkType is MODEL_QUALITY but modelQuality is not set: the analyzer needs the problem type and the ground-truth and prediction columns; set modelQuality: { problemType, groundTruthAttribute, inferenceAttribute }.'];
  }
  if (isConcreteText(quality.groundTruthAttribute) && quality.groundTruthAttribute.trim() === '') {
    problems.push('modelQuality.groundTruthAttribute is empty; give the column with the actual labels, e.g. "default".');
  }
  if (quality.inferenceAttribute === undefined && quality.probabilityAttribute === undefined) {
    problems.push('modelQuality has neither inferenceAttribute nor probabilityAttribute, so the analyzer has no predictions to compare; give the predicted-label column (inferenceAttribute) or the probability column (probabilityAttribute).');
  }
  if (quality.problemType === ModelQualityProblemType.REGRESSION && quality.inferenceAttribute === undefined) {
    problems.push('modelQuality.problemType is Regression, which compares predicted values: give inferenceAttribute (probabilityAttribute is for classification).');
  }
  const threshold = quality.probabilityThreshold;
  if (isConcrete(threshold) && (threshold < 0 || threshold > 1)) {
    problems.push(`modelQuality.probabilityThreshold is ${threshold}, but a probability threshold is between 0 and 1; e.g. 0.5.`);
  }
  return problems;
}

/** Options of a {@link QualityCheckStep}. */
export interface QualityCheckStepOptions extends CacheableStepOptions {
  /**
   * Skip the drift check against the previous baseline (only calculate the new one). Unless both
   * this and `registerNewBaseline` are true, a previous baseline (supplied, or from
   * `modelPackageGroup`) must exist, so the first run sets both.
   * @default false
   */
  readonly skipCheck?: boolean;
  /**
   * Make the newly calculated baseline the step's `BaselineUsedForDriftCheck*` properties (which
   * a register step records as the version's drift-check baselines).
   * @default false
   */
  readonly registerNewBaseline?: boolean;
  /**
   * The model package group whose latest Approved version's baseline is the previous baseline,
   * when none is supplied. The pipeline role gets read access to the group.
   * @default - none
   */
  readonly modelPackageGroup?: IModelPackageGroup;
  /**
   * A `statistics.json` to check against instead of the registry's baseline. The analyzer's role
   * gets read access when it is in a bucket (`S3Location.fromBucket`).
   * @default - none
   */
  readonly suppliedBaselineStatistics?: S3Location;
  /**
   * A `constraints.json` to check against instead of the registry's baseline.
   * @default - none
   */
  readonly suppliedBaselineConstraints?: S3Location;
}

/**
 * A QualityCheck step: runs the Model Monitor analyzer over a data set, exposes the calculated
 * baseline (`calculatedBaselineStatistics`, `calculatedBaselineConstraints`) and the baseline used
 * for drift checks, and, unless `skipCheck`, fails when the data violates the previous baseline.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-quality-check
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-quality-clarify-baseline-lifecycle.html
 */
export class QualityCheckStep extends PipelineStep {
  constructor(stepName: string, public readonly check: QualityCheckJob, options: QualityCheckStepOptions = {}) {
    super(stepName, 'QualityCheck', options, qualityCheckStepProblems(options));
  }

  /** What the step checks. */
  public get checkType(): QualityCheckType {
    return this.check.checkType;
  }

  /** The S3 URI of the newly calculated `statistics.json`. */
  public get calculatedBaselineStatistics(): string {
    return this.property('CalculatedBaselineStatistics');
  }

  /** The S3 URI of the newly calculated `constraints.json`. */
  public get calculatedBaselineConstraints(): string {
    return this.property('CalculatedBaselineConstraints');
  }

  /** The S3 URI of the statistics used for drift checks (the new ones when `registerNewBaseline`). */
  public get baselineUsedForDriftCheckStatistics(): string {
    return this.property('BaselineUsedForDriftCheckStatistics');
  }

  /** The S3 URI of the constraints used for drift checks. */
  public get baselineUsedForDriftCheckConstraints(): string {
    return this.property('BaselineUsedForDriftCheckConstraints');
  }

  /**
   * Passes the analyzer's role; lets the pipeline role run the analyzer's processing job and read
   * the model package group; lets the analyzer read the supplied baseline.
   * @internal
   */
  public _prepare(context: StepRenderContext): void {
    const options = this.options as QualityCheckStepOptions;
    const role = this.check.job.role;
    context.passRoles.add(role);
    grantCheckJobs(context);
    for (const location of [options.suppliedBaselineStatistics, options.suppliedBaselineConstraints]) {
      if (location) grantReadLocation(role, location);
    }
    if (options.modelPackageGroup) grantReadGroup(context, options.modelPackageGroup);
  }

  /** @internal */
  public _renderArguments(): Record<string, unknown> {
    // QualityCheckStep.arguments drops ProcessingJobName: Pipelines names the analyzer job.
    return { ...this.check.job._renderRequest() };
  }

  protected renderExtra(): Record<string, unknown> {
    const options = this.options as QualityCheckStepOptions;
    return {
      CheckType: this.check.checkType,
      ...(options.modelPackageGroup ? { ModelPackageGroupName: options.modelPackageGroup.modelPackageGroupName } : {}),
      SkipCheck: options.skipCheck ?? false,
      RegisterNewBaseline: options.registerNewBaseline ?? false,
      ...(options.suppliedBaselineStatistics ? { SuppliedBaselineStatistics: options.suppliedBaselineStatistics.uri } : {}),
      ...(options.suppliedBaselineConstraints ? { SuppliedBaselineConstraints: options.suppliedBaselineConstraints.uri } : {}),
    };
  }
}

function qualityCheckStepProblems(options: QualityCheckStepOptions): string[] {
  const problems: string[] = [];
  const statistics = options.suppliedBaselineStatistics;
  const constraints = options.suppliedBaselineConstraints;
  if (!!statistics !== !!constraints) {
    problems.push(
      `only ${statistics ? 'suppliedBaselineStatistics' : 'suppliedBaselineConstraints'} is set: a quality baseline is a statistics.json and a constraints.json together; give both, or neither to use the model package group's baseline.`,
    );
  }
  // SkipCheck false or RegisterNewBaseline false: "the previous baseline of the configured check
  // type must be available" (QualityCheckStepMetadata).
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_QualityCheckStepMetadata.html
  const needsPrevious = !(options.skipCheck ?? false) || !(options.registerNewBaseline ?? false);
  if (needsPrevious && !statistics && !constraints && !options.modelPackageGroup) {
    const why = !(options.skipCheck ?? false) ? 'skipCheck is false' : 'registerNewBaseline is false';
    problems.push(
      `${why}, so SageMaker needs a previous baseline, but there is none: supply suppliedBaselineStatistics and suppliedBaselineConstraints, or a modelPackageGroup whose latest Approved version has one; ` +
        'or set skipCheck: true and registerNewBaseline: true for the first run.',
    );
  }
  return problems;
}
