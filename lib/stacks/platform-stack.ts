import { CfnOutput, Size, Stack, StackProps, Token, aws_kms as kms } from 'aws-cdk-lib';
import { FeatureGroup, FeatureType } from '../constructs/feature-store';
import { NotebookInstance } from '../constructs/notebook';
import { StudioDomain, UserProfile } from '../constructs/studio';
import { Construct } from 'constructs';
import { MlKey, MlNetwork, SageMakerExecutionRole, SecureBucket } from '../constructs/security';
import { acknowledgeDataScienceReadAccess } from './nag-acknowledgements';
import { ComputeProfile, profileInstances } from './profile';

/**
 * Properties of the {@link MlPlatformStack}.
 */
export interface MlPlatformStackProps extends StackProps {
  /**
   * The hardware profile of the example (names and instance choices).
   * @default ComputeProfile.CPU
   */
  readonly profile?: ComputeProfile;
}

/**
 * The secure base of an ML platform: a private network with the SageMaker VPC endpoints, a
 * customer-managed key, buckets for data and model artifacts, and a data-science execution role.
 * It also holds the development environments (a VPC-only Studio domain with a user profile, a
 * notebook instance) and the loan-default feature group. The other example stacks take these
 * through their props.
 */
export class MlPlatformStack extends Stack {
  /** The private network. */
  public readonly network: MlNetwork;
  /** The key for data, volumes, outputs and logs. */
  public readonly key: kms.IKey;
  /** Raw and prepared data. */
  public readonly dataBucket: SecureBucket;
  /** Model artifacts, checkpoints, evaluation reports, captured inference data. */
  public readonly artifactsBucket: SecureBucket;
  /** The default execution role of the Studio domain's apps (users without a role of their own). */
  public readonly dataScienceRole: SageMakerExecutionRole;
  /** The profile this stack was built for. */
  public readonly profile: ComputeProfile;
  /** The VPC-only Studio domain. */
  public readonly studio: StudioDomain;
  /** The Studio user profile of the example data scientist (own role, own data prefix). */
  public readonly dataScientist: UserProfile;
  /** The notebook instance. */
  public readonly notebook: NotebookInstance;
  /** The loan-default customer feature group. */
  public readonly customerFeatures: FeatureGroup;

  /**
   * With a concrete account and region, the network's two Availability Zones are CloudFormation's
   * (`Fn::GetAZs`, resolved at deploy time) instead of a context lookup, so
   * `cdk synth -c account=... -c region=...` needs no AWS credentials. Env-agnostic: CDK's default.
   */
  public override get availabilityZones(): string[] {
    if (Token.isUnresolved(this.account) || Token.isUnresolved(this.region)) {
      return super.availabilityZones;
    }
    return MlNetwork.deployTimeAvailabilityZones(2);
  }

