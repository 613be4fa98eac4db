import { CfnMapping, Stack, Token, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_iam as iam } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { SageMakerConstructError, validationError } from '../../private/errors';
import { acknowledgeActionsWithoutResourceTypes } from '../../private/nag';
import { ManagedPolicyRole } from '../security/managed-policy-role';
import { CLARIFY_ACCOUNTS, CLARIFY_CHINA_ACCOUNTS } from './clarify-registry';
import { LINEAR_LEARNER_ACCOUNTS, LINEAR_LEARNER_CHINA_ACCOUNTS, LINEAR_LEARNER_TAG } from './linear-learner-registry';
import { MODEL_MONITOR_ACCOUNTS, MODEL_MONITOR_CHINA_ACCOUNTS } from './model-monitor-registry';
import { Processor } from './processor';
import { PYTORCH_ACCOUNTS, PYTORCH_CHINA_ACCOUNTS, PYTORCH_INFERENCE_VERSIONS, PYTORCH_TRAINING_VERSIONS } from './pytorch-registry';
import { TENSORFLOW_ACCOUNTS, TENSORFLOW_CHINA_ACCOUNTS, TENSORFLOW_INFERENCE_VERSIONS, TENSORFLOW_TRAINING_VERSIONS } from './tensorflow-registry';
import { INFERENTIA_PYTORCH, INFERENTIA_TENSORFLOW, NEO_ACCOUNTS, NEO_CHINA_ACCOUNTS, NEO_PYTORCH, NEO_TENSORFLOW, NeoImageVersions, XGBOOST_NEO_REPOSITORY } from './neo-registry';
import { NeoFramework, NeoTargetDevice } from './neo-target';
import { uniqueChildId } from './unique-id';
import { SKLEARN_TAGS, XGBOOST_SKLEARN_ACCOUNTS, XGBOOST_SKLEARN_CHINA_ACCOUNTS, XGBOOST_TAGS } from './xgboost-sklearn-registry';

/**
 * What a container image renders to when a construct uses it.
 */
export interface ContainerImageConfig {
  /** The full image URI (`<registry>/<repository>:<tag>`), possibly with tokens. */
  readonly imageUri: string;
}

/**
 * Options of the PyTorch deep-learning container images.
 */
export interface PyTorchImageOptions {
  /**
   * The PyTorch version, e.g. `2.1.0`.
   * @see https://github.com/aws/deep-learning-containers/blob/master/available_images.md
   */
  readonly version: string;
  /**
   * The Python version tag of the image, e.g. `py310`.
   * @default - the Python version the SageMaker Python SDK lists for `version`
   */
  readonly pythonVersion?: string;
  /**
   * Whether the image is the CPU or the GPU (CUDA) build.
   */
  readonly processor: Processor;
}

/**
 * Options of the TensorFlow training deep-learning container images.
 */
export interface TensorFlowTrainingImageOptions {
  /**
   * The TensorFlow version, e.g. `2.16.2`.
   * @see https://github.com/aws/deep-learning-containers/blob/master/available_images.md
   */
  readonly version: string;
  /**
   * The Python version tag of the image, e.g. `py310`.
   * @default - the Python version the SageMaker Python SDK lists for `version`
   */
  readonly pythonVersion?: string;
  /**
   * Whether the image is the CPU or the GPU (CUDA) build.
   */
  readonly processor: Processor;
}

/**
 * Options of the TensorFlow inference (TensorFlow Serving) deep-learning container images.
 */
export interface TensorFlowInferenceImageOptions {
  /**
   * The TensorFlow version, e.g. `2.16.1`.
   * @see https://github.com/aws/deep-learning-containers/blob/master/available_images.md
   */
  readonly version: string;
  /**
   * Whether the image is the CPU or the GPU (CUDA) build.
   */
  readonly processor: Processor;
}

/**
 * Options of the SageMaker Neo inference images, which serve models a compilation job compiled.
 */
export interface NeoInferenceImageOptions {
  /** The framework the model was trained with (the compilation job's `framework`). */
  readonly framework: NeoFramework;
  /** The instance family the model was compiled for (the compilation job's `targetDevice`). */
  readonly targetDevice: NeoTargetDevice;
  /**
   * The framework version the model was compiled with, e.g. `1.13` (PyTorch) or `2.9`
   * (TensorFlow); not used for XGBoost, whose Neo image has the one tag `latest`.
   * @default - none (required for PyTorch and TensorFlow)
   */
  readonly frameworkVersion?: string;
}

