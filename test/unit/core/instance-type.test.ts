import { Token } from 'aws-cdk-lib';
import { InstanceType } from '../../../lib/constructs/core';

describe('InstanceType', () => {
  test.each([
    ['ml.m5.xlarge', false, 0, false, false],
    ['ml.c5.xlarge', false, 0, false, false],
    ['ml.t3.medium', false, 0, true, false],
    ['ml.p3.2xlarge', true, 1, false, false],
    ['ml.p3.16xlarge', true, 8, false, false],
    ['ml.g4dn.xlarge', true, 1, false, true],
    ['ml.g5.12xlarge', true, 4, false, true],
    ['ml.p4d.24xlarge', true, 8, false, true],
    ['ml.m5d.xlarge', false, 0, false, true],
    ['ml.c6id.2xlarge', false, 0, false, true],
  ])('%s: gpu=%s (%d), burstable=%s, nvme=%s', (name, isGpu, gpus, burstable, nvme) => {
    const type = InstanceType.of(name);
    expect(type.isGpu).toBe(isGpu);
    expect(type.gpuCount).toBe(gpus);
    expect(type.isBurstable).toBe(burstable);
    expect(type.hasLocalNvmeStorage).toBe(nvme);
    expect(type.toString()).toBe(name);
  });

  test('constants carry their names and families', () => {
    expect(InstanceType.ML_P3_2XLARGE.name).toBe('ml.p3.2xlarge');
    expect(InstanceType.ML_P3_2XLARGE.family).toBe('p3');
    expect(InstanceType.ML_C5_XLARGE.size).toBe('xlarge');
  });

  test('unknown but well-formed names get conservative facts', () => {
    const type = InstanceType.of('ml.z9.mega');
    expect([type.isGpu, type.gpuCount, type.isBurstable, type.hasLocalNvmeStorage]).toEqual([false, 0, false, false]);
  });

  test('tokens pass without validation and with conservative facts', () => {
    const type = InstanceType.of(Token.asString({ Ref: 'InstanceTypeParameter' }));
    expect(type.family).toBe('');
    expect(type.isGpu).toBe(false);
    expect(type.hasLocalNvmeStorage).toBe(false);
  });

  test.each(['m5.xlarge', 'ml.m5', 'ML.M5.XLARGE', 'ml.m5.xlarge ', ''])('rejects malformed name "%s"', (name) => {
    expect(() => InstanceType.of(name)).toThrow(/Invalid SageMaker instance type .* names look like "ml.<family>.<size>"/);
  });
});
