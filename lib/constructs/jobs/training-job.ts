import { Annotations, Duration, Size, Token, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import type { Channel, CreateTrainingJobRequest, TrainingInstanceType } from '@aws-sdk/client-sagemaker';
import { Construct } from 'constructs';
import { ContainerImage, SourceCode, SourceCodeConfig } from '../core';
import { TRAINING_ENVIRONMENT, environmentProblems, hyperparameterProblems, metricDefinitionProblems } from '../../private/api-limits';
import { isConcrete, throwIfProblems } from '../../private/errors';
import { Hyperparameters } from './hyperparameters';
import { IJobDefinition, JobKind } from './job-definition';
import { JobOutput, S3Location } from './job-io';
import { JobComputeProps, allowEncryptedInterContainerTraffic, computeProblems, grantReadLocation, grantWritePrefix, jobRole, jobVpcConfig, volumeKeyId } from './job-support';
import { processorProblem } from '../../private/processor-match';
import { RunReference } from './run-reference';
import { TrainingInput } from './training-input';
import { grantablePrefix } from '../../private/grantable-prefix';

/**
 * Managed Spot training: cheaper capacity that may be interrupted; training resumes from the
 * latest checkpoint.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html
 */
export interface SpotTrainingOptions {
  /**
   * The longest to wait for Spot capacity plus run, at least the job's max runtime.
   */
  readonly maxWait: Duration;
  /**
   * The bucket checkpoints are synced to (from `/opt/ml/checkpoints`).
   * @default - no checkpoints (an interrupted job starts over; a warning for jobs over an hour)
   */
  readonly checkpointBucket?: s3.IBucket;
  /**
   * The key prefix of the checkpoints. SageMaker copies whatever is under it into the container
   * before the job starts and training code resumes from it, so a prefix shared by several runs
   * makes every run after the first resume from an earlier run's model (XGBoost then trains no
   * more rounds; a changed network fails on a shape mismatch). Put
   * `RunReference.executionId()` in a prefix you set (a warning says so when it is missing).
   * @default `checkpoints/<construct path>/<run id>/`: one prefix per pipeline execution or
   * state machine execution, so a retried step resumes its own run and no other
   */
  readonly checkpointPrefix?: string;
}

/** A metric SageMaker extracts from the training logs. */
export interface MetricDefinition {
  /** The metric name, e.g. `validation:auc`. */
  readonly name: string;
  /** A regular expression whose first group is the value, e.g. `validation:auc=([0-9.]+)`. */
  readonly regex: string;
}

/**
 * Properties of a {@link TrainingJob}.
 */
export interface TrainingJobProps extends JobComputeProps {
  /** The training image: a built-in algorithm or a framework image. */
  readonly image: ContainerImage;
  /**
   * Script-mode code for framework images (sets `sagemaker_program` and `sagemaker_submit_directory`).
   * @default - the image's own training code
   */
  readonly code?: SourceCode;
  /**
   * Hyperparameters (typed for built-in algorithms).
   * @default - none
   */
  readonly hyperparameters?: Hyperparameters;
  /** The input channels by name, e.g. `{ train: ..., validation: ... }`. */
  readonly channels: Record<string, TrainingInput>;
  /** The bucket the model artifact (`model.tar.gz`) is written to. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the model artifacts.
   * @default 'models/'
   */
  readonly outputPrefix?: string;
  /**
   * Managed Spot training.
   * @default - on-demand
   */
  readonly spot?: SpotTrainingOptions;
  /**
   * Metrics extracted from the logs (needed by tuning objectives for custom images).
   * @default - none
   */
  readonly metricDefinitions?: MetricDefinition[];
  /**
   * How many times SageMaker retries the job after an internal error (0 to 30).
   * @default 0
   */
  readonly retryAttempts?: number;
}

/** Channel names SageMaker accepts. */
const CHANNEL_NAME = /^[A-Za-z0-9.\-_]{1,64}$/;

/**
 * A training job definition: built-in algorithms (typed hyperparameters) or framework images
 * with script-mode code, CPU or GPU, distributed, and managed Spot with checkpoints. Renders a
 * `CreateTrainingJob` request; a runner runs it.
 */
export class TrainingJob extends Construct implements IJobDefinition {
  public readonly kind = JobKind.TRAINING;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  /** The image of the job (a tuning job reuses it). */
  public readonly image: ContainerImage;
  private readonly props: TrainingJobProps;
  private readonly imageUri: string;
  private readonly codeConfig?: SourceCodeConfig;

  constructor(scope: Construct, id: string, props: TrainingJobProps) {
    super(scope, id);
    const problems = computeProblems(props);
    const maxRuntime = props.maxRuntime ?? Duration.days(1);
    const channelNames = Object.keys(props.channels);
    if (channelNames.length === 0) problems.push('channels is empty; give at least a "train" channel.');
    if (props.code && channelNames.includes('code') && (props.networkIsolation ?? true)) {
      problems.push('channel name "code" is taken by the script-mode code of a network-isolated job; rename the channel.');
    }
    for (const name of channelNames) {
      if (!CHANNEL_NAME.test(name)) problems.push(`channel name "${name}" must be 1-64 letters, digits, ".", "-" or "_"; rename the channel (e.g. "train", "validation").`);
    }
    if (props.spot) {
      const wait = props.spot.maxWait.toSeconds();
      const runtime = maxRuntime.toSeconds();
      if (isConcrete(wait) && isConcrete(runtime) && wait < runtime) {
        problems.push(
          `spot.maxWait is ${wait} s but maxRuntime is ${runtime} s: SageMaker requires MaxWaitTimeInSeconds >= MaxRuntimeInSeconds ` +
            '(for example, maxWait 3600 s with maxRuntime 86400 s is rejected). Set spot.maxWait to at least maxRuntime, ' +
            'for example maxRuntime plus the time you accept to wait for Spot capacity.',
        );
      }
    }
    // RetryStrategy.MaximumRetryAttempts: 1 to 30 (0 leaves RetryStrategy out).
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RetryStrategy.html
    const retry = props.retryAttempts;
    if (isConcrete(retry) && (retry < 0 || retry > 30 || !Number.isInteger(retry))) {
      problems.push(`retryAttempts is ${retry}, but must be a whole number from 0 to 30; set retryAttempts between 0 and 30.`);
    }
    const processor = processorProblem(props.image, props.instanceType);
    if (processor) problems.push(processor);
    problems.push(...metricDefinitionProblems(props.metricDefinitions));
    // Script-mode code adds sagemaker_program and sagemaker_submit_directory to the hyperparameters.
    const codeHyperparameters: Record<string, string> = props.code ? { sagemaker_program: '', sagemaker_submit_directory: '' } : {};
    problems.push(...hyperparameterProblems({ ...(props.hyperparameters?._render() ?? {}), ...codeHyperparameters }));
    problems.push(...environmentProblems('environment', props.environment, TRAINING_ENVIRONMENT));
    throwIfProblems(this, problems);

    if (props.spot && !props.spot.checkpointBucket && maxRuntime.toSeconds() > 3600) {
      Annotations.of(this).addWarningV2(
        'sagemaker-cdk:spotWithoutCheckpoints',
        'Spot training without checkpoints: an interrupted job of more than an hour starts over. Set spot.checkpointBucket.',
      );
    }
    if ((props.instanceCount ?? 1) > 1 && props.interContainerTrafficEncryption === false) {
      Annotations.of(this).addWarningV2('sagemaker-cdk:interContainerEncryptionOff', 'Distributed training with inter-container traffic encryption switched off.');
    }

    this.props = props;
    this.image = props.image;
    const { role } = jobRole(this, props, 'training job');
    this.role = role;
    this.grantPrincipal = role;
    this.imageUri = props.image.bind(this, role).imageUri;
    this.codeConfig = props.code?.bind(this, role);
    if (this.codeConfig && (props.networkIsolation ?? true) && this.codeConfig.fileName === undefined) {
      // The toolkit extracts sagemaker_submit_directory from the code channel by file name.
      throwIfProblems(this, [
        'code is an archive whose object key is only known at deploy time, but a network-isolated job reads its code from the "code" channel by file name. ' +
          'Give SourceCode.fromBucket a literal key, or set networkIsolation: false so the container downloads the archive itself.',
      ]);
    }
    allowEncryptedInterContainerTraffic(this, props.network, props.instanceCount, props.interContainerTrafficEncryption);
    if (props.spot?.checkpointPrefix && !Token.isUnresolved(props.spot.checkpointPrefix) && !RunReference.isIn(props.spot.checkpointPrefix)) {
      Annotations.of(this).addWarningV2(
        'sagemaker-cdk:sharedCheckpointPrefix',
        `spot.checkpointPrefix "${props.spot.checkpointPrefix}" is the same for every run: each run after the first resumes from the previous run's checkpoints. ` +
          'Add RunReference.executionId() to the prefix, or leave it unset.',
      );
    }
    for (const channel of Object.values(props.channels)) grantReadLocation(role, channel.source);
    grantWritePrefix(role, props.outputBucket, this.outputPrefix);
    if (props.spot?.checkpointBucket) {
      grantWritePrefix(role, props.spot.checkpointBucket, this.checkpointPrefix);
      grantReadLocation(role, S3Location.fromBucket(props.spot.checkpointBucket, this.checkpointPrefix));
    }
  }

  /** The metrics SageMaker reads from the job's logs (a tuning objective must be one of them for custom images). */
  public get metricDefinitions(): MetricDefinition[] {
    return [...(this.props.metricDefinitions ?? [])];
  }

  private get outputPrefix(): string {
    return this.props.outputPrefix ?? 'models/';
  }

  /** The prefix the role may write checkpoints under. */
  private get checkpointPrefix(): string {
    const given = this.props.spot?.checkpointPrefix;
    if (given === undefined) return `checkpoints/${this.node.path}/`;
    // A prefix that holds a run reference is granted up to the reference.
    return grantablePrefix(given);
  }

  /** Where this run's checkpoints go: the given prefix, else one prefix per run. */
  private get checkpointRunPrefix(): string {
    return this.props.spot?.checkpointPrefix ?? `checkpoints/${this.node.path}/${RunReference.executionId()}/`;
  }

  /** The model artifact, for a model or transform step: `ModelArtifacts.S3ModelArtifacts`. */
  public get modelArtifacts(): JobOutput {
    return new JobOutput(this, 'model', this.props.outputBucket, this.outputPrefix, 'ModelArtifacts.S3ModelArtifacts');
  }

  /**
   * Renders the `CreateTrainingJob` request, without the job name (each runner names jobs).
   * Plumbing for the runners (MlPipeline, MlWorkflow, DeployTimeProcessingJob); typed with the
   * AWS SDK's request type, so not part of the jsii API.
   * @internal
   */
  public _renderRequest(): Omit<CreateTrainingJobRequest, 'TrainingJobName'> {
    const props = this.props;
    const hyperparameters: Record<string, string> = { ...(props.hyperparameters?._render() ?? {}) };
    const isolated = props.networkIsolation ?? true;
    if (this.codeConfig) {
      hyperparameters.sagemaker_program = this.codeConfig.entryPoint;
      // A network-isolated container cannot download its code, so SageMaker copies it in as the
      // "code" channel (as the SageMaker Python SDK does) and the toolkit reads it from there.
      hyperparameters.sagemaker_submit_directory = isolated ? `/opt/ml/input/data/code/${this.codeConfig.fileName}` : this.codeConfig.s3Uri;
    }
    const channels: Channel[] = Object.entries(props.channels).map(([name, input]) => ({
      ChannelName: name,
      ContentType: input.options.contentType,
      InputMode: input.options.inputMode,
      CompressionType: input.options.compressionType,
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: input.source.uri,
          S3DataDistributionType: input.options.distribution ?? 'FullyReplicated',
        },
      },
    }));
    if (this.codeConfig && isolated) {
      channels.push({
        ChannelName: 'code',
        InputMode: 'File',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: this.codeConfig.s3Uri, S3DataDistributionType: 'FullyReplicated' } },
      });
    }
    const maxRuntime = (props.maxRuntime ?? Duration.days(1)).toSeconds();
    return {
      RoleArn: this.role.roleArn,
      AlgorithmSpecification: {
        TrainingImage: this.imageUri,
        TrainingInputMode: 'File',
        MetricDefinitions: props.metricDefinitions?.map((m) => ({ Name: m.name, Regex: m.regex })),
      },
      HyperParameters: Object.keys(hyperparameters).length ? hyperparameters : undefined,
      InputDataConfig: channels,
      OutputDataConfig: { S3OutputPath: `s3://${props.outputBucket.bucketName}/${this.outputPrefix}`, KmsKeyId: props.encryptionKey?.keyArn },
      ResourceConfig: {
        InstanceType: props.instanceType.name as TrainingInstanceType,
        InstanceCount: props.instanceCount ?? 1,
        VolumeSizeInGB: (props.volumeSize ?? Size.gibibytes(30)).toGibibytes(),
        VolumeKmsKeyId: volumeKeyId(this, props),
      },
      StoppingCondition: {
        MaxRuntimeInSeconds: maxRuntime,
        MaxWaitTimeInSeconds: props.spot?.maxWait.toSeconds(),
      },
      EnableManagedSpotTraining: props.spot ? true : undefined,
      CheckpointConfig: props.spot?.checkpointBucket
        ? { S3Uri: `s3://${props.spot.checkpointBucket.bucketName}/${this.checkpointRunPrefix}`, LocalPath: '/opt/ml/checkpoints' }
        : undefined,
      EnableNetworkIsolation: isolated,
      EnableInterContainerTrafficEncryption: props.interContainerTrafficEncryption ?? true,
      VpcConfig: jobVpcConfig(props.network),
      Environment: props.environment,
      RetryStrategy: props.retryAttempts ? { MaximumRetryAttempts: props.retryAttempts } : undefined,
    };
  }
}
