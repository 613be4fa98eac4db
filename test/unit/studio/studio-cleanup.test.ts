import {
  DeleteAppCommand,
  DeleteSpaceCommand,
  ListAppsCommand,
  ListSpacesCommand,
  ResourceInUse,
  ResourceNotFound,
  SageMakerClient,
  SageMakerServiceException,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  deleteSpaces,
  describeApp,
  remainingApps,
  remainingSpaces,
  startCleanup,
} from '../../../lib/constructs/studio/handlers/studio-cleanup';

const sagemaker = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const DOMAIN = 'd-abc123';

beforeEach(() => sagemaker.reset());

describe('startCleanup', () => {
  test('deletes every live app of the domain across pages and skips finished ones', async () => {
    sagemaker
      .on(ListAppsCommand, { DomainIdEquals: DOMAIN })
      .resolvesOnce({
        Apps: [
          { AppName: 'default', AppType: 'JupyterServer', Status: 'InService', UserProfileName: 'alice' },
          { AppName: 'old', AppType: 'KernelGateway', Status: 'Deleted', UserProfileName: 'alice' },
        ],
        NextToken: 'page2',
      })
      .resolvesOnce({
        Apps: [
          { AppName: 'lab', AppType: 'JupyterLab', Status: 'Pending', SpaceName: 'team' },
          { AppName: 'going', AppType: 'JupyterLab', Status: 'Deleting', SpaceName: 'other' },
          { AppName: 'broken', AppType: 'JupyterLab', Status: 'Failed', SpaceName: 'other' },
        ],
      });
    sagemaker.on(DeleteAppCommand).resolves({});
    const lines: string[] = [];

    const started = await startCleanup(client, { domainId: DOMAIN }, (l) => lines.push(l));

    expect(started.map((a) => a.appName)).toEqual(['default', 'lab']);
    expect(sagemaker).toHaveReceivedCommandTimes(ListAppsCommand, 2);
    expect(sagemaker).toHaveReceivedNthSpecificCommandWith(2, ListAppsCommand, { DomainIdEquals: DOMAIN, NextToken: 'page2' });
    expect(sagemaker).toHaveReceivedCommandTimes(DeleteAppCommand, 2);
    // A user-profile app is deleted by profile, a space app by space (never both).
    expect(sagemaker).toHaveReceivedCommandWith(DeleteAppCommand, {
      DomainId: DOMAIN, AppName: 'default', AppType: 'JupyterServer', UserProfileName: 'alice', SpaceName: undefined,
    });
    expect(sagemaker).toHaveReceivedCommandWith(DeleteAppCommand, {
      DomainId: DOMAIN, AppName: 'lab', AppType: 'JupyterLab', UserProfileName: undefined, SpaceName: 'team',
    });
    expect(lines).toEqual([
      'Deleting JupyterServer app default of user profile alice (was InService).',
      'Deleting JupyterLab app lab of space team (was Pending).',
    ]);
  });

  test('is idempotent: apps already gone or not deletable yet are logged, not thrown', async () => {
    sagemaker.on(ListAppsCommand).resolves({
      Apps: [
        { AppName: 'a', AppType: 'JupyterLab', Status: 'InService', SpaceName: 's1' },
        { AppName: 'b', AppType: 'JupyterLab', Status: 'Pending', SpaceName: 's2' },
      ],
    });
    sagemaker
      .on(DeleteAppCommand, { AppName: 'a' })
      .rejects(new ResourceNotFound({ message: 'App does not exist', $metadata: {} }))
      .on(DeleteAppCommand, { AppName: 'b' })
      .rejects(new ResourceInUse({ message: 'App is pending', $metadata: {} }));
    const lines: string[] = [];

    const started = await startCleanup(client, { domainId: DOMAIN }, (l) => lines.push(l));

    expect(started).toEqual([]);
    expect(lines).toEqual([
      'JupyterLab app a of space s1 is already gone.',
      'JupyterLab app b of space s2 cannot be deleted yet (App is pending); will retry.',
    ]);
  });

  test('rethrows other errors', async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [{ AppName: 'a', AppType: 'JupyterLab', Status: 'InService', SpaceName: 's' }] });
    sagemaker.on(DeleteAppCommand).rejects(
      new SageMakerServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not allowed', $metadata: {} }),
    );
    await expect(startCleanup(client, { domainId: DOMAIN })).rejects.toThrow('not allowed');
  });

  test('a user profile target covers its own apps and the apps of the private spaces it owns', async () => {
    sagemaker
      .on(ListAppsCommand, { DomainIdEquals: DOMAIN, UserProfileNameEquals: 'alice' })
      .resolves({ Apps: [{ AppName: 'default', AppType: 'JupyterServer', Status: 'InService', UserProfileName: 'alice' }] })
      .on(ListAppsCommand, { DomainIdEquals: DOMAIN, SpaceNameEquals: 'alice-space' })
      .resolves({ Apps: [{ AppName: 'lab', AppType: 'JupyterLab', Status: 'InService', SpaceName: 'alice-space' }] });
    sagemaker.on(ListSpacesCommand).resolves({
      Spaces: [
        { SpaceName: 'alice-space', Status: 'InService', OwnershipSettingsSummary: { OwnerUserProfileName: 'alice' } },
        { SpaceName: 'bob-space', Status: 'InService', OwnershipSettingsSummary: { OwnerUserProfileName: 'bob' } },
        { SpaceName: 'shared', Status: 'InService' },
      ],
    });
    sagemaker.on(DeleteAppCommand).resolves({});

    const started = await startCleanup(client, { domainId: DOMAIN, userProfileName: 'alice' });

    expect(started.map((a) => a.appName)).toEqual(['default', 'lab']);
    expect(sagemaker).not.toHaveReceivedCommandWith(ListAppsCommand, { SpaceNameEquals: 'bob-space' });
  });

  test('a space target lists only that space', async () => {
    sagemaker.on(ListAppsCommand).resolves({ Apps: [] });
    await startCleanup(client, { domainId: DOMAIN, spaceName: 'team' });
    expect(sagemaker).toHaveReceivedCommandWith(ListAppsCommand, { DomainIdEquals: DOMAIN, SpaceNameEquals: 'team' });
  });
});

