import { ArnFormat, Stack, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { validationError } from '../../private/errors';
import { addNagCleanProvider } from '../../private/nag-clean-provider';
import { acknowledgeWildcardResources } from '../../private/nag';
import { assertSingleCdkLib } from '../../private/single-cdk-lib';
import { MlKey } from '../security/ml-key';

/**
 * Properties of a {@link ModelPackageResolver}.
 */
export interface ModelPackageResolverProps {
  /**
   * The key that encrypts the handler's log groups and environment.
   * @default - a new MlKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Run the handler in this VPC. It calls only the SageMaker API, so the VPC needs the SageMaker
   * API endpoint (an `MlNetwork` has it).
   * @default - not in a VPC, unless the first model that resolves a version runs in one (see `ModelPackageResolver.of`)
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The handler's subnets, when `vpc` is set.
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The handler's security groups, when `vpc` is set (for an `MlNetwork`, its `handlersSecurityGroup`).
   * @default - a new security group allowing outbound HTTPS to the VPC only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * How long to keep the handler's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The construct id of a stack's resolver. */
const RESOLVER_ID = 'ModelPackageResolver';

/**
 * The custom-resource provider that resolves model package versions at deploy time (for
 * `ModelPackageVersion.latestApproved`): one per stack, shared by every model of the stack. Its
 * handler lists the newest Approved version of a group, or checks that a requested version
 * belongs to the group and is Approved, and fails the deployment otherwise.
 *
 * `ModelPackageResolver.of(scope)` creates it with defaults when a model first needs it. Create
 * it yourself, before the models, to choose its key or network:
 * `new ModelPackageResolver(stack, 'ModelPackageResolver', { vpc: network.vpc, securityGroups: [network.handlersSecurityGroup] })`.
 *
 * Its Lambda functions follow the library's custom-resource defaults: customer-managed policies
 * scoped to the groups it resolves, KMS-encrypted log groups with retention, X-Ray tracing.
 */
export class ModelPackageResolver extends Construct {
  /**
   * The resolver of `scope`'s stack, created with default properties when the stack has none.
   * @param scope any construct of the stack
   */
  public static of(scope: IConstruct): ModelPackageResolver {
    return ModelPackageResolver.forStack(scope, {});
  }

  /**
   * The stack's resolver; a new one gets `defaults` (the network of the model that needs it first).
   * @internal
   */
  public static _forModel(scope: IConstruct, defaults: ModelPackageResolverProps): ModelPackageResolver {
    return ModelPackageResolver.forStack(scope, defaults);
  }

  private static forStack(scope: IConstruct, defaults: ModelPackageResolverProps): ModelPackageResolver {
    const stack = Stack.of(scope);
    const existing = RESOLVERS.get(stack);
    return existing ?? new ModelPackageResolver(stack, RESOLVER_ID, defaults);
  }

  /** The service token of the custom resources. */
  public readonly serviceToken: string;
  /** The key of the handler's logs and environment. */
  public readonly encryptionKey: kms.IKey;
  private readonly handlerRole: iam.IRole;
  private readonly groups = new Set<string>();

  constructor(scope: Construct, id: string, props: ModelPackageResolverProps = {}) {
    super(scope, id);
    assertSingleCdkLib(this);
    const stack = Stack.of(this);
    const other = RESOLVERS.get(stack);
    if (other) {
      throw validationError(
        this,
        `stack ${stack.node.path} already has a ModelPackageResolver (${other.node.path}); one resolver serves every model of a stack. ` +
          'Create yours before the models that use ModelPackageVersion.latestApproved (they create a default one otherwise), and only once.',
      );
    }
    if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
      throw validationError(this, 'vpcSubnets and securityGroups need vpc; pass the VPC (for example network.vpc) too.');
    }
    RESOLVERS.set(stack, this);
    this.encryptionKey = props.encryptionKey ?? new MlKey(this, 'Key', { description: `Logs of the model package resolver ${this.node.path}` });

    const provider = addNagCleanProvider(this, {
      handlerDirectory: 'constructs/registry/handlers',
      onEvent: {
        id: 'OnEvent',
        handler: 'resolve-version.onEvent',
        description: 'Resolves the model package version a model deploys: the newest Approved one, or a requested Approved one',
      },
      // Statements per group are added by allowGroup, when a model binds a version of the group.
      statements: [],
      encryptionKey: this.encryptionKey,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      securityGroupDescription: 'Model package resolver: HTTPS to the SageMaker API endpoint',
      outsideVpcReason:
        'The handler only reads the model registry (ListModelPackages, DescribeModelPackage on the groups it resolves) through the SageMaker API, during stack operations; ' +
        'no model in this stack runs in a VPC for it to join. Give the resolver a vpc (or the model a vpc) to run it in your network.',
      logRetention: props.logRetention,
    });
    this.serviceToken = provider.serviceToken;
    this.handlerRole = (provider.onEventFunction as lambda.Function).role!;
  }

  /**
   * Lets the handler resolve versions of a group: list the group's versions and describe them.
   * @internal
   */
  public _allowGroup(modelPackageGroupName: string): void {
    const stack = Stack.of(this);
    const key = stack.resolve(modelPackageGroupName) as unknown;
    const keyText = JSON.stringify(key);
    if (this.groups.has(keyText)) return;
    this.groups.add(keyText);
    // ListModelPackages is authorized on the model-package-group, DescribeModelPackage on the
    // model-package (version) resource type.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
    const groupArn = stack.formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: modelPackageGroupName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const versionsArn = stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${modelPackageGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:ListModelPackages'], resources: [groupArn] }));
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeModelPackage'], resources: [versionsArn] }));
    acknowledgeWildcardResources(
      this.handlerRole,
      [versionsArn],
      'The versions of one model package group (model-package/<group>/*): SageMaker numbers each version when a pipeline registers it, and the handler describes the one requested for deployment.',
    );
  }
}

/** The resolver of each stack. */
const RESOLVERS = new WeakMap<Stack, ModelPackageResolver>();
