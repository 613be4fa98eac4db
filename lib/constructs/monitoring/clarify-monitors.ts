import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { aws_iam as iam, aws_s3 as s3, aws_s3_assets as s3_assets, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage } from '../core';
import { IEndpoint } from '../hosting';
import { SageMakerExecutionRole } from '../security';
import { ModelMonitor } from './model-monitor';
import { MonitorProps } from './monitor-props';
import { addDependencies, createSchedule, jobDefinitionName, jobInput, outputConfig, prepareMonitor } from './monitor-support';

/** A group whose outcomes bias analysis compares with the rest (e.g. applicants under 25). */
export interface Facet {
  /** The feature name (or column index as text). */
  readonly nameOrIndex: string;
  /**
   * The feature values (or, for a numeric feature, a single threshold) that define the group.
   * @default - every value is its own group
   */
  readonly valuesOrThreshold?: string[];
}

/** Properties shared by the Clarify-based monitors. */
export interface ClarifyMonitorProps extends MonitorProps {
  /** The feature names, in the order the model receives them (the CSV header without the label). */
  readonly headers: string[];
  /**
   * The MIME type of captured requests.
   * @default 'text/csv'
   */
  readonly contentType?: string;
  /**
   * The field of the model output holding the probability.
   * @default - the whole output
   */
  readonly probabilityAttribute?: string;
}

/** Properties of a {@link ModelBiasMonitor}. */
export interface ModelBiasMonitorProps extends ClarifyMonitorProps {
  /** The label name. */
  readonly label: string;
  /** The label values (or threshold) of the positive outcome, e.g. ['1']. */
  readonly labelValuesOrThreshold: string[];
  /** The sensitive groups to compare (at least one). */
  readonly facets: Facet[];
  /** Where the ground-truth labels are uploaded. */
  readonly groundTruthBucket: s3.IBucket;
  /** The key prefix of the ground-truth labels. */
  readonly groundTruthPrefix: string;
  /**
   * The probability above which a prediction is positive.
   * @default 0.5
   */
  readonly probabilityThreshold?: number;
}

/** Properties of a {@link ModelExplainabilityMonitor}. */
export interface ModelExplainabilityMonitorProps extends ClarifyMonitorProps {
  /**
   * The SHAP baseline: one or more rows of feature values the explanations are relative to
   * (e.g. the training data's means).
   */
  readonly shapBaseline: string[][];
  /**
   * Samples per explanation.
   * @default 100
   */
  readonly numSamples?: number;
}

/** Writes an analysis configuration to a content-addressed file and uploads it as an asset. */
function analysisConfig(scope: Construct, config: Record<string, unknown>, role: iam.IRole): string {
  const text = JSON.stringify(config, null, 2);
  const dir = path.join(os.tmpdir(), 'sagemaker-cdk-clarify');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}-analysis_config.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, text);
  const asset = new s3_assets.Asset(scope, 'AnalysisConfig', { path: file });
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [asset.bucket.arnForObjects(asset.s3ObjectKey)] });
  asset.bucket.encryptionKey?.grant(role, 'kms:Decrypt');
  return asset.s3ObjectUrl;
}

/**
 * Model bias monitoring with SageMaker Clarify: post-training bias metrics for the given
 * facets, from the predictions an endpoint or a batch transform job captured, joined with
 * ground truth. The metrics carry the dimensions `BiasStage`, `Label`, `LabelValue`, `Facet`
 * and `FacetValue` besides those of {@link ModelMonitor.metric}; pass them in `dimensionsMap`.
 *
 * Amazon SageMaker Model Monitor is no longer open to new customers; existing customers can
 * continue to use it as normal (Amazon SageMaker AI Developer Guide, see {@link ModelMonitor}).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-bias-drift-cw.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-containers.html
 */
export class ModelBiasMonitor extends ModelMonitor {
  public readonly monitoringScheduleName: string;
  public readonly role: iam.IRole;
  public readonly endpoint?: IEndpoint;
  public readonly monitoringType = 'ModelBias';
  /** The job definition. */
  public readonly jobDefinition: sagemaker.CfnModelBiasJobDefinition;

