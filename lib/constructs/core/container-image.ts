import { CfnMapping, Stack, Token, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_iam as iam } from 'aws-cdk-lib';
import { FactName, RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { SageMakerConstructError, validationError } from '../../private/errors';
import {
  FIRST_PARTY_IMAGE_ACCOUNTS,
  MODEL_MONITOR_IMAGE_ACCOUNTS,
  PYTORCH_VERSIONS,
  SKLEARN_VERSIONS,
  XGBOOST_VERSIONS,
} from './image-registries';
import { Processor } from './processor';

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
   */
  readonly version: string;
  /**
   * The Python version tag of the image, e.g. `py310`.
   * @default - the version's default from the SageMaker Python SDK
   */
  readonly pythonVersion?: string;
  /**
   * Whether the image is the CPU or the GPU (CUDA) build.
   */
  readonly processor: Processor;
}

/**
 * A container image for a SageMaker job or model: one of SageMaker's own images (region-aware),
 * an image in an ECR repository, an image anywhere else, or a local Docker build.
 */
export abstract class ContainerImage {
  /**
   * An image in an ECR repository; `bind()` grants pull on exactly that repository.
   * @param tag the image tag or digest (`sha256:...`)
   */
  public static fromEcrRepository(repository: ecr.IRepository, tag: string = 'latest'): ContainerImage {
    return new EcrImage(repository, tag);
  }

  /**
   * An image by URI, in a registry the workload can reach. No permissions are granted.
   */
  public static fromRegistry(uri: string): ContainerImage {
    if (!Token.isUnresolved(uri) && uri.trim() === '') {
      throw new SageMakerConstructError('ContainerImage.fromRegistry needs an image URI such as "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-image:1.0".');
    }
    return new RegistryImage(uri);
  }

  /**
   * An image built from a local directory with a Dockerfile, when the app is synthesized and
   * published to the bootstrap ECR repository. It needs a Docker engine at `cdk deploy`;
   * nothing is built until a construct binds the image.
   */
  public static fromAsset(directory: string, options: ecr_assets.DockerImageAssetOptions = {}): ContainerImage {
    return new AssetImage(directory, options);
  }

  /**
   * SageMaker's XGBoost algorithm image (training and inference), e.g. `1.7-1`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost.html
   */
  public static xgboost(version: string): ContainerImage {
    checkVersion('XGBoost', version, XGBOOST_VERSIONS);
    return new SageMakerImage('XGBoost', 'sagemaker-xgboost', version, FIRST_PARTY_IMAGE_ACCOUNTS, undefined);
  }

  /**
   * SageMaker's scikit-learn image (processing, training, inference), e.g. `1.2-1`.
   */
  public static sklearn(version: string): ContainerImage {
    checkVersion('scikit-learn', version, SKLEARN_VERSIONS);
    return new SageMakerImage('ScikitLearn', 'sagemaker-scikit-learn', `${version}-cpu-py3`, FIRST_PARTY_IMAGE_ACCOUNTS, Processor.CPU);
  }

  /**
   * The PyTorch training deep-learning container.
   */
  public static pytorchTraining(options: PyTorchImageOptions): ContainerImage {
    return ContainerImage.pytorch('pytorch-training', options);
  }

  /**
   * The PyTorch inference deep-learning container.
   */
  public static pytorchInference(options: PyTorchImageOptions): ContainerImage {
    return ContainerImage.pytorch('pytorch-inference', options);
  }

  /**
   * The Model Monitor analyzer image, which computes baselines and monitoring reports.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-pre-built-container.html
   */
  public static modelMonitorAnalyzer(): ContainerImage {
    return new SageMakerImage('ModelMonitor', 'sagemaker-model-monitor-analyzer', 'latest', MODEL_MONITOR_IMAGE_ACCOUNTS, Processor.CPU);
  }

