import { Annotations, ArnFormat, Aws, Stack, aws_iam as iam, aws_kms as kms, aws_stepfunctions as sfn } from 'aws-cdk-lib';
import { Construct, Dependable } from 'constructs';
import { ContainerImage } from '../core';
import { JobKind, TrainingJob } from '../jobs';
import { MlNetwork, SageMakerExecutionRole } from '../security';
import { throwIfProblems } from '../../private/errors';
import { CompilationJobState } from './compilation-job-state';
import { JobName } from './job-name';
import { JobRetry } from './job-retry';
import { SageMakerJobState } from './sagemaker-job-state';
import { passRoleStatement } from '../../private/pass-role';
import { GENERATED_NAMES_REASON, declareWorkflowWildcards } from '../../private/workflow-wildcards';

/** Properties of a {@link SageMakerModelState}. */
export interface SageMakerModelStateProps {
  /**
   * The training state whose model artifacts (`ModelArtifacts.S3ModelArtifacts`) the model
   * serves. Give exactly one of `trainingState` and `compilationState`.
   * @default - none: the model serves the output of `compilationState`
   */
  readonly trainingState?: SageMakerJobState;
  /**
   * The Neo compilation whose compiled model (`ModelArtifacts.S3ModelArtifacts`) the model
   * serves; pair it with `ContainerImage.neoInference(...)` for the same framework and target.
   * Give exactly one of `trainingState` and `compilationState`.
   * @default - none: the model serves the artifacts of `trainingState`
   */
  readonly compilationState?: CompilationJobState;
  /** The inference image, e.g. `ContainerImage.xgboost('1.7-1')`. */
  readonly image: ContainerImage;
  /**
   * The model's execution role (a transform job with this model runs with it, so it needs the
   * transform's input and output grants: pass the `TransformJob`'s role).
   * @default - a new SageMakerExecutionRole that may read the artifacts and pull the image
   */
  readonly role?: iam.IRole;
  /**
   * The state's name (1-80 letters and digits, at most 26 so that `<execution name>-<state name>` fits SageMaker's 63 characters).
   * @default - the construct id
   */
  readonly stateName?: string;
  /**
   * The key the model artifacts are encrypted with (the training job's `encryptionKey`).
   * @default - the output bucket's key only
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Run the model in these private subnets.
   * @default - no VPC
   */
  readonly network?: MlNetwork;
  /**
   * Cut the container off the network.
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * How the state is retried; an empty list switches retrying off.
   * @default [JobRetry.serviceErrors()]
   */
  readonly retries?: JobRetry[];
}

const STATE_NAME = /^[A-Za-z][A-Za-z0-9]{0,79}$/;

/** The EC2 actions SageMaker needs to attach a model in a VPC (manage and describe its ENIs). */
const ENI_MANAGE_ACTIONS = ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'];
const ENI_DESCRIBE_ACTIONS = ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'];

/**
 * Gives the model's role the network-interface permissions of a model in a VPC: through
 * `grantVpcAccess` for our execution roles, else onto the given role; an imported role that
 * cannot be changed gets a synth warning naming the statements to add.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/infrastructure-give-access.html
 */
function grantModelVpcAccess(scope: Construct, role: iam.IRole, network: MlNetwork): void {
  if (role instanceof SageMakerExecutionRole) {
    role.grantVpcAccess(network.vpc);
    return;
  }
  const vpcArn = Stack.of(scope).formatArn({ service: 'ec2', resource: 'vpc', resourceName: network.vpc.vpcId });
  const manage = new iam.PolicyStatement({ actions: ENI_MANAGE_ACTIONS, resources: ['*'], conditions: { ArnEquals: { 'ec2:Vpc': vpcArn } } });
  // EC2 Describe* actions support no resource-level permissions.
  const describe = new iam.PolicyStatement({ actions: ENI_DESCRIBE_ACTIONS, resources: ['*'] });
  const results = [manage, describe].map((statement) => role.addToPrincipalPolicy(statement));
  // An immutable role (Role.fromRoleArn with mutable: false) reports the statement added but
  // has no policy to put it in.
  const immutable = results.some((r) => !r.statementAdded || !r.policyDependable || Dependable.of(r.policyDependable).dependencyRoots.length === 0);
  if (immutable) {
    Annotations.of(scope).addWarningV2(
      'sagemaker-cdk:modelRoleVpcAccess',
      `The model role ${role.roleArn} cannot be changed here, but CreateModel with a VpcConfig needs it to allow ${ENI_MANAGE_ACTIONS.join(', ')} on "*" with the condition ArnEquals ec2:Vpc = the VPC's ARN, and ${ENI_DESCRIBE_ACTIONS.join(', ')} on "*"; add them to the role, or the state fails.`,
    );
  }
}
const MAX_MODEL_NAME_LENGTH = 63;

/**
 * A Step Functions task state that creates a SageMaker model from the artifacts of an earlier
 * training state, or from the model an earlier Neo compilation state compiled
 * (`arn:<partition>:states:::sagemaker:createModel`), named
 * `<execution name>-<state name>`. A later transform state uses it with
 * `modelName: modelState.modelNameExpression`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 */
