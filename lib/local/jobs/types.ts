// The contract between the pipeline interpreter (lib/local/pipeline-*) and the job executors
// (lib/local/jobs/*): the interpreter resolves a step's Arguments to a concrete SageMaker API
// request (no {"Get": ...} left) and hands it to an executor, which runs it under SageMaker's
// container contract and returns what DescribeXxxJob would, for later steps' property references.
import type {
  CreateHyperParameterTuningJobRequest,
  CreateProcessingJobRequest,
  CreateTrainingJobRequest,
  CreateTransformJobRequest,
  ContainerDefinition,
} from '@aws-sdk/client-sagemaker';
import type { LocalObjectStore } from '../object-store';

/** What every executor gets from the runner. */
export interface LocalJobContext {
  /** The local S3. */
  readonly store: LocalObjectStore;
  /** A fresh, empty directory for this job (its hosts' /opt/ml trees, scratch files). */
  readonly workDir: string;
  /** The job name, e.g. `pipelines-<execution id>-Train-<suffix>`. */
  readonly jobName: string;
  /** The Python interpreter that stands in for the containers' `python3`. */
  readonly python: string;
  /** Progress lines (one line each, no trailing newline). */
  readonly log: (line: string) => void;
  /** The pretend account and region (for ARNs). */
  readonly account: string;
  readonly region: string;
  /** Identifies the run (the pipeline execution id), e.g. to tell one run's checkpoints from another's. */
  readonly runId: string;
  /**
   * The CPUs of this machine the job may use. The job's hosts share them: each host's OpenMP,
   * MKL and OpenBLAS threads (`OMP_NUM_THREADS`, `MKL_NUM_THREADS`, `OPENBLAS_NUM_THREADS`) are
   * capped at its share, at least one, unless the job's Environment sets them. On SageMaker each
   * instance has CPUs of its own; without the cap, two hosts on one machine each start a thread
   * per CPU and XGBoost's and PyTorch's busy-waiting threads slow each other down.
   * @default no cap: every host may use every CPU
   */
  readonly cpus?: number;
}

/** How a job ended. */
export enum LocalJobStatus {
  COMPLETED = 'Completed',
  FAILED = 'Failed',
}

/** The outcome of one job. */
export interface LocalJobResult {
  readonly status: LocalJobStatus;
  /**
   * Why it failed, one or two sentences naming the cause, e.g.
   * `/opt/ml/processing/input/code/evaluate.py not found; the code input holds 3ad0…ae.py`.
   */
  readonly failureReason?: string;
  /** The last lines of the job's output (stdout and stderr), for a failed job. */
  readonly logExcerpt?: string;
  /**
   * The job as DescribeProcessingJob / DescribeTrainingJob / DescribeHyperParameterTuningJob /
   * DescribeTransformJob would return it (the request's fields plus e.g.
   * `ModelArtifacts.S3ModelArtifacts`, `FinalMetricDataList`, `BestTrainingJob`,
   * `TrainingJobSummaries`), so `Steps.X.<path>` references resolve against it.
   */
  readonly properties: Record<string, unknown>;
  /** Wall-clock duration in milliseconds. */
  readonly durationMs: number;
}

/** A model as CreateModel (or a pipeline Model step) describes it. */
export interface LocalModel {
  readonly modelName: string;
  /** PrimaryContainer, or the Containers of an inference pipeline, in order. */
  readonly containers: ContainerDefinition[];
}

/** Options of tuning. */
export interface LocalTuningOptions {
  /**
   * How many trials to run at most (the request's MaxNumberOfTrainingJobs caps it too).
   * @default 3
   */
  readonly maxTrials?: number;
  /** The random search's starting value, so runs are repeatable. @default 1 */
  readonly randomSeed?: number;
}

/** A response of a locally served model. */
export interface LocalInvocationResult {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The executors (implemented in lib/local/jobs/). */
export interface LocalJobExecutors {
  runProcessingJob(request: CreateProcessingJobRequest, ctx: LocalJobContext): Promise<LocalJobResult>;
  runTrainingJob(request: CreateTrainingJobRequest, ctx: LocalJobContext): Promise<LocalJobResult>;
  runTuningJob(request: CreateHyperParameterTuningJobRequest, ctx: LocalJobContext, options?: LocalTuningOptions): Promise<LocalJobResult>;
  runTransformJob(request: CreateTransformJobRequest, model: LocalModel, ctx: LocalJobContext): Promise<LocalJobResult>;
  invokeModel(model: LocalModel, body: Buffer, contentType: string, accept: string | undefined, ctx: LocalJobContext): Promise<LocalInvocationResult>;
}
