import { CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validationError } from '../../private/errors';
import { IModelPackageGroup } from './model-package-group';
import { ModelPackageVersionOptions, ModelPackageVersion } from './model-package-version';

/**
 * Properties of an {@link ApprovedVersionParameter}.
 */
export interface ApprovedVersionParameterProps extends ModelPackageVersionOptions {
  /**
   * The CloudFormation parameter's name (its logical id): letters and digits, unique in the stack.
   * A promotion pipeline passes the version ARN under this name to UpdateStack.
   * @default - the construct id, without characters other than letters and digits
   */
  readonly parameterName?: string;
  /**
   * The parameter's description.
   * @default - says which group's version it selects and that empty means the newest approved one
   */
  readonly description?: string;
}

/**
 * A CloudFormation parameter that selects which version of a model package group a model
 * deploys: empty (the default) for the newest Approved version when the stack is created, or a
 * version ARN that a promotion pipeline sets with UpdateStack. The stack's resolver checks at
 * deploy time that the version belongs to the group and is Approved, so a pending or rejected
 * version fails the update and never reaches an endpoint.
 *
 * ```ts
 * const selected = new ApprovedVersionParameter(this, 'ModelVersion', group, { artifactsBucket: data, artifactsPrefix: 'models/' });
 * new Model(this, 'Model', { containers: [{ modelPackage: selected.version }] });
 * // UpdateStack ... --parameters ParameterKey=<selected.parameterName>,ParameterValue=<version ARN>
 * ```
 */
export class ApprovedVersionParameter extends Construct {
  /** The stack parameter's name (logical id), for UpdateStack. */
  public readonly parameterName: string;
  /** The stack parameter. */
  public readonly parameter: CfnParameter;
  /** The version the parameter selects, for a model container's `modelPackage`. */
  public readonly version: ModelPackageVersion;

  /**
   * @param scope the stack or a construct in it
   * @param id the construct id (and, by default, the parameter's name)
   * @param group the model package group whose version the parameter selects
   * @param props the parameter's name and the grants for the model's role
   */
  constructor(scope: Construct, id: string, group: IModelPackageGroup, props: ApprovedVersionParameterProps = {}) {
    super(scope, id);
    const name = props.parameterName ?? id.replace(/[^A-Za-z0-9]/g, '');
    // CloudFormation logical ids: alphanumeric, at most 255 characters.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
    if (!/^[A-Za-z0-9]{1,255}$/.test(name)) {
      throw validationError(
        this,
        `parameterName "${name}" is not a CloudFormation parameter name: use 1 to 255 letters and digits (for example ModelVersionArn).`,
      );
    }
    const groupName = Token.isUnresolved(group.modelPackageGroupName) ? 'the model package group' : `model package group ${group.modelPackageGroupName}`;
    this.parameter = new CfnParameter(this, 'Parameter', {
      type: 'String',
      default: '',
      description: props.description ?? `The version of ${groupName} to deploy (a model package version ARN); empty for the newest Approved version. The version must be Approved.`,
      // A version ARN or nothing; the resolver checks group and approval at deploy time.
      allowedPattern: '^$|^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}/[0-9]+$',
      constraintDescription: `must be empty or a model package version ARN, arn:${partitionText(this)}:sagemaker:<region>:<account>:model-package/<group>/<version>`,
    });
    this.parameter.overrideLogicalId(name);
    this.parameterName = name;
    this.version = ModelPackageVersion.latestApproved(group, {
      artifactsBucket: props.artifactsBucket,
      artifactsPrefix: props.artifactsPrefix,
      image: props.image,
      requestedVersionArn: this.parameter.valueAsString,
    });
  }
}

/** The partition of `scope`'s stack for a message (`aws`, `aws-cn`, ...), or `<partition>` when it is decided at deploy time. */
function partitionText(scope: Construct): string {
  const partition = Stack.of(scope).partition;
  return Token.isUnresolved(partition) ? '<partition>' : partition;
}
