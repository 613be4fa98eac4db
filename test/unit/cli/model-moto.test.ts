/**
 * `model list` and `model approve` end to end against moto_server (a local AWS API on 127.0.0.1):
 * a model package group with one version and its evaluation report in S3; list, approve, list.
 * Skipped when moto_server is not on PATH.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as net from 'net';
import { PassThrough, Writable } from 'stream';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, CreateModelPackageGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { run } from '../../../cli/program';
import { CREDENTIALS, REGION } from './harness';

const available = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
const describeWithMoto = available ? describe : describe.skip;

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`moto_server did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeWithMoto('model commands against moto_server', () => {
  let server: ChildProcess;
  let endpoint: string;
  const GROUP = 'loan-default-models';

  const config = () => ({ region: REGION, credentials: CREDENTIALS, endpoint, maxAttempts: 1 });
  const clients = () => ({
    sagemaker: new SageMakerClient(config()),
    s3: new S3Client({ ...config(), forcePathStyle: true }),
    cloudFormation: new CloudFormationClient(config()),
    cloudWatch: new CloudWatchClient(config()),
    autoScaling: new ApplicationAutoScalingClient(config()),
    runtime: new SageMakerRuntimeClient(config()),
    region: async () => REGION,
  });
  const cli = async (args: string[]) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await run(args, {
      awsClients: clients,
      io: { stdout, stderr },
      stdin: new PassThrough(),
      sleep: async () => undefined,
      now: () => new Date(),
      interrupt: new AbortController().signal,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitForPort(port, 30_000);
    const { sagemaker, s3 } = clients();
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts', CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'v1/evaluation.json', Body: JSON.stringify({ binary_classification_metrics: { auc: { value: 0.83 } } }) }));
    await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }));
    await sagemaker.send(new CreateModelPackageCommand({
      ModelPackageGroupName: GROUP,
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [{ Image: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1', ModelDataUrl: 's3://artifacts/v1/model.tar.gz' }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://artifacts/v1/evaluation.json' } } },
    }));
  }, 60_000);

  afterAll(() => {
    server?.kill();
  });

  test('create group and version, list, approve, list again', async () => {
    const before = await cli(['model', 'list', GROUP]);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^\s+1 {2}PendingManualApproval .* auc=0\.83\n$/m);

    const approved = await cli(['model', 'approve', '1', '--group', GROUP, '--description', 'AUC 0.83']);
    expect(approved.stderr).toBe('');
    expect(approved.stdout).toContain(`Version 1 of ${GROUP}: PendingManualApproval -> Approved`);

    const after = await cli(['--json', 'model', 'list', GROUP]);
    const records = JSON.parse(after.stdout);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ModelPackageVersion: 1, ModelApprovalStatus: 'Approved', qualityMetrics: { values: { auc: 0.83 } } });

    const again = await cli(['model', 'approve', '1', '--group', GROUP]);
    expect(again).toMatchObject({ code: 0, stdout: `Version 1 of ${GROUP} is already Approved; nothing changed.\n` });
  }, 60_000);
});
