import { Duration, Size, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImage, InstanceType } from '../core';
import { DeployTimeProcessingJob, ProcessingJob, S3Location } from '../jobs';
import { MlNetwork } from '../security';

/** Where a monitor's baseline is. */
export class MonitoringBaseline {
  /**
   * Statistics and constraints files already in S3 (e.g. from an earlier baselining job).
   * The monitor gets read access to them.
   */
  public static fromBucket(bucket: s3.IBucket, statisticsKey: string, constraintsKey: string): MonitoringBaseline {
    return new MonitoringBaseline(`s3://${bucket.bucketName}/${statisticsKey}`, `s3://${bucket.bucketName}/${constraintsKey}`, bucket, [statisticsKey, constraintsKey]);
  }

  /**
   * Computes the baseline once, at deploy time, with the Model Monitor analyzer over a training
   * data set (CSV with a header), and points the monitor at its `statistics.json` and
   * `constraints.json`.
   */
  public static computeAtDeployTime(scope: Construct, id: string, props: BaseliningJobProps): MonitoringBaseline {
    const prefix = props.outputPrefix ?? 'monitoring/baseline/';
    const job = new ProcessingJob(scope, id, {
      image: props.image ?? ContainerImage.modelMonitorAnalyzer(),
      instanceType: props.instanceType ?? InstanceType.ML_M5_XLARGE,
      volumeSize: Size.gibibytes(20),
      maxRuntime: Duration.hours(1),
      inputs: [{ inputName: 'baseline_dataset_input', source: props.dataset, localPath: '/opt/ml/processing/input/baseline_dataset_input' }],
      outputs: [{ outputName: 'monitoring_output', bucket: props.outputBucket, prefix, localPath: '/opt/ml/processing/output' }],
      environment: {
        dataset_format: JSON.stringify({ csv: { header: true, output_columns_position: 'START' } }),
        dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
        output_path: '/opt/ml/processing/output',
        publish_cloudwatch_metrics: 'Disabled',
      },
      encryptionKey: props.encryptionKey,
      network: props.network,
    });
    const runner = new DeployTimeProcessingJob(scope, `${id}Run`, { job });
    const baseline = new MonitoringBaseline(
      `s3://${props.outputBucket.bucketName}/${prefix}statistics.json`,
      `s3://${props.outputBucket.bucketName}/${prefix}constraints.json`,
      props.outputBucket,
      [`${prefix}statistics.json`, `${prefix}constraints.json`],
    );
    baseline.dependable = runner;
    return baseline;
  }

  /** A construct the monitor must wait for (the baselining job), if any. */
  public dependable?: Construct;

  private constructor(
    /** The statistics file. */
    public readonly statisticsUri: string,
    /** The constraints file. */
    public readonly constraintsUri: string,
    /** The bucket of both files. */
    public readonly bucket: s3.IBucket,
    /** The keys of the files. */
    public readonly keys: string[],
  ) {}
}

/** Properties of a deploy-time baselining job. */
export interface BaseliningJobProps {
  /** The training data set the baseline describes (CSV with a header). */
  readonly dataset: S3Location;
  /** The bucket the baseline files go to. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the baseline files.
   * @default 'monitoring/baseline/'
   */
  readonly outputPrefix?: string;
  /**
   * The instance type.
   * @default InstanceType.ML_M5_XLARGE
   */
  readonly instanceType?: InstanceType;
  /**
   * The key for volumes and outputs.
   * @default - AWS-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The private network to run in.
   * @default - no VPC
   */
  readonly network?: MlNetwork;
  /**
   * The analyzer image, e.g. the same pinned image the monitor runs.
   * @default ContainerImage.modelMonitorAnalyzer()
   */
  readonly image?: ContainerImage;
}