describe('remainingApps', () => {
  test('keeps apps that are not Deleted or Failed', async () => {
    sagemaker.on(ListAppsCommand).resolves({
      Apps: [
        { AppName: 'a', AppType: 'JupyterLab', Status: 'Deleting', SpaceName: 's' },
        { AppName: 'b', AppType: 'JupyterLab', Status: 'Deleted', SpaceName: 's' },
        { AppName: 'c', AppType: 'JupyterLab', Status: 'Failed', SpaceName: 's' },
        { AppName: 'd', AppType: 'JupyterLab', Status: 'InService', SpaceName: 's' },
      ],
    });
    const apps = await remainingApps(client, { domainId: DOMAIN });
    expect(apps.map((a) => a.appName)).toEqual(['a', 'd']);
  });

  test('empty when the domain is clean', async () => {
    sagemaker.on(ListAppsCommand).resolves({});
    await expect(remainingApps(client, { domainId: DOMAIN })).resolves.toEqual([]);
  });
});

describe('deleteSpaces', () => {
  test('deletes spaces not already deleting, tolerating gone and busy spaces', async () => {
    sagemaker.on(ListSpacesCommand).resolves({
      Spaces: [
        { SpaceName: 'a', Status: 'InService' },
        { SpaceName: 'b', Status: 'Deleting' },
        { SpaceName: 'c', Status: 'InService' },
        { SpaceName: 'd', Status: 'Delete_Failed' },
      ],
    });
    sagemaker
      .on(DeleteSpaceCommand).resolves({})
      .on(DeleteSpaceCommand, { SpaceName: 'c' })
      .rejects(new ResourceInUse({ message: 'Space has apps', $metadata: {} }));
    const lines: string[] = [];

    const started = await deleteSpaces(client, DOMAIN, (l) => lines.push(l));

    expect(started).toEqual(['a', 'd']);
    expect(sagemaker).toHaveReceivedCommandTimes(DeleteSpaceCommand, 3);
    expect(lines).toContain('Space c cannot be deleted yet (Space has apps); will retry.');
  });

  test('can be limited to the spaces one user profile owns', async () => {
    sagemaker.on(ListSpacesCommand).resolves({
      Spaces: [
        { SpaceName: 'mine', Status: 'InService', OwnershipSettingsSummary: { OwnerUserProfileName: 'alice' } },
        { SpaceName: 'theirs', Status: 'InService', OwnershipSettingsSummary: { OwnerUserProfileName: 'bob' } },
      ],
    });
    sagemaker.on(DeleteSpaceCommand).resolves({});
    expect(await deleteSpaces(client, DOMAIN, undefined, { ownerUserProfileName: 'alice' })).toEqual(['mine']);
    expect((await remainingSpaces(client, DOMAIN, { ownerUserProfileName: 'bob' })).map((s) => s.spaceName)).toEqual(['theirs']);
  });

  test('a space that vanished in between counts as done', async () => {
    sagemaker.on(ListSpacesCommand).resolves({ Spaces: [{ SpaceName: 'a', Status: 'InService' }] });
    sagemaker.on(DeleteSpaceCommand).rejects(new ResourceNotFound({ message: 'gone', $metadata: {} }));
    await expect(deleteSpaces(client, DOMAIN)).resolves.toEqual([]);
  });
});

test('describeApp names the owner', () => {
  expect(describeApp({ appName: 'x', appType: 'KernelGateway', status: 'InService', userProfileName: 'u' }))
    .toBe('KernelGateway app x of user profile u');
});
