// Which SageMaker container an image URI names, and what the local runner emulates for it.
// Image URIs look like `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`; the repository
// names are those of the SageMaker Python SDK's image_uri_config/*.json (e.g. xgboost.json lists
// `sagemaker-xgboost`, sklearn.json `sagemaker-scikit-learn`, pytorch.json `pytorch-training` and
// `pytorch-inference`, model-monitor.json `sagemaker-model-monitor-analyzer`, clarify.json
// `sagemaker-clarify-processing`, linear-learner.json `linear-learner`, tensorflow.json
// `tensorflow-training` and `tensorflow-inference`, xgboost-neo.json `xgboost-neo`, neo-pytorch.json
// `sagemaker-inference-pytorch`, neo-tensorflow.json `sagemaker-inference-tensorflow`,
// inferentia-pytorch.json `sagemaker-neo-pytorch`, inferentia-tensorflow.json `sagemaker-neo-tensorflow`).

/** The kinds of container the local runner tells apart. */
export type ImageKind =
  | 'xgboost'
  | 'sklearn'
  | 'pytorch-training'
  | 'pytorch-inference'
  | 'model-monitor'
  | 'clarify'
  | 'linear-learner'
  | 'tensorflow-training'
  | 'tensorflow-inference'
  | 'neo'
  | 'custom';

/** One row of the emulation table (exported as data so the docs table can be generated/checked). */
export interface EmulatedImage {
  readonly kind: ImageKind;
  /** The ECR repository name(s) that select this row. */
  readonly repositories: readonly string[];
  /** The container and version whose contract the runner follows. */
  readonly container: string;
  readonly emulatedVersion: string;
  /** The container's own library versions (its requirements.txt / image tag). */
  readonly containerLibrary: string;
  /** The library that stands in for the container's, as installed here (Debian bookworm packages). */
  readonly localLibrary: string;
  /** What runs locally. */
  readonly training: string;
  readonly processing: string;
  readonly serving: string;
  /** Known differences from the real container. */
  readonly gaps: readonly string[];
}

