import { ArnFormat, Duration, Stack, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addNagCleanProvider } from '../../private/nag-clean-provider';

/**
 * Properties of a {@link StudioTeardownProvider}.
 */
export interface StudioTeardownProviderProps {
  /** The Studio domain whose apps and spaces the handlers delete. */
  readonly domainId: string;
  /** The key that encrypts the handlers' log groups and environment. */
  readonly encryptionKey: kms.IKey;
  /**
   * Run the handlers in this VPC (they need the SageMaker API and CloudWatch Logs endpoints,
   * which `MlNetwork` creates).
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets of the handlers.
   * @default - the VPC's private isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The security groups of the handlers.
   * @default - a new security group allowing outbound HTTPS only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * How long to wait for apps and spaces to be deleted.
   * @default Duration.hours(1)
   */
  readonly totalTimeout?: Duration;
  /**
   * How long to keep the handlers' logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The CDK Provider framework running the Studio teardown handler (`handlers/teardown.ts`,
 * compiled by `npm run build:handlers`): on delete it deletes the apps of a user profile or
 * space (and a profile's private spaces) and polls until they are gone, so CloudFormation can
 * then delete the profile or space. Each Lambda function has its own role with customer-managed
 * policies scoped to this domain, and a KMS-encrypted log group with retention.
 */
export class StudioTeardownProvider extends Construct {
  /** The service token of the custom resources. */
  public readonly serviceToken: string;

  constructor(scope: Construct, id: string, props: StudioTeardownProviderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const appArn = stack.formatArn({ service: 'sagemaker', resource: 'app', resourceName: `${props.domainId}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const spaceArn = stack.formatArn({ service: 'sagemaker', resource: 'space', resourceName: `${props.domainId}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

    const provider = addNagCleanProvider(this, {
      handlerDirectory: 'constructs/studio/handlers',
      onEvent: { id: 'OnEvent', handler: 'teardown.onEvent', description: 'Starts deleting the apps of a Studio user profile or space' },
      isComplete: { id: 'IsComplete', handler: 'teardown.isComplete', description: 'Reports whether a Studio user profile or space has no apps left' },
      statements: [
        new iam.PolicyStatement({ actions: ['sagemaker:ListApps', 'sagemaker:ListSpaces'], resources: ['*'] }),
        new iam.PolicyStatement({ actions: ['sagemaker:DeleteApp', 'sagemaker:DescribeApp'], resources: [appArn] }),
        new iam.PolicyStatement({ actions: ['sagemaker:DeleteSpace', 'sagemaker:DescribeSpace'], resources: [spaceArn] }),
      ],
      actionsWithoutResourceTypes: {
        actions: ['sagemaker:ListApps', 'sagemaker:ListSpaces'],
        why: 'the handler lists the apps and spaces of this domain by a DomainIdEquals filter',
      },
      wildcardResources: {
        resources: [appArn, spaceArn],
        reason: 'The apps and spaces of this Studio domain only (app/<domain id>/*, space/<domain id>/*): users start and name them in Studio at run time, and the handler deletes whichever a profile or space has.',
      },
      encryptionKey: props.encryptionKey,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      securityGroupDescription: 'Studio teardown handlers: HTTPS to the SageMaker API and CloudWatch Logs endpoints',
      totalTimeout: props.totalTimeout ?? Duration.hours(1),
      logRetention: props.logRetention,
    });
    this.serviceToken = provider.serviceToken;
  }
}