/**
 * Which image of a SageMaker repository to use: a tag or a digest (at most one of them).
 */
export interface SageMakerImageVersionOptions {
  /**
   * The image tag.
   * @default - the factory's default tag
   */
  readonly tag?: string;
  /**
   * The image manifest digest, `sha256:` and 64 hex digits: the URI then names exactly one
   * image (`<repository>@sha256:...`), which no later push can change. A digest is the same in
   * every region only if AWS publishes the identical image there.
   * @default - the tag
   */
  readonly digest?: string;
}

/**
 * A container image for a SageMaker job or model: one of SageMaker's own images (region-aware),
 * an image in an ECR repository, an image anywhere else, or a local Docker build.
 *
 * `bind()` renders the URI for the stack that uses the image and grants the workload's role pull
 * access to exactly the image's repository.
 */
export abstract class ContainerImage {
  /**
   * An image in an ECR repository of your own; `bind()` grants pull on exactly that repository.
   * @param repository the repository
   * @param tag the image tag, or a digest (`sha256:...`)
   */
  public static fromEcrRepository(repository: ecr.IRepository, tag: string = 'latest'): ContainerImage {
    if (!Token.isUnresolved(tag) && tag.trim() === '') {
      throw new SageMakerConstructError('ContainerImage.fromEcrRepository: the tag is empty. Give an image tag such as "1.0" or a digest such as "sha256:...", or omit it for "latest".');
    }
    return new EcrImage(repository, tag);
  }

  /**
   * An image by URI, in a registry the workload can reach (for an image in another account's ECR
   * repository, that repository's policy must allow the role). No permissions are granted.
   * @param uri the full image URI
   */
  public static fromRegistry(uri: string): ContainerImage {
    if (!Token.isUnresolved(uri) && uri.trim() === '') {
      throw new SageMakerConstructError('ContainerImage.fromRegistry needs an image URI such as "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-image:1.0".');
    }
    return new RegistryImage(uri);
  }

  /**
   * An image built from a local directory with a Dockerfile and published to the bootstrap ECR
   * repository. Building needs a Docker engine at `cdk synth`/`cdk deploy`; nothing is created
   * until a construct binds the image.
   * @param directory the Docker build context
   * @param options build options (Dockerfile, build arguments, platform, ...)
   */
  public static fromAsset(directory: string, options: ecr_assets.DockerImageAssetOptions = {}): ContainerImage {
    return new AssetImage(directory, options);
  }

  /**
   * SageMaker's XGBoost algorithm and framework image (training and inference).
   * @param version the image version, e.g. `1.7-1`
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost.html
   */
  public static xgboost(version: string): ContainerImage {
    const tag = lookUpVersion('ContainerImage.xgboost', 'XGBoost', version, XGBOOST_TAGS);
    return new SageMakerImage('XGBoost', 'sagemaker-xgboost', `:${tag}`, { ...XGBOOST_SKLEARN_ACCOUNTS, ...XGBOOST_SKLEARN_CHINA_ACCOUNTS }, undefined);
  }

  /**
   * SageMaker's scikit-learn framework image (processing, training and inference; CPU only).
   * @param version the image version, e.g. `1.2-1`
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/sklearn.html
   */
  public static sklearn(version: string): ContainerImage {
    const tag = lookUpVersion('ContainerImage.sklearn', 'scikit-learn', version, SKLEARN_TAGS);
    return new SageMakerImage('ScikitLearn', 'sagemaker-scikit-learn', `:${tag}`, { ...XGBOOST_SKLEARN_ACCOUNTS, ...XGBOOST_SKLEARN_CHINA_ACCOUNTS }, Processor.CPU);
  }

  /**
   * The PyTorch training deep-learning container.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pytorch.html
   */
  public static pytorchTraining(options: PyTorchImageOptions): ContainerImage {
    return ContainerImage.deepLearningContainer('ContainerImage.pytorchTraining', 'PyTorch', 'pytorch-training', PYTORCH_TRAINING_VERSIONS, { ...PYTORCH_ACCOUNTS, ...PYTORCH_CHINA_ACCOUNTS }, options);
  }

