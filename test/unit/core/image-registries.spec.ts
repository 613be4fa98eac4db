import { FactName, RegionInfo } from 'aws-cdk-lib/region-info';
import { MODEL_MONITOR_ACCOUNTS } from '../../../lib/constructs/core/model-monitor-registry';
import { PYTORCH_ACCOUNTS, PYTORCH_INFERENCE_VERSIONS, PYTORCH_TRAINING_VERSIONS } from '../../../lib/constructs/core/pytorch-registry';
import { SKLEARN_TAGS, XGBOOST_SKLEARN_ACCOUNTS, XGBOOST_TAGS } from '../../../lib/constructs/core/xgboost-sklearn-registry';

// Tests of the registry tables in xgboost-sklearn-registry.ts, pytorch-registry.ts and model-monitor-registry.ts.
describe('image registry tables', () => {
  test.each([
    ['XGBoost/scikit-learn', XGBOOST_SKLEARN_ACCOUNTS],
    ['PyTorch', PYTORCH_ACCOUNTS],
    ['Model Monitor', MODEL_MONITOR_ACCOUNTS],
  ])('%s: commercial regions only, 12-digit accounts, the main regions covered', (_family, accounts) => {
    for (const [region, account] of Object.entries(accounts)) {
      expect(region).toMatch(/^(af|ap|ca|eu|il|me|mx|sa|us)-[a-z]+-\d$/);
      expect(region).not.toMatch(/^(us-gov|us-iso|cn)-/);
      expect(account).toMatch(/^\d{12}$/);
    }
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1']) {
      expect(accounts[region]).toBeDefined();
    }
  });

  test('the PyTorch table agrees with aws-cdk-lib region-info DLC_REPOSITORY_ACCOUNT wherever both have the region', () => {
    const cdk = RegionInfo.regionMap(FactName.DLC_REPOSITORY_ACCOUNT);
    const shared = Object.keys(PYTORCH_ACCOUNTS).filter((region) => cdk[region] !== undefined);
    expect(shared.length).toBeGreaterThan(20);
    for (const region of shared) {
      expect([region, PYTORCH_ACCOUNTS[region]]).toEqual([region, cdk[region]]);
    }
  });

  test('version tables: tags and Python versions are well formed', () => {
    for (const [version, tag] of Object.entries({ ...XGBOOST_TAGS, ...SKLEARN_TAGS })) {
      expect(tag.startsWith(version)).toBe(true);
    }
    for (const table of [PYTORCH_TRAINING_VERSIONS, PYTORCH_INFERENCE_VERSIONS]) {
      for (const [version, pythons] of Object.entries(table)) {
        expect(version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(pythons.length).toBeGreaterThan(0);
        pythons.forEach((python) => expect(python).toMatch(/^py3\d+$/));
      }
    }
    // Every inference version has a training image too.
    expect(Object.keys(PYTORCH_TRAINING_VERSIONS)).toEqual(expect.arrayContaining(Object.keys(PYTORCH_INFERENCE_VERSIONS)));
  });
});
