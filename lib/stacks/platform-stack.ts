import { CfnOutput, Stack, StackProps, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MlKey, MlNetwork, SageMakerExecutionRole, SecureBucket } from '../constructs/security';
import { acknowledgeExampleStackFindings } from './nag-acknowledgements';
import { ComputeProfile } from './profile';

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
 * The other example stacks take these through their props.
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
  /** The execution role data scientists' notebooks and Studio apps run with. */
  public readonly dataScienceRole: SageMakerExecutionRole;
  /** The profile this stack was built for. */
  public readonly profile: ComputeProfile;

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
    this.dataScienceRole.grantVpcAccess();
    this.dataScienceRole.grantKeyUse(this.key);
    this.dataScienceRole.grantReadPrefix(this.dataBucket);
    this.dataScienceRole.grantWritePrefix(this.dataBucket, 'prepared/');
    this.dataScienceRole.grantReadPrefix(this.artifactsBucket);

    new CfnOutput(this, 'DataBucketName', { value: this.dataBucket.bucketName, description: 'Bucket for raw and prepared data' });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifactsBucket.bucketName, description: 'Bucket for model artifacts' });
    new CfnOutput(this, 'DataKeyArn', { value: this.key.keyArn, description: 'KMS key of the buckets (the CLI encrypts uploads with it)' });

    acknowledgeExampleStackFindings(this);
  }
}