  constructor(scope: Construct, id: string, props: ModelBiasMonitorProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!props.facets || props.facets.length === 0) problems.push('facets is empty; name at least one sensitive feature to measure bias for (e.g. { nameOrIndex: "age", valuesOrThreshold: ["25"] }).');
    if (!props.headers || props.headers.length === 0) problems.push('headers is empty; give the feature names in model input order.');
    const basics = prepareMonitor(this, props, 'model-bias', problems);
    if (basics.role instanceof SageMakerExecutionRole) basics.role.grantReadPrefix(props.groundTruthBucket, props.groundTruthPrefix);
    this.role = basics.role;
    this.endpoint = props.endpoint;
    const configUri = analysisConfig(this, {
      label: props.label,
      label_values_or_threshold: props.labelValuesOrThreshold,
      facet: props.facets.map((f) => ({ name_or_index: f.nameOrIndex, ...(f.valuesOrThreshold ? { value_or_threshold: f.valuesOrThreshold } : {}) })),
      headers: props.headers,
      dataset_type: props.contentType ?? 'text/csv',
      methods: { post_training_bias: { methods: 'all' } },
      predictor: { probability_threshold: props.probabilityThreshold ?? 0.5 },
    }, basics.role);
    const image = (props.image ?? ContainerImage.clarify()).bind(this, basics.role);
    const definitionProps: Omit<sagemaker.CfnModelBiasJobDefinitionProps, 'jobDefinitionName'> = {
      roleArn: basics.role.roleArn,
      modelBiasAppSpecification: { imageUri: image.imageUri, configUri },
      modelBiasBaselineConfig: props.baseline ? { constraintsResource: { s3Uri: props.baseline.constraintsUri } } : undefined,
      modelBiasJobInput: {
        ...jobInput(basics, { probabilityAttribute: props.probabilityAttribute, probabilityThresholdAttribute: props.probabilityThreshold ?? 0.5 }),
        groundTruthS3Input: { s3Uri: `s3://${props.groundTruthBucket.bucketName}/${props.groundTruthPrefix}` },
      },
      modelBiasJobOutputConfig: outputConfig(basics),
      jobResources: basics.resources,
      networkConfig: basics.network,
      stoppingCondition: basics.stoppingCondition,
    };
    const name = jobDefinitionName(this, () => definitionProps);
    this.jobDefinition = new sagemaker.CfnModelBiasJobDefinition(this, 'JobDefinition', { ...definitionProps, jobDefinitionName: name });
    addDependencies(this.jobDefinition, basics.role, props.baseline?.dependable);
    this.monitoringScheduleName = createSchedule(this, basics, this.monitoringType, this.jobDefinition, name).monitoringScheduleName;
  }
}

/**
 * Model explainability monitoring with SageMaker Clarify: SHAP feature attributions of the
 * requests an endpoint or a batch transform job captured, relative to a SHAP baseline, and their
 * drift. The metrics carry the dimensions `ExplainabilityMethod`, `Label` and `ValueType`
 * besides those of {@link ModelMonitor.metric}; pass them in `dimensionsMap`.
 *
 * Amazon SageMaker Model Monitor is no longer open to new customers; existing customers can
 * continue to use it as normal (Amazon SageMaker AI Developer Guide, see {@link ModelMonitor}).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-feature-attribute-drift-cw.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-containers.html
 */
export class ModelExplainabilityMonitor extends ModelMonitor {
  public readonly monitoringScheduleName: string;
  public readonly role: iam.IRole;
  public readonly endpoint?: IEndpoint;
  public readonly monitoringType = 'ModelExplainability';
  /** The job definition. */
  public readonly jobDefinition: sagemaker.CfnModelExplainabilityJobDefinition;

  constructor(scope: Construct, id: string, props: ModelExplainabilityMonitorProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!props.shapBaseline || props.shapBaseline.length === 0) {
      problems.push('shapBaseline is empty; give at least one row of feature values (for example the training means) that explanations are relative to.');
    } else if (props.headers && props.shapBaseline.some((row) => row.length !== props.headers.length)) {
      problems.push(`every shapBaseline row must have ${props.headers.length} values, one per header.`);
    }
    const basics = prepareMonitor(this, props, 'model-explainability', problems);
    this.role = basics.role;
    this.endpoint = props.endpoint;
    const configUri = analysisConfig(this, {
      headers: props.headers,
      dataset_type: props.contentType ?? 'text/csv',
      methods: { shap: { baseline: props.shapBaseline, num_samples: props.numSamples ?? 100, agg_method: 'mean_abs' } },
      predictor: props.probabilityAttribute ? { probability: props.probabilityAttribute } : {},
    }, basics.role);
    const image = (props.image ?? ContainerImage.clarify()).bind(this, basics.role);
    const definitionProps: Omit<sagemaker.CfnModelExplainabilityJobDefinitionProps, 'jobDefinitionName'> = {
      roleArn: basics.role.roleArn,
      modelExplainabilityAppSpecification: { imageUri: image.imageUri, configUri },
      modelExplainabilityBaselineConfig: props.baseline ? { constraintsResource: { s3Uri: props.baseline.constraintsUri } } : undefined,
      modelExplainabilityJobInput: jobInput(basics, { probabilityAttribute: props.probabilityAttribute }),
      modelExplainabilityJobOutputConfig: outputConfig(basics),
      jobResources: basics.resources,
      networkConfig: basics.network,
      stoppingCondition: basics.stoppingCondition,
    };
    const name = jobDefinitionName(this, () => definitionProps);
    this.jobDefinition = new sagemaker.CfnModelExplainabilityJobDefinition(this, 'JobDefinition', { ...definitionProps, jobDefinitionName: name });
    addDependencies(this.jobDefinition, basics.role, props.baseline?.dependable);
    this.monitoringScheduleName = createSchedule(this, basics, this.monitoringType, this.jobDefinition, name).monitoringScheduleName;
  }
}
