import { Token } from 'aws-cdk-lib';
import { SageMakerConstructError } from '../../private/errors';

/**
 * GPUs per instance size, by family. Source: the SageMaker Python SDK's
 * `src/sagemaker/image_uri_config/instance_gpu_info.json` and the Amazon EC2 accelerated
 * computing instance pages (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing).
 * A size missing from a family's table has 1 GPU when the family is a GPU family.
 */
const GPU_COUNTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  p2: { xlarge: 1, '8xlarge': 8, '16xlarge': 16 },
  p3: { '2xlarge': 1, '8xlarge': 4, '16xlarge': 8 },
  p3dn: { '24xlarge': 8 },
  p4d: { '24xlarge': 8 },
  p4de: { '24xlarge': 8 },
  p5: { '48xlarge': 8 },
  p5e: { '48xlarge': 8 },
  g4dn: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 1, '12xlarge': 4 },
  g5: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 1, '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  g6: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 1, '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  g6e: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 1, '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
};

/**
 * Families whose instances have local NVMe instance storage. SageMaker encrypts those volumes
 * with a hardware module and rejects a `VolumeKmsKeyId`/`KmsKeyId` for them. Source: the
 * `KmsKeyId` notes of AWS::SageMaker::EndpointConfig and CreateTrainingJob's `VolumeKmsKeyId`
 * ("Certain Nitro-based instances include local storage ... you can't request a KmsKeyId"),
 * and the EC2 instance store volume table
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-store-volumes.html).
 * Besides these, every family whose name ends in `d` (m5d, c5d, r5d, m6id, ...) has local storage.
 */
const NVME_FAMILIES = new Set(['g4dn', 'g5', 'g6', 'g6e', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'trn1', 'trn1n', 'x1', 'x1e', 'i3', 'i3en']);

/** Families that are GPU (or other accelerator) families without being listed above. */
const OTHER_GPU_FAMILIES = new Set(['g4ad', 'g5g']);

const NAME_PATTERN = /^ml\.([a-z][a-z0-9-]*)\.([a-z0-9]+)$/;

/**
 * A SageMaker ML instance type, such as `ml.m5.xlarge`, with the facts the constructs need:
 * whether it has GPUs (and how many), whether it is burstable, and whether it has local NVMe
 * storage (where SageMaker rejects a volume KMS key).
 *
 * Use a constant, or `InstanceType.of('ml.x.y')` for any other type. Facts about types this
 * class does not know are conservative: no GPUs, not burstable unless `ml.t*`, and local
 * storage only for families whose name ends in `d`.
 */
