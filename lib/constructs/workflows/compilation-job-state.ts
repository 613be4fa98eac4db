import { ArnFormat, Aws, Duration, Stack, Token, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ModelData, NeoFramework, NeoTargetDevice } from '../core';
import { neoNeedsDataInputConfig, neoSupportProblems } from '../core/neo-support';
import { JobKind, TrainingJob } from '../jobs';
import { MlNetwork, SageMakerExecutionRole } from '../security';
import { isConcrete, isConcreteText, throwIfProblems } from '../../private/errors';
import { declareWorkflowWildcards } from '../../private/workflow-wildcards';
import { buildJobPoller, pollIntervalProblem } from './job-poller';
import { JobName, JobNameConfig } from './job-name';
import { JobRetry } from './job-retry';
import { SageMakerJobState } from './sagemaker-job-state';
import { IWorkflowPermissions } from './workflow-permissions';
import { passRoleStatement } from '../../private/pass-role';

/** Properties of a {@link CompilationJobState}. */
export interface CompilationJobStateProps {
  /**
   * The training state whose model artifacts (`ModelArtifacts.S3ModelArtifacts`) are compiled.
   * Give exactly one of `trainingState` and `modelData`.
   * @default - none: `modelData` is compiled
   */
  readonly trainingState?: SageMakerJobState;
  /**
   * A fixed model artifact (a `model.tar.gz` in S3, e.g. `ModelData.fromBucket(bucket, key)`)
   * to compile. Give exactly one of `trainingState` and `modelData`.
   * @default - none: the artifacts of `trainingState` are compiled
   */
  readonly modelData?: ModelData;
  /** The framework the model was trained with. */
  readonly framework: NeoFramework;
  /**
   * The framework version (`InputConfig.FrameworkVersion`), e.g. `1.13` for PyTorch. Needed for
   * MXNet, PyTorch and TensorFlow, refused for the frameworks the API takes no version for
   * (ONNX, Keras, XGBoost); checked against Neo's documented versions for the target.
   * @default - none (only valid for frameworks that take no version)
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/neo-supported-cloud.html
   */
  readonly frameworkVersion?: string;
  /**
   * The names and shapes of the model's inputs (`InputConfig.DataInputConfig`), a JSON
   * dictionary or list, e.g. `{"input0":[1,3,224,224]}`. Needed for TensorFlow, Keras, MXNet,
   * ONNX, Darknet, TensorFlow Lite and PyTorch (except PyTorch 2.0 and later compiled for cloud
   * instances); XGBoost needs none.
   * @default - none
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/neo-compilation-preparing-model.html
   */
  readonly dataInputConfig?: string;
  /** The instance family the model is compiled for; serve it on that family. */
  readonly targetDevice: NeoTargetDevice;
  /** The bucket the compiled model is written to. */
  readonly outputBucket: s3.IBucket;
  /**
   * The key prefix of the compiled models; each execution writes under `<prefix><execution name>/`.
   * @default 'compiled/'
   */
  readonly outputPrefix?: string;
  /**
   * The key that encrypts the compiled model (`OutputConfig.KmsKeyId`).
   * @default - the output bucket's default encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The key the input model artifacts are encrypted with, when it is not their bucket's (the
   * training job's `encryptionKey`).
   * @default - the input bucket's key only
   */
  readonly artifactsKey?: kms.IKey;
  /**
   * The role SageMaker assumes to compile. A role you give gets the S3 and KMS grants of the
   * input and output; with `network`, it must also allow managing the job's network interfaces.
   * @default - a new SageMakerExecutionRole that may read the input, write the output prefix, log and publish metrics
   */
  readonly role?: iam.IRole;
  /**
   * Run the compilation job in these private subnets (`VpcConfig`).
   * @default - no VPC
   */
  readonly network?: MlNetwork;
  /**
   * The longest the compilation job may run (`StoppingCondition.MaxRuntimeInSeconds`).
   * @default Duration.minutes(15) (the SageMaker Python SDK's default)
   */
  readonly maxRuntime?: Duration;
  /**
   * How long to wait between two looks at the job's status.
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;
  /**
   * The name of the fragment's first state (1-26 letters and digits, starting with a letter, so
   * that `<execution name>-<state name>` fits the job name's 63 characters). The description of
   * the finished job is at `$.<state name>`; the other states are named `<state name>Wait`,
   * `<state name>Describe`, `<state name>Status`, `<state name>Compiled`, `<state name>Failed`
   * and `<state name>Stopped`.
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * How the compilation job is named.
   * @default JobName.fromExecutionName()
   */
  readonly jobName?: JobName;
  /**
   * How the create and describe calls are retried; an empty list switches retrying off.
   * @default - every 60 s, 5 attempts, backoff 2, on CompilationJobState.RETRY_ERRORS
   */
  readonly retries?: JobRetry[];
}

