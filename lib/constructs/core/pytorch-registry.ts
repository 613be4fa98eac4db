/**
 * Where the AWS Deep Learning Containers for PyTorch (`pytorch-training`, `pytorch-inference`)
 * live, per region, for the commercial `aws` partition.
 *
 * Source: the SageMaker Python SDK, `image_uri_config/pytorch.json` (aws/sagemaker-python-sdk,
 * `src/sagemaker/image_uri_config/`, now `sagemaker-core/src/sagemaker/core/image_uri_config/`);
 * every version below lists these accounts. They agree with aws-cdk-lib's region-info fact
 * `DLC_REPOSITORY_ACCOUNT` wherever that fact has the region; the SDK covers more regions.
 */
export const PYTORCH_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '626614931356',
  'ap-east-1': '871362719292',
  'ap-east-2': '975050140332',
  'ap-northeast-1': '763104351884',
  'ap-northeast-2': '763104351884',
  'ap-northeast-3': '364406365360',
  'ap-south-1': '763104351884',
  'ap-south-2': '772153158452',
  'ap-southeast-1': '763104351884',
  'ap-southeast-2': '763104351884',
  'ap-southeast-3': '907027046896',
  'ap-southeast-4': '457447274322',
  'ap-southeast-5': '550225433462',
  'ap-southeast-6': '633930458069',
  'ap-southeast-7': '590183813437',
  'ca-central-1': '763104351884',
  'ca-west-1': '204538143572',
  'eu-central-1': '763104351884',
  'eu-central-2': '380420809688',
  'eu-north-1': '763104351884',
  'eu-south-1': '692866216735',
  'eu-south-2': '503227376785',
  'eu-west-1': '763104351884',
  'eu-west-2': '763104351884',
  'eu-west-3': '763104351884',
  'il-central-1': '780543022126',
  'me-central-1': '914824155844',
  'me-south-1': '217643126080',
  'mx-central-1': '637423239942',
  'sa-east-1': '763104351884',
  'us-east-1': '763104351884',
  'us-east-2': '763104351884',
  'us-west-1': '763104351884',
  'us-west-2': '763104351884',
};

/**
 * The same images in the China (`aws-cn`) partition, whose registry domain is
 * `amazonaws.com.cn`. Same source (SageMaker Python SDK 3.20.0, sagemaker-core 2.20.0,
 * `sagemaker-core/src/sagemaker/core/image_uri_config/pytorch.json`): every version of
 * {@link PYTORCH_TRAINING_VERSIONS} and {@link PYTORCH_INFERENCE_VERSIONS} lists this one
 * account for both cn-north-1 and cn-northwest-1 (`pytorch-training`, `pytorch-inference`).
 */
export const PYTORCH_CHINA_ACCOUNTS: Readonly<Record<string, string>> = {
  'cn-north-1': '727897471807',
  'cn-northwest-1': '727897471807',
};

/**
 * PyTorch versions of the training images with the Python versions the SDK lists for them
 * (the first is the default). Tags are `<version>-<cpu|gpu>-<python>`.
 */
export const PYTORCH_TRAINING_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '1.12.1': ['py38'],
  '1.13.1': ['py39'],
  '2.0.1': ['py310'],
  '2.1.0': ['py310'],
  '2.2.0': ['py310'],
  '2.3.0': ['py311'],
  '2.4.0': ['py311'],
  '2.5.1': ['py311'],
  '2.6.0': ['py312'],
  '2.7.1': ['py312'],
  '2.8.0': ['py312'],
};

/** PyTorch versions of the inference images, as {@link PYTORCH_TRAINING_VERSIONS}. */
export const PYTORCH_INFERENCE_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '1.12.1': ['py38'],
  '1.13.1': ['py39'],
  '2.0.1': ['py310'],
  '2.1.0': ['py310'],
  '2.2.0': ['py310'],
  '2.3.0': ['py311'],
  '2.4.0': ['py311'],
  '2.5.1': ['py311'],
  '2.6.0': ['py312'],
};
