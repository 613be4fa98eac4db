import { aws_cloudwatch as cloudwatch, aws_iam as iam, aws_s3 as s3, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage } from '../core';
import { IEndpoint } from '../hosting';
import { rangeProblem, validationError } from '../../private/errors';
import { SageMakerExecutionRole } from '../security';
import { ModelMonitor } from './model-monitor';
import { MonitorProps } from './monitor-props';
import { addDependencies, createSchedule, jobDefinitionName, jobInput, outputConfig, prepareMonitor } from './monitor-support';

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
 * Model quality monitoring: joins the predictions an endpoint or a batch transform job captured
 * with ground-truth labels and tracks accuracy, AUC, F1 or regression errors against the
 * baseline's constraints. A batch transform job must capture with `generateInferenceId: true`,
 * so that its captured records carry the inference ids the ground truth is merged by.
 *
 * The metric accessors are those the Developer Guide lists per problem type; each throws for a
 * problem type that does not publish the metric.
 *
 * Amazon SageMaker Model Monitor is no longer open to new customers; existing customers can
 * continue to use it as normal (Amazon SageMaker AI Developer Guide, see {@link ModelMonitor}).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-batch.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-containers.html
 */
export class ModelQualityMonitor extends ModelMonitor {
  public readonly monitoringScheduleName: string;
  public readonly role: iam.IRole;
  public readonly endpoint?: IEndpoint;
  /** The kind of model the monitor judges. */
  public readonly problemType: ProblemType;
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
    this.problemType = props.problemType;
    const image = (props.image ?? ContainerImage.modelMonitorAnalyzer()).bind(this, basics.role);
    const definitionProps: Omit<sagemaker.CfnModelQualityJobDefinitionProps, 'jobDefinitionName'> = {
      roleArn: basics.role.roleArn,
      modelQualityAppSpecification: { imageUri: image.imageUri, problemType: props.problemType },
      modelQualityBaselineConfig: props.baseline ? { constraintsResource: { s3Uri: props.baseline.constraintsUri } } : undefined,
      modelQualityJobInput: {
        ...jobInput(basics, {
          inferenceAttribute: props.inferenceAttribute,
          probabilityAttribute: props.probabilityAttribute,
          probabilityThresholdAttribute: props.problemType === ProblemType.BINARY_CLASSIFICATION ? props.probabilityThreshold ?? 0.5 : undefined,
        }),
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

  /** The share of correct predictions (`accuracy`; binary and multiclass classification). */
  public metricAccuracy(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('accuracy', [ProblemType.BINARY_CLASSIFICATION, ProblemType.MULTICLASS_CLASSIFICATION], props);
  }

  /** Precision (`precision`; binary classification). */
  public metricPrecision(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('precision', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** Recall (`recall`; binary classification). */
  public metricRecall(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('recall', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The area under the ROC curve (`auc`; binary classification). */
  public metricAuc(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('auc', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The F0.5 score (`f0_5`; binary classification). */
  public metricFHalf(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('f0_5', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The F1 score (`f1`; binary classification). */
  public metricF1(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('f1', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The F2 score (`f2`; binary classification). */
  public metricF2(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('f2', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The true positive rate (`true_positive_rate`; binary classification). */
  public metricTruePositiveRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('true_positive_rate', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The true negative rate (`true_negative_rate`; binary classification). */
  public metricTrueNegativeRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('true_negative_rate', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The false positive rate (`false_positive_rate`; binary classification). */
  public metricFalsePositiveRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('false_positive_rate', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** The false negative rate (`false_negative_rate`; binary classification). */
  public metricFalseNegativeRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('false_negative_rate', [ProblemType.BINARY_CLASSIFICATION], props);
  }

  /** Precision weighted over the classes (`weighted_precision`; multiclass classification). */
  public metricWeightedPrecision(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('weighted_precision', [ProblemType.MULTICLASS_CLASSIFICATION], props);
  }

  /** Recall weighted over the classes (`weighted_recall`; multiclass classification). */
  public metricWeightedRecall(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('weighted_recall', [ProblemType.MULTICLASS_CLASSIFICATION], props);
  }

  /** The F0.5 score weighted over the classes (`weighted_f0_5`; multiclass classification). */
  public metricWeightedFHalf(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('weighted_f0_5', [ProblemType.MULTICLASS_CLASSIFICATION], props);
  }

  /** The F1 score weighted over the classes (`weighted_f1`; multiclass classification). */
  public metricWeightedF1(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('weighted_f1', [ProblemType.MULTICLASS_CLASSIFICATION], props);
  }

  /** The F2 score weighted over the classes (`weighted_f2`; multiclass classification). */
  public metricWeightedF2(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('weighted_f2', [ProblemType.MULTICLASS_CLASSIFICATION], props);
  }

  /** The mean absolute error (`mae`; regression). */
  public metricMae(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('mae', [ProblemType.REGRESSION], props);
  }

  /** The mean squared error (`mse`; regression). */
  public metricMse(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('mse', [ProblemType.REGRESSION], props);
  }

  /** The root mean squared error (`rmse`; regression). */
  public metricRmse(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('rmse', [ProblemType.REGRESSION], props);
  }

  /** The coefficient of determination (`r2`; regression). */
  public metricR2(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.problemMetric('r2', [ProblemType.REGRESSION], props);
  }

  /** A metric the Developer Guide lists for these problem types, else a synth error. */
  private problemMetric(metricName: string, problemTypes: ProblemType[], props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!problemTypes.includes(this.problemType)) {
      throw validationError(
        this,
        `the metric "${metricName}" is published for ${problemTypes.join(' and ')} models, but this monitor judges a ${this.problemType} model; ` +
          'use an accessor of its problem type (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html), or metric(name).',
      );
    }
    return this.metric(metricName, props);
  }
}
