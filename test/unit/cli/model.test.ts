import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackagesCommand,
  ResourceNotFound,
  SageMakerClient,
  SageMakerServiceException,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { flattenMetrics } from '../../../cli/commands/model-list';
import { runCli } from './harness';

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const cloudFormation = mockClient(CloudFormationClient);

const GROUP = 'loan-default-models';
const GROUP_ARN = `arn:aws:sagemaker:eu-west-1:123456789012:model-package-group/${GROUP}`;
const arnOf = (version: number) => `arn:aws:sagemaker:eu-west-1:123456789012:model-package/${GROUP}/${version}`;
const created = (version: number) => new Date(Date.UTC(2025, 0, version, 10));

function summary(version: number, approval: 'Approved' | 'Rejected' | 'PendingManualApproval') {
  return {
    ModelPackageGroupName: GROUP,
    ModelPackageVersion: version,
    ModelPackageArn: arnOf(version),
    CreationTime: created(version),
    ModelPackageStatus: 'Completed' as const,
    ModelApprovalStatus: approval,
  };
}

function described(version: number, approval: 'Approved' | 'Rejected' | 'PendingManualApproval', reportKey?: string) {
  return {
    ...summary(version, approval),
    ModelPackageName: GROUP,
    ModelMetrics: reportKey ? { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://artifacts/${reportKey}` } } } : undefined,
  };
}

/** The part of the SDK's streaming body the CLI reads. */
function body(text: string) {
  return { transformToString: async () => text } as never;
}

const notFound = (message: string) => new SageMakerServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message });

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
  cloudFormation.reset();
  sagemaker.on(DescribeModelPackageGroupCommand, { ModelPackageGroupName: GROUP }).resolves({ ModelPackageGroupName: GROUP, ModelPackageGroupArn: GROUP_ARN });
});

