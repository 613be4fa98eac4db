import { aws_cloudwatch as cloudwatch, aws_iam as iam, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage } from '../core';
import { IEndpoint } from '../hosting';
import { ModelMonitor } from './model-monitor';
import { MonitorProps } from './monitor-props';
import { addDependencies, createSchedule, jobDefinitionName, jobInput, outputConfig, prepareMonitor } from './monitor-support';

/**
 * Properties of a {@link DataQualityMonitor}.
 */
export interface DataQualityMonitorProps extends MonitorProps {
  /**
   * Features whose drift gets a metric accessor and, with MonitorAlerts, an alarm.
   * @default - none
   */
  readonly features?: string[];
}

/**
 * Data quality monitoring (the SDK's DefaultModelMonitor): compares the data an endpoint or a
 * batch transform job captured with a baseline's statistics and constraints on a schedule,
 * publishes drift metrics per feature.
 *
 * Amazon SageMaker Model Monitor is no longer open to new customers; existing customers can
 * continue to use it as normal (Amazon SageMaker AI Developer Guide, see {@link ModelMonitor}).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-byoc-containers.html
 */
export class DataQualityMonitor extends ModelMonitor {
  public readonly monitoringScheduleName: string;
  public readonly role: iam.IRole;
  public readonly endpoint?: IEndpoint;
  public readonly monitoringType = 'DataQuality';
  /** The job definition. */
  public readonly jobDefinition: sagemaker.CfnDataQualityJobDefinition;

  constructor(scope: Construct, id: string, props: DataQualityMonitorProps) {
    super(scope, id);
    const basics = prepareMonitor(this, props, 'data-quality');
    this.role = basics.role;
    this.endpoint = props.endpoint;
    const image = (props.image ?? ContainerImage.modelMonitorAnalyzer()).bind(this, basics.role);
    const definitionProps: Omit<sagemaker.CfnDataQualityJobDefinitionProps, 'jobDefinitionName'> = {
      roleArn: basics.role.roleArn,
      dataQualityAppSpecification: { imageUri: image.imageUri },
      dataQualityBaselineConfig: props.baseline
        ? { statisticsResource: { s3Uri: props.baseline.statisticsUri }, constraintsResource: { s3Uri: props.baseline.constraintsUri } }
        : undefined,
      dataQualityJobInput: jobInput(basics, {}),
      dataQualityJobOutputConfig: outputConfig(basics),
      jobResources: basics.resources,
      networkConfig: basics.network,
      stoppingCondition: basics.stoppingCondition,
    };
    const name = jobDefinitionName(this, () => definitionProps);
    this.jobDefinition = new sagemaker.CfnDataQualityJobDefinition(this, 'JobDefinition', { ...definitionProps, jobDefinitionName: name });
    addDependencies(this.jobDefinition, basics.role, props.baseline?.dependable);
    const schedule = createSchedule(this, basics, this.monitoringType, this.jobDefinition, name);
    this.monitoringScheduleName = schedule.monitoringScheduleName;
  }

  /** The drift of one feature from the baseline (`feature_baseline_drift_<feature>`). */
  public metricFeatureDrift(feature: string): cloudwatch.Metric {
    return this.metric(`feature_baseline_drift_${feature}`);
  }
}
