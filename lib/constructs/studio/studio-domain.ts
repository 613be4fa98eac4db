import {
  ArnFormat,
  Duration,
  IResource,
  Names,
  Resource,
  Size,
  Stack,
  Token,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sagemaker as sagemaker,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isConcrete, rangeProblem, throwIfProblems } from '../../private/errors';
import { acknowledgeActionsWithoutResourceTypes, acknowledgeWildcardResources } from '../../private/nag';
import { InstanceType } from '../core/instance-type';
import { MlKey } from '../security/ml-key';
import { MlNetwork } from '../security/ml-network';
import { SageMakerExecutionRole } from '../security/execution-role';
import { StudioAppType } from './studio-app-type';
import { IStudioLifecycleConfig } from './studio-lifecycle-config';
import { StudioTeardownProvider } from './studio-teardown-provider';
import { Space, SpaceOptions } from './space';
import { UserProfile, UserProfileOptions } from './user-profile';

/** How users sign in to a Studio domain. */
export enum StudioAuthMode {
  /** IAM: users open Studio through a presigned URL (`CreatePresignedDomainUrl`). */
  IAM = 'IAM',
  /** IAM Identity Center (SSO): each user profile is bound to an Identity Center user. */
  IAM_IDENTITY_CENTER = 'SSO',
}

/**
 * A SageMaker Studio domain.
 */
export interface IStudioDomain extends IResource {
  /** The domain id, e.g. `d-abc123def456`. @attribute */
  readonly domainId: string;
  /** The domain's ARN. @attribute */
  readonly domainArn: string;
}

/** Where Studio saves notebooks users share, and how they are encrypted. */
export interface NotebookSharingOptions {
  /** The bucket (a `SecureBucket` fits). */
  readonly bucket: s3.IBucket;
  /**
   * The key prefix, ending with `/`.
   * @default 'studio-sharing/'
   */
  readonly prefix?: string;
  /**
   * The key that encrypts shared notebooks.
   * @default - the bucket's key, else the domain's `encryptionKey`
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Properties of a {@link StudioDomain}.
 */
export interface StudioDomainProps {
  /**
   * The private network: its VPC, workload subnets and workload security group. Give either
   * `network` or `vpc`.
   * @default - `vpc`, `vpcSubnets` and `securityGroups`
   */
  readonly network?: MlNetwork;

  /**
   * The VPC when no `network` is given.
   * @default - `network.vpc`
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets Studio apps run in (the domain is VPC-only: apps reach AWS through VPC
   * endpoints, never the public internet).
   * @default - `network.subnets`, else the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of Studio apps and spaces (at most 5).
   * @default - `network.developmentSecurityGroup`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * How users sign in. IAM Identity Center needs Identity Center enabled in the account's
   * organization, and each user profile then needs `singleSignOnUserName`.
   * @default StudioAuthMode.IAM
   */
  readonly authMode?: StudioAuthMode;

  /**
   * The key that encrypts the home file system (EFS) and space volumes (EBS).
   * @default - a new `MlKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The role Studio apps run as, unless a user profile has its own.
   * @default - a new `SageMakerExecutionRole` with logs, metrics, network interfaces, the key and
   * the notebook-sharing prefix
   */
  readonly defaultExecutionRole?: iam.IRole;

  /**
   * Let users share notebooks, saved here with KMS.
   * @default - notebook sharing disabled
   */
  readonly notebookSharing?: NotebookSharingOptions;

  /**
   * Shut JupyterLab and Code Editor apps down after this long without activity, 60 minutes to
   * 365 days in whole minutes.
   * @default Duration.minutes(60)
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-idle-shutdown.html
   */
  readonly idleTimeout?: Duration;

  /**
   * The default instance type of JupyterLab and Code Editor apps. Instance types with local NVMe
   * storage cannot be combined with the domain's volume key.
   * @default - SageMaker's default (ml.t3.medium)
   */
  readonly defaultInstanceType?: InstanceType;

  /**
   * The default size of a space's EBS volume.
   * @default Size.gibibytes(5)
   */
  readonly defaultSpaceVolumeSize?: Size;