describe('model list', () => {
  beforeEach(() => {
    // Two pages: the CLI follows NextToken.
    sagemaker
      .on(ListModelPackagesCommand, { ModelPackageGroupName: GROUP, NextToken: undefined })
      .resolves({ ModelPackageSummaryList: [summary(3, 'PendingManualApproval'), summary(2, 'Approved')], NextToken: 'page2' })
      .on(ListModelPackagesCommand, { ModelPackageGroupName: GROUP, NextToken: 'page2' })
      .resolves({ ModelPackageSummaryList: [summary(1, 'Rejected')] });
    sagemaker
      .on(DescribeModelPackageCommand, { ModelPackageName: arnOf(3) })
      .resolves(described(3, 'PendingManualApproval', 'v3/evaluation.json'))
      .on(DescribeModelPackageCommand, { ModelPackageName: arnOf(2) })
      .resolves(described(2, 'Approved', 'v2/evaluation.json'))
      .on(DescribeModelPackageCommand, { ModelPackageName: arnOf(1) })
      .resolves(described(1, 'Rejected'));
    s3.on(GetObjectCommand, { Bucket: 'artifacts', Key: 'v3/evaluation.json' })
      .resolves({ Body: body(JSON.stringify({ binary_classification_metrics: { auc: { value: 0.83, standard_deviation: 0.01 }, accuracy: { value: 0.9 } } })) })
      .on(GetObjectCommand, { Bucket: 'artifacts', Key: 'v2/evaluation.json' })
      .rejects(new NoSuchKey({ $metadata: {}, message: 'The specified key does not exist.' }));
  });

  test('versions newest first across pages, with statuses, creation time and metrics; an unreadable report says why', async () => {
    const result = await runCli(['model', 'list', GROUP]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'VERSION  APPROVAL               STATUS     CREATED               METRICS',
        '      3  PendingManualApproval  Completed  2025-01-03T10:00:00Z  auc=0.83 accuracy=0.9',
        '      2  Approved               Completed  2025-01-02T10:00:00Z  (metrics report s3://artifacts/v2/evaluation.json cannot be read: NoSuchKey: The specified key does not exist)',
        '      1  Rejected               Completed  2025-01-01T10:00:00Z  -',
        '',
      ].join('\n'),
    );
    expect(sagemaker).toHaveReceivedCommandWith(ListModelPackagesCommand, {
      ModelPackageGroupName: GROUP, ModelPackageType: 'Versioned', SortBy: 'CreationTime', SortOrder: 'Descending',
    });
    expect(sagemaker).toHaveReceivedCommandTimes(ListModelPackagesCommand, 2);
  });

  test('--json gives the full records with the metrics', async () => {
    const result = await runCli(['--json', 'model', 'list', GROUP]);
    const records = JSON.parse(result.stdout);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      ModelPackageArn: arnOf(3),
      ModelPackageVersion: 3,
      ModelApprovalStatus: 'PendingManualApproval',
      CreationTime: '2025-01-03T10:00:00.000Z',
      ModelMetrics: { ModelQuality: { Statistics: { S3Uri: 's3://artifacts/v3/evaluation.json' } } },
      qualityMetrics: { reportUri: 's3://artifacts/v3/evaluation.json', values: { auc: 0.83, accuracy: 0.9 } },
    });
    expect(records[1].qualityMetrics.error).toMatch(/cannot be read: NoSuchKey/);
    expect(records[2].qualityMetrics).toEqual({});
  });

  test('--status filters on the approval status; --max-results stops paging', async () => {
    sagemaker.on(ListModelPackagesCommand, { ModelApprovalStatus: 'Approved' }).resolves({ ModelPackageSummaryList: [summary(2, 'Approved')] });
    const approved = await runCli(['model', 'list', GROUP, '--status', 'Approved']);
    expect(approved.stdout.trim().split('\n')).toHaveLength(2);
    expect(sagemaker).toHaveReceivedCommandWith(ListModelPackagesCommand, { ModelApprovalStatus: 'Approved' });
    sagemaker.resetHistory();
    const one = await runCli(['model', 'list', GROUP, '--max-results', '1']);
    expect(one.stdout).toContain('      3  PendingManualApproval');
    expect(one.stdout).not.toContain('Approved  ');
    expect(sagemaker).toHaveReceivedCommandTimes(ListModelPackagesCommand, 1);
  });

  test('an unknown --status is a usage error', async () => {
    const result = await runCli(['model', 'list', GROUP, '--status', 'Pending']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--status <status>' argument 'Pending' is invalid");
  });

  test('the group comes from the --stack output ModelPackageGroupName', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Training', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'ModelPackageGroupName', OutputValue: GROUP }] }] });
    const result = await runCli(['--stack', 'Training', 'model', 'list']);
    expect(result.code).toBe(0);
    expect(sagemaker).toHaveReceivedCommandWith(ListModelPackagesCommand, { ModelPackageGroupName: GROUP });
  });

  test('a report that is not JSON says so', async () => {
    s3.on(GetObjectCommand, { Bucket: 'artifacts', Key: 'v3/evaluation.json' }).resolves({ Body: body('not json') });
    const result = await runCli(['model', 'list', GROUP, '--max-results', '1']);
    expect(result.stdout).toContain('(metrics report s3://artifacts/v3/evaluation.json is not JSON)');
  });

  test('an unknown group is exit code 2', async () => {
    sagemaker.on(DescribeModelPackageGroupCommand, { ModelPackageGroupName: 'nope' }).rejects(new ResourceNotFound({ $metadata: {}, message: 'Model Package Group nope does not exist' }));
    const result = await runCli(['model', 'list', 'nope']);
    expect(result).toMatchObject({ code: 2, stderr: 'sagemaker-cdk: Model package group "nope" not found in eu-west-1. Check the name, --stack and --region.\n' });
  });

  test('an empty group says so', async () => {
    sagemaker.on(ListModelPackagesCommand, { ModelPackageGroupName: GROUP }).resolves({ ModelPackageSummaryList: [] });
    const result = await runCli(['model', 'list', GROUP]);
    expect(result.stdout).toBe(`Model package group ${GROUP} has no versions.\n`);
  });
});

describe('flattenMetrics', () => {
  test('value objects give their key; other numbers their path; repeated names their path', () => {
    expect(flattenMetrics({
      binary_classification_metrics: { auc: { value: 0.83 }, f1: { value: 0.7 } },
      regression_metrics: { auc: { value: 0.5 } },
      rows: 120,
      notes: 'text',
    })).toEqual({ auc: 0.83, f1: 0.7, 'regression_metrics.auc': 0.5, rows: 120 });
  });
});

