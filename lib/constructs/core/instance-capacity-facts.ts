/**
 * vCPUs, memory and accelerator devices per SageMaker ML instance type, used by
 * {@link InstanceType} to check that an inference component fits on one instance. Not exported
 * from the package: the public surface is the InstanceType properties.
 *
 * An ML instance has the vCPUs and memory of the EC2 instance of the same name. Sources:
 * - the EC2 instance type specifications:
 *   general purpose https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html (m5, m5d, m6i, t3),
 *   compute optimized https://docs.aws.amazon.com/ec2/latest/instancetypes/co.html (c5, c5d, c6i),
 *   memory optimized https://docs.aws.amazon.com/ec2/latest/instancetypes/mo.html (r5, r6i),
 *   accelerated computing https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
 *   (g4dn, g5, g6, p3, p4d, p5, inf2: vCPUs, memory, GPUs / Inferentia chips);
 * - the SageMaker pricing page, which lists vCPU and memory per ML instance
 *   (https://aws.amazon.com/sagemaker/pricing/).
 *
 * Accelerator devices are what `NumberOfAcceleratorDevicesRequired` counts: "GPUs and AWS
 * Inferentia" (AWS::SageMaker::InferenceComponent InferenceComponentComputeResourceRequirements,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-inferencecomponent-inferencecomponentcomputeresourcerequirements.html).
 */

/** vCPUs and memory (GiB) of one instance; `accelerators` only for non-GPU accelerator chips. */
export interface InstanceCapacity {
  readonly vcpus: number;
  readonly memoryGib: number;
  /** Inferentia / Trainium chips; GPU counts come from GPU_COUNTS. */
  readonly accelerators?: number;
}

/** Sizes of the m5 and r5 families (vCPUs per size). */
const SIZES_4_GIB_PER_VCPU: Record<string, number> = {
  'large': 2, 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64, '24xlarge': 96,
};

/** Sizes of the m6i, c6i and r6i families. */
const SIXTH_GENERATION_SIZES: Record<string, number> = { ...SIZES_4_GIB_PER_VCPU, '32xlarge': 128 };

function family(vcpusBySize: Record<string, number>, gibPerVcpu: number): Record<string, InstanceCapacity> {
  return Object.fromEntries(Object.entries(vcpusBySize).map(([size, vcpus]) => [size, { vcpus, memoryGib: vcpus * gibPerVcpu }]));
}

/** Capacity per family, then per size. */
export const INSTANCE_CAPACITY: Readonly<Record<string, Readonly<Record<string, InstanceCapacity>>>> = {
  t3: { medium: { vcpus: 2, memoryGib: 4 }, large: { vcpus: 2, memoryGib: 8 }, xlarge: { vcpus: 4, memoryGib: 16 }, '2xlarge': { vcpus: 8, memoryGib: 32 } },
  m5: family(SIZES_4_GIB_PER_VCPU, 4),
  m5d: family(SIZES_4_GIB_PER_VCPU, 4),
  c5: family({ 'large': 2, 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '9xlarge': 36, '18xlarge': 72 }, 2),
  c5d: family({ 'large': 2, 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '9xlarge': 36, '18xlarge': 72 }, 2),
  r5: family(SIZES_4_GIB_PER_VCPU, 8),
  m6i: family(SIXTH_GENERATION_SIZES, 4),
  c6i: family(SIXTH_GENERATION_SIZES, 2),
  r6i: family(SIXTH_GENERATION_SIZES, 8),
  g4dn: family({ 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64 }, 4),
  g5: family({ 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64, '24xlarge': 96, '48xlarge': 192 }, 4),
  g6: family({ 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64, '24xlarge': 96, '48xlarge': 192 }, 4),
  p3: { '2xlarge': { vcpus: 8, memoryGib: 61 }, '8xlarge': { vcpus: 32, memoryGib: 244 }, '16xlarge': { vcpus: 64, memoryGib: 488 } },
  p4d: { '24xlarge': { vcpus: 96, memoryGib: 1152 } },
  p5: { '48xlarge': { vcpus: 192, memoryGib: 2048 } },
  inf2: {
    'xlarge': { vcpus: 4, memoryGib: 16, accelerators: 1 },
    '8xlarge': { vcpus: 32, memoryGib: 128, accelerators: 1 },
    '24xlarge': { vcpus: 96, memoryGib: 384, accelerators: 6 },
    '48xlarge': { vcpus: 192, memoryGib: 768, accelerators: 12 },
  },
};

/** The capacity of `family.size`, or undefined when this table does not know it. */
export function instanceCapacity(familyName: string, size: string): InstanceCapacity | undefined {
  const sizes = Object.hasOwn(INSTANCE_CAPACITY, familyName) ? INSTANCE_CAPACITY[familyName] : undefined;
  return sizes && Object.hasOwn(sizes, size) ? sizes[size] : undefined;
}
