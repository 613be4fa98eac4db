import { aws_iam as iam, aws_s3 as s3, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage } from '../core';
import { IEndpoint } from '../hosting';
import { rangeProblem } from '../../private/errors';
import { SageMakerExecutionRole } from '../security';
import { ModelMonitor } from './model-monitor';
import { MonitorProps } from './monitor-props';
import { addDependencies, createSchedule, jobDefinitionName, outputConfig, prepareMonitor } from './monitor-support';

/** The kind of model a model-quality monitor judges. */
export enum ProblemType {
  /** Two classes (e.g. loan default or not). */
  BINARY_CLASSIFICATION = 'BinaryClassification',
  /** More than two classes. */
  MULTICLASS_CLASSIFICATION = 'MulticlassClassification',
  /** A number. */
  REGRESSION = 'Regression',
}

/** Properties of a {@link ModelQualityMonitor}. */
export interface ModelQualityMonitorProps extends MonitorProps {
  /** The kind of model. */
  readonly problemType: ProblemType;
  /** Where the ground-truth labels are uploaded (merged with captured predictions by event id). */
  readonly groundTruthBucket: s3.IBucket;
  /** The key prefix of the ground-truth labels. */
  readonly groundTruthPrefix: string;
  /**
   * The field of the model output holding the prediction (index or JSON path).
   * @default - the whole output
   */
  readonly inferenceAttribute?: string;
  /**
   * The field of the model output holding the probability.
   * @default - none
   */
  readonly probabilityAttribute?: string;
  /**
   * The probability above which a binary prediction is positive (0 to 1).
   * @default 0.5
   */
  readonly probabilityThreshold?: number;
}

/**
 * Model quality monitoring: joins captured predictions with ground-truth labels and tracks
 * accuracy, AUC, F1 or regression errors against the baseline's constraints.
 */
export class ModelQualityMonitor extends ModelMonitor {
  public readonly monitoringScheduleName: string;
  public readonly role: iam.IRole;
  public readonly endpoint: IEndpoint;
  public readonly monitoringType = 'ModelQuality';
  /** The job definition. */
  public readonly jobDefinition: sagemaker.CfnModelQualityJobDefinition;

  constructor(scope: Construct, id: string, props: ModelQualityMonitorProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!props.problemType) problems.push('problemType is missing; say whether the model does binary or multiclass classification or regression.');
    if (!props.groundTruthBucket || props.groundTruthPrefix === undefined) {
      problems.push('ground truth is missing: give groundTruthBucket and groundTruthPrefix, where labels for captured requests are uploaded.');
    }
    const threshold = rangeProblem('probabilityThreshold', props.probabilityThreshold, 0, 1);
    if (threshold) problems.push(threshold);
    const basics = prepareMonitor(this, props, 'model-quality', problems);
    if (basics.role instanceof SageMakerExecutionRole) basics.role.grantReadPrefix(props.groundTruthBucket, props.groundTruthPrefix);
    this.role = basics.role;
    this.endpoint = props.endpoint;
    const image = ContainerImage.modelMonitorAnalyzer().bind(this, basics.role);
    const definitionProps: Omit<sagemaker.CfnModelQualityJobDefinitionProps, 'jobDefinitionName'> = {
      roleArn: basics.role.roleArn,
      modelQualityAppSpecification: { imageUri: image.imageUri, problemType: props.problemType },
      modelQualityBaselineConfig: props.baseline ? { constraintsResource: { s3Uri: props.baseline.constraintsUri } } : undefined,
      modelQualityJobInput: {
        endpointInput: {
          ...basics.endpointInput,
          inferenceAttribute: props.inferenceAttribute,
          probabilityAttribute: props.probabilityAttribute,
          probabilityThresholdAttribute: props.problemType === ProblemType.BINARY_CLASSIFICATION ? props.probabilityThreshold ?? 0.5 : undefined,
        },
        groundTruthS3Input: { s3Uri: `s3://${props.groundTruthBucket.bucketName}/${props.groundTruthPrefix}` },
      },
      modelQualityJobOutputConfig: outputConfig(basics),
      jobResources: basics.resources,
      networkConfig: basics.network,
      stoppingCondition: basics.stoppingCondition,
    };
    const name = jobDefinitionName(this, () => definitionProps);
    this.jobDefinition = new sagemaker.CfnModelQualityJobDefinition(this, 'JobDefinition', { ...definitionProps, jobDefinitionName: name });
    addDependencies(this.jobDefinition, basics.role, props.baseline?.dependable);
    this.monitoringScheduleName = createSchedule(this, basics, this.monitoringType, this.jobDefinition, name).monitoringScheduleName;
  }
}
