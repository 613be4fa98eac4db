import { Aspects, CustomResource, IAspect, Names, Stack, aws_iam as iam, aws_s3 as s3, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ContainerImage } from '../core';
import { ProcessingJob, RunReference, S3Location } from '../jobs';
import { grantReadLocation } from '../jobs/job-support';
import { IModelPackageGroup } from '../registry';
import { isConcrete, isConcreteText, throwIfProblems } from '../../private/errors';
import { checkProcessingJob, grantCheckJobs, grantReadGroup } from './check-step-support';
import { CheckJobResources } from './check-steps';
import { ClarifyConfigWriter } from './clarify-config-writer';
import { ClarifyValues } from './clarify-values';
import { CacheableStepOptions, PipelineStep, StepRenderContext } from './pipeline-step';

// The Clarify container's contract, as the SageMaker Python SDK renders a ClarifyCheck step
// (src/sagemaker/workflow/clarify_check_step.py, ClarifyCheckStep._generate_processing_job_parameters,
// and SageMakerClarifyProcessor in src/sagemaker/clarify.py): the analysis configuration
// (input "analysis_config", the S3 object .../analysis_config.json) is copied to
// /opt/ml/processing/input/config, the data set (input "dataset") to /opt/ml/processing/input/data,
// and the results are written to /opt/ml/processing/output (output "analysis_result").
// https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-configure-parameters.html
const CONFIG_INPUT_NAME = 'analysis_config';
const CONFIG_LOCAL_PATH = '/opt/ml/processing/input/config';
const CONFIG_FILE_NAME = 'analysis_config.json';
const DATASET_INPUT_NAME = 'dataset';
const DATASET_LOCAL_PATH = '/opt/ml/processing/input/data';
const OUTPUT_NAME = 'analysis_result';
const OUTPUT_LOCAL_PATH = '/opt/ml/processing/output';

/** What a Clarify check analyzes (the step's `CheckType`). */
export enum ClarifyCheckType {
  /** Pre-training bias of a data set: label and facet distributions, no model. */
  DATA_BIAS = 'DATA_BIAS',
  /**
   * Post-training bias of a model's predictions. Not supported yet: it needs a model
   * configuration and a shadow endpoint; a ClarifyCheckJob with this type is refused.
   */
  MODEL_BIAS = 'MODEL_BIAS',
  /**
   * SHAP feature attributions of a model. Not supported yet: it needs a model configuration and
   * a shadow endpoint; a ClarifyCheckJob with this type is refused.
   */
  MODEL_EXPLAINABILITY = 'MODEL_EXPLAINABILITY',
}

/**
 * A pre-training bias metric.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-data-bias.html
 */
export enum PreTrainingBiasMethod {
  /** Class imbalance. */
  CI = 'CI',
  /** Difference in proportions of labels. */
  DPL = 'DPL',
  /** Kullback-Leibler divergence. */
  KL = 'KL',
  /** Jensen-Shannon divergence. */
  JS = 'JS',
  /** Lp-norm. */
  LP = 'LP',
  /** Total variation distance. */
  TVD = 'TVD',
  /** Kolmogorov-Smirnov. */
  KS = 'KS',
  /** Conditional demographic disparity in labels (uses `groupVariable`). */
  CDDL = 'CDDL',
}

/** A sensitive attribute (facet) whose groups a bias check compares. */
export interface ClarifyFacet {
  /** The column name (a header) of the attribute. */
  readonly name: string;
  /**
   * The values (or threshold) that form the sensitive group.
   * @default - Clarify compares each value of the column with all the others
   */
  readonly values?: ClarifyValues;
}