/** Letters and digits; with the longest suffix (`Describe`, `Compiled`) the state names stay within Step Functions' 80 characters. */
const STATE_NAME = /^[A-Za-z][A-Za-z0-9]{0,71}$/;
const MAX_JOB_NAME_LENGTH = 63;
/** Characters a prefix may not hold: it is written into a `States.Format` template. */
const FORMAT_SPECIAL = /['{}\\]/;

/**
 * A SageMaker Neo compilation as a Step Functions fragment: `CreateCompilationJob` through the
 * AWS SDK integration (SageMaker's optimized integration has no compilation job), then a loop
 * that waits, calls `DescribeCompilationJob` and checks `CompilationJobStatus`: `COMPLETED`
 * ends the fragment with the job's description at `$.<state name>` (the compiled artifact at
 * {@link CompilationJobState.modelArtifactsPath}), `FAILED` fails the execution with the
 * job's `FailureReason`, `STOPPED` fails it too; any other status waits again.
 *
 * The framework, version and target must be a combination Neo documents; run it in an
 * `MlWorkflow` (which grants the permissions of {@link CompilationJobState.policyStatements})
 * and serve the result with `SageMakerModelState`'s `compilationState` and
 * `ContainerImage.neoInference`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateCompilationJob.html
 */
export class CompilationJobState extends sfn.StateMachineFragment implements IWorkflowPermissions {
  /**
   * The errors the default retry policy retries. The AWS SDK integration names errors
   * `SageMaker.<exception>` (`SageMaker.SageMakerException` for any service error).
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
   */
  public static readonly RETRY_ERRORS: string[] = ['SageMaker.SageMakerException', 'SageMaker.ResourceLimitExceededException', 'SageMaker.ThrottlingException'];

  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];
  /** The name of the fragment's first state. */
  public readonly stateName: string;
  /** Where the description of the finished job is, e.g. `$.Compile`. */
  public readonly resultJsonPath: string;
  /** The JSONPath of the compiled model artifact (`$.<state name>.ModelArtifacts.S3ModelArtifacts`). */
  public readonly modelArtifactsPath: string;
  /** The role SageMaker assumes to compile. */
  public readonly role: iam.IRole;
  /** The bucket of the compiled models. */
  public readonly outputBucket: s3.IBucket;
  /** The key prefix of the compiled models. */
  public readonly outputPrefix: string;
  /** The key of the compiled models, if any. */
  public readonly encryptionKey?: kms.IKey;
  /** The framework the model was trained with. */
  public readonly framework: NeoFramework;
  /** The framework version, if given. */
  public readonly frameworkVersion?: string;
  /** The instance family the model is compiled for. */
  public readonly targetDevice: NeoTargetDevice;
  /** The job name expression and the ARN pattern every name matches. */
  public readonly jobNameConfig: JobNameConfig;

  constructor(scope: Construct, id: string, props: CompilationJobStateProps) {
    super(scope, id);
    const name = props.stateName ?? id;
    const prefix = props.outputPrefix ?? 'compiled/';
    const maxRuntime = props.maxRuntime ?? Duration.minutes(15);
    const pollInterval = props.pollInterval ?? Duration.seconds(30);
    const retries = props.retries ?? [new JobRetry({ errors: CompilationJobState.RETRY_ERRORS })];

    const problems: string[] = [];
    if (!STATE_NAME.test(name)) {
      problems.push(`state name "${name}" must be 1-72 letters and digits, starting with a letter: it becomes part of the job name, the names of the fragment's states (at most 80 characters with their suffixes) and JSONPaths.`);
    }
    const longest = JobName.GENERATED_EXECUTION_NAME_LENGTH + 1 + name.length;
    if (props.jobName === undefined && longest > MAX_JOB_NAME_LENGTH) {
      problems.push(
        `the compilation job name "<execution name>-${name}" is ${longest} characters with Step Functions' generated execution names, but compilation job names are at most ${MAX_JOB_NAME_LENGTH}; ` +
          `shorten the state name to ${MAX_JOB_NAME_LENGTH - JobName.GENERATED_EXECUTION_NAME_LENGTH - 1} characters or fewer, or use jobName: JobName.hashOfExecutionName().`,
      );
    }
    if ((props.trainingState === undefined) === (props.modelData === undefined)) {
      problems.push('give exactly one of trainingState (compile the artifacts of an earlier training state) and modelData (compile a fixed model.tar.gz in S3).');
    }
    if (props.trainingState && props.trainingState.job.kind !== JobKind.TRAINING) {
      problems.push(`trainingState "${props.trainingState.stateId}" runs a ${String(props.trainingState.job.kind).toLowerCase()} job; compilation needs the artifacts of a training state.`);
    }
    const versionIsToken = props.frameworkVersion !== undefined && !isConcreteText(props.frameworkVersion);
    problems.push(...neoSupportProblems(props.framework, props.frameworkVersion, props.targetDevice, !versionIsToken));
    const needsShapes = !versionIsToken && neoNeedsDataInputConfig(props.framework, props.frameworkVersion, props.targetDevice);
    problems.push(...dataInputConfigProblems(props.framework, props.dataInputConfig, needsShapes));
    if (isConcreteText(prefix) && (prefix.startsWith('/') || !prefix.endsWith('/') || FORMAT_SPECIAL.test(prefix))) {
      problems.push(`outputPrefix "${prefix}" must be a key prefix ending in "/", without a leading "/" and without ', {, } or \\ (it is part of a States.Format template), e.g. "compiled/".`);
    }
    const seconds = maxRuntime.toSeconds({ integral: false });
    if (isConcrete(seconds) && (seconds < 1 || !Number.isInteger(seconds))) {
      problems.push(`maxRuntime is ${maxRuntime.toHumanString()}, but StoppingCondition.MaxRuntimeInSeconds must be a whole number of seconds, at least 1.`);
    }
    const interval = pollIntervalProblem(pollInterval);
    if (interval) problems.push(interval);
    for (const retry of retries) problems.push(...retry.problems());
    throwIfProblems(this, problems);

    this.stateName = name;
    this.resultJsonPath = `$.${name}`;
    this.modelArtifactsPath = `$.${name}.ModelArtifacts.S3ModelArtifacts`;
    this.outputBucket = props.outputBucket;
    this.outputPrefix = prefix;
    this.encryptionKey = props.encryptionKey;
    this.framework = props.framework;
    this.frameworkVersion = props.frameworkVersion;
    this.targetDevice = props.targetDevice;
    // Compilation job names follow the training job name rules (1-63 letters, digits and hyphens).
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateCompilationJob.html#sagemaker-CreateCompilationJob-request-CompilationJobName
    this.jobNameConfig = (props.jobName ?? JobName.fromExecutionName()).bind(this, name, JobKind.TRAINING);

    const role = props.role ?? new SageMakerExecutionRole(this, 'Role', { description: `Execution role of the compilation jobs of ${this.node.path}` });
    this.role = role;
    const input = this.grantInput(role, props);
    this.grantOutput(role, props);

    const states = buildJobPoller(this, {
      name,
      startStateName: name,
      succeededStateName: `${name}Compiled`,
      partition: Aws.PARTITION,
      service: 'sagemaker',
      startApi: 'createCompilationJob',
      startParameters: {
        'CompilationJobName.$': this.jobNameConfig.expression,
        'RoleArn': role.roleArn,
        'InputConfig': {
          ...input,
          Framework: props.framework,
          FrameworkVersion: props.frameworkVersion,
          DataInputConfig: props.dataInputConfig,
        },
        'OutputConfig': {
          'S3OutputLocation.$': `States.Format('s3://${props.outputBucket.bucketName}/${prefix}{}/', $$.Execution.Name)`,
          'TargetDevice': props.targetDevice,
          'KmsKeyId': props.encryptionKey?.keyArn,
        },
        'VpcConfig': props.network ? { SecurityGroupIds: [props.network.securityGroup.securityGroupId], Subnets: props.network.subnetIds } : undefined,
        'StoppingCondition': { MaxRuntimeInSeconds: maxRuntime.toSeconds() },
      },
      // CreateCompilationJob answers with the job's ARN only: the describe call names the job again.
      describeApi: 'describeCompilationJob',
      describeParameters: { 'CompilationJobName.$': this.jobNameConfig.expression },
      statusPath: 'CompilationJobStatus',
      completed: 'COMPLETED',
      failed: 'FAILED',
      failedError: 'CompilationJobFailed',
      failureReasonPath: 'FailureReason',
      stopped: 'STOPPED',
      stoppedError: 'CompilationJobStopped',
      stoppedCause: 'The compilation job was stopped before it completed.',
      pollInterval,
      retries,
      comments: {
        start: `Starts a SageMaker Neo compilation job for ${props.targetDevice}`,
        describe: 'Reads the status of the compilation job',
        succeeded: `The compiled model is at ${this.modelArtifactsPath}`,
      },
    });
    this.startState = states.start;
    this.endStates = [states.succeeded];
    // A generated job name has the state's fixed part; a name read from the input (JobName.fromPath)
    // is the user's choice and keeps its finding. MlWorkflow acknowledges the pattern on its role.
    if (this.jobNameConfig.expression.startsWith('States.')) declareWorkflowWildcards(
      this,
      [this.jobArn(this.jobNameConfig.arnPattern)],
      'Step Functions names the compilation jobs of a state at run time from the execution name ("<execution name>-<state name>" or "<state name>-<hash>"); the role may create and describe only compilation jobs with the state\'s fixed part.',
    );
  }

  /**
   * What the state machine's role needs to run the fragment: pass the compilation role to
   * SageMaker, and create and describe compilation jobs whose names match the state's pattern
   * (SageMaker writes names in lower case in ARNs). The fragment never stops a job, so
   * `sagemaker:StopCompilationJob` is not granted.
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
   */
  public policyStatements(): iam.PolicyStatement[] {
    return [
      passRoleStatement(this.role, 'sagemaker.amazonaws.com'),
      new iam.PolicyStatement({
        actions: ['sagemaker:CreateCompilationJob', 'sagemaker:DescribeCompilationJob'],
        resources: [this.jobArn(this.jobNameConfig.arnPattern)],
      }),
    ];
  }

  /** The ARN of the compilation jobs named `name` (a pattern may hold `*`). */
  private jobArn(name: string): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'compilation-job', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** Grants `role` read access to the input model and returns the `S3Uri` field of the request. */
  private grantInput(role: iam.IRole, props: CompilationJobStateProps): Record<string, string> {
    if (role instanceof SageMakerExecutionRole && !props.role) {
      role.grantLogging();
      role.grantMetrics();
    }
    props.artifactsKey?.grantDecrypt(role);
    if (props.modelData) {
      return { S3Uri: props.modelData.bind(this, role).s3Uri };
    }
    const training = props.trainingState as SageMakerJobState;
    const artifacts = (training.job as TrainingJob).modelArtifacts;
    if (role instanceof SageMakerExecutionRole) {
      role.grantReadPrefix(artifacts.bucket, artifacts.prefix);
    } else {
      iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [artifacts.bucket.arnForObjects(`${artifacts.prefix}*`)] });
      artifacts.bucket.encryptionKey?.grantDecrypt(role);
    }
    return { 'S3Uri.$': training.modelArtifactsPath };
  }

  /** Grants `role` write access to the output prefix, and use of the output key. */
  private grantOutput(role: iam.IRole, props: CompilationJobStateProps): void {
    if (role instanceof SageMakerExecutionRole) {
      role.grantWritePrefix(props.outputBucket, this.outputPrefix);
      if (props.encryptionKey) role.grantKeyUse(props.encryptionKey);
      if (props.network) role.grantVpcAccess(props.network.vpc);
      return;
    }
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resourceArns: [props.outputBucket.arnForObjects(`${this.outputPrefix}*`)] });
    props.outputBucket.encryptionKey?.grantEncryptDecrypt(role);
    props.encryptionKey?.grantEncryptDecrypt(role);
  }
}

/** What is wrong with the `DataInputConfig` for `framework` (needed or not; JSON when concrete). */
function dataInputConfigProblems(framework: NeoFramework, config: string | undefined, needed: boolean): string[] {
  if (config === undefined) {
    return needed
      ? [`${framework} compilation needs dataInputConfig, the names and shapes of the model's inputs as JSON, e.g. {"input0":[1,3,224,224]} (https://docs.aws.amazon.com/sagemaker/latest/dg/neo-compilation-preparing-model.html).`]
      : [];
  }
  if (Token.isUnresolved(config)) return [];
  try {
    const parsed: unknown = JSON.parse(config);
    if (parsed !== null && typeof parsed === 'object') return [];
  } catch {
    // reported below
  }
  return [`dataInputConfig "${config}" is not a JSON dictionary or list of input shapes; give it as e.g. {"input0":[1,3,224,224]} or [[1,3,224,224]].`];
}
