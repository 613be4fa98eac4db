import { PYTORCH_ACCOUNTS, PYTORCH_CHINA_ACCOUNTS } from './pytorch-registry';

/**
 * Where the AWS Deep Learning Containers for TensorFlow (`tensorflow-training`,
 * `tensorflow-inference`) live, per region, for the commercial `aws` partition.
 *
 * Source: the SageMaker Python SDK 3.20.0 (sagemaker-core), `image_uri_config/tensorflow.json`
 * (aws/sagemaker-python-sdk, `sagemaker-core/src/sagemaker/core/image_uri_config/`, formerly
 * `src/sagemaker/image_uri_config/`): every version of {@link TENSORFLOW_TRAINING_VERSIONS} and
 * {@link TENSORFLOW_INFERENCE_VERSIONS} lists exactly the Deep Learning Containers accounts of the PyTorch
 * images (checked region by region against both files), so the table is PyTorch's.
 */
export const TENSORFLOW_ACCOUNTS: Readonly<Record<string, string>> = PYTORCH_ACCOUNTS;

/**
 * The same images in the China (`aws-cn`) partition, whose registry domain is
 * `amazonaws.com.cn`. Same source (`tensorflow.json`): every version below lists this one account
 * for both cn-north-1 and cn-northwest-1 (`tensorflow-training`, `tensorflow-inference`).
 */
export const TENSORFLOW_CHINA_ACCOUNTS: Readonly<Record<string, string>> = PYTORCH_CHINA_ACCOUNTS;

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
