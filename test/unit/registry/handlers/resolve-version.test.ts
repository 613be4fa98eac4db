import { DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { ResolveVersionEvent, onEvent } from '../../../../lib/constructs/registry/handlers/resolve-version';

const sagemaker = mockClient(SageMakerClient);
const ARN = (group: string, version: number) => `arn:aws:sagemaker:us-east-1:123456789012:model-package/${group}/${version}`;

function event(RequestType: ResolveVersionEvent['RequestType'], RequestedVersionArn?: string): ResolveVersionEvent {
  return {
    RequestType,
    PhysicalResourceId: RequestType === 'Create' ? undefined : ARN('loan-default', 1),
    ResourceProperties: { ModelPackageGroupName: 'loan-default', RequestedVersionArn },
  };
}

beforeEach(() => {
  sagemaker.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('newest approved version', () => {
  test('lists the approved versions of the group, newest first, and returns the first', async () => {
    sagemaker.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [{ ModelPackageArn: ARN('loan-default', 7), ModelPackageVersion: 7, ModelApprovalStatus: 'Approved', CreationTime: new Date(), ModelPackageStatus: 'Completed' }],
    });
    await expect(onEvent(event('Create'))).resolves.toEqual({
      PhysicalResourceId: ARN('loan-default', 7),
      Data: { ModelPackageArn: ARN('loan-default', 7), ModelPackageVersion: '7' },
    });
    expect(sagemaker.commandCalls(ListModelPackagesCommand)[0].args[0].input).toEqual({
      ModelPackageGroupName: 'loan-default',
      ModelApprovalStatus: 'Approved',
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    });
    expect(sagemaker.commandCalls(DescribeModelPackageCommand)).toHaveLength(0);
  });

  test('an empty requested version means the newest approved one (Update)', async () => {
    sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: ARN('loan-default', 2), ModelPackageVersion: 2, ModelPackageStatus: 'Completed', CreationTime: new Date() }] });
    await expect(onEvent(event('Update', ''))).resolves.toMatchObject({ Data: { ModelPackageArn: ARN('loan-default', 2), ModelPackageVersion: '2' } });
  });

  test('a group without an approved version fails with the group, the reason and the fix', async () => {
    sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    await expect(onEvent(event('Create'))).rejects.toThrow(
      'Model package group "loan-default" has no version whose approval status is Approved, so there is no model to deploy. ' +
        'Run the training pipeline so that it registers a version in "loan-default", approve the version ' +
        '(npx sagemaker-cdk --stack <training stack> model approve <version>, or UpdateModelPackage with ModelApprovalStatus=Approved), then deploy again.',
    );
  });
});

describe('requested version', () => {
  test('an Approved version of the group is deployed', async () => {
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: ARN('loan-default', 3) }).resolves({
      ModelPackageArn: ARN('loan-default', 3),
      ModelPackageGroupName: 'loan-default',
      ModelPackageVersion: 3,
      ModelApprovalStatus: 'Approved',
      ModelPackageName: 'loan-default',
      CreationTime: new Date(),
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [] },
    });
    await expect(onEvent(event('Update', ARN('loan-default', 3)))).resolves.toEqual({
      PhysicalResourceId: ARN('loan-default', 3),
      Data: { ModelPackageArn: ARN('loan-default', 3), ModelPackageVersion: '3' },
    });
    expect(sagemaker.commandCalls(ListModelPackagesCommand)).toHaveLength(0);
  });

  test.each(['PendingManualApproval', 'Rejected'])('a %s version fails the deployment', async (status) => {
    sagemaker.on(DescribeModelPackageCommand).resolves({
      ModelPackageArn: ARN('loan-default', 4),
      ModelPackageGroupName: 'loan-default',
      ModelPackageVersion: 4,
      ModelApprovalStatus: status as 'Rejected',
      ModelPackageName: 'loan-default',
      CreationTime: new Date(),
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [] },
    });
    await expect(onEvent(event('Update', ARN('loan-default', 4)))).rejects.toThrow(
      `The requested model package version ${ARN('loan-default', 4)} has approval status ${status}; only an Approved version may be deployed. ` +
        `Approve it first (npx sagemaker-cdk model approve ${ARN('loan-default', 4)}, or UpdateModelPackage with ModelApprovalStatus=Approved), request another version, ` +
        'or leave the requested version empty to deploy the newest approved one.',
    );
  });

  test('a version of another group fails before any call (its ARN names the group)', async () => {
    await expect(onEvent(event('Update', ARN('churn', 1)))).rejects.toThrow(
      `The requested model package version ${ARN('churn', 1)} belongs to group "churn", not to "loan-default". ` +
        'Request a version of "loan-default", or leave the requested version empty to deploy its newest approved version.',
    );
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('a version whose description names another group fails', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves({
      ModelPackageArn: ARN('loan-default', 5),
      ModelPackageGroupName: 'churn',
      ModelApprovalStatus: 'Approved',
      ModelPackageName: 'churn',
      CreationTime: new Date(),
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [] },
    });
    await expect(onEvent(event('Update', ARN('loan-default', 5)))).rejects.toThrow(/belongs to group "churn", not to "loan-default"/);
  });

  test('group names compare case-insensitively', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves({
      ModelPackageArn: ARN('loan-default', 6),
      ModelPackageGroupName: 'Loan-Default',
      ModelPackageVersion: 6,
      ModelApprovalStatus: 'Approved',
      ModelPackageName: 'Loan-Default',
      CreationTime: new Date(),
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [] },
    });
    await expect(onEvent(event('Create', ARN('loan-default', 6)))).resolves.toMatchObject({ PhysicalResourceId: ARN('loan-default', 6) });
  });
});

describe('Delete', () => {
  test('does nothing and keeps the physical id', async () => {
    await expect(onEvent(event('Delete'))).resolves.toEqual({ PhysicalResourceId: ARN('loan-default', 1) });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('Create without a group fails clearly', async () => {
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: { ModelPackageGroupName: '' } })).rejects.toThrow('The model package version custom resource needs the ModelPackageGroupName property.');
  });
});
