import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalPipelineRunner } from '../../../lib/local/local-runner';
import { LocalState } from '../../../lib/local/local-state';
import { writeAssembly } from './assembly-helpers';
import { fakeExecutors } from './fake-executors';

const GROUP = 'Loan-Default';
const arn = (version: number) => `arn:aws:sagemaker:us-east-1:123456789012:model-package/loan-default/${version}`;

function register(state: LocalState, image = 'xgboost:1.7-1'): void {
  state.registerModelPackage({
    ModelPackageGroupName: GROUP,
    InferenceSpecification: { Containers: [{ Image: image, ModelDataUrl: 's3://artifacts/models/model.tar.gz', Environment: { A: 'registered' } }] },
  });
}

function freshState(): LocalState {
  return new LocalState(fs.mkdtempSync(path.join(os.tmpdir(), 'local-registry-')), '123456789012', 'us-east-1');
}

describe('LocalState model registry', () => {
  test('versions count per group, start PendingManualApproval, and are found by ARN or name', () => {
    const state = freshState();
    register(state);
    register(state);
    expect(state.modelPackages(GROUP).map((p) => [p.ModelPackageVersion, p.ModelApprovalStatus])).toEqual([[1, 'PendingManualApproval'], [2, 'PendingManualApproval']]);
    expect(state.modelPackage(arn(2))?.ModelPackageVersion).toBe(2);
    expect(state.modelPackage(`${GROUP}/1`)?.ModelPackageArn).toBe(arn(1));
    expect(state.modelPackage(arn(9))).toBeUndefined();
    expect(state.modelPackages('unknown')).toEqual([]);
  });

  test('changing the approval status is kept, and the newest Approved version is the latest approved', () => {
    const state = freshState();
    register(state);
    register(state);
    register(state);
    expect(state.latestApprovedModelPackage(GROUP)).toBeUndefined();
    state.updateModelPackageApproval(arn(1), 'Approved');
    const second = state.updateModelPackageApproval(`${GROUP}/2`, 'Approved', 'AUC 0.83');
    state.updateModelPackageApproval(arn(3), 'Rejected');
    expect(second).toMatchObject({ ModelApprovalStatus: 'Approved', ApprovalDescription: 'AUC 0.83' });
    expect(state.modelPackage(arn(2))).toMatchObject({ ModelApprovalStatus: 'Approved', ApprovalDescription: 'AUC 0.83', InferenceSpecification: expect.anything() });
    expect(state.latestApprovedModelPackage(GROUP)?.ModelPackageVersion).toBe(2);
    state.updateModelPackageApproval(arn(2), 'Rejected');
    expect(state.latestApprovedModelPackage(GROUP)?.ModelPackageVersion).toBe(1);
  });

  test('changing the status of a version that is not there fails', () => {
    expect(() => freshState().updateModelPackageApproval(arn(1), 'Approved')).toThrow(`The local model registry has no model package version ${arn(1)}.`);
  });

  test('resolves versions as the deploy-time resolver does', () => {
    const state = freshState();
    register(state);
    register(state);
    expect(() => state.resolveModelPackageVersion(GROUP)).toThrow(
      'Model package group "Loan-Default" has no version whose approval status is Approved in the local registry, so there is no model to deploy. Run the training pipeline locally so that it registers a version, approve it, then try again.',
    );
    state.updateModelPackageApproval(arn(1), 'Approved');
    expect(state.resolveModelPackageVersion(GROUP, '')).toEqual({ ModelPackageArn: arn(1), ModelPackageVersion: '1' });
    expect(state.resolveModelPackageVersion(GROUP, arn(1))).toEqual({ ModelPackageArn: arn(1), ModelPackageVersion: '1' });
    expect(() => state.resolveModelPackageVersion(GROUP, arn(2))).toThrow(`The requested model package version ${arn(2)} has approval status PendingManualApproval; only an Approved version may be deployed.`);
    expect(() => state.resolveModelPackageVersion('other', arn(1))).toThrow(`The requested model package version ${arn(1)} belongs to group "Loan-Default", not to "other".`);
  });
});

describe('a stack model served from the model registry on the local runner', () => {
  const template = {
    Parameters: { ModelVersion: { Type: 'String', Default: '' } },
    Resources: {
      Version: { Type: 'Custom::ModelPackageVersion', Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:resolver', ModelPackageGroupName: GROUP, RequestedVersionArn: { Ref: 'ModelVersion' } } },
      Model: {
        Type: 'AWS::SageMaker::Model',
        Properties: { ExecutionRoleArn: 'arn:aws:iam::123456789012:role/r', Containers: [{ ModelPackageName: { 'Fn::GetAtt': ['Version', 'ModelPackageArn'] }, Environment: { B: 'model' } }] },
      },
    },
  };

  test('serves the newest approved version with its registered image, artifacts and environment', async () => {
    const fake = fakeExecutors();
    const runner = new LocalPipelineRunner({
      assemblyDirectory: writeAssembly({ Serving: { template } }),
      dataDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'local-registry-runner-')),
      python: 'python3',
      log: () => undefined,
      executors: fake,
    });
    register(runner.state, 'old-image');
    register(runner.state, 'new-image');
    await expect(runner.invokeModel({ stack: 'Serving', model: 'Model', body: '1,2', contentType: 'text/csv' })).rejects.toThrow(/has no version whose approval status is Approved in the local registry/);
    runner.state.updateModelPackageApproval(arn(1), 'Approved');
    runner.store.write('s3://artifacts/models/model.tar.gz', 'm');
    await runner.invokeModel({ stack: 'Serving', model: 'Model', body: '1,2', contentType: 'text/csv' });
    expect(fake.calls.at(-1)?.model?.containers).toEqual([
      { Image: 'old-image', ModelDataUrl: 's3://artifacts/models/model.tar.gz', Environment: { A: 'registered', B: 'model' } },
    ]);
  });
});
