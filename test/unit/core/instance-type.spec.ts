import { Token } from 'aws-cdk-lib';
import { InstanceType } from '../../../lib/constructs/core';

describe('InstanceType facts', () => {
  test.each([
    // name, isGpu, gpuCount, isBurstable, hasLocalNvmeStorage
    ['ml.m5.xlarge', false, 0, false, false],
    ['ml.c5.xlarge', false, 0, false, false],
    ['ml.r5.large', false, 0, false, false],
    ['ml.t3.medium', false, 0, true, false],
    ['ml.t2.large', false, 0, true, false],
    ['ml.p2.16xlarge', true, 16, false, false],
    ['ml.p3.2xlarge', true, 1, false, false],
    ['ml.p3.8xlarge', true, 4, false, false],
    ['ml.p3.16xlarge', true, 8, false, false],
    ['ml.p3dn.24xlarge', true, 8, false, true],
    ['ml.g4dn.xlarge', true, 1, false, true],
    ['ml.g4dn.12xlarge', true, 4, false, true],
    ['ml.g5.xlarge', true, 1, false, true],
    ['ml.g5.12xlarge', true, 4, false, true],
    ['ml.g5.48xlarge', true, 8, false, true],
    ['ml.g6e.2xlarge', true, 1, false, true],
    ['ml.p4d.24xlarge', true, 8, false, true],
    ['ml.p5.48xlarge', true, 8, false, true],
    ['ml.p6-b200.48xlarge', true, 8, false, true],
    ['ml.m5d.xlarge', false, 0, false, true],
    ['ml.c5d.xlarge', false, 0, false, true],
    ['ml.r5d.2xlarge', false, 0, false, true],
    ['ml.c6id.2xlarge', false, 0, false, true],
    ['ml.trn1.32xlarge', false, 0, false, true],
    ['ml.inf2.xlarge', false, 0, false, false],
  ])('%s: gpu=%s (%d), burstable=%s, nvme=%s', (name, isGpu, gpus, burstable, nvme) => {
    const type = InstanceType.of(name);
    expect(type.isGpu).toBe(isGpu);
    expect(type.gpuCount).toBe(gpus);
    expect(type.isBurstable).toBe(burstable);
    expect(type.hasLocalNvmeStorage).toBe(nvme);
    expect(type.isKnownFamily).toBe(true);
    expect(type.toString()).toBe(name);
    expect(`${type}`).toBe(name);
  });

  test('constants carry their names, families and sizes', () => {
    expect(InstanceType.ML_P3_2XLARGE.name).toBe('ml.p3.2xlarge');
    expect(InstanceType.ML_P3_2XLARGE.family).toBe('p3');
    expect(InstanceType.ML_C5_XLARGE.size).toBe('xlarge');
    expect(InstanceType.ML_M5D_XLARGE.hasLocalNvmeStorage).toBe(true);
    expect(InstanceType.ML_C5D_XLARGE.hasLocalNvmeStorage).toBe(true);
    expect(InstanceType.ML_G4DN_XLARGE.hasLocalNvmeStorage).toBe(true);
    expect(InstanceType.ML_T3_MEDIUM.isBurstable).toBe(true);
    expect(InstanceType.ML_P4D_24XLARGE.gpuCount).toBe(8);
    expect(InstanceType.ML_INF2_XLARGE.isGpu).toBe(false);
  });

  test('unknown but well-formed names get conservative facts from the name', () => {
    const plain = InstanceType.of('ml.z9.mega');
    expect([plain.isKnownFamily, plain.isGpu, plain.gpuCount, plain.isBurstable, plain.hasLocalNvmeStorage]).toEqual([false, false, 0, false, false]);
    // A "d" suffix means local instance storage in EC2's naming.
    const withDisk = InstanceType.of('ml.m9d.xlarge');
    expect([withDisk.isKnownFamily, withDisk.isGpu, withDisk.hasLocalNvmeStorage]).toEqual([false, false, true]);
    // A future burstable family is still burstable.
    expect(InstanceType.of('ml.t4.medium').isBurstable).toBe(true);
  });

  test('a token passes without validation and has no facts', () => {
    const type = InstanceType.of(Token.asString({ Ref: 'InstanceTypeParameter' }));
    expect(Token.isUnresolved(type.name)).toBe(true);
    expect([type.family, type.size]).toEqual(['', '']);
    expect([type.isKnownFamily, type.isGpu, type.gpuCount, type.isBurstable, type.hasLocalNvmeStorage]).toEqual([false, false, 0, false, false]);
  });
});

describe('InstanceType validation', () => {
  test.each(['m5.xlarge', 'ml.m5', 'ML.M5.XLARGE', 'ml.m5.xlarge ', '', 'ml..xlarge', 'ml.m5.x.large', 'ml.-p6.48xlarge'])(
    'rejects the malformed name "%s", naming the value and the rule',
    (name) => {
      expect(() => InstanceType.of(name)).toThrow(
        `Invalid SageMaker instance type "${name}": the name must match ml.<family>.<size> in lower case`,
      );
    },
  );

  test('the error says how to fix it', () => {
    expect(() => InstanceType.of('m5.large')).toThrow(/Use an InstanceType constant or the exact name from the SageMaker pricing page/);
  });
});
