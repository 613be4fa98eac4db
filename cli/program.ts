/**
 * The `sagemaker-cdk` command tree (commander) and {@link run}, which parses arguments, runs one
 * command and returns its exit code. The entry point (main.ts) passes the real process; tests pass
 * buffers and mocked SDK clients.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { dataUpload, renderUploadSummary } from './commands/data-upload';
import { endpointInvoke } from './commands/endpoint-invoke';
import { endpointStatus } from './commands/endpoint-status';
import { DEFAULT_DATA_DIRECTORY } from './commands/local-common';
import { localDataUpload } from './commands/local-data-upload';
import { localModelInvoke } from './commands/local-model-invoke';
import { type LocalModelApprovalOptions, localModelApprove, localModelList, localModelReject } from './commands/local-model-registry';
import { localPipelineRun } from './commands/local-pipeline-run';
import { modelApprove } from './commands/model-approve';
import { type ModelApprovalOptions } from './commands/model-common';
import { modelList } from './commands/model-list';
import { modelReject } from './commands/model-reject';
import { type GroundTruthOptions, monitorGroundTruth, renderGroundTruthSummary } from './commands/monitor-ground-truth';
import { pipelineListExecutions } from './commands/pipeline-list-executions';
import { pipelineStart } from './commands/pipeline-start';
import { pipelineStatus } from './commands/pipeline-status';
import { studioCleanup } from './commands/studio-cleanup';
import { type CliDependencies, CommandContext, type GlobalOptions } from './context';
import { ExitCode, toCliError } from './errors';
import { writeJson } from './output';
import { StackOutputKeys } from './stack-outputs';

/** The program name shown in help and messages. */
export const PROGRAM_NAME = 'sagemaker-cdk';

type Action = (ctx: CommandContext, ...args: unknown[]) => Promise<number>;

/**
 * Parses `argv` (without the node and script paths), runs the command and returns the exit code.
 * Never calls process.exit, so it can run in-process in tests.
 */
export async function run(argv: readonly string[], deps: CliDependencies): Promise<number> {
  let exitCode: number = ExitCode.SUCCESS;
  let ctx: CommandContext | undefined;
  const program = buildProgram(deps, async (command, action, args) => {
    ctx = new CommandContext(deps, command.optsWithGlobals<GlobalOptions>());
    exitCode = await action(ctx, ...args);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? ExitCode.SUCCESS : ExitCode.BAD_INPUT;
    }
    const region = ctx?.usedAws ? await ctx.region().catch(() => undefined) : undefined;
    const cliError = toCliError(error, region);
    if (ctx?.json) writeJson(deps.io.stdout, { error: { message: cliError.message, exitCode: cliError.exitCode } });
    deps.io.stderr.write(`${PROGRAM_NAME}: ${cliError.message}\n`);
    return cliError.exitCode;
  }
}

type Runner = (command: Command, action: Action, args: unknown[]) => Promise<void>;