  constructor(scope: Construct, id: string, props: MlPlatformStackProps = {}) {
    super(scope, id, { description: 'SageMaker ML platform base: network, keys, buckets, roles', ...props });
    this.profile = props.profile ?? ComputeProfile.CPU;

    this.key = new MlKey(this, 'Key', { description: 'SageMaker platform data, volumes, outputs and logs' });
    this.network = new MlNetwork(this, 'Network', { encryptionKey: this.key });
    this.dataBucket = new SecureBucket(this, 'DataBucket', { encryptionKey: this.key });
    this.artifactsBucket = new SecureBucket(this, 'ArtifactsBucket', { encryptionKey: this.key });

    this.dataScienceRole = new SageMakerExecutionRole(this, 'DataScienceRole', {
      description: 'Notebooks and Studio apps of the data-science team',
    });
    this.dataScienceRole.grantLogging();
    this.dataScienceRole.grantMetrics();
    this.dataScienceRole.grantVpcAccess(this.network.vpc);
    this.dataScienceRole.grantKeyUse(this.key);
    // Data scientists read the data and artifacts; they write only to their own prefixes
    // (users/<profile name>/, below), never to prepared/, which the training pipeline trains on.
    this.dataScienceRole.grantReadPrefix(this.dataBucket);
    this.dataScienceRole.grantReadPrefix(this.artifactsBucket);

    // Development environments: a VPC-only Studio domain with one user profile, and a notebook
    // instance (ml.t3.medium with 50 GB, no direct internet, no root access).
    this.studio = new StudioDomain(this, 'Studio', {
      network: this.network,
      encryptionKey: this.key,
      defaultExecutionRole: this.dataScienceRole,
      notebookSharing: { bucket: this.artifactsBucket, prefix: 'studio-sharing/', encryptionKey: this.key },
    });
    // The user has a role of their own, so their write grant (their own prefix) is theirs alone.
    this.dataScientist = this.studio.addUserProfile('DataScientist', { userProfileName: 'data-scientist', ownExecutionRole: true });
    const userRole = this.dataScientist.executionRole as SageMakerExecutionRole;
    userRole.grantReadPrefix(this.dataBucket);
    userRole.grantReadPrefix(this.artifactsBucket);
    this.dataScientist.grantReadWriteOwnPrefix(this.dataBucket);
    acknowledgeDataScienceReadAccess([this.dataScienceRole, userRole], [this.dataBucket, this.artifactsBucket]);
    this.notebook = new NotebookInstance(this, 'Notebook', {
      network: this.network,
      instanceType: profileInstances(this.profile).notebook,
      volumeSize: Size.gibibytes(50),
      encryptionKey: this.key,
    });

    // Feature Store: the loan-default customer features, online (latest values for inference)
    // and offline (history for training) in the data bucket.
    this.customerFeatures = new FeatureGroup(this, 'CustomerFeatures', {
      featureGroupName: `loan-default-customers-${this.profile}`,
      description: 'Loan-default applicant features (source: examples/data/loan_default_sample.csv)',
      recordIdentifierFeatureName: 'customer_id',
      eventTimeFeatureName: 'event_time',
      features: [
        { featureName: 'customer_id', featureType: FeatureType.STRING },
        { featureName: 'event_time', featureType: FeatureType.FRACTIONAL },
        { featureName: 'age', featureType: FeatureType.INTEGRAL },
        { featureName: 'annual_income', featureType: FeatureType.FRACTIONAL },
        { featureName: 'loan_amount', featureType: FeatureType.FRACTIONAL },
        { featureName: 'loan_term_months', featureType: FeatureType.INTEGRAL },
        { featureName: 'interest_rate', featureType: FeatureType.FRACTIONAL },
        { featureName: 'credit_score', featureType: FeatureType.INTEGRAL },
        { featureName: 'employment_years', featureType: FeatureType.INTEGRAL },
        { featureName: 'debt_to_income', featureType: FeatureType.FRACTIONAL },
        { featureName: 'home_ownership', featureType: FeatureType.STRING },
        { featureName: 'purpose', featureType: FeatureType.STRING },
      ],
      onlineStore: { encryptionKey: this.key },
      offlineStore: { bucket: this.dataBucket, prefix: 'feature-store/', encryptionKey: this.key },
    });
    for (const role of [this.dataScienceRole, userRole]) {
      this.customerFeatures.grantGetRecord(role);
      this.customerFeatures.grantPutRecord(role);
    }

    new CfnOutput(this, 'StudioDomainId', { value: this.studio.domainId, description: 'Clean up with: sagemaker-cdk studio cleanup <id>' });
    new CfnOutput(this, 'FeatureGroupName', { value: this.customerFeatures.featureGroupName });
    new CfnOutput(this, 'DataBucketName', { value: this.dataBucket.bucketName, description: 'Bucket for raw and prepared data' });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifactsBucket.bucketName, description: 'Bucket for model artifacts' });
    new CfnOutput(this, 'DataKeyArn', { value: this.key.keyArn, description: 'KMS key of the buckets (the CLI encrypts uploads with it)' });

  }
}