/** Properties of a {@link ClarifyCheckJob}. */
export interface ClarifyCheckJobProps extends CheckJobResources {
  /** What the check analyzes; only `ClarifyCheckType.DATA_BIAS` is supported. */
  readonly checkType: ClarifyCheckType;
  /**
   * The data set to analyze: CSV files (a file or a prefix), e.g.
   * `S3Location.fromJobOutput(prep.output('train'))`.
   */
  readonly dataset: S3Location;
  /**
   * The column names of the CSV files, in order (the analysis configuration's `headers`).
   * @default - Clarify reads the column names from the data set
   */
  readonly headers?: string[];
  /** The label (target) column, e.g. `default`. */
  readonly label: string;
  /** The label values (or threshold) of the positive outcome, e.g. `ClarifyValues.numbers([1])`. */
  readonly labelValues: ClarifyValues;
  /** The sensitive attributes to measure bias for (at least one). */
  readonly facets: ClarifyFacet[];
  /**
   * A column of subgroups for the conditional demographic disparity metric (CDDL).
   * @default - none
   */
  readonly groupVariable?: string;
  /**
   * The metrics to compute.
   * @default - all pre-training metrics
   */
  readonly methods?: PreTrainingBiasMethod[];
  /** Where the analysis results and the configuration file go. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the results; each execution writes below it in its own folder.
   * @default `clarify-check/data-bias/<execution id>/`
   */
  readonly outputPrefix?: string;
  /**
   * The key prefix of the configuration file (`<configPrefix>analysis_config.json`), written at
   * deploy time; a prefix of its own for each check.
   * @default `clarify-check/config/<unique id of this construct>/`
   */
  readonly configPrefix?: string;
}

/**
 * The Clarify job of a {@link ClarifyCheckStep}: a processing job with the Clarify image
 * (`ContainerImage.clarify()`) that measures the pre-training bias of a data set (DATA_BIAS),
 * configured as the SageMaker Python SDK's ClarifyCheckStep configures it. Its
 * `analysis_config.json` is written to the output bucket at deploy time by the stack's
 * {@link ClarifyConfigWriter}.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-configure-analysis.html
 */
export class ClarifyCheckJob extends Construct {
  /** The processing job that runs Clarify. */
  public readonly job: ProcessingJob;
  /** What the check analyzes. */
  public readonly checkType: ClarifyCheckType;
  /** The S3 URI of the `analysis_config.json` the job reads. */
  public readonly analysisConfigUri: string;
  /** The custom resource that writes the configuration file. */
  public readonly analysisConfig: CustomResource;
  private readonly config: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ClarifyCheckJobProps) {
    super(scope, id);
    throwIfProblems(this, clarifyCheckProblems(props));
    this.checkType = props.checkType;
    const configPrefix = props.configPrefix ?? `clarify-check/config/${Names.uniqueResourceName(this, { maxLength: 96 })}/`;
    const configKey = `${configPrefix}${CONFIG_FILE_NAME}`;
    this.config = analysisConfig(props);
    const network = props.network;
    const writer = ClarifyConfigWriter._forCheck(this, network ? { vpc: network.vpc, vpcSubnets: network.subnets, securityGroups: [network.handlersSecurityGroup] } : {});
    this.analysisConfig = writer._place(this, 'AnalysisConfig', props.outputBucket, configKey, Stack.of(this).toJsonString(this.config));
    const configLocation = S3Location.fromBucket(props.outputBucket, configKey);
    this.analysisConfigUri = configLocation.uri;
    this.job = checkProcessingJob(this, props, props.outputBucket, {
      image: ContainerImage.clarify(),
      // The SDK's order: the configuration, then the data set.
      inputs: [
        { inputName: CONFIG_INPUT_NAME, source: configLocation, localPath: CONFIG_LOCAL_PATH },
        { inputName: DATASET_INPUT_NAME, source: props.dataset, localPath: DATASET_LOCAL_PATH },
      ],
      outputs: [{ outputName: OUTPUT_NAME, bucket: props.outputBucket, prefix: props.outputPrefix ?? `clarify-check/data-bias/${RunReference.executionId()}/`, localPath: OUTPUT_LOCAL_PATH }],
    });
  }

  /** The execution role of the Clarify job. */
  public get role(): iam.IRole {
    return this.job.role;
  }

  /** The analysis configuration the job reads (the content of `analysis_config.json`), for tests and tools. */
  public renderAnalysisConfig(): unknown {
    return Stack.of(this).resolve(this.config);
  }
}

/**
 * The analysis configuration of a DATA_BIAS check, as ClarifyCheckStep builds it: DataConfig
 * (`dataset_type`, `headers`, `label`), BiasConfig (`label_values_or_threshold`, `facet`,
 * `group_variable`), `methods.pre_training_bias.methods` ("all" by default) and the report.
 */
