import { CustomResource, IResource, Names, Resource, Size, aws_sagemaker as sagemaker } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isConcrete, rangeProblem, throwIfProblems } from '../../private/errors';
import { StudioAppType } from './studio-app-type';
import type { StudioDomain } from './studio-domain';
import { STUDIO_NAME_PATTERN } from './studio-names';
import { UserProfile } from './user-profile';
import { assertResourceTypeAvailable } from '../../private/region-support';

/** Who can use a space. */
export enum SpaceSharing {
  /** Only its owner. */
  PRIVATE = 'Private',
  /** Every user of the domain. */
  SHARED = 'Shared',
}

/**
 * A Studio space.
 */
export interface ISpace extends IResource {
  /** The space's name. @attribute */
  readonly spaceName: string;
  /** The space's ARN. @attribute */
  readonly spaceArn: string;
}

/**
 * Options of a space added with `domain.addSpace()`.
 */
export interface SpaceOptions {
  /** The user profile that owns the space. */
  readonly owner: UserProfile;

  /**
   * Who can use the space.
   * @default SpaceSharing.PRIVATE
   */
  readonly sharing?: SpaceSharing;

  /**
   * The app the space runs.
   * @default StudioAppType.JUPYTER_LAB
   */
  readonly appType?: StudioAppType;

  /**
   * The size of the space's EBS volume (at most the domain's `maxSpaceVolumeSize`).
   * @default - the domain's `defaultSpaceVolumeSize`
   */
  readonly volumeSize?: Size;

  /**
   * The space's name: 1-63 letters, digits and hyphens. Changing it replaces the space.
   * @default - a name derived from the construct path
   */
  readonly spaceName?: string;

  /**
   * The name shown in Studio.
   * @default - the space's name
   */
  readonly displayName?: string;
}

/**
 * Properties of a {@link Space}.
 */
export interface SpaceProps extends SpaceOptions {
  /** The domain of the space (the owner's domain). */
  readonly domain: StudioDomain;
}

/**
 * A Studio space (a JupyterLab or Code Editor environment with its own EBS volume). Its app
 * shuts down after the domain's `idleTimeout` (CloudFormation's space schema has no idle
 * settings of its own). Unless the
 * domain's `teardownApps` is false, a custom resource deletes the space's running app before
 * CloudFormation deletes the space.
 */
export class Space extends Resource implements ISpace {
  public readonly spaceName: string;
  public readonly spaceArn: string;

  constructor(scope: Construct, id: string, props: SpaceProps) {
    super(scope, id);
    const problems: string[] = [];
    if (props.owner.domain !== props.domain) {
      problems.push(`the owner ${props.owner.node.path} belongs to another domain; pick an owner of ${props.domain.node.path}.`);
    }
    if (isConcrete(props.spaceName) && !STUDIO_NAME_PATTERN.test(props.spaceName)) {
      problems.push(`spaceName is "${props.spaceName}", but must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit.`);
    }
    const volume = props.volumeSize?.toGibibytes();
    const volumeProblem = rangeProblem('volumeSize in GiB', volume, 5, 16384);
    if (volumeProblem) problems.push(volumeProblem);
    throwIfProblems(this, problems);

    this.spaceName = props.spaceName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-', allowedSpecialCharacters: '-' }).replace(/^-+|-+$/g, '');
    const appType = props.appType ?? StudioAppType.JUPYTER_LAB;
    assertResourceTypeAvailable(this, 'AWS::SageMaker::Space', 'A Studio space', 'Leave the space out of stacks in this region, or deploy it to a region that offers the type.');
    const resource = new sagemaker.CfnSpace(this, 'Resource', {
      domainId: props.domain.domainId,
      spaceName: this.spaceName,
      spaceDisplayName: props.displayName,
      ownershipSettings: { ownerUserProfileName: props.owner.userProfileName },
      spaceSharingSettings: { sharingType: props.sharing ?? SpaceSharing.PRIVATE },
      spaceSettings: {
        appType,
        spaceStorageSettings: volume !== undefined ? { ebsStorageSettings: { ebsVolumeSizeInGb: volume } } : undefined,
      },
    });
    // The owner must exist first; and the owner's teardown (which deletes the owner's remaining
    // private spaces) must run only after CloudFormation has deleted this space.
    resource.node.addDependency(props.owner);
    this.spaceArn = resource.attrSpaceArn;

    const serviceToken = props.domain._teardownServiceToken();
    if (serviceToken) {
      const teardown = new CustomResource(this, 'Teardown', {
        serviceToken,
        resourceType: 'Custom::StudioSpaceTeardown',
        properties: { DomainId: props.domain.domainId, SpaceName: this.spaceName },
      });
      teardown.node.addDependency(resource);
    }
  }
}