/** What each container kind emulates. */
export const EMULATED_IMAGES: readonly EmulatedImage[] = [
  {
    kind: 'xgboost',
    repositories: ['sagemaker-xgboost'],
    container: 'sagemaker-xgboost-container',
    emulatedVersion: '1.7-1',
    containerLibrary: 'xgboost 1.7.4, numpy 1.24.1, pandas 1.2.4, scikit-learn 0.24.1 (branch 1.7-1 requirements.txt, docker/1.7-1)',
    localLibrary: 'python3-xgboost 1.7.4, numpy 1.24.2, pandas 1.5.3, scikit-learn 1.2.1',
    training: 'built-in algorithm (lib/local/containers/xgboost_algorithm.py); script mode when the sagemaker_program hyperparameter is set',
    processing: 'ContainerEntrypoint run with the local python3',
    serving: 'built-in algorithm model server (text/csv, text/libsvm; text/csv, application/json, application/jsonlines accepts)',
    gaps: [
      'no Pipe mode, recordio-protobuf or parquet input; no Dask GPU training; no _kfold cross validation',
      'multi-host: the master trains on the union of all shards (equal to Rabit data parallel training); no Rabit process',
      'hyperparameter validation covers names, num_round, objective, eval_metric and simple ranges only',
      'selectable inference output (SAGEMAKER_INFERENCE_OUTPUT) and ensembles are not emulated',
    ],
  },
  {
    kind: 'sklearn',
    repositories: ['sagemaker-scikit-learn'],
    container: 'sagemaker-scikit-learn-container',
    emulatedVersion: '1.2-1',
    containerLibrary: 'scikit-learn 1.2.1, numpy 1.24.1, pandas 1.1.3, sagemaker-training 4.8.0 (branch 1.2-1 requirements.txt)',
    localLibrary: 'python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3',
    training: 'script mode (sagemaker-training-toolkit contract, lib/local/containers/training_toolkit.py)',
    processing: 'ContainerEntrypoint run with the local python3',
    serving: 'user model_fn required; default input_fn/predict_fn/output_fn of the inference toolkit',
    gaps: ['only packages installed on this machine are importable; requirements.txt is not installed'],
  },
  {
    kind: 'pytorch-training',
    repositories: ['pytorch-training'],
    container: 'sagemaker-pytorch-training-toolkit on sagemaker-training-toolkit',
    emulatedVersion: 'training toolkit 4.x / 5.x contract',
    containerLibrary: 'torch as the image tag says (e.g. pytorch-training:1.13.1-cpu-py39, 2.x)',
    localLibrary: 'python3-torch 1.13.1 (CPU)',
    training: 'script mode (lib/local/containers/training_toolkit.py)',
    processing: 'ContainerEntrypoint run with the local python3',
    serving: 'not a serving image',
    gaps: ['no GPUs, no torch.distributed/smdistributed/MPI launchers; multi-host runs the script once per host without a network between them'],
  },
  {
    kind: 'pytorch-inference',
    repositories: ['pytorch-inference'],
    container: 'sagemaker-pytorch-inference-toolkit + sagemaker-inference-toolkit',
    emulatedVersion: 'pytorch-inference-toolkit 2.x, inference-toolkit 1.x',
    containerLibrary: 'torch as the image tag says',
    localLibrary: 'python3-torch 1.13.1 (CPU)',
    training: 'not a training image',
    processing: 'ContainerEntrypoint run with the local python3',
    serving: 'inference.py handlers (model_fn/input_fn/predict_fn/output_fn or transform_fn) and the default TorchScript loader',
    gaps: ['no TorchServe/MMS front end, one worker; requirements.txt in code/ is not installed'],
  },
  {
    kind: 'model-monitor',
    repositories: ['sagemaker-model-monitor-analyzer'],
    container: 'SageMaker Model Monitor analyzer (closed source; its documented environment and output contract)',
    emulatedVersion: 'the env contract of the SageMaker Python SDK (ModelMonitor._generate_env_map) and the statistics/constraints/violations schemas of the Model Monitor docs',
    containerLibrary: 'Spark + Deequ',
    localLibrary: 'pandas 1.5.3, numpy 1.24.2 (lib/local/containers/model_monitor_analyzer.py)',
    training: 'not a training image',
    processing:
      "the image's own entry point emulated: DATA_QUALITY baselining (statistics.json, constraints.json) and, with baseline_statistics/baseline_constraints, constraint_violations.json; MODEL_QUALITY for BinaryClassification and Regression",
    serving: 'not a serving image',
    gaps: [
      'CSV data sets only (no JSON Lines, no captured endpoint data, no dataset_format sagemakerCaptureJson)',
      'KLL sketch without compaction (every value) and 10 equal-width buckets; types inferred from all values',
      'baseline drift is the largest bucket-frequency difference for both Simple and Robust comparison methods',
      'MulticlassClassification, record pre-processing and post-analytics scripts, and CloudWatch metrics are not emulated',
      'a multi-instance job analyzes the whole data set on every host',
    ],
  },
  {
    kind: 'clarify',
    repositories: ['sagemaker-clarify-processing'],
    container: 'SageMaker Clarify processing',
    emulatedVersion: '-',
    containerLibrary: '-',
    localLibrary: '-',
    training: 'not emulated',
    processing: 'not emulated (a closed-source container)',
    serving: 'not emulated',
    gaps: ['not emulated'],
  },
  {
    kind: 'linear-learner',
    repositories: ['linear-learner'],
    container: 'SageMaker Linear Learner algorithm (closed source)',
    emulatedVersion: '-',
    containerLibrary: '-',
    localLibrary: '-',
    training: 'not emulated (the job fails with "not emulated")',
    processing: 'not a processing image; a ContainerEntrypoint would run with the local python3, without the algorithm',
    serving: 'not emulated',
    gaps: ['not emulated: neither the algorithm nor its model server runs locally'],
  },
  {
    kind: 'tensorflow-training',
    repositories: ['tensorflow-training'],
    container: 'sagemaker-tensorflow-training-toolkit on sagemaker-training-toolkit',
    emulatedVersion: '-',
    containerLibrary: 'tensorflow as the image tag says (e.g. tensorflow-training:2.16.2-cpu-py310)',
    localLibrary: '- (TensorFlow is not installed here)',
    training: 'not emulated (the job fails with "not emulated")',
    processing: 'ContainerEntrypoint run with the local python3, without TensorFlow',
    serving: 'not a serving image',
    gaps: ['not emulated: TensorFlow is not installed here, so script mode is not run'],
  },
  {
    kind: 'tensorflow-inference',
    repositories: ['tensorflow-inference'],
    container: 'sagemaker-tensorflow-serving-container (TensorFlow Serving)',
    emulatedVersion: '-',
    containerLibrary: 'TensorFlow Serving as the image tag says (e.g. tensorflow-inference:2.16.1-cpu)',
    localLibrary: '- (TensorFlow Serving is not installed here)',
    training: 'not a training image',
    processing: 'ContainerEntrypoint run with the local python3, without TensorFlow',
    serving: 'not emulated',
    gaps: ['not emulated: no TensorFlow Serving model server runs locally'],
  },
  {
    kind: 'neo',
    repositories: ['xgboost-neo', 'sagemaker-inference-pytorch', 'sagemaker-inference-tensorflow', 'sagemaker-neo-pytorch', 'sagemaker-neo-tensorflow'],
    container: 'SageMaker Neo inference containers (serve models a Neo compilation job compiled)',
    emulatedVersion: '-',
    containerLibrary: 'as the image tag says (e.g. xgboost-neo:latest, sagemaker-inference-pytorch:1.13-cpu-py3)',
    localLibrary: '- (no Neo runtime here)',
    training: 'not a training image',
    processing: 'not a processing image; a ContainerEntrypoint would run with the local python3, without the Neo runtime',
    serving: 'not emulated',
    gaps: ['not emulated: compiled models need the Neo runtime, and compilation jobs (CreateCompilationJob) do not run locally'],
  },
  {
    kind: 'custom',
    repositories: [],
    container: 'any other image',
    emulatedVersion: '-',
    containerLibrary: '-',
    localLibrary: 'the local python3',
    training: 'not emulated (the image\'s own entry point is unknown)',
    processing: 'ContainerEntrypoint run with the local python3 and /bin/sh (the image\'s other programs are not available)',
    serving: 'not emulated',
    gaps: ['runs on this machine\'s programs, not the image\'s'],
  },
];

