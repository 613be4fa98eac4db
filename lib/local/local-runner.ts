/**
 * The programmatic API of the local runner: run a synthesized pipeline on this machine, invoke a
 * model locally, and put data in the local object store.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type AssemblyStack, CloudAssembly } from './assembly';
import { publishAssets } from './assets';
import { defaultJobExecutors } from './default-executors';
import { AssemblyResolver, DEFAULT_LOCAL_ACCOUNT, DEFAULT_LOCAL_REGION, type StackResolver } from './intrinsics';
import { type LocalInvocationResult, type LocalJobExecutors, type LocalModel } from './jobs/types';
import { LocalState, modelContainers } from './local-state';
import { LocalObjectStore } from './object-store';
import { listPipelines, loadPipeline, matchesResource, type StackPipeline } from './pipeline-definition';
import { executePipeline } from './pipeline-executor';
import { type LocalPipelineRun } from './run-report';

/** Properties of {@link LocalPipelineRunner}. */
export interface LocalPipelineRunnerProps {
  /** The cloud assembly (`cdk.out`) to read stacks from. */
  readonly assemblyDirectory: string;
  /** The local object store's root (S3 objects, models, registry, reports). */
  readonly dataDirectory: string;
  /**
   * The Python that stands in for the containers' `python3`.
   * @default env SAGEMAKER_LOCAL_PYTHON, else /usr/bin/python3 when it exists, else `python3`
   */
  readonly python?: string;
  /**
   * The CPUs of this machine the runner's jobs may use: the jobs of a pipeline run that run side
   * by side split them, and the hosts of a job share its part (see `LocalJobContext.cpus`). A
   * whole number, at least 1.
   * @default env SAGEMAKER_LOCAL_CPUS, else every CPU (`os.availableParallelism()`)
   */
  readonly cpus?: number;
  /** The pretend account. @default '123456789012' */
  readonly account?: string;
  /** The pretend region. @default 'us-east-1' */
  readonly region?: string;
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
  /** The job executors. @default the executors of lib/local/jobs */
  readonly executors?: LocalJobExecutors;
}

/** Options of {@link LocalPipelineRunner.runPipeline}. */
export interface RunPipelineOptions {
  /** The stack, by artifact id or stack name. */
  readonly stack: string;
  /** The pipeline: logical id, construct path (`Pipeline`, `Stack/Pipeline/Resource`) or PipelineName. @default the first */
  readonly pipeline?: string;
  /** Parameter values by name. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The most trials a Tuning step runs. @default the executors' default (3) */
  readonly maxTrials?: number;
  /**
   * The most steps that run at once, in place of the pipeline's own, as the
   * ParallelismConfiguration of StartPipelineExecution takes precedence over the pipeline's.
   * @default the pipeline's `ParallelismConfiguration.MaxParallelExecutionSteps`, else no limit
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-pipeline.html#build-and-manage-pipeline-execution
   */
  readonly maxParallelSteps?: number;
}

/** The `model` of {@link InvokeModelOptions} that names the model created last in the local store. */
export const LATEST_MODEL = 'latest';

/** Options of {@link LocalPipelineRunner.invokeModel}. */
export interface InvokeModelOptions {
  /** The stack that defines the model (for `AWS::SageMaker::Model` resources). */
  readonly stack?: string;
  /**
   * A model name in the local store (e.g. created by a pipeline's Model step), `latest` (the model
   * created last), or a Model resource's logical id / construct path in `stack`.
   */
  readonly model: string;
  readonly body: Buffer | string;
  readonly contentType: string;
  readonly accept?: string;
}

/** A local invocation's result. */
export interface LocalInvokeResult extends LocalInvocationResult {
  /** The model that answered. */
  readonly modelName: string;
}

/** What {@link LocalPipelineRunner.uploadData} copied. */
export interface LocalUploadResult {
  /** The `s3://` URIs written. */
  readonly uris: string[];
  readonly bytes: number;
}

/** A model that cannot be found or whose model data is not in the local store (bad input, not a model failure). */
export class LocalModelNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalModelNotFoundError';
  }
}