  /**
   * The PyTorch inference deep-learning container.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pytorch.html
   */
  public static pytorchInference(options: PyTorchImageOptions): ContainerImage {
    return ContainerImage.deepLearningContainer('ContainerImage.pytorchInference', 'PyTorch', 'pytorch-inference', PYTORCH_INFERENCE_VERSIONS, { ...PYTORCH_ACCOUNTS, ...PYTORCH_CHINA_ACCOUNTS }, options);
  }

  /**
   * SageMaker's Linear Learner algorithm image (training and inference, CPU and GPU instances),
   * `linear-learner:1` by default: the only version the SageMaker Python SDK's
   * `linear-learner.json` lists. Pair it with `Hyperparameters.linearLearner(...)`.
   * @param options a tag or a digest to pin instead of `1`
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/linear-learner.html
   */
  public static linearLearner(options: SageMakerImageVersionOptions = {}): ContainerImage {
    const reference = imageReference('ContainerImage.linearLearner', options, LINEAR_LEARNER_TAG);
    return new SageMakerImage('LinearLearner', 'linear-learner', reference, { ...LINEAR_LEARNER_ACCOUNTS, ...LINEAR_LEARNER_CHINA_ACCOUNTS }, undefined);
  }

  /**
   * The TensorFlow training deep-learning container (script mode), tagged
   * `<version>-<cpu|gpu>-<python>`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/tf.html
   */
  public static tensorflowTraining(options: TensorFlowTrainingImageOptions): ContainerImage {
    return ContainerImage.deepLearningContainer('ContainerImage.tensorflowTraining', 'TensorFlow', 'tensorflow-training', TENSORFLOW_TRAINING_VERSIONS, { ...TENSORFLOW_ACCOUNTS, ...TENSORFLOW_CHINA_ACCOUNTS }, options);
  }

  /**
   * The TensorFlow inference deep-learning container (TensorFlow Serving), tagged
   * `<version>-<cpu|gpu>`: the SageMaker Python SDK lists no Python version for these images.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/tf.html
   */
  public static tensorflowInference(options: TensorFlowInferenceImageOptions): ContainerImage {
    if (!Token.isUnresolved(options.version) && !TENSORFLOW_INFERENCE_VERSIONS.includes(options.version)) {
      throw unsupported('ContainerImage.tensorflowInference', 'TensorFlow version', options.version, TENSORFLOW_INFERENCE_VERSIONS);
    }
    return new SageMakerImage(
      'TensorFlow',
      'tensorflow-inference',
      `:${options.version}-${options.processor}`,
      { ...TENSORFLOW_ACCOUNTS, ...TENSORFLOW_CHINA_ACCOUNTS },
      options.processor,
    );
  }

  /**
   * The SageMaker Clarify processing image (bias and explainability analysis, CPU), `1.0` by
   * default: the only version the SageMaker Python SDK's `clarify.json` lists.
   * @param options a tag or a digest to pin instead of `1.0`
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-configure-container.html
   */
  public static clarify(options: SageMakerImageVersionOptions = {}): ContainerImage {
    const reference = imageReference('ContainerImage.clarify', options, '1.0');
    return new SageMakerImage('Clarify', 'sagemaker-clarify-processing', reference, { ...CLARIFY_ACCOUNTS, ...CLARIFY_CHINA_ACCOUNTS }, Processor.CPU);
  }

  /**
   * The Model Monitor analyzer image, which computes baselines and monitoring reports.
   *
   * AWS documents no versioned tag for this image: the Developer Guide gives the URI without a
   * tag (`<account>.dkr.ecr.<region>.amazonaws.com/sagemaker-model-monitor-analyzer`), and the
   * SageMaker Python SDK (`image_uri_config/model-monitor.json`) renders it untagged, which ECR
   * resolves to `latest`. So the default is `latest`, which AWS may replace at any time; to pin
   * the image, give the digest of the image your monitors run (`options.digest`) or a tag AWS
   * gives you (`options.tag`).
   * @param options a tag or a digest to pin instead of `latest`
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-pre-built-container.html
   */
  public static modelMonitorAnalyzer(options: SageMakerImageVersionOptions = {}): ContainerImage {
    const reference = imageReference('ContainerImage.modelMonitorAnalyzer', options, 'latest');
    return new SageMakerImage('ModelMonitor', 'sagemaker-model-monitor-analyzer', reference, { ...MODEL_MONITOR_ACCOUNTS, ...MODEL_MONITOR_CHINA_ACCOUNTS }, Processor.CPU);
  }