/** Builds the command tree; `runner` executes a command's action. */
export function buildProgram(deps: CliDependencies, runner: Runner): Command {
  const program = new Command(PROGRAM_NAME)
    .description('Operate the SageMaker workloads deployed with sagemaker-cdk-constructs: upload data, run pipelines, check endpoints, clean up Studio.')
    .version(packageVersion())
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile\'s region)')
    .option('--profile <profile>', 'named profile from ~/.aws/config (default: AWS_PROFILE or "default")')
    .option('--stack <stack-name>', 'read names (bucket, pipeline, endpoint, domain) from this deployed stack\'s outputs')
    .option('--json', 'print machine-readable JSON on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Credentials come from the AWS SDK's default chain (environment, --profile / AWS_PROFILE, SSO, instance roles).
Exit codes: 0 success, 1 the operation failed, 2 bad input or unknown resource, 3 no credentials or region, 130 interrupted.
Stack outputs read with --stack: ${Object.values(StackOutputKeys).join(', ')}.`,
    )
    .configureOutput({
      writeOut: (text) => deps.io.stdout.write(text),
      writeErr: (text) => deps.io.stderr.write(text),
    })
    .exitOverride();

  const bind = (command: Command, action: Action) =>
    async (...args: unknown[]): Promise<void> => {
      // commander passes the positional arguments, then the options object, then the command.
      await runner(command, action, args.slice(0, -1));
    };

  // data
  const data = program.command('data').description('put data in place for training');
  const upload = data
    .command('upload')
    .description('upload a file or directory to S3 (multipart, SSE-KMS, skips unchanged files, safe to re-run)')
    .argument('<path>', 'local file or directory')
    .argument('[s3-uri]', `s3://bucket/prefix, or with --stack a key prefix in the stack's ${StackOutputKeys.DATA_BUCKET_NAME}`)
    .option('--kms-key-id <key>', `KMS key for SSE-KMS (default: --stack output ${StackOutputKeys.DATA_KEY_ARN}, else the bucket's default key)`)
    .option('--part-size <mib>', 'multipart part size in MiB, 5 to 5120 (default: 8, grown for files over 78 GiB)', integer)
    .option('--concurrency <n>', 'parts uploaded in parallel (default: 4)', integer);
  upload.action(bind(upload, async (ctx, localPath, s3Uri, opts) => {
    const o = opts as { kmsKeyId?: string; partSize?: number; concurrency?: number };
    const result = await dataUpload(ctx, localPath as string, s3Uri as string | undefined, {
      kmsKeyId: o.kmsKeyId,
      partSizeMib: o.partSize,
      concurrency: o.concurrency,
    });
    ctx.result(result, () => renderUploadSummary(result));
    return ExitCode.SUCCESS;
  }));

  // pipeline
  const pipeline = program.command('pipeline').description('run and watch SageMaker pipelines');
  const start = pipeline
    .command('start')
    .description('start a pipeline execution; with --wait follow its steps and exit 0 only on success')
    .argument('[name]', `pipeline name (default: --stack output ${StackOutputKeys.PIPELINE_NAME})`)
    .option('--param <key=value>', 'pipeline parameter, repeatable', collect)
    .option('--wait', 'follow the execution until it ends')
    .option('--poll-interval <seconds>', 'seconds between status checks with --wait (default: 15)', integer)
    .option('--display-name <name>', 'display name of the execution');
  start.action(bind(start, (ctx, name, opts) => {
    const o = opts as { param?: string[]; wait?: boolean; pollInterval?: number; displayName?: string };
    return pipelineStart(ctx, name as string | undefined, o);
  }));
  const list = pipeline
    .command('list-executions')
    .description('list recent executions of a pipeline, newest first')
    .argument('[name]', `pipeline name (default: --stack output ${StackOutputKeys.PIPELINE_NAME})`)
    .option('--max-results <n>', 'how many executions to show (default: 20)', integer);
  list.action(bind(list, (ctx, name, opts) => pipelineListExecutions(ctx, name as string | undefined, opts as { maxResults?: number })));
  const status = pipeline
    .command('status')
    .description('show an execution and its steps, with failure reasons and log locations')
    .argument('<execution-arn>', 'pipeline execution ARN');
  status.action(bind(status, (ctx, arn) => pipelineStatus(ctx, arn as string)));

  // model
  const model = program.command('model').description('review and approve model versions in a model package group');
  const modelListCommand = model
    .command('list')
    .description('list model versions, newest first, with approval status and model quality metrics')
    .argument('[group]', `model package group name (default: --stack output ${StackOutputKeys.MODEL_PACKAGE_GROUP_NAME})`)
    .addOption(new Option('--status <status>', 'only versions with this approval status').choices(['Approved', 'Rejected', 'PendingManualApproval']))
    .option('--max-results <n>', 'how many versions to show (default: 20)', integer);
  modelListCommand.action(bind(modelListCommand, (ctx, group, opts) => modelList(ctx, group as string | undefined, opts as { status?: string; maxResults?: number })));
  const approvalCommand = (name: string, verb: string) => model
    .command(name)
    .description(`${verb} a model version (by version number in --group / the --stack group, or by model package ARN)`)
    .argument('<version>', 'version number, or model package version ARN')
    .option('--group <name>', `model package group of a version number (default: --stack output ${StackOutputKeys.MODEL_PACKAGE_GROUP_NAME})`)
    .option('--description <text>', 'why (ApprovalDescription)');
  const approve = approvalCommand('approve', 'approve');
  approve.action(bind(approve, (ctx, version, opts) => modelApprove(ctx, version as string, opts as ModelApprovalOptions)));
  const reject = approvalCommand('reject', 'reject');
  reject.action(bind(reject, (ctx, version, opts) => modelReject(ctx, version as string, opts as ModelApprovalOptions)));

  // endpoint
  const endpoint = program.command('endpoint').description('check and call SageMaker endpoints');
  const endpointStatusCommand = endpoint
    .command('status')
    .description('variants, instance counts, autoscaling limits, recent invocations and latency')
    .argument('[name]', `endpoint name (default: --stack output ${StackOutputKeys.ENDPOINT_NAME})`)
    .option('--since <minutes>', 'CloudWatch window in minutes (default: 60)', integer);
  endpointStatusCommand.action(bind(endpointStatusCommand, (ctx, name, opts) => endpointStatus(ctx, name as string | undefined, opts as { since?: number })));
  const invoke = endpoint
    .command('invoke')
    .description('send one inference request; the response body is written to stdout')
    .argument('[name]', `endpoint name (default: --stack output ${StackOutputKeys.ENDPOINT_NAME})`)
    .requiredOption('--body <file>', 'request body file, or - for stdin')
    .requiredOption('--content-type <type>', 'MIME type of the body, e.g. text/csv or application/json')
    .option('--accept <type>', 'MIME type wanted in the response')
    .option('--target-variant <variant>', 'send the request to this production variant');
  invoke.action(bind(invoke, (ctx, name, opts) => endpointInvoke(ctx, name as string | undefined, opts as {
    body: string; contentType: string; accept?: string; targetVariant?: string;
  })));

  // monitor
  const monitor = program.command('monitor').description('feed the model monitors');
  const groundTruth = monitor
    .command('ground-truth')
    .description('upload inference_id,label rows as ground truth for model quality and bias monitors (s3://bucket/prefix/yyyy/mm/dd/hh/<name>.jsonl)')
    .argument('<file>', 'CSV of inference_id,label rows (a header row with these names is skipped)')
    .option('--bucket <name>', 'bucket of the monitor\'s ground-truth S3 URI')
    .option('--prefix <prefix>', 'key prefix of the monitor\'s ground-truth S3 URI')
    .option('--output <name>', 'with --stack: the stack output holding the bucket name or the ground-truth s3:// URI')
    .option('--time <iso>', 'when the labels were collected, ISO 8601 with a zone; sets the yyyy/mm/dd/hh of the key (default: now, UTC)')
    .option('--name <name>', 'object name without .jsonl (default: <file name>-<hash of its content>)');
  groundTruth.action(bind(groundTruth, async (ctx, file, opts) => {
    const result = await monitorGroundTruth(ctx, file as string, opts as GroundTruthOptions);
    ctx.result(result, () => renderGroundTruthSummary(result));
    return ExitCode.SUCCESS;
  }));

  // studio
  const studio = program.command('studio').description('manage SageMaker Studio domains');
  const cleanup = studio
    .command('cleanup')
    .description('delete running apps (and spaces) so the Studio stack can be destroyed')
    .argument('[domain-id]', `Studio domain id (default: --stack output ${StackOutputKeys.STUDIO_DOMAIN_ID})`)
    .option('--user-profile <name>', "only this user profile's apps and the private spaces it owns")
    .option('--space <name>', "only this space's apps (the space is kept)")
    .option('--keep-spaces', 'delete apps only, keep spaces')
    .addOption(new Option('--no-wait', 'start the deletions and return'))
    .option('--timeout <minutes>', 'give up waiting after this long (default: 30)', integer)
    .option('--poll-interval <seconds>', 'seconds between checks (default: 15)', integer);
  cleanup.action(bind(cleanup, (ctx, domainId, opts) => studioCleanup(ctx, domainId as string | undefined, opts as {
    userProfile?: string; space?: string; keepSpaces?: boolean; wait?: boolean; timeout?: number; pollInterval?: number;
  })));

  // local: the local runner (no AWS account, no Docker)
  const local = program.command('local').description('run the synthesized pipelines on this machine: no AWS account, no Docker (reads cdk.out)');
  const localOptions = (command: Command): Command => command
    .option('--app <dir>', 'the cloud assembly that cdk synth wrote (default: cdk.out)')
    .option('--data <dir>', `the local object store and records (default: ${DEFAULT_DATA_DIRECTORY} in the working directory)`)
    .option('--python <path>', 'Python standing in for the containers (default: SAGEMAKER_LOCAL_PYTHON, else /usr/bin/python3, else python3)')
    .option('--cpus <n>', "CPUs the jobs may use, shared by a job's hosts (default: SAGEMAKER_LOCAL_CPUS, else every CPU)", integer);
  const localPipeline = local.command('pipeline').description('run pipelines locally');
  const localRun = localOptions(localPipeline
    .command('run')
    .description('run a stack\'s pipeline (--stack <id>) step by step; exit 0 on success, 1 when a step fails, 2 on bad input')
    .option('--pipeline <id>', 'logical id, construct path (e.g. TuningPipeline) or name of the pipeline (default: the first in the stack)')
    .option('--param <name=value>', 'pipeline parameter, repeatable', collect)
    .option('--max-trials <n>', 'run at most this many trials in Tuning steps (default: 3)', integer)
    .option('--max-parallel-steps <n>', "the most steps running at once, in place of the pipeline's ParallelismConfiguration (default: the pipeline's, else every step whose dependencies are done)", integer));
  localRun.action(bind(localRun, (ctx, opts) => localPipelineRun(ctx, opts as {
    pipeline?: string; param?: string[]; maxTrials?: number; maxParallelSteps?: number; app?: string; data?: string; python?: string; cpus?: number;
  })));
  const localModel = local.command('model').description('call models locally');
  const localInvoke = localOptions(localModel
    .command('invoke')
    .description('send one request to a model (a pipeline-created model in the local store, or an AWS::SageMaker::Model of --stack); the response goes to stdout')
    .requiredOption('--model <id|name>', 'model name in the local store, latest (the model a pipeline created last), or the logical id / construct path of a Model in --stack')
    .option('--body <text>', 'the request body')
    .option('--body-file <file>', 'read the request body from a file')
    .requiredOption('--content-type <type>', 'MIME type of the body, e.g. text/csv')
    .option('--accept <type>', 'MIME type wanted in the response'));
  localInvoke.action(bind(localInvoke, (ctx, opts) => localModelInvoke(ctx, opts as {
    model: string; body?: string; bodyFile?: string; contentType: string; accept?: string; app?: string; data?: string; python?: string; cpus?: number;
  })));
  const localList = localOptions(localModel
    .command('list')
    .description('list the versions of a model package group in the local registry (registered by local pipeline runs), newest first')
    .argument('<group>', 'model package group name'));
  localList.action(bind(localList, (ctx, group, opts) => localModelList(ctx, group as string, opts as LocalModelApprovalOptions)));
  const localApproval = (name: string, verb: string): Command => localOptions(localModel
    .command(name)
    .description(`${verb} a version in the local registry (what local model invoke --stack serves through ModelPackageVersion.latestApproved)`)
    .argument('<version>', 'version number (with --group), or model package version ARN')
    .option('--group <name>', 'model package group of a version number')
    .option('--description <text>', 'why (ApprovalDescription)'));
  const localApprove = localApproval('approve', 'approve');
  localApprove.action(bind(localApprove, (ctx, version, opts) => localModelApprove(ctx, version as string, opts as LocalModelApprovalOptions)));
  const localReject = localApproval('reject', 'reject');
  localReject.action(bind(localReject, (ctx, version, opts) => localModelReject(ctx, version as string, opts as LocalModelApprovalOptions)));
  const localData = local.command('data').description('put data in the local object store');
  const localUpload = localOptions(localData
    .command('upload')
    .description('copy a file or directory into a stack\'s bucket in the local store (default: its data bucket)')
    .argument('<path>', 'local file or directory')
    .argument('[s3-uri]', 's3://bucket/prefix (instead of --stack)')
    .option('--bucket <id>', 'the bucket: a stack output name (DataBucketName) or a bucket\'s logical id (default: the data bucket)')
    .option('--prefix <prefix>', 'key prefix, e.g. raw/'));
  localUpload.action(bind(localUpload, (ctx, localPath, s3Uri, opts) => localDataUpload(ctx, localPath as string, s3Uri as string | undefined, opts as {
    bucket?: string; prefix?: string; app?: string; data?: string; python?: string; cpus?: number;
  })));

  for (const command of [program, data, pipeline, model, modelListCommand, approve, reject, endpoint, studio, upload, start, list, status, endpointStatusCommand, invoke, cleanup, monitor, groundTruth,
    local, localPipeline, localRun, localModel, localInvoke, localList, localApprove, localReject, localData, localUpload]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => deps.io.stdout.write(text),
      writeErr: (text) => deps.io.stderr.write(text),
    });
  }
  return program;
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number.');
  return Number(value);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function packageVersion(): string {
  // cli/ runs from source (tsx) and from dist/cli/ (built): the manifest is one or two levels up.
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(join(__dirname, candidate), 'utf-8')) as { name?: string; version?: string };
      if (manifest.name === 'sagemaker-cdk-constructs' && manifest.version) return manifest.version;
    } catch {
      // not at this level; try the next
    }
  }
  return '0.0.0';
}

