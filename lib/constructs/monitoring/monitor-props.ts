import { Duration, Size, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { ContainerImage, InstanceType } from '../core';
import { IEndpoint } from '../hosting';
import { MlNetwork } from '../security';
import { BatchTransformMonitorInput } from './batch-transform-monitor-input';
import { MonitoringBaseline } from './monitoring-baseline';
import { MonitoringSchedule } from './monitoring-schedule';

/**
 * Properties every model monitor takes.
 */
export interface MonitorProps {
  /**
   * The endpoint to monitor; it must capture data (`dataCapture`) and run on instances.
   * Give exactly one of `endpoint` and `batchTransform`.
   * @default - none: monitor `batchTransform` instead
   */
  readonly endpoint?: IEndpoint;
  /**
   * The captured data of a batch transform job to monitor (see `TransformJob.monitorInput()`).
   * Give exactly one of `endpoint` and `batchTransform`.
   * @default - none: monitor `endpoint` instead
   */
  readonly batchTransform?: BatchTransformMonitorInput;
  /** The bucket the monitoring reports go to. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the reports.
   * @default 'monitoring/<monitor type>/'
   */
  readonly outputPrefix?: string;
  /**
   * When the monitor runs.
   * @default MonitoringSchedule.hourly()
   */
  readonly schedule?: MonitoringSchedule;
  /**
   * The baseline the captured data is compared with.
   * @default - none (reports statistics without violations)
   */
  readonly baseline?: MonitoringBaseline;
  /**
   * The instance type of the monitoring job.
   * @default InstanceType.ML_M5_XLARGE
   */
  readonly instanceType?: InstanceType;
  /**
   * The storage volume of the monitoring job.
   * @default Size.gibibytes(20)
   */
  readonly volumeSize?: Size;
  /**
   * The longest a run may take; at most the schedule's interval.
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * The key for the job's volume and reports.
   * @default - the output bucket's key, if any
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The private network the job runs in.
   * @default - no VPC
   */
  readonly network?: MlNetwork;
  /**
   * The execution role.
   * @default - a new role that reads the capture and baseline and writes the reports
   */
  readonly role?: iam.IRole;
  /**
   * The analysis image, e.g. `ContainerImage.modelMonitorAnalyzer({ digest: 'sha256:...' })` to
   * pin the image the jobs run.
   * @default ContainerImage.modelMonitorAnalyzer() for data and model quality, ContainerImage.clarify() for bias and explainability
   */
  readonly image?: ContainerImage;
}