  /**
   * The SageMaker Neo inference image that serves a model compiled for `targetDevice`:
   * `xgboost-neo:latest` for XGBoost, `sagemaker-inference-pytorch` and
   * `sagemaker-inference-tensorflow` (`<version>-<cpu|gpu>-py3`) for cloud instances,
   * `sagemaker-neo-pytorch` and `sagemaker-neo-tensorflow` (`<version>-inf-py3`) for ml_inf1.
   * Registries and versions are those of the SageMaker Python SDK's `neo-pytorch.json`,
   * `neo-tensorflow.json`, `xgboost-neo.json`, `inferentia-pytorch.json` and
   * `inferentia-tensorflow.json`; a version given as `major.minor` picks the one image of that
   * line (e.g. `2.5` is `2.5.2` on ml_inf1). For other frameworks give the image URI with
   * `ContainerImage.fromRegistry`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/neo-deployment-hosting-services-container-images.html
   */
  public static neoInference(options: NeoInferenceImageOptions): ContainerImage {
    const factory = 'ContainerImage.neoInference';
    const { framework, targetDevice, frameworkVersion } = options;
    const accounts = { ...NEO_ACCOUNTS, ...NEO_CHINA_ACCOUNTS };
    if (framework === NeoFramework.XGBOOST) {
      return new SageMakerImage('Neo', XGBOOST_NEO_REPOSITORY, ':latest', accounts, undefined);
    }
    const inferentia = targetDevice === NeoTargetDevice.ML_INF1;
    const families: Partial<Record<NeoFramework, NeoImageVersions>> = inferentia
      ? { [NeoFramework.PYTORCH]: INFERENTIA_PYTORCH, [NeoFramework.TENSORFLOW]: INFERENTIA_TENSORFLOW }
      : { [NeoFramework.PYTORCH]: NEO_PYTORCH, [NeoFramework.TENSORFLOW]: NEO_TENSORFLOW };
    const family = families[framework];
    if (!family) {
      throw unsupported(factory, `framework for a Neo image (${targetDevice})`, framework, [NeoFramework.XGBOOST, ...Object.keys(families)]);
    }
    if (frameworkVersion === undefined) {
      throw new SageMakerConstructError(`${factory}: ${framework} images are per framework version; give frameworkVersion, one of ${family.versions.join(', ')}.`);
    }
    const version = Token.isUnresolved(frameworkVersion) ? frameworkVersion : neoImageVersion(family, frameworkVersion);
    if (version === undefined) {
      throw unsupported(factory, `${framework} version for ${targetDevice}`, frameworkVersion, family.versions);
    }
    const processor = inferentia ? 'inf' : GPU_TARGETS.includes(targetDevice) ? Processor.GPU : Processor.CPU;
    return new SageMakerImage('Neo', family.repository, `:${version}-${processor}-py3`, accounts, processor === 'inf' ? undefined : processor);
  }

  /**
   * A framework's deep-learning container tagged `<version>-<cpu|gpu>-<python>`: the version must
   * be one the table lists (its Python versions, the first the default), unless it is a token.
   */
  private static deepLearningContainer(
    factory: string,
    framework: string,
    repository: string,
    versions: Readonly<Record<string, readonly string[]>>,
    accounts: Readonly<Record<string, string>>,
    options: PyTorchImageOptions,
  ): ContainerImage {
    const pythons = Object.hasOwn(versions, options.version) ? versions[options.version] : undefined;
    if (!Token.isUnresolved(options.version) && pythons === undefined) {
      throw unsupported(factory, `${framework} version`, options.version, Object.keys(versions));
    }
    if (pythons === undefined && options.pythonVersion === undefined) {
      throw new SageMakerConstructError(
        `${factory}: the ${framework} version is a token, so the image's Python version cannot be looked up. Give pythonVersion too, e.g. "py310".`,
      );
    }
    const python = options.pythonVersion ?? (pythons as readonly string[])[0];
    if (pythons && !Token.isUnresolved(python) && !pythons.includes(python)) {
      throw unsupported(factory, `Python version for ${framework} ${options.version}`, python, pythons);
    }
    return new SageMakerImage(framework, repository, `:${options.version}-${options.processor}-${python}`, accounts, options.processor);
  }