export class SageMakerModelState extends sfn.CustomState {
  // The state's name is `stateId` (inherited): `stateName` and `resultPath` are protected members
  // of sfn.State, which jsii does not let a subclass make public.
  private readonly jobStateName: string;
  /** Where the state puts the CreateModel output (`ModelArn`), e.g. `$.CreateModel`. */
  public readonly resultJsonPath: string;
  /** The model's execution role. */
  public readonly role: iam.IRole;
  /** The intrinsic-function expression of the model name, for `SageMakerJobState`'s `modelName`. */
  public readonly modelNameExpression: string;

  constructor(scope: Construct, id: string, props: SageMakerModelStateProps) {
    const name = props.stateName ?? id;
    const modelNameExpression = `States.Format('{}-${name}', $$.Execution.Name)`;
    const parameters: Record<string, unknown> = {};
    super(scope, id, {
      stateJson: {
        Type: 'Task',
        Comment: `Creates a SageMaker model from the artifacts of state ${props.trainingState?.stateId ?? props.compilationState?.stateName}`,
        Resource: `arn:${Aws.PARTITION}:states:::sagemaker:createModel`,
        Parameters: parameters,
        ResultPath: `$.${name}`,
      },
    });
    const problems: string[] = [];
    if (!STATE_NAME.test(name)) problems.push(`state name "${name}" must be 1-80 letters and digits, starting with a letter: it becomes part of the model name.`);
    const longest = JobName.GENERATED_EXECUTION_NAME_LENGTH + 1 + name.length;
    if (longest > MAX_MODEL_NAME_LENGTH) {
      problems.push(`the model name "<execution name>-${name}" is ${longest} characters with Step Functions' generated execution names, but model names are at most ${MAX_MODEL_NAME_LENGTH}; shorten the state name.`);
    }
    if ((props.trainingState === undefined) === (props.compilationState === undefined)) {
      problems.push('give exactly one of trainingState (serve the artifacts of a training state) and compilationState (serve the model a Neo compilation state compiled).');
    }
    if (props.trainingState && props.trainingState.job.kind !== JobKind.TRAINING) {
      problems.push(`trainingState "${props.trainingState.stateId}" runs a ${String(props.trainingState.job.kind).toLowerCase()} job; a model needs the artifacts of a training state.`);
    }
    const retries = props.retries ?? [JobRetry.serviceErrors()];
    for (const retry of retries) problems.push(...retry.problems());
    throwIfProblems(this, problems);

    this.jobStateName = name;
    declareWorkflowWildcards(this, [this.modelArnPattern()], GENERATED_NAMES_REASON);
    this.resultJsonPath = `$.${name}`;
    // sfn.CustomState passes no stateName to sfn.State: set State's protected fields, so `stateId`
    // (the name in the state machine) is this name.
    Object.assign(this, { stateName: name, resultPath: this.resultJsonPath });
    this.modelNameExpression = modelNameExpression;
    const role = props.role ?? new SageMakerExecutionRole(this, 'Role', { description: `Execution role of the models created by ${this.node.path}` });
    if (role instanceof SageMakerExecutionRole && !props.role) {
      role.grantLogging();
      role.grantMetrics();
    }
    // CreateModel with a VpcConfig needs the role to manage the model's network interfaces,
    // whether the role was created here or given.
    if (props.network) grantModelVpcAccess(this, role, props.network);
    this.role = role;
    // The artifacts are under the training job's output prefix, or the compilation's.
    const artifacts = props.compilationState
      ? { bucket: props.compilationState.outputBucket, prefix: props.compilationState.outputPrefix }
      : (props.trainingState!.job as TrainingJob).modelArtifacts;
    if (role instanceof SageMakerExecutionRole) {
      role.grantReadPrefix(artifacts.bucket, artifacts.prefix);
    } else {
      iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [artifacts.bucket.arnForObjects(`${artifacts.prefix}*`)] });
      artifacts.bucket.encryptionKey?.grantDecrypt(role);
    }
    props.encryptionKey?.grantDecrypt(role);
    props.compilationState?.encryptionKey?.grantDecrypt(role);
    const imageUri = props.image.bind(this, role).imageUri;
    Object.assign(parameters, {
      'ModelName.$': modelNameExpression,
      'ExecutionRoleArn': role.roleArn,
      'PrimaryContainer': {
        'Image': imageUri,
        'ModelDataUrl.$': props.compilationState?.modelArtifactsPath ?? props.trainingState!.modelArtifactsPath,
        'Environment': props.environment,
      },
      'EnableNetworkIsolation': props.networkIsolation ?? true,
      'VpcConfig': props.network ? { SecurityGroupIds: [props.network.securityGroup.securityGroupId], Subnets: props.network.subnetIds } : undefined,
    });
    for (const retry of retries) {
      if (retry.maxAttempts !== 0) this.addRetry(retry.toRetryProps());
    }
  }

  /** What the state machine's role needs: pass the model's role, create and tag models of this state's name pattern. */
  public policyStatements(): iam.PolicyStatement[] {
    return [
      passRoleStatement(this.role, 'sagemaker.amazonaws.com'),
      new iam.PolicyStatement({ actions: ['sagemaker:CreateModel', 'sagemaker:AddTags'], resources: [this.modelArnPattern()] }),
    ];
  }

  /** The ARN pattern of the models this state creates (named `<execution name>-<state name>`, in lower case in ARNs). */
  private modelArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'model', resourceName: `*-${this.jobStateName.toLowerCase()}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }
}
