import { Size } from 'aws-cdk-lib';
import { SageMakerConstructError, isConcreteText } from '../../private/errors';
import { EBS_ONLY_FAMILIES, GPU_COUNTS, NVME_FAMILIES, isKnownFamily } from './instance-facts';
import { instanceCapacity } from './instance-capacity-facts';

/**
 * `ml.<family>.<size>`. Families are lower-case letters and digits, with an inner hyphen in the
 * newest GPU families (`ml.p6-b200.48xlarge`, `ml.p6e-gb200.36xlarge`).
 */
const NAME_PATTERN = /^ml\.([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9]+)$/;

/**
 * A SageMaker ML instance type, such as `ml.m5.xlarge`, with the facts the constructs need:
 * whether it has GPUs (and how many), whether it is burstable, and whether it has local NVMe
 * storage (where SageMaker rejects a volume KMS key).
 *
 * Use a constant, or `InstanceType.of('ml.x.y')` for any other type. Facts about types this
 * class does not know are conservative: no GPUs, not burstable unless `ml.t*`, and local
 * storage only for families whose name ends in `d` (see `isKnownFamily`).
 *
 * @see https://aws.amazon.com/sagemaker/pricing/
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
  /** ml.m5.12xlarge */
  public static readonly ML_M5_12XLARGE = InstanceType.of('ml.m5.12xlarge');
  /** ml.c5.9xlarge */
  public static readonly ML_C5_9XLARGE = InstanceType.of('ml.c5.9xlarge');
  /** ml.r5.large */
  public static readonly ML_R5_LARGE = InstanceType.of('ml.r5.large');
  /** ml.r5.2xlarge */
  public static readonly ML_R5_2XLARGE = InstanceType.of('ml.r5.2xlarge');
  /** ml.g4dn.12xlarge: 4 NVIDIA T4 (local NVMe storage) */
  public static readonly ML_G4DN_12XLARGE = InstanceType.of('ml.g4dn.12xlarge');
  /** ml.g5.12xlarge: 4 NVIDIA A10G (local NVMe storage) */
  public static readonly ML_G5_12XLARGE = InstanceType.of('ml.g5.12xlarge');
  /** ml.g6.xlarge: 1 NVIDIA L4 (local NVMe storage) */
  public static readonly ML_G6_XLARGE = InstanceType.of('ml.g6.xlarge');
  /** ml.p5.48xlarge: 8 NVIDIA H100 (local NVMe storage) */
  public static readonly ML_P5_48XLARGE = InstanceType.of('ml.p5.48xlarge');
  /** ml.inf2.xlarge: 1 AWS Inferentia2 accelerator (not a GPU) */
  public static readonly ML_INF2_XLARGE = InstanceType.of('ml.inf2.xlarge');

  /**
   * An instance type by name, e.g. `ml.m5.xlarge`.
   *
   * The name must look like `ml.<family>.<size>`. A token (a CloudFormation parameter) or a
   * pipeline parameter (`PipelineParameter.ofString(...)`) is accepted as is; its facts are unknown, so they are the conservative ones
   * (no GPU, not burstable, no local storage).
   *
   * @param name the SageMaker instance type name
   * @see https://aws.amazon.com/sagemaker/pricing/
   */
  public static of(name: string): InstanceType {
    // Pipeline parameters and step properties (job references) are accepted as instance types:
    // https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-parameters.html
    if (isConcreteText(name) && !NAME_PATTERN.test(name)) {
      throw new SageMakerConstructError(
        `Invalid SageMaker instance type "${name}": the name must match ml.<family>.<size> in lower case ` +
          '(for example "ml.m5.xlarge" or "ml.g5.2xlarge"). Use an InstanceType constant or the exact name from the SageMaker pricing page.',
      );
    }
    return new InstanceType(name);
  }

  /** The instance type name, e.g. `ml.m5.xlarge` (or a token). */
  public readonly name: string;
  /** The family, e.g. `m5`; empty when the name is a token. */
  public readonly family: string;
  /** The size, e.g. `xlarge`; empty when the name is a token. */
  public readonly size: string;
  /** Number of NVIDIA GPUs; 0 for CPU and other accelerator instances, and when unknown. */
  public readonly gpuCount: number;
  /** True for GPU instance families (p*, g4dn, g5, g6, ...); false when unknown. */
  public readonly isGpu: boolean;
  /** True for burstable (`ml.t*`) instances, which SageMaker endpoint autoscaling does not support. */
  public readonly isBurstable: boolean;
  /**
   * True when the type has local NVMe instance storage: SageMaker encrypts it with a hardware
   * module and rejects a volume KMS key (`KmsKeyId`, `VolumeKmsKeyId`) for it.
   */
  public readonly hasLocalNvmeStorage: boolean;
  /**
   * True when the family is one this library has facts for; false for tokens and for families
   * it does not know, whose facts are then derived from the name alone.
   */
  public readonly isKnownFamily: boolean;
  /**
   * The instance's vCPUs (what an inference component's CPU cores are allocated from), when this
   * library knows the type; undefined for tokens and unknown types.
   */
  public readonly vcpuCount?: number;
  /**
   * The instance's memory, when this library knows the type; undefined for tokens and unknown
   * types.
   */
  public readonly memorySize?: Size;
  /**
   * Accelerator devices (GPUs or AWS Inferentia chips) an inference component can be given;
   * 0 for CPU instances and when unknown.
   */
  public readonly acceleratorCount: number;

  private constructor(name: string) {
    this.name = name;
    const match = isConcreteText(name) ? NAME_PATTERN.exec(name) : null;
    this.family = match ? match[1] : '';
    this.size = match ? match[2] : '';
    this.isKnownFamily = match !== null && isKnownFamily(this.family);
    const gpus = match && Object.hasOwn(GPU_COUNTS, this.family) ? GPU_COUNTS[this.family] : undefined;
    this.isGpu = gpus !== undefined;
    this.gpuCount = gpus === undefined ? 0 : Object.hasOwn(gpus, this.size) ? gpus[this.size] : 1;
    this.isBurstable = match !== null && /^t\d/.test(this.family);
    const capacity = match ? instanceCapacity(this.family, this.size) : undefined;
    this.vcpuCount = capacity?.vcpus;
    this.memorySize = capacity ? Size.gibibytes(capacity.memoryGib) : undefined;
    this.acceleratorCount = this.gpuCount > 0 ? this.gpuCount : capacity?.accelerators ?? 0;
    // Unknown families follow the EC2 naming rule: a "d" suffix means local instance storage.
    this.hasLocalNvmeStorage =
      match !== null && (NVME_FAMILIES.has(this.family) || (!EBS_ONLY_FAMILIES.has(this.family) && this.family.endsWith('d')));
  }

  /** The instance type name. */
  public toString(): string {
    return this.name;
  }
}
