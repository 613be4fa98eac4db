import { Duration, Size, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { InstanceType } from '../core';
import { IEndpoint } from '../hosting';
import { MlNetwork } from '../security';
import { MonitoringBaseline } from './monitoring-baseline';
import { MonitoringSchedule } from './monitoring-schedule';

/**
 * Properties every model monitor takes.
 */
export interface MonitorProps {
  /** The endpoint to monitor; it must capture data (`dataCapture`) and run on instances. */
  readonly endpoint: IEndpoint;
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
}
