import { aws_s3 as s3 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { JobReference } from './job-reference';
import { s3UriProblem } from '../../private/api-limits';
import { SageMakerConstructError } from '../../private/errors';
import { grantablePrefix } from '../../private/grantable-prefix';

/**
 * An output of a job that another job can read: the job, the output's name and where it lands.
 */
export class JobOutput {
  constructor(
    /** The job that writes the output. */
    public readonly job: IConstruct,
    /** The output's name in the job (`train`, `model`, ...). */
    public readonly outputName: string,
    /** The bucket the output lands in. */
    public readonly bucket: s3.IBucket,
    /** The key prefix of the output. */
    public readonly prefix: string,
    /** Where a runner reads the output's actual location (e.g. a pipeline step property). */
    public readonly propertyPath: string,
  ) {}

  /** The output's S3 URI as a reference: runners render it as the producing step's property. */
  public get uri(): string {
    return new JobOutputReference(this).toString();
  }

  /** The static S3 URI the job is configured to write to. */
  public get staticUri(): string {
    return `s3://${this.bucket.bucketName}/${this.prefix}`;
  }
}

/**
 * A reference to another job's output. SageMaker Pipelines renders it as the producing step's
 * property (and so infers the dependency); a runner without step properties uses the static URI.
 */
export class JobOutputReference extends JobReference {
  public readonly isNumeric = false;

  constructor(public readonly output: JobOutput) {
    super();
  }

  public get description(): string {
    return `output "${this.output.outputName}" of ${this.output.job.node.path}`;
  }
}

/**
 * An S3 location a job reads: a bucket and key prefix, or another job's output.
 */
export class S3Location {
  /** A key prefix (or object) in a bucket. */
  public static fromBucket(bucket: s3.IBucket, prefix: string): S3Location {
    return new S3Location(`s3://${bucket.bucketName}/${prefix}`, bucket, prefix, undefined);
  }

  /** Another job's output: runners wire the dependency. */
  public static fromJobOutput(output: JobOutput): S3Location {
    // Readers are granted the prefix up to a run id it may hold (each run writes its own folder).
    return new S3Location(output.uri, output.bucket, grantablePrefix(output.prefix), output);
  }

  /**
   * Any S3 URI, possibly a pipeline parameter. No permissions are granted: grant the job's role
   * read access yourself.
   */
  public static fromUri(uri: string): S3Location {
    // S3Uri: ^(https|s3)://([^/]+)/?(.*)$ in the API; the jobs' data sources take s3:// URIs.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3DataSource.html
    const problem = s3UriProblem('the URI', uri);
    if (problem) throw new SageMakerConstructError(`S3Location.fromUri: ${problem}`);
    return new S3Location(uri, undefined, undefined, undefined);
  }

  private constructor(
    /** The S3 URI (may hold references). */
    public readonly uri: string,
    /** The bucket, when known: the job gets read access to the prefix. */
    public readonly bucket: s3.IBucket | undefined,
    /** The key prefix, when known. */
    public readonly prefix: string | undefined,
    /** The producing job's output, when the location is one. */
    public readonly jobOutput: JobOutput | undefined,
  ) {}
}