function analysisConfig(props: ClarifyCheckJobProps): Record<string, unknown> {
  return {
    dataset_type: 'text/csv',
    ...(props.headers ? { headers: [...props.headers] } : {}),
    label: props.label,
    label_values_or_threshold: props.labelValues._render(),
    facet: props.facets.map((facet) => ({ name_or_index: facet.name, ...(facet.values ? { value_or_threshold: facet.values._render() } : {}) })),
    ...(props.groupVariable !== undefined ? { group_variable: props.groupVariable } : {}),
    methods: {
      pre_training_bias: { methods: props.methods?.length ? [...props.methods] : 'all' },
      report: { name: 'report', title: 'Analysis Report' },
    },
  };
}

function clarifyCheckProblems(props: ClarifyCheckJobProps): string[] {
  if (props.checkType !== ClarifyCheckType.DATA_BIAS) {
    return [
      `checkType ${props.checkType} is not supported: it needs a model configuration and a shadow endpoint that Clarify creates, which this construct does not configure yet; ` +
        'use ClarifyCheckType.DATA_BIAS for the pre-training bias of a data set, or a ModelBiasMonitor / ModelExplainabilityMonitor on a deployed endpoint.',
    ];
  }
  const problems: string[] = [];
  // The configuration is written at deploy time: a pipeline parameter or step property has no
  // value then, so it would land in the file as a placeholder.
  const columns: Array<[string, string | undefined]> = [
    ['label', props.label],
    ['groupVariable', props.groupVariable],
    ...props.facets.map((f, i): [string, string] => [`facets[${i}].name`, f.name]),
    ...(props.headers ?? []).map((h, i): [string, string] => [`headers[${i}]`, h]),
  ];
  for (const [field, value] of columns) {
    if (isConcrete(value) && !isConcreteText(value)) {
      problems.push(`${field} holds a pipeline parameter or step property, but the analysis configuration is written at deploy time, when those have no value; give the column name itself.`);
    }
  }
  if (isConcreteText(props.label) && props.label.trim() === '') {
    problems.push('label is empty; give the label (target) column, e.g. "default".');
  }
  if (props.labelValues.count === 0) {
    problems.push('labelValues is empty; give the label values of the positive outcome, e.g. ClarifyValues.numbers([1]).');
  }
  if (props.facets.length === 0) {
    problems.push('facets is empty, so there is no sensitive attribute to measure bias for; give at least one, e.g. facets: [{ name: "gender" }].');
  }
  props.facets.forEach((facet, i) => {
    if (facet.values && facet.values.count === 0) {
      problems.push(`facets[${i}].values is empty; leave it unset to compare every value of "${facet.name}", or give the values of the sensitive group.`);
    }
    if (isConcreteText(facet.name) && isConcreteText(props.label) && facet.name === props.label) {
      problems.push(`facets[${i}] is the label column "${props.label}"; a facet is a sensitive attribute of the data, not the label: give another column.`);
    }
  });
  const headers = props.headers;
  if (headers) {
    if (headers.length === 0) {
      problems.push('headers is empty; give the column names of the CSV files in order, or leave headers unset to let Clarify read them from the data set.');
    } else if (headers.every((h) => isConcreteText(h))) {
      const known = new Set(headers);
      const listed = headers.length > 8 ? `${headers.slice(0, 8).join(', ')}, ...` : headers.join(', ');
      const missing = (field: string, column: string | undefined) => {
        if (isConcreteText(column) && column.trim() !== '' && !known.has(column)) {
          problems.push(`${field} "${column}" is not one of the headers (${listed}); give a column name from headers, or add the column to headers.`);
        }
      };
      missing('label', props.label);
      props.facets.forEach((facet, i) => missing(`facets[${i}].name`, facet.name));
      missing('groupVariable', props.groupVariable);
    }
  }
  return problems;
}

/** Options of a {@link ClarifyCheckStep}. */
export interface ClarifyCheckStepOptions extends CacheableStepOptions {
  /**
   * Skip the drift check against the previous baseline (only calculate the new one). Unless both
   * this and `registerNewBaseline` are true, a previous baseline (supplied, or from
   * `modelPackageGroup`) must exist, so the first run sets both.
   * @default false
   */
  readonly skipCheck?: boolean;
  /**
   * Make the newly calculated baseline the step's `BaselineUsedForDriftCheckConstraints` (which a
   * register step records as the version's drift-check baseline).
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
   * The constraints (`analysis.json` of an earlier check) to check against instead of the
   * registry's baseline. The Clarify job's role gets read access when it is in a bucket
   * (`S3Location.fromBucket`).
   * @default - none
   */
  readonly suppliedBaselineConstraints?: S3Location;
}

