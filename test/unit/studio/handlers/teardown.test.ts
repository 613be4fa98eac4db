import { DeleteAppCommand, DeleteSpaceCommand, ListAppsCommand, ListSpacesCommand, ResourceNotFound, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { TeardownEvent, isComplete, onEvent } from '../../../../lib/constructs/studio/handlers/teardown';

const sagemaker = mockClient(SageMakerClient);

const profileEvent = (RequestType: TeardownEvent['RequestType']): TeardownEvent => ({
  RequestType,
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'd-123/user-profile/alice',
  ResourceProperties: { DomainId: 'd-123', UserProfileName: 'alice' },
});
const spaceEvent: TeardownEvent = { RequestType: 'Delete', PhysicalResourceId: 'd-123/space/shared', ResourceProperties: { DomainId: 'd-123', SpaceName: 'shared' } };

beforeEach(() => {
  sagemaker.reset();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('onEvent', () => {
  test('Create records the target and calls nothing', async () => {
    await expect(onEvent(profileEvent('Create'))).resolves.toEqual({ PhysicalResourceId: 'd-123/user-profile/alice' });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('Delete starts deleting running apps of the profile, skipping deleted ones', async () => {
    sagemaker.on(ListAppsCommand, { UserProfileNameEquals: 'alice' }).resolves({
      Apps: [
        { AppName: 'default', AppType: 'JupyterServer', Status: 'InService', UserProfileName: 'alice' },
        { AppName: 'old', AppType: 'KernelGateway', Status: 'Deleted', UserProfileName: 'alice' },
      ],
    });
    sagemaker.on(ListAppsCommand, { SpaceNameEquals: 'alice-space' }).resolves({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'InService', SpaceName: 'alice-space' }] });
    sagemaker.on(ListSpacesCommand).resolves({ Spaces: [{ SpaceName: 'alice-space', Status: 'InService', OwnershipSettingsSummary: { OwnerUserProfileName: 'alice' } }] });
    sagemaker.on(DeleteAppCommand).resolves({});
    await expect(onEvent(profileEvent('Delete'))).resolves.toEqual({ PhysicalResourceId: 'd-123/user-profile/alice' });
    const deletes = sagemaker.commandCalls(DeleteAppCommand).map((c) => c.args[0].input);
    expect(deletes).toEqual([
      expect.objectContaining({ DomainId: 'd-123', AppName: 'default', AppType: 'JupyterServer', UserProfileName: 'alice' }),
      expect.objectContaining({ DomainId: 'd-123', AppName: 'default', AppType: 'JupyterLab', SpaceName: 'alice-space' }),
    ]);
  });

  test('Delete of a domain that is already gone succeeds', async () => {
    sagemaker.on(ListAppsCommand).rejects(new ResourceNotFound({ message: 'Domain d-123 not found', $metadata: {} }));
    await expect(onEvent(spaceEvent)).resolves.toEqual({ PhysicalResourceId: 'd-123/space/shared' });
  });

  test('Delete fails on other errors (reported to CloudFormation by the framework)', async () => {
    sagemaker.on(ListAppsCommand).rejects(Object.assign(new Error('User is not authorized to perform sagemaker:ListApps'), { name: 'AccessDeniedException' }));
    await expect(onEvent(spaceEvent)).rejects.toThrow(/not authorized/);
  });

  test('missing properties fail clearly', async () => {
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: { DomainId: 'd-1' } })).rejects.toThrow(/needs UserProfileName or SpaceName/);
  });
});

describe('isComplete', () => {
  test('Create and Update are complete at once', async () => {
    await expect(isComplete(profileEvent('Update'))).resolves.toEqual({ IsComplete: true });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('waits while an app is deleting, then completes', async () => {
    sagemaker.on(ListAppsCommand, { SpaceNameEquals: 'shared' })
      .resolvesOnce({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Deleting', SpaceName: 'shared' }] })
      .resolvesOnce({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Deleting', SpaceName: 'shared' }] })
      .resolves({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Deleted', SpaceName: 'shared' }] });
    await expect(isComplete(spaceEvent)).resolves.toEqual({ IsComplete: false });
    await expect(isComplete(spaceEvent)).resolves.toEqual({ IsComplete: true });
    expect(sagemaker.commandCalls(DeleteAppCommand)).toHaveLength(0);
  });

  test('retries an app that could not be deleted yet', async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Pending', SpaceName: 'shared' }] });
    sagemaker.on(DeleteAppCommand).rejectsOnce(Object.assign(new Error('App is pending'), { name: 'ResourceInUse' })).resolves({});
    await expect(isComplete(spaceEvent)).resolves.toEqual({ IsComplete: false });
    await expect(isComplete(spaceEvent)).resolves.toEqual({ IsComplete: false });
    expect(sagemaker.commandCalls(DeleteAppCommand)).toHaveLength(2);
  });

  test("a profile's private spaces are deleted after its apps, and waited for", async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    // The space is InService until DeleteSpace, then Deleting for one listing, then gone.
    let state: 'InService' | 'Deleting' | 'Gone' = 'InService';
    let deletingListings = 0;
    sagemaker.on(ListSpacesCommand).callsFake(() => {
      if (state === 'Deleting' && deletingListings++ >= 1) state = 'Gone';
      const own = state === 'Gone' ? [] : [{ SpaceName: 'scratch', Status: state, OwnershipSettingsSummary: { OwnerUserProfileName: 'alice' } }];
      return { Spaces: [...own, { SpaceName: 'other', Status: 'InService', OwnershipSettingsSummary: { OwnerUserProfileName: 'bob' } }] };
    });
    sagemaker.on(DeleteSpaceCommand).callsFake(() => {
      state = 'Deleting';
      return {};
    });
    await expect(isComplete(profileEvent('Delete'))).resolves.toEqual({ IsComplete: false });
    expect(sagemaker.commandCalls(DeleteSpaceCommand).map((c) => c.args[0].input)).toEqual([{ DomainId: 'd-123', SpaceName: 'scratch' }]);
    await expect(isComplete(profileEvent('Delete'))).resolves.toEqual({ IsComplete: true });
  });

  test('fails on errors other than not-found', async () => {
    sagemaker.on(ListAppsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(isComplete(spaceEvent)).rejects.toThrow(/Rate exceeded/);
  });
});