  /**
   * The processor the image is built for, when known: constructs warn when a GPU image runs on a
   * CPU instance type and the other way round. Undefined for images that run on both (XGBoost)
   * and for images this library did not build the URI of.
   */
  public abstract readonly processor?: Processor;

  /**
   * The family of SageMaker's own images (`XGBoost`, `PyTorch`, `ScikitLearn`, ...), undefined
   * for other images. Built-in algorithms emit their own metrics (XGBoost: `validation:*`,
   * `train:*`), so a tuning objective needs no metric definition for them.
   */
  public get sageMakerFamily(): string | undefined {
    return undefined;
  }

  /**
   * Renders the image URI for `scope`'s stack and grants `grantee` pull access to exactly the
   * repository of the image.
   * @param scope the construct that uses the image (its stack decides the region)
   * @param grantee the role the workload runs as
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig;
}

/** The Neo cloud targets with GPUs (the SDK picks its `gpu` images for `g` and `p` families). */
const GPU_TARGETS: readonly NeoTargetDevice[] = [NeoTargetDevice.ML_P2, NeoTargetDevice.ML_P3, NeoTargetDevice.ML_G4DN];

/**
 * The image version of `given`: a listed version, an alias the SDK lists, or a `major.minor`
 * that starts exactly one listed version.
 */
function neoImageVersion(family: NeoImageVersions, given: string): string | undefined {
  if (family.versions.includes(given)) return given;
  if (Object.hasOwn(family.aliases, given)) return family.aliases[given];
  const line = family.versions.filter((v) => v.startsWith(`${given}.`));
  return line.length === 1 ? line[0] : undefined;
}

function unsupported(factory: string, what: string, given: string, supported: readonly string[]): SageMakerConstructError {
  return new SageMakerConstructError(
    `${factory}: ${what} "${given}" is not one whose registries this library knows. ` +
      `Supported: ${supported.join(', ')}. Pick one of them, or give the image URI with ContainerImage.fromRegistry(uri).`,
  );
}

/**
 * The `:tag` or `@sha256:...` suffix of an image URI. Tokens pass unchecked.
 */
function imageReference(factory: string, options: SageMakerImageVersionOptions, defaultTag: string): string {
  const { tag, digest } = options;
  if (tag !== undefined && digest !== undefined) {
    throw new SageMakerConstructError(`${factory}: both tag "${tag}" and digest "${digest}" are given, but an image URI names one of them; give either the tag or the digest.`);
  }
  if (digest !== undefined) {
    // `<repository>@sha256:<64 hex digits>`, as the ECS API documents image digests of ECR images:
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (image)
    if (!Token.isUnresolved(digest) && !/^sha256:[0-9a-fA-F]{64}$/.test(digest)) {
      throw new SageMakerConstructError(`${factory}: digest "${digest}" is not an image digest; give "sha256:" followed by 64 hex digits, as ECR reports it (imageDigest).`);
    }
    return `@${digest}`;
  }
  if (tag !== undefined && !Token.isUnresolved(tag) && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    // Docker tag grammar: https://docs.docker.com/engine/reference/commandline/image_tag/
    throw new SageMakerConstructError(
      `${factory}: tag "${tag}" is not a valid image tag; a tag is 1 to 128 letters, digits, "_", "." and "-", not starting with "." or "-" (for a digest use the digest option).`,
    );
  }
  return `:${tag ?? defaultTag}`;
}

function lookUpVersion(factory: string, framework: string, version: string, tags: Readonly<Record<string, string>>): string {
  if (Token.isUnresolved(version)) return version;
  if (!Object.hasOwn(tags, version)) {
    throw unsupported(factory, `${framework} version`, version, Object.keys(tags));
  }
  return tags[version];
}

class EcrImage extends ContainerImage {
  public readonly processor?: Processor = undefined;

  constructor(private readonly repository: ecr.IRepository, private readonly tag: string) {
    super();
  }