describe('model approve / reject', () => {
  beforeEach(() => {
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: arnOf(3) }).resolves(described(3, 'PendingManualApproval'));
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: arnOf(2) }).resolves(described(2, 'Approved'));
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: arnOf(9) }).rejects(notFound(`ModelPackage ${arnOf(9)} does not exist.`));
    sagemaker.on(UpdateModelPackageCommand).resolves({ ModelPackageArn: arnOf(3) });
  });

  test('approve by version number in --group, with a description, and says the promotion pipeline starts', async () => {
    const result = await runCli(['model', 'approve', '3', '--group', GROUP, '--description', 'AUC 0.83 on the holdout']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Version 3 of ${GROUP}: PendingManualApproval -> Approved\n` +
        `ARN:         ${arnOf(3)}\n` +
        'Description: AUC 0.83 on the holdout\n' +
        'An approval starts the promotion pipeline when one is deployed (it reacts to "SageMaker Model Package State Change" events of the group).\n',
    );
    expect(sagemaker).toHaveReceivedCommandWith(UpdateModelPackageCommand, {
      ModelPackageArn: arnOf(3), ModelApprovalStatus: 'Approved', ApprovalDescription: 'AUC 0.83 on the holdout',
    });
  });

  test('reject by ARN (no group needed), --json', async () => {
    const result = await runCli(['--json', 'model', 'reject', arnOf(3)]);
    expect(JSON.parse(result.stdout)).toEqual({
      modelPackageArn: arnOf(3), modelPackageGroupName: GROUP, modelPackageVersion: 3, previousStatus: 'PendingManualApproval', status: 'Rejected', changed: true,
    });
    expect(sagemaker).not.toHaveReceivedCommand(DescribeModelPackageGroupCommand);
    expect(sagemaker).toHaveReceivedCommandWith(UpdateModelPackageCommand, { ModelPackageArn: arnOf(3), ModelApprovalStatus: 'Rejected' });
  });

  test('a version already in the requested status is left alone, exit code 0', async () => {
    const result = await runCli(['model', 'approve', '2', '--group', GROUP]);
    expect(result).toMatchObject({ code: 0, stdout: `Version 2 of ${GROUP} is already Approved; nothing changed.\n` });
    expect(sagemaker).not.toHaveReceivedCommand(UpdateModelPackageCommand);
  });

  test('the group of a version number comes from --stack', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Training', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'ModelPackageGroupName', OutputValue: GROUP }] }] });
    const result = await runCli(['--stack', 'Training', 'model', 'reject', '3']);
    expect(result.code).toBe(0);
    expect(sagemaker).toHaveReceivedCommandWith(UpdateModelPackageCommand, { ModelPackageArn: arnOf(3), ModelApprovalStatus: 'Rejected' });
  });

  test('an unknown version is exit code 2', async () => {
    const result = await runCli(['model', 'approve', '9', '--group', GROUP]);
    expect(result).toMatchObject({ code: 2, stderr: `sagemaker-cdk: Version 9 of model package group "${GROUP}" not found in eu-west-1. List the versions with "model list".\n` });
    expect(sagemaker).not.toHaveReceivedCommand(UpdateModelPackageCommand);
  });

  test('an unknown group is exit code 2', async () => {
    sagemaker.on(DescribeModelPackageGroupCommand, { ModelPackageGroupName: 'nope' }).rejects(new ResourceNotFound({ $metadata: {}, message: 'not found' }));
    const result = await runCli(['model', 'reject', '1', '--group', 'nope']);
    expect(result).toMatchObject({ code: 2, stderr: 'sagemaker-cdk: Model package group "nope" not found in eu-west-1. Check the name, --stack and --region.\n' });
  });

  test('a version number without --group or --stack, and a malformed version, are exit code 2', async () => {
    const missing = await runCli(['model', 'approve', '3']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'sagemaker-cdk: Version 3 needs its model package group: pass --group <name>, or --stack <name> to read the stack output "ModelPackageGroupName", or pass the version\'s model package ARN.\n',
    );
    const bad = await runCli(['model', 'approve', 'latest', '--group', GROUP]);
    expect(bad).toMatchObject({ code: 2, stderr: 'sagemaker-cdk: "latest" is neither a version number (1, 2, ...) nor a model package ARN.\n' });
    const badArn = await runCli(['model', 'approve', `${GROUP_ARN}`]);
    expect(badArn.code).toBe(2);
    expect(badArn.stderr).toContain('is not a model package version ARN');
  });
});