  /**
   * The largest EBS volume a user may give a space.
   * @default Size.gibibytes(100)
   */
  readonly maxSpaceVolumeSize?: Size;

  /**
   * Lifecycle configurations every user's JupyterLab or Code Editor apps may run (by app type).
   * @default - none
   */
  readonly lifecycleConfigs?: IStudioLifecycleConfig[];

  /**
   * The domain's name. Changing it replaces the domain (and every profile and space).
   * @default - a name derived from the construct path
   */
  readonly domainName?: string;

  /**
   * Before CloudFormation deletes a user profile or space of this domain, delete the apps users
   * started in it (and a profile's private spaces), with a custom resource that waits for them.
   * Without it, stack deletion fails while apps run.
   * @default true
   */
  readonly teardownApps?: boolean;

  /**
   * How long the teardown waits for apps and spaces to be deleted.
   * @default Duration.hours(1)
   */
  readonly teardownTimeout?: Duration;
}

/**
 * A VPC-only SageMaker Studio domain with IAM (or IAM Identity Center) sign-in, its home file
 * system and space volumes encrypted with a customer-managed key, a least-privilege default
 * execution role, idle shutdown of apps after an hour, and safe teardown of user profiles and
 * spaces.
 *
 * **What stays behind when the domain is deleted.** CloudFormation deletes the domain with
 * SageMaker's default retention, which keeps the home file system (EFS, id in
 * `homeEfsFileSystemId`) with users' files. SageMaker also leaves the file system's mount
 * targets in the domain's subnets and the two security groups it made for them
 * (`security-group-for-inbound-nfs-<domainId>` and `security-group-for-outbound-nfs-<domainId>`);
 * they keep the VPC from being deleted. To clean up: back up what you need, delete the mount
 * targets (`aws efs describe-mount-targets` / `delete-mount-target`), then the file system,
 * then the two security groups (remove their rules referencing each other first).
 *
 * Tags set with `Tags.of(domain)` are applied to the domain, its profiles and spaces.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/gs-studio-delete-domain.html
 */
export class StudioDomain extends Resource implements IStudioDomain, ec2.IConnectable {
  /** Imports a domain by id (user profiles and spaces are added to `StudioDomain` instances only). */
  public static fromDomainId(scope: Construct, id: string, domainId: string): IStudioDomain {
    class Import extends Resource implements IStudioDomain {
      public readonly domainId = domainId;
      public readonly domainArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'domain', resourceName: domainId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    }
    return new Import(scope, id);
  }

  public readonly domainId: string;
  public readonly domainArn: string;
  /** The id of the home file system (EFS) SageMaker created; retained when the domain is deleted. @attribute */
  public readonly homeEfsFileSystemId: string;
  /** How users sign in. */
  public readonly authMode: StudioAuthMode;
  /** The role apps run as unless a profile has its own. */
  public readonly defaultExecutionRole: iam.IRole;
  /** The key of the home file system and space volumes. */
  public readonly encryptionKey: kms.IKey;
  /** The security groups of apps and spaces. */
  public readonly connections: ec2.Connections;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The subnets apps run in. */
  public readonly vpcSubnets: ec2.SubnetSelection;
  /** The idle shutdown time of apps. */
  public readonly idleTimeout: Duration;
  private readonly teardownApps: boolean;
  private readonly teardownTimeout?: Duration;
  private teardownProvider?: StudioTeardownProvider;
  private readonly handlerSecurityGroups: ec2.ISecurityGroup[];
  private readonly sharing?: { readonly bucket: s3.IBucket; readonly prefix: string; readonly key?: kms.IKey };

