/**
 * Where SageMaker Neo's inference images live, per region, for the commercial `aws` partition.
 *
 * Source: the SageMaker Python SDK 3.20.0 (sagemaker-core,
 * `sagemaker-core/src/sagemaker/core/image_uri_config/`): `neo-pytorch.json`,
 * `neo-tensorflow.json`, `xgboost-neo.json`, `inferentia-pytorch.json` and
 * `inferentia-tensorflow.json` list these same accounts for every version.
 */
export const NEO_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '774647643957',
  'ap-east-1': '110948597952',
  'ap-northeast-1': '941853720454',
  'ap-northeast-2': '151534178276',
  'ap-northeast-3': '925152966179',
  'ap-south-1': '763008648453',
  'ap-southeast-1': '324986816169',
  'ap-southeast-2': '355873309152',
  'ca-central-1': '464438896020',
  'eu-central-1': '746233611703',
  'eu-central-2': '010526262399',
  'eu-north-1': '601324751636',
  'eu-south-1': '966458181534',
  'eu-west-1': '802834080501',
  'eu-west-2': '205493899709',
  'eu-west-3': '254080097072',
  'il-central-1': '275950707576',
  'me-south-1': '836785723513',
  'sa-east-1': '756306329178',
  'us-east-1': '785573368785',
  'us-east-2': '007439368137',
  'us-west-1': '710691900526',
  'us-west-2': '301217895009',
};

/**
 * The same images in the China (`aws-cn`) partition (registry domain `amazonaws.com.cn`); same
 * source and files, which list one account per China region.
 */
export const NEO_CHINA_ACCOUNTS: Readonly<Record<string, string>> = {
  'cn-north-1': '472730292857',
  'cn-northwest-1': '474822919863',
};

/** One family of Neo inference images: its repository and the versions of its tags. */
export interface NeoImageVersions {
  /** The ECR repository name. */
  readonly repository: string;
  /** The versions the SDK lists (tags are `<version>-<processor>-py3`). */
  readonly versions: readonly string[];
  /** Other version strings the SDK maps to one of `versions` (`version_aliases`). */
  readonly aliases: Readonly<Record<string, string>>;
}

/** `neo-pytorch.json`: PyTorch models compiled for CPU and GPU cloud instances. */
export const NEO_PYTORCH: NeoImageVersions = {
  repository: 'sagemaker-inference-pytorch',
  versions: ['1.4', '1.5', '1.6', '1.7', '1.8', '1.12', '1.13', '2.0'],
  aliases: {
    '0.4.0': '1.4', '1.0.0': '1.4', '1.1.0': '1.4', '1.2.0': '1.4', '1.3.0': '1.4', '1.4.0': '1.4',
    '1.7.0': '1.7', '1.7.1': '1.7', '1.8.0': '1.8', '1.8.1': '1.8', '1.12.0': '1.12', '1.12.1': '1.12',
    '1.13.0': '1.13', '1.13.1': '1.13', '2.0.0': '2.0', '2.0.1': '2.0',
  },
};

/** `neo-tensorflow.json`: TensorFlow models compiled for CPU and GPU cloud instances. */
export const NEO_TENSORFLOW: NeoImageVersions = {
  repository: 'sagemaker-inference-tensorflow',
  versions: ['1.15.3', '2.9.2'],
  aliases: {
    '1.4.1': '1.15.3', '1.5.0': '1.15.3', '1.6.0': '1.15.3', '1.7.0': '1.15.3', '1.8.0': '1.15.3', '1.9.0': '1.15.3',
    '1.10.0': '1.15.3', '1.11.0': '1.15.3', '1.12.0': '1.15.3', '1.13.0': '1.15.3', '1.14.0': '1.15.3',
    '2.4': '2.9.2', '2.4.0': '2.9.2', '2.4.1': '2.9.2', '2.4.2': '2.9.2', '2.9': '2.9.2', '2.9.0': '2.9.2',
  },
};

/** `inferentia-pytorch.json`: PyTorch models compiled for ml_inf1 (tags `<version>-inf-py3`). */
export const INFERENTIA_PYTORCH: NeoImageVersions = {
  repository: 'sagemaker-neo-pytorch',
  versions: ['1.7', '1.8', '1.9'],
  aliases: {},
};

/** `inferentia-tensorflow.json`: TensorFlow models compiled for ml_inf1 (tags `<version>-inf-py3`). */
export const INFERENTIA_TENSORFLOW: NeoImageVersions = {
  repository: 'sagemaker-neo-tensorflow',
  versions: ['1.15.0', '2.5.2'],
  aliases: {},
};

/** `xgboost-neo.json`: XGBoost models compiled by Neo; one version, `latest`. */
export const XGBOOST_NEO_REPOSITORY = 'xgboost-neo';
