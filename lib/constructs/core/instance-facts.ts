/**
 * Facts about SageMaker ML instance families, used by {@link InstanceType}. Not exported from the
 * package: the public surface is the InstanceType properties.
 */

/**
 * GPUs per instance size, by GPU family. A size missing from a family's table counts 1 GPU.
 *
 * Sources:
 * - the SageMaker Python SDK, `image_uri_config/instance_gpu_info.json` (aws/sagemaker-python-sdk,
 *   `src/sagemaker/image_uri_config/`, now `sagemaker-core/src/sagemaker/core/image_uri_config/`):
 *   p2, p3, p3dn, p4d, p4de, p5, g4dn, g5;
 * - the Amazon EC2 accelerated computing instance pages for the families the SDK file does not list
 *   (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing): g6, g6e, gr6, p5e, p5en,
 *   p6-b200, p6-b300, p6e-gb200.
 */
export const GPU_COUNTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  p2: { 'xlarge': 1, '8xlarge': 8, '16xlarge': 16 },
  p3: { '2xlarge': 1, '8xlarge': 4, '16xlarge': 8 },
  p3dn: { '24xlarge': 8 },
  p4d: { '24xlarge': 8 },
  p4de: { '24xlarge': 8 },
  p5: { '4xlarge': 1, '48xlarge': 8 },
  p5e: { '48xlarge': 8 },
  p5en: { '48xlarge': 8 },
  'p6-b200': { '48xlarge': 8 },
  'p6-b300': { '48xlarge': 8 },
  'p6e-gb200': { '36xlarge': 4 },
  g4dn: { '12xlarge': 4 },
  g5: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  g6: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  g6e: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  gr6: {},
};

/**
 * Families with local NVMe instance storage. SageMaker encrypts those volumes with a hardware
 * module and rejects a volume KMS key for them.
 *
 * Sources:
 * - the `KmsKeyId` notes of AWS::SageMaker::EndpointConfig / CreateEndpointConfig and the
 *   `VolumeKmsKeyId` notes of CreateTrainingJob and CreateTransformJob: "Certain Nitro-based
 *   instances include local storage ... You can't request a KmsKeyId when using an instance type
 *   with local storage" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-endpointconfig.html#cfn-sagemaker-endpointconfig-kmskeyid);
 * - the list those notes point to, the EC2 instance store volume table
 *   (https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html#ac_instance-store);
 * - SageMaker's training storage notes ("ML instance families with the NVMe-type instance storage
 *   include ml.p4d, ml.g4dn, and ml.g5"; https://docs.aws.amazon.com/sagemaker/latest/dg/model-train-storage.html).
 *
 * Families this list does not know follow EC2's naming rule: a `d` suffix means local storage.
 */
export const NVME_FAMILIES: ReadonlySet<string> = new Set([
  'g4dn', 'g5', 'g6', 'g6e', 'gr6',
  'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200', 'p6-b300', 'p6e-gb200',
  'trn1', 'trn1n', 'trn2', 'dl1', 'i3en',
  'm5d', 'm6gd', 'm6id', 'c5d', 'c6gd', 'c6id', 'r5d', 'r6gd', 'r6id', 'r7gd',
]);

/**
 * Families known to be EBS-only (no instance storage), from the same EC2 tables. Listing them
 * makes the facts of these families certain; unknown families fall back to the name rule.
 */
export const EBS_ONLY_FAMILIES: ReadonlySet<string> = new Set([
  't2', 't3',
  'm4', 'm5', 'm6a', 'm6g', 'm6i', 'm7g', 'm7i', 'm8g', 'm8i',
  'c4', 'c5', 'c5n', 'c6a', 'c6g', 'c6gn', 'c6i', 'c6in', 'c7g', 'c7i', 'c8g', 'c8i',
  'r5', 'r6g', 'r6i', 'r7i', 'r8g', 'r8i',
  'p2', 'p3', 'inf1', 'inf2',
]);

/** True when the family is listed in one of the tables above. */
export function isKnownFamily(family: string): boolean {
  return Object.hasOwn(GPU_COUNTS, family) || NVME_FAMILIES.has(family) || EBS_ONLY_FAMILIES.has(family);
}
