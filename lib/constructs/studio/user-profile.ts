import { CustomResource, IResource, Names, Resource, Token, aws_iam as iam, aws_s3 as s3, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isConcrete, throwIfProblems, validationError } from '../../private/errors';
import { SageMakerExecutionRole } from '../security/execution-role';
import type { StudioDomain } from './studio-domain';
import { STUDIO_NAME_PATTERN } from './studio-names';


/**
 * A Studio user profile.
 */
export interface IUserProfile extends IResource {
  /** The profile's name. @attribute */
  readonly userProfileName: string;
  /** The profile's ARN. @attribute */
  readonly userProfileArn: string;
  /** Lets `grantee` open Studio as this user (`CreatePresignedDomainUrl`). */
  grantCreatePresignedDomainUrl(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Options of a user profile added with `domain.addUserProfile()`.
 */
export interface UserProfileOptions {
  /**
   * The profile's name: 1-63 letters, digits and hyphens. Changing it replaces the profile.
   * @default - a name derived from the construct path
   */
  readonly userProfileName?: string;

  /**
   * This user's own execution role, instead of the domain's default.
   * @default - the domain's default execution role
   */
  readonly executionRole?: iam.IRole;

  /**
   * Create a role for this user alone (a `SageMakerExecutionRole` with the domain's basic
   * grants), so per-user data access can be granted to it.
   * @default false
   */
  readonly ownExecutionRole?: boolean;

  /**
   * The IAM Identity Center user name this profile belongs to. Required (and only allowed) when
   * the domain uses IAM Identity Center.
   * @default - none
   */
  readonly singleSignOnUserName?: string;
}

/**
 * Properties of a {@link UserProfile}.
 */
export interface UserProfileProps extends UserProfileOptions {
  /** The domain of the profile. */
  readonly domain: StudioDomain;
}

/**
 * A Studio user profile. Unless the domain's `teardownApps` is false, a custom resource deletes
 * the apps the user started (and the private spaces the user created in Studio) before
 * CloudFormation deletes the profile, so stack deletion does not fail on running apps.
 */
export class UserProfile extends Resource implements IUserProfile {
  public readonly userProfileName: string;
  public readonly userProfileArn: string;
  /** The role this user's apps run as. */
  public readonly executionRole: iam.IRole;
  /** The domain. */
  public readonly domain: StudioDomain;
  /**
   * The teardown custom resource, if any: resources that must be deleted before the teardown
   * starts (the profile's spaces) depend on it.
   */
  public readonly teardown?: CustomResource;

  constructor(scope: Construct, id: string, props: UserProfileProps) {
    super(scope, id);
    this.domain = props.domain;
    const identityCenter = props.domain.authMode === 'SSO';
    const problems: string[] = [];
    if (identityCenter && !props.singleSignOnUserName) {
      problems.push('the domain uses IAM Identity Center, but singleSignOnUserName is not set; set it to the Identity Center user name of this profile.');
    }
    if (!identityCenter && props.singleSignOnUserName) {
      problems.push('singleSignOnUserName is set, but the domain uses IAM sign-in; remove it or create the domain with StudioAuthMode.IAM_IDENTITY_CENTER.');
    }
    if (props.executionRole && props.ownExecutionRole) {
      problems.push('executionRole and ownExecutionRole are both set; give a role or ask for a new one, not both.');
    }
    if (isConcrete(props.userProfileName) && !STUDIO_NAME_PATTERN.test(props.userProfileName)) {
      problems.push(`userProfileName is "${props.userProfileName}", but must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit.`);
    }
    throwIfProblems(this, problems);

    this.userProfileName = props.userProfileName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-', allowedSpecialCharacters: '-' }).replace(/^-+|-+$/g, '');
    let role: iam.IRole = props.executionRole ?? props.domain.defaultExecutionRole;
    if (props.ownExecutionRole) {
      role = new SageMakerExecutionRole(this, 'ExecutionRole', { description: `Studio execution role of the user profile ${this.node.path}` });
      props.domain._prepareExecutionRole(role);
    }
    this.executionRole = role;

    const resource = new sagemaker.CfnUserProfile(this, 'Resource', {
      domainId: props.domain.domainId,
      userProfileName: this.userProfileName,
      singleSignOnUserIdentifier: identityCenter ? 'UserName' : undefined,
      singleSignOnUserValue: props.singleSignOnUserName,
      userSettings: role === props.domain.defaultExecutionRole ? undefined : { executionRole: role.roleArn },
    });
    if (role !== props.domain.defaultExecutionRole) {
      resource.node.addDependency(role);
      // The domain's default role has these already; a user's own role needs them too.
      props.domain._grantAppsAndSpaces(this, 'ExecutionRoleAppsPolicy', role);
    }
    this.userProfileArn = resource.attrUserProfileArn;

    const serviceToken = props.domain._teardownServiceToken();
    if (serviceToken) {
      // Depends on the profile, so CloudFormation deletes it (emptying the profile) first.
      this.teardown = new CustomResource(this, 'Teardown', {
        serviceToken,
        resourceType: 'Custom::StudioUserProfileTeardown',
        properties: { DomainId: props.domain.domainId, UserProfileName: this.userProfileName },
      });
      this.teardown.node.addDependency(resource);
    }
  }

  /**
   * The user's own key prefix in a bucket: `<basePrefix><userProfileName>/`.
   * @param basePrefix the prefix that holds the users' prefixes, ending in "/"; default `users/`
   */
  public userPrefix(basePrefix: string = 'users/'): string {
    return `${basePrefix}${this.userProfileName}/`;
  }

  /**
   * Lets this user's execution role read and write objects under the user's own prefix
   * (`users/<profile name>/` by default) and nowhere else in the bucket, so users do not write
   * where others (or pipelines) read. Needs a role of the user alone (`ownExecutionRole` or
   * `executionRole`): on the domain's shared default role every user would get the grant.
   */
  public grantReadWriteOwnPrefix(bucket: s3.IBucket, basePrefix: string = 'users/'): void {
    const problems: string[] = [];
    if (this.executionRole === this.domain.defaultExecutionRole) {
      problems.push('grantReadWriteOwnPrefix needs a role of this user alone, but the profile uses the domain\'s shared default execution role; set ownExecutionRole: true (or executionRole) on the profile.');
    }
    if (!Token.isUnresolved(basePrefix) && basePrefix !== '' && !basePrefix.endsWith('/')) {
      problems.push(`basePrefix is "${basePrefix}", but must end with "/"; add the slash.`);
    }
    throwIfProblems(this, problems);
    const prefix = this.userPrefix(basePrefix);
    const role = this.executionRole;
    if (role instanceof SageMakerExecutionRole) {
      role.grantReadPrefix(bucket, prefix);
      role.grantWritePrefix(bucket, prefix);
      return;
    }
    const grant = iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resourceArns: [bucket.arnForObjects(`${prefix}*`)] });
    if (!grant.success) throw validationError(this, 'the execution role cannot be changed here; grant it s3:GetObject and s3:PutObject on the user prefix yourself.');
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } });
    bucket.encryptionKey?.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  public grantCreatePresignedDomainUrl(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:CreatePresignedDomainUrl'], resourceArns: [this.userProfileArn] });
  }
}
