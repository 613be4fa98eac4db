import { CustomResource, Stack, Token, aws_ec2 as ec2, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SageMakerConstructError } from '../../private/errors';
import { ContainerImage } from '../core/container-image';
import { uniqueChildId } from '../core/unique-id';
import { SageMakerExecutionRole } from '../security/execution-role';
import { IModelPackageGroup } from './model-package-group';
import { ModelPackageResolver } from './model-package-resolver';

/**
 * A versioned model package ARN: `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`.
 * The group name follows CreateModelPackageGroup's pattern.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
 */
const VERSION_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}\/\d+$/;

/**
 * What the model's execution role may need to serve versions of a group. The version names its
 * image and artifacts, which are known only once it is registered (at run time), so the grants
 * are made on what you name here. SageMaker uses the model's execution role to pull the image and
 * download the artifacts.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModel.html#sagemaker-CreateModel-request-ExecutionRoleArn
 */
export interface ModelPackageVersionOptions {
  /**
   * The bucket the versions' model artifacts (`ModelDataUrl`) are in, for example the training
   * pipeline's output bucket. The model's role may read the objects under `artifactsPrefix` and
   * decrypt them with the bucket's key: SageMaker downloads the artifacts with the model's role.
   * @default - no grant: give the model's role read access to the artifacts yourself (a role you pass)
   */
  readonly artifactsBucket?: s3.IBucket;
  /**
   * The key prefix of the artifacts in `artifactsBucket`, such as `models/` (SageMaker writes
   * training output under `<prefix><job name>/output/model.tar.gz`).
   * @default - the whole bucket
   */
  readonly artifactsPrefix?: string;
  /**
   * The inference image the versions name, for the model's role to pull (the image is not
   * rendered: the version's own inference specification names it).
   * @default - no grant: give the model's role pull access to the image yourself
   */
  readonly image?: ContainerImage;
}

/**
 * Options of {@link ModelPackageVersion.latestApproved}.
 */
export interface LatestApprovedOptions extends ModelPackageVersionOptions {
  /**
   * A version of the group to deploy instead of the newest approved one, typically the value of a
   * CloudFormation parameter that a promotion pipeline sets with UpdateStack (see
   * `ApprovedVersionParameter`). At deploy time the resolver checks that the version belongs to
   * the group and is Approved, and fails the deployment otherwise. An empty value means the
   * newest approved version.
   * @default - the newest approved version
   */
  readonly requestedVersionArn?: string;
}

/**
 * Where a model gets its network, for a resolver the model creates.
 */
export interface ModelPackageVersionBindOptions {
  /**
   * The VPC of the model: the stack's resolver, when this creates it, runs its handler there.
   * @default - no VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The model's subnets, when `vpc` is set.
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * What a model package version renders to in a model container.
 */
export interface ModelPackageVersionConfig {
  /** The version ARN, for the container's `ModelPackageName`. */
  readonly modelPackageName: string;
}

/**
 * A registered model package version that a `Model` container serves (its `ModelPackageName`)
 * instead of an image and model artifacts: the version's inference specification names both.
 *
 * `bind()` renders the version ARN and grants the model's role what serving it needs: read of the
 * artifacts and pull of the image you name in the options (CreateModel itself needs only
 * `sagemaker:CreateModel` on the model and `iam:PassRole` from whoever deploys; the Service
 * Authorization Reference lists no model-package resource for it).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export abstract class ModelPackageVersion {
  /**
   * One fixed version, by ARN (`arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>`).
   * The version is deployed as it is: use `latestApproved(group, { requestedVersionArn })` to have
   * its approval checked at deploy time. An unresolved token (a parameter's value) passes as is.
   * @param arn the version ARN
   * @param options grants for the model's role
   */
  public static fromArn(arn: string, options: ModelPackageVersionOptions = {}): ModelPackageVersion {
    if (!Token.isUnresolved(arn) && !VERSION_ARN.test(arn)) {
      throw new SageMakerConstructError(
        `ModelPackageVersion.fromArn: "${arn}" is not a model package version ARN. ` +
          'Give the ARN of a registered version, such as arn:aws:sagemaker:us-east-1:123456789012:model-package/my-group/3 (the group name and the version number after it).',
      );
    }
    checkOptions('ModelPackageVersion.fromArn', options);
    return new FixedVersion(arn, options);
  }

