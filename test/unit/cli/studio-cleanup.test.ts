import {
  DeleteAppCommand,
  DeleteSpaceCommand,
  DescribeDomainCommand,
  ListAppsCommand,
  ListSpacesCommand,
  ResourceNotFound,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runCli } from './harness';

const sagemaker = mockClient(SageMakerClient);
const DOMAIN = 'd-abc123';

beforeEach(() => {
  sagemaker.reset();
  sagemaker.on(DescribeDomainCommand).resolves({ DomainId: DOMAIN });
});

test('deletes running apps, waits for them, then deletes the spaces', async () => {
  sagemaker
    .on(ListAppsCommand)
    .resolvesOnce({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'InService', SpaceName: 'team' }] })
    .resolvesOnce({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Deleting', SpaceName: 'team' }] })
    .resolvesOnce({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Deleting', SpaceName: 'team' }] })
    .resolves({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Deleted', SpaceName: 'team' }] });
  sagemaker.on(DeleteAppCommand).resolves({});
  sagemaker
    .on(ListSpacesCommand)
    .resolvesOnce({ Spaces: [{ SpaceName: 'team', Status: 'InService' }] })
    .resolves({ Spaces: [] });
  sagemaker.on(DeleteSpaceCommand).resolves({});

  const result = await runCli(['studio', 'cleanup', DOMAIN, '--poll-interval', '1']);

  expect(result.code).toBe(0);
  expect(sagemaker).toHaveReceivedCommandTimes(DeleteAppCommand, 1);
  expect(sagemaker).toHaveReceivedCommandWith(DeleteSpaceCommand, { DomainId: DOMAIN, SpaceName: 'team' });
  expect(result.stderr).toContain('Deleting JupyterLab app default of space team (was InService).');
  expect(result.stderr).toContain('1 app(s) still deleting');
  expect(result.stdout).toContain(`Studio domain ${DOMAIN} has no running apps or spaces left; its stack can be destroyed.`);
});

test('--user-profile --keep-spaces --no-wait only starts deleting that profile\'s apps', async () => {
  sagemaker.on(ListAppsCommand).resolves({ Apps: [{ AppName: 'default', AppType: 'JupyterServer', Status: 'InService', UserProfileName: 'alice' }] });
  sagemaker.on(ListSpacesCommand).resolves({ Spaces: [] });
  sagemaker.on(DeleteAppCommand).resolves({});
  const result = await runCli(['--json', 'studio', 'cleanup', DOMAIN, '--user-profile', 'alice', '--keep-spaces', '--no-wait']);
  expect(result.code).toBe(0);
  expect(sagemaker).toHaveReceivedCommandWith(ListAppsCommand, { DomainIdEquals: DOMAIN, UserProfileNameEquals: 'alice' });
  expect(sagemaker).not.toHaveReceivedCommand(DeleteSpaceCommand);
  expect(JSON.parse(result.stdout).deletedApps).toHaveLength(1);
});

test('gives up after --timeout with what is still deleting', async () => {
  sagemaker.on(ListAppsCommand).resolves({ Apps: [{ AppName: 'default', AppType: 'JupyterLab', Status: 'Deleting', SpaceName: 's' }] });
  const result = await runCli(['studio', 'cleanup', DOMAIN, '--timeout', '1', '--poll-interval', '20']);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Gave up waiting: 1 app(s) still deleting: JupyterLab app default of space s. Run the command again later, or raise --timeout.');
});

test('an unknown domain is exit 2 naming the region', async () => {
  sagemaker.on(DescribeDomainCommand).rejects(new ResourceNotFound({ message: 'Domain not found', $metadata: {} }));
  const result = await runCli(['studio', 'cleanup', 'd-nope']);
  expect(result).toEqual({ code: 2, stdout: '', stderr: 'sagemaker-cdk: Studio domain "d-nope" not found in eu-west-1.\n' });
});