  private static pytorch(repository: string, options: PyTorchImageOptions): ContainerImage {
    checkVersion('PyTorch', options.version, Object.keys(PYTORCH_VERSIONS));
    const python = options.pythonVersion ?? PYTORCH_VERSIONS[options.version];
    const accounts = RegionInfo.regionMap(FactName.DLC_REPOSITORY_ACCOUNT);
    return new SageMakerImage(
      'PyTorch',
      repository,
      `${options.version}-${options.processor}-${python}`,
      accounts,
      options.processor,
    );
  }

  /**
   * The processor the image is built for, when known: constructs warn when a GPU image runs on
   * a CPU instance and the other way round.
   */
  public abstract readonly processor?: Processor;

  /**
   * Renders the image URI for `scope`'s stack and grants `grantee` pull access to exactly
   * the repository of the image.
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig;
}

function checkVersion(framework: string, version: string, supported: readonly string[]): void {
  if (Token.isUnresolved(version) || supported.includes(version)) return;
  throw new SageMakerConstructError(
    `${framework} image version "${version}" is not one this library knows the registries of. ` +
      `Supported versions: ${supported.join(', ')}. For another version, use ContainerImage.fromRegistry(uri).`,
  );
}

class EcrImage extends ContainerImage {
  public readonly processor?: Processor = undefined;

  constructor(private readonly repository: ecr.IRepository, private readonly tag: string) {
    super();
  }

  public bind(_scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    this.repository.grantPull(grantee);
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
    const stack = Stack.of(scope);
    let asset = this.assets.get(stack);
    if (!asset) {
      asset = new ecr_assets.DockerImageAsset(scope, 'ImageAsset', { ...this.options, directory: this.directory });
      this.assets.set(stack, asset);
    }
    asset.repository.grantPull(grantee);
    return { imageUri: asset.imageUri };
  }
}

/**
 * One of SageMaker's own images: the registry account depends on the region. A concrete region
 * gets a concrete URI; an env-agnostic stack gets a CfnMapping looked up with AWS::Region.
 */
class SageMakerImage extends ContainerImage {
  constructor(
    private readonly family: string,
    private readonly repositoryName: string,
    private readonly tag: string,
    private readonly accounts: Readonly<Record<string, string | undefined>>,
    public readonly processor: Processor | undefined,
  ) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ContainerImageConfig {
    const stack = Stack.of(scope);
    const account = this.account(scope, stack);
    const urlSuffix = Token.isUnresolved(stack.region) ? stack.urlSuffix : RegionInfo.get(stack.region).domainSuffix ?? stack.urlSuffix;
    const uri = `${account}.dkr.ecr.${stack.region}.${urlSuffix}/${this.repositoryName}:${this.tag}`;
    const repositoryArn = stack.formatArn({ service: 'ecr', account, resource: 'repository', resourceName: this.repositoryName });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resourceArns: [repositoryArn],
    });
    // GetAuthorizationToken returns a registry-wide token and supports no resource.
    iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] });
    return { imageUri: uri };
  }

  private account(scope: Construct, stack: Stack): string {
    const regions = Object.keys(this.accounts).filter((r) => this.accounts[r] !== undefined).sort();
    if (!Token.isUnresolved(stack.region)) {
      const account = this.accounts[stack.region];
      if (!account) {
        throw validationError(
          scope,
          `SageMaker's ${this.family} image (${this.repositoryName}) is not published in region ${stack.region}. ` +
            `Supported regions: ${regions.join(', ')}. Deploy to one of them or use ContainerImage.fromRegistry(uri).`,
        );
      }
      return account;
    }
    const mappingId = `SageMakerImageAccounts${this.family}`;
    const mapping =
      (stack.node.tryFindChild(mappingId) as CfnMapping | undefined) ??
      new CfnMapping(stack, mappingId, {
        mapping: Object.fromEntries(regions.map((r) => [r, { account: this.accounts[r] as string }])),
      });
    return mapping.findInMap(stack.region, 'account');
  }
}