  constructor(scope: Construct, id: string, props: StudioDomainProps) {
    super(scope, id);

    this.authMode = props.authMode ?? StudioAuthMode.IAM;
    this.idleTimeout = props.idleTimeout ?? Duration.minutes(60);
    this.teardownApps = props.teardownApps ?? true;
    this.teardownTimeout = props.teardownTimeout;
    const securityGroups = props.securityGroups ?? (props.network ? [props.network.developmentSecurityGroup] : []);
    const vpc = props.vpc ?? props.network?.vpc;
    const problems: string[] = [];
    if (props.network && props.vpc) {
      problems.push('both network and vpc are set; give one of them.');
    }
    if (!vpc) {
      problems.push('no network and no vpc are set, but the domain is VPC-only (no public internet); pass network (an MlNetwork) or vpc.');
    }
    this.vpcSubnets = props.vpcSubnets ?? props.network?.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    let subnetIds: string[] = [];
    if (vpc) {
      try {
        subnetIds = vpc.selectSubnets(this.vpcSubnets).subnetIds;
      } catch (e) {
        problems.push(`the subnet selection finds no subnets in the VPC (${(e as Error).message}); VPC-only Studio needs subnets: pass vpcSubnets that match subnets of the VPC.`);
      }
      if (subnetIds.length === 0 && problems.length === 0) {
        problems.push('the subnet selection finds no subnets in the VPC, but VPC-only Studio needs at least one; pass vpcSubnets that match subnets of the VPC.');
      }
      if (subnetIds.length > 16) {
        problems.push(`the subnet selection finds ${subnetIds.length} subnets, but a domain takes at most 16; narrow vpcSubnets.`);
      }
    }
    if (securityGroups.length === 0 || securityGroups.length > 5) {
      problems.push(
        `${securityGroups.length} security groups are given, but VPC-only Studio needs 1 to 5 (SageMaker's limit for user and space settings); pass between 1 and 5 securityGroups.`,
      );
    }
    const idleMinutes = this.idleTimeout.toMinutes({ integral: false });
    if (!Token.isUnresolved(idleMinutes)) {
      const problem = !Number.isInteger(idleMinutes)
        ? `idleTimeout is ${this.idleTimeout.toHumanString()}, but must be whole minutes.`
        : rangeProblem('idleTimeout in minutes', idleMinutes, 60, 525600, "SageMaker's idle shutdown range is 60 minutes to 365 days");
      if (problem) problems.push(problem);
    }
    // The domain always has a volume key (its own MlKey or the one given).
    const type = props.defaultInstanceType;
    if (type && !Token.isUnresolved(type.name) && type.hasLocalNvmeStorage) {
      problems.push(
        `defaultInstanceType is ${type.name}, which has local NVMe storage, but the domain encrypts app volumes with a KMS key and SageMaker rejects a volume key on NVMe instance types; choose an instance type without NVMe storage.`,
      );
    }
    const defaultVolume = props.defaultSpaceVolumeSize?.toGibibytes() ?? 5;
    const maxVolume = props.maxSpaceVolumeSize?.toGibibytes() ?? 100;
    for (const problem of [rangeProblem('defaultSpaceVolumeSize in GiB', defaultVolume, 5, 16384), rangeProblem('maxSpaceVolumeSize in GiB', maxVolume, 5, 16384)]) {
      if (problem) problems.push(problem);
    }
    if (isConcrete(defaultVolume) && isConcrete(maxVolume) && defaultVolume > maxVolume) {
      problems.push(`defaultSpaceVolumeSize (${defaultVolume} GiB) is larger than maxSpaceVolumeSize (${maxVolume} GiB); make the default at most the maximum.`);
    }
    if (isConcrete(props.domainName) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(props.domainName)) {
      problems.push(`domainName is "${props.domainName}", but must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit.`);
    }
    if (isConcrete(props.notebookSharing?.prefix) && !props.notebookSharing.prefix.endsWith('/')) {
      problems.push(`notebookSharing.prefix is "${props.notebookSharing.prefix}", but must end with "/"; add the slash.`);
    }
    throwIfProblems(this, problems);

    this.vpc = vpc!;
    this.connections = new ec2.Connections({ securityGroups });
    this.handlerSecurityGroups = props.network ? [props.network.handlersSecurityGroup] : securityGroups;
    this.encryptionKey = props.encryptionKey ?? new MlKey(this, 'Key', { description: `Encrypts the Studio home file system and volumes of ${this.node.path}` });

    const sharingPrefix = props.notebookSharing?.prefix ?? 'studio-sharing/';
    const sharingKey = props.notebookSharing ? props.notebookSharing.encryptionKey ?? props.notebookSharing.bucket.encryptionKey ?? this.encryptionKey : undefined;

    const role = props.defaultExecutionRole ?? new SageMakerExecutionRole(this, 'ExecutionRole', { description: `Default execution role of the Studio domain ${this.node.path}` });
    this.defaultExecutionRole = role;
    this.sharing = props.notebookSharing ? { bucket: props.notebookSharing.bucket, prefix: sharingPrefix, key: sharingKey } : undefined;
    if (role instanceof SageMakerExecutionRole) this._prepareExecutionRole(role);

    const appLifecycle = {
      idleSettings: {
        lifecycleManagement: 'ENABLED',
        idleTimeoutInMinutes: idleMinutes,
        minIdleTimeoutInMinutes: 60,
        maxIdleTimeoutInMinutes: Token.isUnresolved(idleMinutes) ? undefined : Math.max(idleMinutes, 60),
      },
    };
    const resourceSpec = props.defaultInstanceType ? { instanceType: props.defaultInstanceType.name } : undefined;
    const configArns = (appType: StudioAppType): string[] | undefined => {
      const arns = (props.lifecycleConfigs ?? []).filter((c) => c.appType === appType).map((c) => c.studioLifecycleConfigArn);
      return arns.length > 0 ? arns : undefined;
    };
    const sgIds = securityGroups.map((sg) => sg.securityGroupId);
    const spaceStorageSettings = { defaultEbsStorageSettings: { defaultEbsVolumeSizeInGb: defaultVolume, maximumEbsVolumeSizeInGb: maxVolume } };

    const resource = new sagemaker.CfnDomain(this, 'Resource', {
      domainName: props.domainName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-', allowedSpecialCharacters: '-' }).replace(/^-+|-+$/g, ''),
      authMode: this.authMode,
      appNetworkAccessType: 'VpcOnly',
      vpcId: this.vpc.vpcId,
      subnetIds,
      kmsKeyId: this.encryptionKey.keyArn,
      defaultUserSettings: {
        executionRole: role.roleArn,
        securityGroups: sgIds,
        sharingSettings: props.notebookSharing
          ? {
              notebookOutputOption: 'Allowed',
              s3OutputPath: `s3://${props.notebookSharing.bucket.bucketName}/${sharingPrefix}`,
              s3KmsKeyId: sharingKey?.keyArn,
            }
          : { notebookOutputOption: 'Disabled' },
        jupyterLabAppSettings: { appLifecycleManagement: appLifecycle, defaultResourceSpec: resourceSpec, lifecycleConfigArns: configArns(StudioAppType.JUPYTER_LAB) },
        codeEditorAppSettings: { appLifecycleManagement: appLifecycle, defaultResourceSpec: resourceSpec, lifecycleConfigArns: configArns(StudioAppType.CODE_EDITOR) },
        spaceStorageSettings,
        studioWebPortal: 'ENABLED',
        defaultLandingUri: 'studio::',
      },
      defaultSpaceSettings: {
        executionRole: role.roleArn,
        securityGroups: sgIds,
        jupyterLabAppSettings: { appLifecycleManagement: appLifecycle, defaultResourceSpec: resourceSpec, lifecycleConfigArns: configArns(StudioAppType.JUPYTER_LAB) },
        spaceStorageSettings,
      },
      domainSettings: { dockerSettings: { enableDockerAccess: 'DISABLED' } },
      tagPropagation: 'ENABLED',
    });
    // Studio checks the role when it creates the domain.
    resource.node.addDependency(role);
    this.domainId = resource.attrDomainId;
    this.domainArn = resource.attrDomainArn;
    this.homeEfsFileSystemId = resource.attrHomeEfsFileSystemId;
    this._grantAppsAndSpaces(this, 'ExecutionRoleAppsPolicy', role);
  }

