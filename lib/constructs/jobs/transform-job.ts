import { Duration, Size, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type { CreateTransformJobRequest, TransformInstanceType } from '@aws-sdk/client-sagemaker';
import { Construct } from 'constructs';
import { InstanceType } from '../core';
import { IModel } from '../hosting';
import { TRANSFORM_ENVIRONMENT, environmentProblems } from '../../private/api-limits';
import { integerProblem, isConcrete, lengthProblem, rangeProblem, throwIfProblems, validationError } from '../../private/errors';
import type { BatchTransformMonitorInput, MonitorDatasetFormat } from '../monitoring/batch-transform-monitor-input';
import { IJobDefinition, JobKind } from './job-definition';
import { S3Location } from './job-io';
import { grantReadLocation, grantWritePrefix } from './job-support';

/** How the input objects are split into records. */
export enum SplitType {
  /** Each object is one record. */
  NONE = 'None',
  /** Each line is a record (CSV, JSON Lines). */
  LINE = 'Line',
  /** RecordIO records. */
  RECORD_IO = 'RecordIO',
  /** TFRecord records. */
  TF_RECORD = 'TFRecord',
}

/** How many records go into one request. */
export enum BatchStrategy {
  /** As many records as fit in `maxPayload`. */
  MULTI_RECORD = 'MultiRecord',
  /** One record per request. */
  SINGLE_RECORD = 'SingleRecord',
}

/** How the results of one input object are put together. */
export enum AssemblyType {
  /** Each result is written as it comes. */
  NONE = 'None',
  /** Results are joined one per line (CSV, JSON Lines). */
  LINE = 'Line',
}

/** Whether each result is joined to the record it scores. */
export enum JoinSource {
  /** Results only. */
  NONE = 'None',
  /** Each input record followed by its result (JSON objects get a `SageMakerOutput` field). */
  INPUT = 'Input',
}

/**
 * Where a transform job captures its inputs and outputs, for Model Monitor
 * (`DataCaptureConfig` of `CreateTransformJob`).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BatchDataCaptureConfig.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-batch.html
 */
export interface TransformDataCapture {
  /** The bucket the captured data goes to. */
  readonly bucket: s3.IBucket;
  /** The key prefix of the captured data, e.g. `batch-capture/`. */
  readonly prefix: string;
  /**
   * The key SageMaker encrypts the captured data with.
   * @default - the bucket's encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Append an inference id and time to each captured record. A model quality or bias monitor
   * needs it to merge the captured predictions with ground truth.
   * @default false
   */
  readonly generateInferenceId?: boolean;
}

/** Properties of a {@link TransformJob}. */
export interface TransformJobProps {
  /** The model that scores the data (its role reads the input and writes the output). */
  readonly model: IModel;
  /** The data to score. */
  readonly input: S3Location;
  /**
   * The MIME type of the input, e.g. `text/csv`.
   * @default - none
   */
  readonly contentType?: string;
  /**
   * How objects are split into records.
   * @default SplitType.LINE
   */
  readonly splitType?: SplitType;
  /** The bucket of the results. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the results.
   * @default 'batch-transform/'
   */
  readonly outputPrefix?: string;
  /**
   * The MIME type of the results.
   * @default - the container's default
   */
  readonly accept?: string;
  /**
   * How the results of one input object are put together.
   * @default AssemblyType.LINE
   */
  readonly assembleWith?: AssemblyType;
  /**
   * Whether each result is joined to the record it scores.
   * @default JoinSource.NONE
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
   */
  readonly joinSource?: JoinSource;
  /**
   * A JSONPath that picks what of each input record the model gets, e.g. `$[1:]` to drop the
   * first column of a CSV record (a label or an id) so the output can still be joined with the
   * whole record (`joinSource: JoinSource.INPUT`).
   * @default - the whole record
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
   */
  readonly inputFilter?: string;
  /**
   * A JSONPath that picks what of each (joined) output record is written, e.g. `$[0,-1]` for
   * the input's first column and the prediction.
   * @default - the whole output record
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
   */
  readonly outputFilter?: string;
  /**
   * How records are batched into requests.
   * @default BatchStrategy.MULTI_RECORD
   */
  readonly batchStrategy?: BatchStrategy;
  /**
   * The largest request payload (0 to 100 MB).
   * @default Size.mebibytes(6)
   */
  readonly maxPayload?: Size;
  /**
   * Parallel requests per instance.
   * @default - SageMaker's choice
   */
  readonly maxConcurrentTransforms?: number;
  /** The instance type. */
  readonly instanceType: InstanceType;
  /**
   * How many instances.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * The key for the volumes and the results.
   * @default - AWS-managed encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The longest a single request may take.
   * @default Duration.minutes(60)
   */
  readonly invocationTimeout?: Duration;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Capture the job's inputs and outputs for Model Monitor; `monitorInput()` then gives a
   * monitor's `batchTransform` input.
   * @default - no data capture
   */
  readonly dataCapture?: TransformDataCapture;
}

/**
 * A batch transform job definition: scores the data in S3 with a model.
 */
export class TransformJob extends Construct implements IJobDefinition {
  public readonly kind = JobKind.TRANSFORM;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  private readonly props: TransformJobProps;

  constructor(scope: Construct, id: string, props: TransformJobProps) {
    super(scope, id);
    const count = props.instanceCount;
    const payload = props.maxPayload?.toMebibytes();
    const filterProblems = (['inputFilter', 'outputFilter'] as const)
      .filter((name) => isConcrete(props[name]) && !/^\$/.test(props[name] as string))
      .map((name) => `${name} is "${props[name]}", but a filter is a JSONPath starting with "$", e.g. "$[1:]" (every CSV column but the first).`);
    // MaxPayloadInMB x MaxConcurrentTransforms must not exceed 100 MB.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html#sagemaker-CreateTransformJob-request-MaxPayloadInMB
    const effectivePayload = props.maxPayload === undefined ? 6 : payload;
    const concurrent = props.maxConcurrentTransforms;
    const productProblem =
      isConcrete(effectivePayload) && isConcrete(concurrent) && effectivePayload * concurrent > 100
        ? `maxPayload ${effectivePayload} MB${props.maxPayload === undefined ? ' (the default)' : ''} x maxConcurrentTransforms ${concurrent} is ${effectivePayload * concurrent} MB, ` +
          `but SageMaker allows at most 100 MB in flight per instance; lower maxConcurrentTransforms to at most ${Math.max(1, Math.floor(100 / Math.max(effectivePayload, 1)))} or lower maxPayload.`
        : undefined;
    throwIfProblems(this, [
      ...filterProblems,
      integerProblem('instanceCount', count) ?? rangeProblem('instanceCount', count, 1, 100, 'a job needs at least one instance'),
      rangeProblem('maxPayload (MB)', payload, 0, 100),
      productProblem,
      ...environmentProblems('environment', props.environment, TRANSFORM_ENVIRONMENT),
      rangeProblem('invocationTimeout (seconds)', props.invocationTimeout?.toSeconds(), 1, 3600),
      // DestinationS3Uri: at most 1024 characters (CreateTransformJob), and a monitor reads it as its
      // DataCapturedDestinationS3Uri, at most 512 (BatchTransformInput).
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BatchDataCaptureConfig.html
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BatchTransformInput.html
      props.dataCapture ? lengthProblem('dataCapture destination', captureUri(props.dataCapture), 1, 512, 'shorten dataCapture.prefix so a monitor can read it') : undefined,
    ].filter((p): p is string => p !== undefined));
    if (!props.model.role) {
      throw new Error(`[${this.node.path}] the model has no known execution role; a transform job runs with it. Use Model.fromModelAttributes with role.`);
    }
    this.props = props;
    this.role = props.model.role;
    this.grantPrincipal = this.role;
    grantReadLocation(this.role, props.input);
    grantWritePrefix(this.role, props.outputBucket, this.outputPrefix);
    if (props.encryptionKey) grantJobKey(this.role, props.encryptionKey);
    if (props.dataCapture) {
      grantWritePrefix(this.role, props.dataCapture.bucket, props.dataCapture.prefix);
      if (props.dataCapture.encryptionKey) grantJobKey(this.role, props.dataCapture.encryptionKey);
    }
  }

  /**
   * What a monitor over this job's captured data reads (its `batchTransform` prop).
   * @param datasetFormat the format of the captured data, e.g. `MonitorDatasetFormat.csv({ header: false })` for `text/csv` input without a header
   */
  public monitorInput(datasetFormat: MonitorDatasetFormat): BatchTransformMonitorInput {
    const capture = this.props.dataCapture;
    if (!capture) {
      throw validationError(this, 'the job has no dataCapture, so there is nothing for a monitor to read; set dataCapture (bucket and prefix) on the TransformJob.');
    }
    return { captureBucket: capture.bucket, capturePrefix: capture.prefix, datasetFormat, encryptionKey: capture.encryptionKey };
  }

  /** The instance type the transform runs on. */
  public get instanceType(): InstanceType {
    return this.props.instanceType;
  }

  private dataProcessing(): CreateTransformJobRequest['DataProcessing'] {
    const props = this.props;
    const join = props.joinSource === JoinSource.INPUT;
    if (!join && !props.inputFilter && !props.outputFilter) return undefined;
    return { InputFilter: props.inputFilter, JoinSource: join ? JoinSource.INPUT : undefined, OutputFilter: props.outputFilter };
  }

  private get outputPrefix(): string {
    return this.props.outputPrefix ?? 'batch-transform/';
  }

  /** The S3 URI of the results. */
  public get outputUri(): string {
    return `s3://${this.props.outputBucket.bucketName}/${this.outputPrefix}`;
  }

  /**
   * Renders the `CreateTransformJob` request, without the job name.
   * @param modelName the model to use; a runner may pass a reference to a model it creates
   * Plumbing for the runners (MlPipeline, MlWorkflow, DeployTimeProcessingJob); typed with the
   * AWS SDK's request type, so not part of the jsii API.
   * @internal
   */
  public _renderRequest(modelName: string = this.props.model.modelName): Omit<CreateTransformJobRequest, 'TransformJobName'> {
    const props = this.props;
    return {
      ModelName: modelName,
      BatchStrategy: props.batchStrategy ?? BatchStrategy.MULTI_RECORD,
      MaxPayloadInMB: (props.maxPayload ?? Size.mebibytes(6)).toMebibytes(),
      MaxConcurrentTransforms: props.maxConcurrentTransforms,
      ModelClientConfig: props.invocationTimeout ? { InvocationsTimeoutInSeconds: props.invocationTimeout.toSeconds() } : undefined,
      Environment: props.environment,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: props.input.uri } },
        ContentType: props.contentType,
        SplitType: props.splitType ?? SplitType.LINE,
      },
      TransformOutput: {
        S3OutputPath: this.outputUri,
        Accept: props.accept,
        AssembleWith: props.assembleWith ?? AssemblyType.LINE,
        KmsKeyId: props.encryptionKey?.keyArn,
      },
      TransformResources: {
        InstanceType: props.instanceType.name as TransformInstanceType,
        InstanceCount: props.instanceCount ?? 1,
        VolumeKmsKeyId: props.encryptionKey && !props.instanceType.hasLocalNvmeStorage ? props.encryptionKey.keyArn : undefined,
      },
      DataProcessing: this.dataProcessing(),
      DataCaptureConfig: props.dataCapture
        ? { DestinationS3Uri: captureUri(props.dataCapture), KmsKeyId: props.dataCapture.encryptionKey?.keyArn, GenerateInferenceId: props.dataCapture.generateInferenceId }
        : undefined,
    };
  }
}

/** The S3 URI the job captures its data to. */
function captureUri(capture: TransformDataCapture): string {
  return `s3://${capture.bucket.bucketName}/${capture.prefix}`;
}

/**
 * Lets the job's role use a key for its outputs and volumes: SageMaker creates grants for the
 * instances' volumes (only grants for AWS resources).
 */
function grantJobKey(role: iam.IRole, key: kms.IKey): void {
  key.grant(role, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:CreateGrant'], resources: [key.keyArn], conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }));
}