  /**
   * The newest Approved version of a group, looked up at deploy time by a custom resource (the
   * stack's `ModelPackageResolver`), or the requested version after checking that it belongs to
   * the group and is Approved. The lookup runs when the stack is created and again only when
   * the group or the requested version changes, so redeploying the same template keeps the
   * version; set `requestedVersionArn` (for example through `ApprovedVersionParameter`) to move
   * to another one. A group with no approved version fails the deployment with the fix.
   * @param group the model package group
   * @param options the requested version and the grants for the model's role
   */
  public static latestApproved(group: IModelPackageGroup, options: LatestApprovedOptions = {}): ModelPackageVersion {
    checkOptions('ModelPackageVersion.latestApproved', options);
    return new ResolvedVersion(group, options);
  }

  /**
   * Renders the version ARN and grants `grantee` read of the artifacts and pull of the image
   * named in the options.
   * @param scope the construct that uses the version (the model)
   * @param grantee the model's execution role
   * @param options the model's network, for a resolver the model creates
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable, options?: ModelPackageVersionBindOptions): ModelPackageVersionConfig;
}

/** Options that cannot work together. */
function checkOptions(what: string, options: ModelPackageVersionOptions): void {
  if (options.artifactsPrefix !== undefined && !options.artifactsBucket) {
    throw new SageMakerConstructError(
      `${what}: artifactsPrefix "${options.artifactsPrefix}" needs artifactsBucket, the bucket the prefix is in; give both, or neither when the model's role can read the artifacts already.`,
    );
  }
}

/** Grants the model's role what the options name. */
function grantServing(scope: Construct, grantee: iam.IGrantable, options: ModelPackageVersionOptions): void {
  const { artifactsBucket: bucket, artifactsPrefix: prefix } = options;
  if (bucket) {
    const principal = grantee.grantPrincipal;
    if (principal instanceof SageMakerExecutionRole) {
      principal.grantReadPrefix(bucket, prefix);
    } else {
      iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(`${prefix ?? ''}*`)] });
      bucket.encryptionKey?.grant(grantee, 'kms:Decrypt');
    }
  }
  options.image?.bind(scope, grantee);
}

class FixedVersion extends ModelPackageVersion {
  constructor(private readonly arn: string, private readonly options: ModelPackageVersionOptions) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ModelPackageVersionConfig {
    grantServing(scope, grantee, this.options);
    return { modelPackageName: this.arn };
  }
}

class ResolvedVersion extends ModelPackageVersion {
  constructor(private readonly group: IModelPackageGroup, private readonly options: LatestApprovedOptions) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable, bindOptions: ModelPackageVersionBindOptions = {}): ModelPackageVersionConfig {
    grantServing(scope, grantee, this.options);
    const requested = this.options.requestedVersionArn;
    if (requested !== undefined && !Token.isUnresolved(requested) && requested.trim() !== '' && !VERSION_ARN.test(requested.trim())) {
      throw new SageMakerConstructError(
        `[${scope.node.path}] ModelPackageVersion.latestApproved: requestedVersionArn "${requested}" is not a model package version ARN. ` +
          `Give the ARN of a version of group ${this.group.modelPackageGroupName} (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>), or leave it empty for the newest approved version.`,
      );
    }
    const resolver = ModelPackageResolver._forModel(scope, { vpc: bindOptions.vpc, vpcSubnets: bindOptions.vpc ? bindOptions.vpcSubnets : undefined });
    resolver._allowGroup(this.group.modelPackageGroupName);
    // Properties are all CloudFormation compares: the lookup runs again only when the group or
    // the requested version changes, so the template (and synth) stays deterministic.
    const resource = new CustomResource(scope, uniqueChildId(scope, 'ModelPackageVersion'), {
      serviceToken: resolver.serviceToken,
      resourceType: 'Custom::ModelPackageVersion',
      properties: {
        ModelPackageGroupName: this.group.modelPackageGroupName,
        RequestedVersionArn: requested,
      },
    });
    // A group created in the same stack must exist before it is searched.
    if (Stack.of(this.group) === Stack.of(scope)) resource.node.addDependency(this.group);
    return { modelPackageName: resource.getAttString('ModelPackageArn') };
  }
}
