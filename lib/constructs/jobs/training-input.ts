import { aws_s3 as s3 } from 'aws-cdk-lib';
import { JobOutput, S3Location } from './job-io';

/** How a training job reads a channel. */
export enum InputMode {
  /** Copy the data to the instance's volume before training. */
  FILE = 'File',
  /** Stream the data from S3 on demand, seen as files. */
  FAST_FILE = 'FastFile',
  /** Stream the data through a named pipe. */
  PIPE = 'Pipe',
}

/** How a channel's objects are spread over the instances of a distributed job. */
export enum Distribution {
  /** Every instance gets all the data. */
  FULLY_REPLICATED = 'FullyReplicated',
  /**
   * Each instance gets a share of the objects (data-parallel training): SageMaker splits the
   * channel by object, never inside one, so write at least as many files as the job has
   * instances (ideally a multiple of it). With fewer files an instance gets no data and idles
   * while it is paid for; a producing processing script should take the instance count as an
   * argument (the example's `preprocess.py --train-shards`).
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3DataSource.html
   */
  SHARDED_BY_S3_KEY = 'ShardedByS3Key',
}

/** How a channel's objects are compressed. */
export enum CompressionType {
  /** Not compressed. */
  NONE = 'None',
  /** Gzip-compressed. */
  GZIP = 'Gzip',
}

/** Options of a training channel. */
export interface TrainingInputOptions {
  /**
   * The MIME type of the data, e.g. `text/csv` for XGBoost's CSV input.
   * @default - none
   */
  readonly contentType?: string;
  /**
   * How the channel is read.
   * @default InputMode.FILE
   */
  readonly inputMode?: InputMode;
  /**
   * How objects are spread over instances.
   * @default Distribution.FULLY_REPLICATED
   */
  readonly distribution?: Distribution;
  /**
   * How the objects are compressed.
   * @default CompressionType.NONE
   */
  readonly compressionType?: CompressionType;
}

/**
 * The data of one training channel (`train`, `validation`, ...).
 */
export class TrainingInput {
  /** Objects under a prefix of a bucket; the job gets read access to that prefix. */
  public static fromBucket(bucket: s3.IBucket, prefix: string, options: TrainingInputOptions = {}): TrainingInput {
    return new TrainingInput(S3Location.fromBucket(bucket, prefix), options);
  }

  /** Another job's output (e.g. a processing job's `train` split); runners wire the dependency. */
  public static fromJobOutput(output: JobOutput, options: TrainingInputOptions = {}): TrainingInput {
    return new TrainingInput(S3Location.fromJobOutput(output), options);
  }

  /** Any S3 URI (for example a pipeline parameter); grant read access yourself. */
  public static fromUri(uri: string, options: TrainingInputOptions = {}): TrainingInput {
    return new TrainingInput(S3Location.fromUri(uri), options);
  }

  private constructor(
    /** Where the data is. */
    public readonly source: S3Location,
    /** How it is read. */
    public readonly options: TrainingInputOptions,
  ) {}
}