/** A classified image URI. */
export interface ImageInfo {
  readonly uri: string;
  readonly kind: ImageKind;
  readonly repository: string;
  readonly tag?: string;
  readonly emulation: EmulatedImage;
}

/** Classifies an image URI by its repository (the part after the last `/`, before `:` or `@`). */
export function classifyImage(uri: string | undefined): ImageInfo {
  const text = uri ?? '';
  const lastPart = text.slice(text.lastIndexOf('/') + 1);
  const at = lastPart.indexOf('@');
  const nameTag = at >= 0 ? lastPart.slice(0, at) : lastPart;
  const colon = nameTag.indexOf(':');
  const repository = colon >= 0 ? nameTag.slice(0, colon) : nameTag;
  const tag = colon >= 0 ? nameTag.slice(colon + 1) : undefined;
  const row = EMULATED_IMAGES.find((r) => r.repositories.includes(repository)) ?? EMULATED_IMAGES[EMULATED_IMAGES.length - 1];
  return { uri: text, kind: row.kind, repository, tag, emulation: row };
}

/** Whether the kind's container runs user scripts in script mode (sagemaker-training-toolkit). */
export function isFrameworkTrainingImage(kind: ImageKind): boolean {
  return kind === 'xgboost' || kind === 'sklearn' || kind === 'pytorch-training';
}

/** The emulation table as Markdown (for the docs; a docs test can compare it with the published table). */
export function renderEmulationTable(): string {
  const rows = EMULATED_IMAGES.map((r) =>
    `| ${r.repositories.length ? r.repositories.map((x) => `\`${x}\``).join(', ') : '(other)'} | ${r.container} | ${r.emulatedVersion} | ${r.containerLibrary} | ${r.localLibrary} | ${r.training} | ${r.processing} | ${r.serving} | ${r.gaps.join('; ')} |`);
  return [
    '| Repository | Container | Version emulated | Container libraries | Here | Training | Processing | Serving | Gaps |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
