/**
 * Where the AWS Deep Learning Containers for TensorFlow (`tensorflow-training`,
 * `tensorflow-inference`) live, per region, for the commercial `aws` partition.
 *
 * Source: the SageMaker Python SDK 3.20.0 (sagemaker-core), `image_uri_config/tensorflow.json`
 * (aws/sagemaker-python-sdk, `sagemaker-core/src/sagemaker/core/image_uri_config/`, formerly
 * `src/sagemaker/image_uri_config/`): every version of {@link TENSORFLOW_TRAINING_VERSIONS} and
 * {@link TENSORFLOW_INFERENCE_VERSIONS} lists these regions with these accounts, which are the same
 * Deep Learning Containers accounts as the PyTorch images'.
 */
export const TENSORFLOW_ACCOUNTS: Readonly<Record<string, string>> = {
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
 * `amazonaws.com.cn`. Same source (`tensorflow.json`): every version below lists this one account
 * for both cn-north-1 and cn-northwest-1 (`tensorflow-training`, `tensorflow-inference`).
 */
export const TENSORFLOW_CHINA_ACCOUNTS: Readonly<Record<string, string>> = {
  'cn-north-1': '727897471807',
  'cn-northwest-1': '727897471807',
};

/**
 * TensorFlow versions of the training images with the Python versions the SDK lists for them
 * (`py_versions`; the first is the default): the recent ones of `tensorflow.json`'s `training`
 * scope (it lists no 2.15 and no 2.17). Tags are `<version>-<cpu|gpu>-<python>`.
 */
export const TENSORFLOW_TRAINING_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '2.13.0': ['py310'],
  '2.14.1': ['py310'],
  '2.16.2': ['py310'],
  '2.18.0': ['py310'],
  '2.19.0': ['py312'],
};

/**
 * TensorFlow versions of the inference (TensorFlow Serving) images: the recent ones of
 * `tensorflow.json`'s `inference` scope, whose patch versions differ from the training images' in
 * places (2.16.1 here, 2.16.2 for training). The SDK lists no Python version for them, so tags are
 * `<version>-<cpu|gpu>`.
 */
export const TENSORFLOW_INFERENCE_VERSIONS: readonly string[] = ['2.13.0', '2.14.1', '2.16.1', '2.18.0', '2.19.0'];