/**
 * A ClarifyCheck step: runs SageMaker Clarify over a data set, exposes the calculated bias
 * baseline (`calculatedBaselineConstraints`) and the baseline used for drift checks, and, unless
 * `skipCheck`, fails when the bias metrics violate the previous baseline. The pipeline is created
 * after the check's configuration file is written.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-clarify-check
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-quality-clarify-baseline-lifecycle.html
 */
export class ClarifyCheckStep extends PipelineStep {
  constructor(stepName: string, public readonly check: ClarifyCheckJob, options: ClarifyCheckStepOptions = {}) {
    super(stepName, 'ClarifyCheck', options, clarifyCheckStepProblems(options));
  }

  /** What the step checks. */
  public get checkType(): ClarifyCheckType {
    return this.check.checkType;
  }

  /** The S3 URI of the newly calculated constraints. */
  public get calculatedBaselineConstraints(): string {
    return this.property('CalculatedBaselineConstraints');
  }

  /** The S3 URI of the constraints used for drift checks (the new ones when `registerNewBaseline`). */
  public get baselineUsedForDriftCheckConstraints(): string {
    return this.property('BaselineUsedForDriftCheckConstraints');
  }

  /**
   * Passes the Clarify job's role; lets the pipeline role run the job and read the model package
   * group; lets the job read the supplied baseline; makes the pipeline wait for the
   * configuration file.
   * @internal
   */
  public _prepare(context: StepRenderContext): void {
    const options = this.options as ClarifyCheckStepOptions;
    context.passRoles.add(this.check.job.role);
    grantCheckJobs(context);
    if (options.suppliedBaselineConstraints) grantReadLocation(this.check.job.role, options.suppliedBaselineConstraints);
    if (options.modelPackageGroup) grantReadGroup(context, options.modelPackageGroup);
    // The pipeline's resource is created after its steps are added, so an aspect adds the
    // dependency: an execution started right after deployment finds analysis_config.json.
    Aspects.of(context.scope).add(new DependOnConfig(this.check.analysisConfig));
  }

  /** @internal */
  public _renderArguments(): Record<string, unknown> {
    // ClarifyCheckStep.arguments drops ProcessingJobName: Pipelines names the Clarify job.
    return { ...this.check.job._renderRequest() };
  }

  protected renderExtra(): Record<string, unknown> {
    const options = this.options as ClarifyCheckStepOptions;
    return {
      CheckType: this.check.checkType,
      ...(options.modelPackageGroup ? { ModelPackageGroupName: options.modelPackageGroup.modelPackageGroupName } : {}),
      SkipCheck: options.skipCheck ?? false,
      RegisterNewBaseline: options.registerNewBaseline ?? false,
      ...(options.suppliedBaselineConstraints ? { SuppliedBaselineConstraints: options.suppliedBaselineConstraints.uri } : {}),
    };
  }
}

/** Makes the pipeline resource (AWS::SageMaker::Pipeline) depend on a configuration file. */
class DependOnConfig implements IAspect {
  constructor(private readonly config: CustomResource) {}

  public visit(node: IConstruct): void {
    if (node instanceof sagemaker.CfnPipeline) node.node.addDependency(this.config);
  }
}

function clarifyCheckStepProblems(options: ClarifyCheckStepOptions): string[] {
  // SkipCheck false or RegisterNewBaseline false: "the previous baseline of the configured check
  // type must be available" (ClarifyCheckStepMetadata).
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClarifyCheckStepMetadata.html
  const needsPrevious = !(options.skipCheck ?? false) || !(options.registerNewBaseline ?? false);
  if (needsPrevious && !options.suppliedBaselineConstraints && !options.modelPackageGroup) {
    const why = !(options.skipCheck ?? false) ? 'skipCheck is false' : 'registerNewBaseline is false';
    return [
      `${why}, so SageMaker needs a previous baseline, but there is none: supply suppliedBaselineConstraints, or a modelPackageGroup whose latest Approved version has one; ` +
        'or set skipCheck: true and registerNewBaseline: true for the first run.',
    ];
  }
  return [];
}
