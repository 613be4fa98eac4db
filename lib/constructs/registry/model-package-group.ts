import { Arn, ArnFormat, IResource, RemovalPolicy, Resource, Stack, Token, aws_iam as iam, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { aws_sagemaker as sagemakerRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { validationError } from '../../private/errors';
import { pathBasedName } from '../../private/names';
import { assertResourceTypeAvailable } from '../../private/region-support';

/**
 * A model package group: the registry of a model's versions. Extends aws-cdk-lib's
 * `IModelPackageGroupRef`, so it plugs in wherever aws-cdk-lib takes a group reference.
 */
export interface IModelPackageGroup extends IResource, sagemakerRefs.IModelPackageGroupRef {
  /** The group name. @attribute */
  readonly modelPackageGroupName: string;
  /** The group ARN. @attribute */
  readonly modelPackageGroupArn: string;
  /** Lets `grantee` read the group and its versions (to deploy approved ones). */
  grantRead(grantee: iam.IGrantable): iam.Grant;
  /** Lets `grantee` register versions in the group. */
  grantRegister(grantee: iam.IGrantable): iam.Grant;
  /** Lets `grantee` approve or reject versions. */
  grantApprove(grantee: iam.IGrantable): iam.Grant;
}

/** Properties of a {@link ModelPackageGroup}. */
export interface ModelPackageGroupProps {
  /**
   * The group name (1-63 letters, digits and hyphens). Model package groups are looked up by
   * name (pipelines register into them), so a name is given here; changing it replaces the group.
   * @default - generated from the construct path
   */
  readonly modelPackageGroupName?: string;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
  /**
   * What happens to the group (and its version history) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

abstract class ModelPackageGroupBase extends Resource implements IModelPackageGroup {
  public abstract readonly modelPackageGroupName: string;
  public abstract readonly modelPackageGroupArn: string;

  /** The reference aws-cdk-lib integrations read. */
  public get modelPackageGroupRef(): sagemakerRefs.ModelPackageGroupReference {
    return { modelPackageGroupArn: this.modelPackageGroupArn };
  }

  /** The ARN pattern of the group's versions. */
  protected get versionsArn(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${this.modelPackageGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:DescribeModelPackageGroup', 'sagemaker:ListModelPackages', 'sagemaker:DescribeModelPackage'],
      resourceArns: [this.modelPackageGroupArn, this.versionsArn],
    });
  }

  public grantRegister(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage', 'sagemaker:AddTags'],
      resourceArns: [this.modelPackageGroupArn, this.versionsArn],
    });
  }

  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:UpdateModelPackage'], resourceArns: [this.versionsArn] });
  }
}

/**
 * A SageMaker model package group (AWS::SageMaker::ModelPackageGroup), retained by default.
 */
export class ModelPackageGroup extends ModelPackageGroupBase {
  /** An existing group by name. */
  public static fromModelPackageGroupName(scope: Construct, id: string, modelPackageGroupName: string): IModelPackageGroup {
    class Import extends ModelPackageGroupBase {
      public readonly modelPackageGroupName = modelPackageGroupName;
      public readonly modelPackageGroupArn = Stack.of(scope).formatArn({
        service: 'sagemaker',
        resource: 'model-package-group',
        resourceName: modelPackageGroupName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    }
    return new Import(scope, id);
  }

  /** An existing group by ARN (`arn:aws:sagemaker:<region>:<account>:model-package-group/<name>`). */
  public static fromModelPackageGroupArn(scope: Construct, id: string, modelPackageGroupArn: string): IModelPackageGroup {
    const name = Arn.split(modelPackageGroupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
    if (!name) {
      throw validationError(scope, `fromModelPackageGroupArn: "${modelPackageGroupArn}" has no group name; give an ARN like arn:aws:sagemaker:us-east-1:123456789012:model-package-group/my-group.`);
    }
    class Import extends ModelPackageGroupBase {
      public readonly modelPackageGroupName = name!;
      public readonly modelPackageGroupArn = modelPackageGroupArn;
    }
    return new Import(scope, id, { environmentFromArn: modelPackageGroupArn });
  }

  public readonly modelPackageGroupName: string;
  public readonly modelPackageGroupArn: string;

  constructor(scope: Construct, id: string, props: ModelPackageGroupProps = {}) {
    const name = props.modelPackageGroupName ?? pathBasedName(scope, id, 63);
    super(scope, id, { physicalName: name });
    // ModelPackageGroupName: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackageGroup.html
    if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(name)) {
      throw validationError(this, `modelPackageGroupName "${name}" must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit (it has ${name.length} characters); rename it, or leave it unset for a name from the construct path.`);
    }
    assertResourceTypeAvailable(
      this,
      'AWS::SageMaker::ModelPackageGroup',
      `Model package group ${name}`,
      'Create the group outside CloudFormation (aws sagemaker create-model-package-group --model-package-group-name <name>) and import it with ModelPackageGroup.fromModelPackageGroupName.',
    );
    const resource = new sagemaker.CfnModelPackageGroup(this, 'Resource', {
      modelPackageGroupName: name,
      modelPackageGroupDescription: props.description,
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.modelPackageGroupName = name;

    this.modelPackageGroupArn = this.getResourceArnAttribute(resource.attrModelPackageGroupArn, {
      service: 'sagemaker',
      resource: 'model-package-group',
      resourceName: this.physicalName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