export class InstanceType {
  /** ml.t3.medium */
  public static readonly ML_T3_MEDIUM = InstanceType.of('ml.t3.medium');
  /** ml.t3.large */
  public static readonly ML_T3_LARGE = InstanceType.of('ml.t3.large');
  /** ml.t3.xlarge */
  public static readonly ML_T3_XLARGE = InstanceType.of('ml.t3.xlarge');
  /** ml.m5.large */
  public static readonly ML_M5_LARGE = InstanceType.of('ml.m5.large');
  /** ml.m5.xlarge */
  public static readonly ML_M5_XLARGE = InstanceType.of('ml.m5.xlarge');
  /** ml.m5.2xlarge */
  public static readonly ML_M5_2XLARGE = InstanceType.of('ml.m5.2xlarge');
  /** ml.m5.4xlarge */
  public static readonly ML_M5_4XLARGE = InstanceType.of('ml.m5.4xlarge');
  /** ml.m5d.xlarge (local NVMe storage) */
  public static readonly ML_M5D_XLARGE = InstanceType.of('ml.m5d.xlarge');
  /** ml.c5.large */
  public static readonly ML_C5_LARGE = InstanceType.of('ml.c5.large');
  /** ml.c5.xlarge */
  public static readonly ML_C5_XLARGE = InstanceType.of('ml.c5.xlarge');
  /** ml.c5.2xlarge */
  public static readonly ML_C5_2XLARGE = InstanceType.of('ml.c5.2xlarge');
  /** ml.c5.4xlarge */
  public static readonly ML_C5_4XLARGE = InstanceType.of('ml.c5.4xlarge');
  /** ml.c5d.xlarge (local NVMe storage) */
  public static readonly ML_C5D_XLARGE = InstanceType.of('ml.c5d.xlarge');
  /** ml.r5.xlarge */
  public static readonly ML_R5_XLARGE = InstanceType.of('ml.r5.xlarge');
  /** ml.p3.2xlarge: 1 NVIDIA V100 */
  public static readonly ML_P3_2XLARGE = InstanceType.of('ml.p3.2xlarge');
  /** ml.p3.8xlarge: 4 NVIDIA V100 */
  public static readonly ML_P3_8XLARGE = InstanceType.of('ml.p3.8xlarge');
  /** ml.p3.16xlarge: 8 NVIDIA V100 */
  public static readonly ML_P3_16XLARGE = InstanceType.of('ml.p3.16xlarge');
  /** ml.g4dn.xlarge: 1 NVIDIA T4 (local NVMe storage) */
  public static readonly ML_G4DN_XLARGE = InstanceType.of('ml.g4dn.xlarge');
  /** ml.g4dn.2xlarge: 1 NVIDIA T4 (local NVMe storage) */
  public static readonly ML_G4DN_2XLARGE = InstanceType.of('ml.g4dn.2xlarge');
  /** ml.g5.xlarge: 1 NVIDIA A10G (local NVMe storage) */
  public static readonly ML_G5_XLARGE = InstanceType.of('ml.g5.xlarge');
  /** ml.g5.2xlarge: 1 NVIDIA A10G (local NVMe storage) */
  public static readonly ML_G5_2XLARGE = InstanceType.of('ml.g5.2xlarge');
  /** ml.p4d.24xlarge: 8 NVIDIA A100 (local NVMe storage) */
  public static readonly ML_P4D_24XLARGE = InstanceType.of('ml.p4d.24xlarge');

  /**
   * An instance type by name. The name must look like `ml.<family>.<size>`; a token is
   * accepted as is and gets conservative facts.
   */
  public static of(name: string): InstanceType {
    if (!Token.isUnresolved(name) && !NAME_PATTERN.test(name)) {
      throw new SageMakerConstructError(
        `Invalid SageMaker instance type "${name}": names look like "ml.<family>.<size>" (for example "ml.m5.xlarge"). ` +
          'Use an InstanceType constant or the exact name from the SageMaker pricing page.',
      );
    }
    return new InstanceType(name);
  }

  /** The instance type name, e.g. `ml.m5.xlarge` (or a token). */
  public readonly name: string;
  /** The family, e.g. `m5`; empty for a token. */
  public readonly family: string;
  /** The size, e.g. `xlarge`; empty for a token. */
  public readonly size: string;
  /** Number of GPUs; 0 for CPU instances and for types whose GPUs are unknown. */
  public readonly gpuCount: number;
  /** True for GPU instance families. */
  public readonly isGpu: boolean;
  /** True for burstable (`ml.t*`) instances, which SageMaker autoscaling does not support. */
  public readonly isBurstable: boolean;
  /** True when the type has local NVMe instance storage (SageMaker rejects a volume KMS key). */
  public readonly hasLocalNvmeStorage: boolean;

  private constructor(name: string) {
    this.name = name;
    const match = Token.isUnresolved(name) ? null : NAME_PATTERN.exec(name);
    this.family = match ? match[1] : '';
    this.size = match ? match[2] : '';
    const gpuTable = GPU_COUNTS[this.family];
    this.isGpu = gpuTable !== undefined || OTHER_GPU_FAMILIES.has(this.family);
    this.gpuCount = gpuTable ? gpuTable[this.size] ?? 1 : this.isGpu ? 1 : 0;
    this.isBurstable = /^t\d/.test(this.family);
    this.hasLocalNvmeStorage = NVME_FAMILIES.has(this.family) || /^[a-z]+\d+[a-z]*d$/.test(this.family);
  }

  /** The instance type name. */
  public toString(): string {
    return this.name;
  }
}