  public bind(_scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    this.repository.grantPull(grantee);
    acknowledgeAuthorizationToken(grantee);
    return { imageUri: this.repository.repositoryUriForTagOrDigest(this.tag) };
  }
}

class RegistryImage extends ContainerImage {
  public readonly processor?: Processor = undefined;

  constructor(private readonly uri: string) {
    super();
  }

  public bind(): ContainerImageConfig {
    return { imageUri: this.uri };
  }
}

class AssetImage extends ContainerImage {
  public readonly processor?: Processor = undefined;
  private readonly assets = new WeakMap<Stack, ecr_assets.DockerImageAsset>();

  constructor(private readonly directory: string, private readonly options: ecr_assets.DockerImageAssetOptions) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    // One asset per stack, created by the first construct that binds the image.
    const stack = Stack.of(scope);
    let asset = this.assets.get(stack);
    if (!asset) {
      asset = new ecr_assets.DockerImageAsset(scope, uniqueChildId(scope, 'ImageAsset'), { ...this.options, directory: this.directory });
      this.assets.set(stack, asset);
    }
    asset.repository.grantPull(grantee);
    acknowledgeAuthorizationToken(grantee);
    return { imageUri: asset.imageUri };
  }
}

/**
 * One of SageMaker's own images: the registry account depends on the region. A concrete region
 * gets a concrete URI; an env-agnostic stack gets one CfnMapping per image family, looked up with
 * `AWS::Region` at deploy time.
 */
class SageMakerImage extends ContainerImage {
  constructor(
    private readonly family: string,
    private readonly repositoryName: string,
    /** `:<tag>` or `@sha256:<digest>`. */
    private readonly reference: string,
    private readonly accounts: Readonly<Record<string, string>>,
    public readonly processor: Processor | undefined,
  ) {
    super();
  }

  public get sageMakerFamily(): string | undefined {
    return this.family;
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    const stack = Stack.of(scope);
    const account = this.account(scope, stack);
    const urlSuffix = Token.isUnresolved(stack.region) ? stack.urlSuffix : RegionInfo.get(stack.region).domainSuffix ?? stack.urlSuffix;
    const repositoryArn = stack.formatArn({ service: 'ecr', account, resource: 'repository', resourceName: this.repositoryName });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resourceArns: [repositoryArn],
    });
    // GetAuthorizationToken returns a registry-wide login token and supports no resource.
    iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] });
    acknowledgeAuthorizationToken(grantee);
    return { imageUri: `${account}.dkr.ecr.${stack.region}.${urlSuffix}/${this.repositoryName}${this.reference}` };
  }

  private account(scope: Construct, stack: Stack): string {
    const regions = Object.keys(this.accounts).sort();
    if (!Token.isUnresolved(stack.region)) {
      const account = Object.hasOwn(this.accounts, stack.region) ? this.accounts[stack.region] : undefined;
      if (account === undefined) {
        throw validationError(
          scope,
          `SageMaker's ${this.family} image (${this.repositoryName}) is not published in region ${stack.region} as far as this library knows. ` +
            `Supported regions: ${regions.join(', ')}. Deploy the stack to one of them, or give the image URI with ContainerImage.fromRegistry(uri).`,
        );
      }
      return account;
    }
    const mappingId = `SageMakerImageAccounts${this.family}`;
    const existing = stack.node.tryFindChild(mappingId);
    const mapping =
      existing instanceof CfnMapping
        ? existing
        : new CfnMapping(stack, mappingId, {
          mapping: Object.fromEntries(regions.map((region) => [region, { account: this.accounts[region] }])),
        });
    return mapping.findInMap(stack.region, 'account');
  }
}

/**
 * Pulling an image needs `ecr:GetAuthorizationToken` on "*". Acknowledged on the library's own
 * roles (ManagedPolicyRole, whose statements all name their resources otherwise); a role of
 * yours keeps the finding.
 */
function acknowledgeAuthorizationToken(grantee: iam.IGrantable): void {
  if (grantee.grantPrincipal instanceof ManagedPolicyRole) {
    acknowledgeActionsWithoutResourceTypes(grantee.grantPrincipal, ['ecr:GetAuthorizationToken'], 'it returns a registry-wide login token for pulling the image');
  }
}