/** The CPUs jobs may use: `cpus`, else env SAGEMAKER_LOCAL_CPUS, else every CPU; throws for anything but a whole number of at least 1. */
export function localCpus(cpus?: number): number {
  const fromEnv = process.env.SAGEMAKER_LOCAL_CPUS;
  const [value, source] = cpus !== undefined ? [cpus, 'cpus'] : fromEnv ? [Number(fromEnv), `SAGEMAKER_LOCAL_CPUS (${JSON.stringify(fromEnv)})`] : [os.availableParallelism(), 'os.availableParallelism()'];
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`The local runner's ${source} must be a whole number of CPUs, at least 1, got ${value}: give the number of CPUs its jobs may use.`);
  }
  return value;
}

/** The Python the runner uses when none is given. */
export function defaultPython(): string {
  const fromEnv = process.env.SAGEMAKER_LOCAL_PYTHON;
  if (fromEnv) return fromEnv;
  return fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/**
 * Runs the SageMaker pipelines of a synthesized CDK app on this machine: no AWS account, no
 * Docker. Templates are resolved against a pretend account and region, file assets are published
 * to a local object store, and each job runs under SageMaker's container contract.
 */
export class LocalPipelineRunner {
  /** The local S3. */
  public readonly store: LocalObjectStore;
  /** The Python interpreter used for jobs. */
  public readonly python: string;
  /** The CPUs jobs may use (shared by a job's hosts). */
  public readonly cpus: number;
  /** The runner's records (models, registry, reports). */
  public readonly state: LocalState;
  private assemblyResolver?: AssemblyResolver;
  private executors?: LocalJobExecutors;

  constructor(private readonly props: LocalPipelineRunnerProps) {
    this.store = new LocalObjectStore(props.dataDirectory);
    this.python = props.python ?? defaultPython();
    this.cpus = localCpus(props.cpus);
    this.executors = props.executors;
    this.state = new LocalState(this.store.root, this.resolverAccount(), this.resolverRegion());
  }

  /** The cloud assembly, read on first use. */
  public get resolver(): AssemblyResolver {
    this.assemblyResolver ??= new AssemblyResolver(new CloudAssembly(this.props.assemblyDirectory), {
      account: this.props.account,
      region: this.props.region,
      // The model package version a Model serves (ModelPackageVersion.latestApproved) comes from the local registry.
      customResourceAttribute: (type, properties, attribute) => {
        if (type !== 'Custom::ModelPackageVersion') return undefined;
        const resolved = this.state.resolveModelPackageVersion(String(properties.ModelPackageGroupName ?? ''), typeof properties.RequestedVersionArn === 'string' ? properties.RequestedVersionArn : undefined);
        return (resolved as Record<string, string>)[attribute];
      },
    });
    return this.assemblyResolver;
  }

  /** The pipelines of a stack. */
  public listPipelines(stack: string): StackPipeline[] {
    return listPipelines(this.resolver.forStack(stack));
  }

  /**
   * Runs a pipeline of a stack and returns the run (status Failed when a step failed; the report
   * is also written to `<data>/.runner/executions/<id>/report.json`).
   *
   * @throws for bad input: an unknown stack or pipeline, bad parameters, a definition that cannot run
   */
  public async runPipeline(options: RunPipelineOptions): Promise<LocalPipelineRun> {
    const log = this.props.log ?? (() => undefined);
    const stackResolver = this.resolver.forStack(options.stack);
    const assets = publishAssets(this.resolver, this.store);
    const notes: string[] = [];
    const zipped = assets.skipped.filter((s) => s.reason.startsWith('a zip'));
    if (zipped.length) notes.push(`${zipped.length} directory asset(s) (Lambda and custom-resource code) were not published to the local store.`);
    notes.push(...assets.skipped.filter((s) => !s.reason.startsWith('a zip')).map((s) => `asset ${s.asset} was not published: ${s.reason}.`));
    const pipeline = loadPipeline(stackResolver, this.store, options.pipeline);
    if (pipeline.others.length) {
      const others = pipeline.others.map((p) => `${p.pipelineName} (--pipeline ${shortPath(p, stackResolver.stack.id) ?? p.logicalId})`).join(', ');
      notes.push(`stack ${stackResolver.stack.id} also has: ${others}.`);
      log(`Running ${pipeline.pipelineName} (${pipeline.logicalId}); the stack also has ${others}.`);
    }
    return executePipeline({
      definition: pipeline.definition,
      pipelineName: pipeline.pipelineName,
      stack: stackResolver.stack.id,
      pipelineLogicalId: pipeline.logicalId,
      parameters: options.parameters,
      store: this.store,
      executors: this.jobExecutors(),
      python: this.python,
      cpus: this.cpus,
      account: this.resolver.account,
      region: this.resolver.region,
      log,
      maxTrials: options.maxTrials,
      maxParallelSteps: options.maxParallelSteps ?? pipelineParallelism(stackResolver, pipeline.logicalId),
      notes,
    });
  }

  /**
   * Sends one request to a model served locally under its container's serving contract.
   *
   * @throws LocalModelNotFoundError when the model is unknown or its ModelDataUrl is not in the store
   */
  public async invokeModel(options: InvokeModelOptions): Promise<LocalInvokeResult> {
    let model: LocalModel;
    try {
      model = this.findModel(options.stack, options.model);
    } catch (error) {
      // An unknown stack or an unresolvable template is bad input too.
      throw error instanceof LocalModelNotFoundError ? error : new LocalModelNotFoundError((error as Error).message);
    }
    const workDir = path.join(this.state.directory, 'invocations', `${model.modelName}-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(workDir, { recursive: true });
    const log = this.props.log ?? (() => undefined);
    try {
      const result = await this.jobExecutors().invokeModel(
        model,
        Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body),
        options.contentType,
        options.accept,
        {
          store: this.store,
          workDir,
          jobName: model.modelName,
          python: this.python,
          cpus: this.cpus,
          log: (line) => log(`[${model.modelName}] ${line}`),
          account: this.resolverAccount(),
          region: this.resolverRegion(),
          runId: randomBytes(6).toString('hex'),
        },
      );
      return { ...result, modelName: model.modelName };
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }

  /**
   * Copies a local file or directory into the store (`s3Uri` is the object for a file, the prefix
   * for a directory).
   */
  public uploadData(localPath: string, s3Uri: string): LocalUploadResult {
    const source = path.resolve(localPath);
    if (!fs.existsSync(source)) throw new Error(`${localPath} does not exist.`);
    LocalObjectStore.parseUri(s3Uri);
    const uris: string[] = [];
    let bytes = 0;
    const put = (file: string, uri: string): void => {
      this.store.putFile(uri, file);
      uris.push(uri);
      bytes += fs.statSync(file).size;
    };
    if (fs.statSync(source).isFile()) {
      put(source, s3Uri.endsWith('/') ? `${s3Uri}${path.basename(source)}` : s3Uri);
    } else {
      const prefix = s3Uri.endsWith('/') ? s3Uri : `${s3Uri}/`;
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.isFile()) put(full, `${prefix}${path.relative(source, full).split(path.sep).join('/')}`);
        }
      };
      walk(source);
    }
    return { uris, bytes };
  }

  /**
   * The local name of a stack's bucket: `bucket` is an output name (e.g. `DataBucketName`), an
   * `AWS::S3::Bucket` logical id or its construct id (`ArtifactsBucket`); by default the `DataBucketName` output, else the only bucket
   * whose logical id starts with `DataBucket`.
   */
  public bucketOf(stack: string, bucket?: string): string {
    const resolver = this.resolver.forStack(stack);
    const outputs = resolver.template.Outputs ?? {};
    const buckets = Object.entries(resolver.resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id);
    const choices = `outputs: ${Object.keys(outputs).filter((o) => !o.startsWith('PublishOutput')).join(', ') || 'none'}; buckets: ${buckets.join(', ') || 'none'}`;
    if (bucket !== undefined) {
      if (outputs[bucket]) return String(resolver.output(bucket));
      if (buckets.includes(bucket)) return resolver.physicalId(bucket);
      // A construct id (`ArtifactsBucket`) is the logical id without its 8-digit hash.
      const byConstructId = buckets.filter((id) => matchesResource(id, undefined, resolver.stack.id, bucket));
      if (byConstructId.length === 1) return resolver.physicalId(byConstructId[0]);
      throw new Error(`Stack ${resolver.stack.id} has no bucket or output "${bucket}" (${choices}).`);
    }
    if (outputs.DataBucketName) return String(resolver.output('DataBucketName'));
    const data = buckets.filter((id) => /^DataBucket[0-9A-F]{8}$/.test(id));
    if (data.length === 1) return resolver.physicalId(data[0]);
    throw new Error(`Stack ${resolver.stack.id} has no DataBucketName output; pass the bucket (${choices}).`);
  }

  /** The stacks of the assembly. */
  public stacks(): readonly AssemblyStack[] {
    return this.resolver.assembly.stacks;
  }

  private findModel(stack: string | undefined, selector: string): LocalModel {
    let stackModels: string[] = [];
    if (stack !== undefined) {
      const resolver = this.resolver.forStack(stack);
      const models = Object.entries(resolver.resources).filter(([, r]) => r.Type === 'AWS::SageMaker::Model');
      stackModels = models.map(([id, r]) => String(r.Metadata?.['aws:cdk:path'] ?? id));
      const found = models.find(([id, r]) => matchesResource(id, typeof r.Metadata?.['aws:cdk:path'] === 'string' ? r.Metadata['aws:cdk:path'] : undefined, resolver.stack.id, selector));
      if (found) return this.stackModel(resolver, found[0]);
    }
    const saved = this.state.model(selector === LATEST_MODEL ? this.state.modelNames()[0] ?? '' : selector);
    if (saved) {
      this.checkModelData(saved.containers.map((c) => c.ModelDataUrl), `model ${saved.modelName}`);
      return { modelName: saved.modelName, containers: saved.containers };
    }
    const savedModels = this.state.modelNames().slice(0, 5).join(', ') || 'none yet; a pipeline Model step saves one';
    throw new LocalModelNotFoundError(stack === undefined
      ? `No model "${selector}" in the local store ${this.store.root} (models: ${savedModels}).`
      : `No model "${selector}": it is neither a model in the local store (${savedModels}) nor an AWS::SageMaker::Model of stack ${stack} (${stackModels.join(', ') || 'none'}).`);
  }

  private stackModel(resolver: StackResolver, logicalId: string): LocalModel {
    const properties = resolver.resolve(resolver.resources[logicalId].Properties ?? {}, `${resolver.stack.id}/Resources/${logicalId}/Properties`) as Record<string, unknown>;
    const containers = modelContainers(properties).flatMap((c) => this.state.expandModelPackage(c));
    if (containers.length === 0) throw new LocalModelNotFoundError(`Model ${logicalId} of stack ${resolver.stack.id} has no containers.`);
    this.checkModelData(containers.map((c) => c.ModelDataUrl), `model ${logicalId} of stack ${resolver.stack.id}`);
    return { modelName: resolver.physicalId(logicalId), containers };
  }

  private checkModelData(urls: ReadonlyArray<string | undefined>, what: string): void {
    for (const url of urls) {
      if (typeof url === 'string' && url.startsWith('s3://') && !this.store.exists(url) && this.store.list(url).length === 0) {
        throw new LocalModelNotFoundError(`The ModelDataUrl of ${what}, ${url}, is not in the local store ${this.store.root}. Put the model there first, e.g. with "local data upload <model.tar.gz>" or by running the training pipeline.`);
      }
    }
  }

  private jobExecutors(): LocalJobExecutors {
    this.executors ??= defaultJobExecutors();
    return this.executors;
  }

  private resolverAccount(): string {
    return this.props.account ?? DEFAULT_LOCAL_ACCOUNT;
  }

  private resolverRegion(): string {
    return this.props.region ?? DEFAULT_LOCAL_REGION;
  }
}

/**
 * The `ParallelismConfiguration.MaxParallelExecutionSteps` of an `AWS::SageMaker::Pipeline`
 * (undefined without one); throws for a value that is not a whole number of at least 1.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sagemaker-pipeline-parallelismconfiguration.html
 */
function pipelineParallelism(resolver: StackResolver, logicalId: string): number | undefined {
  const raw = resolver.resources[logicalId].Properties?.ParallelismConfiguration;
  if (raw === undefined) return undefined;
  const where = `${resolver.stack.id}/Resources/${logicalId}/Properties/ParallelismConfiguration`;
  const config = resolver.resolve(raw, where) as { MaxParallelExecutionSteps?: unknown } | undefined;
  const value = config?.MaxParallelExecutionSteps;
  // CloudFormation takes numbers as strings too.
  const steps = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1) {
    throw new Error(`${where}/MaxParallelExecutionSteps is ${JSON.stringify(value)}, but must be a whole number, at least 1 (the most steps an execution runs at once).`);
  }
  return steps;
}

function shortPath(pipeline: StackPipeline, stackId: string): string | undefined {
  if (!pipeline.constructPath) return /^[A-Za-z0-9]+[0-9A-F]{8}$/.test(pipeline.logicalId) ? pipeline.logicalId.slice(0, -8) : undefined;
  const withoutResource = pipeline.constructPath.replace(/\/Resource$/, '');
  return withoutResource.startsWith(`${stackId}/`) ? withoutResource.slice(stackId.length + 1) : withoutResource;
}