  /**
   * Lets a Studio execution role manage the apps and spaces of this domain, which Studio does
   * with the execution role when a user opens, starts, stops or deletes them: create, describe,
   * delete (and tag, as the domain propagates tags) apps under `app/<domainId>/*` and spaces under
   * `space/<domainId>/*`, and update spaces. `ListApps` and `ListSpaces` support no resource-level
   * permissions, so they are on `*` (the IAM check's allow-list names them).
   *
   * The statements name the domain id, so they live in a managed policy outside the role (the
   * domain waits for the role, and the policy for the domain).
   * @internal
   */
  public _grantAppsAndSpaces(scope: Construct, id: string, role: iam.IRole): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const arn = (resource: string) => stack.formatArn({ service: 'sagemaker', resource, resourceName: `${this.domainId}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const policy = new iam.ManagedPolicy(scope, id, {
      description: `Lets ${role.node.path} manage its Studio apps and spaces in ${this.node.path}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ManageStudioApps',
          actions: ['sagemaker:CreateApp', 'sagemaker:DeleteApp', 'sagemaker:DescribeApp', 'sagemaker:AddTags'],
          resources: [arn('app')],
        }),
        new iam.PolicyStatement({
          sid: 'ManageStudioSpaces',
          actions: ['sagemaker:CreateSpace', 'sagemaker:DeleteSpace', 'sagemaker:DescribeSpace', 'sagemaker:UpdateSpace', 'sagemaker:AddTags'],
          resources: [arn('space')],
        }),
        // List* actions support no resource-level permissions.
        new iam.PolicyStatement({ sid: 'ListStudioAppsAndSpaces', actions: ['sagemaker:ListApps', 'sagemaker:ListSpaces'], resources: ['*'] }),
      ],
    });
    acknowledgeActionsWithoutResourceTypes(policy, ['sagemaker:ListApps', 'sagemaker:ListSpaces']);
    acknowledgeWildcardResources(
      policy,
      [arn('app'), arn('space')],
      'The apps and spaces of this Studio domain only (app/<domain id>/*, space/<domain id>/*): Studio creates and names them with the execution role when a user opens or starts them, at run time.',
    );
    return policy;
  }

  /** The grants every Studio execution role needs. */
  private static grantStudioBasics(role: SageMakerExecutionRole, key: kms.IKey, vpc: ec2.IVpc): void {
    role.grantLogging();
    role.grantMetrics();
    role.grantVpcAccess(vpc);
    role.grantKeyUse(key);
  }

  /** Adds a user profile to the domain. */
  public addUserProfile(id: string, options: UserProfileOptions = {}): UserProfile {
    return new UserProfile(this, id, { ...options, domain: this });
  }

  /** Adds a space to the domain. */
  public addSpace(id: string, options: SpaceOptions): Space {
    return new Space(this, id, { ...options, domain: this });
  }

  /**
   * Prepares a per-user execution role the way the default one is (logs, metrics, network
   * interfaces, the domain key). Called by `UserProfile` for roles it creates.
   * @internal
   */
  public _prepareExecutionRole(role: iam.IRole): void {
    if (!(role instanceof SageMakerExecutionRole)) return;
    StudioDomain.grantStudioBasics(role, this.encryptionKey, this.vpc);
    if (this.sharing) {
      role.grantWritePrefix(this.sharing.bucket, this.sharing.prefix);
      role.grantReadPrefix(this.sharing.bucket, this.sharing.prefix);
      if (this.sharing.key) role.grantKeyUse(this.sharing.key);
    }
  }

  /**
   * The service token of the teardown custom resources, or undefined when teardown is off.
   * @internal
   */
  public _teardownServiceToken(): string | undefined {
    if (!this.teardownApps) return undefined;
    this.teardownProvider ??= new StudioTeardownProvider(this, 'Teardown', {
      domainId: this.domainId,
      encryptionKey: this.encryptionKey,
      vpc: this.vpc,
      vpcSubnets: this.vpcSubnets,
      // The handlers only call the SageMaker API and CloudWatch Logs through the VPC endpoints:
      // the network's handlers group, not the Studio apps' group.
      securityGroups: this.handlerSecurityGroups,
      totalTimeout: this.teardownTimeout,
    });
    return this.teardownProvider.serviceToken;
  }
}
