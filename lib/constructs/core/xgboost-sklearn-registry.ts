/**
 * Where SageMaker's XGBoost and scikit-learn images live, per region, for the commercial `aws`
 * partition.
 *
 * Source: the SageMaker Python SDK, `image_uri_config/xgboost.json` and `image_uri_config/sklearn.json`
 * (aws/sagemaker-python-sdk, `src/sagemaker/image_uri_config/`, now
 * `sagemaker-core/src/sagemaker/core/image_uri_config/`). Both files list the same account per region
 * for every version below, in both the training and the inference scope.
 */
export const XGBOOST_SKLEARN_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'ca-west-1': '190319476487',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

/**
 * The same images in the China (`aws-cn`) partition, whose registry domain is
 * `amazonaws.com.cn`. Same source (SageMaker Python SDK 3.20.0, sagemaker-core 2.20.0,
 * `sagemaker-core/src/sagemaker/core/image_uri_config/xgboost.json` and `sklearn.json`): every
 * version above lists these two accounts for cn-north-1 and cn-northwest-1, in both the training
 * and the inference scope.
 */
export const XGBOOST_SKLEARN_CHINA_ACCOUNTS: Readonly<Record<string, string>> = {
  'cn-north-1': '450853457545',
  'cn-northwest-1': '451049120500',
};

/**
 * XGBoost versions (training and inference) and their image tags in `sagemaker-xgboost`. The SDK
 * builds the tag from the version plus, for the versions that list processors and Python versions,
 * `-cpu-py3`.
 */
export const XGBOOST_TAGS: Readonly<Record<string, string>> = {
  '0.90-1': '0.90-1-cpu-py3',
  '0.90-2': '0.90-2-cpu-py3',
  '1.0-1': '1.0-1-cpu-py3',
  '1.2-1': '1.2-1',
  '1.2-2': '1.2-2',
  '1.3-1': '1.3-1',
  '1.5-1': '1.5-1',
  '1.7-1': '1.7-1',
  '3.0-5': '3.0-5',
};

/**
 * scikit-learn versions available for both training (and processing) and inference, and their
 * tags in `sagemaker-scikit-learn` (CPU only).
 */
export const SKLEARN_TAGS: Readonly<Record<string, string>> = {
  '0.20.0': '0.20.0-cpu-py3',
  '0.23-1': '0.23-1-cpu-py3',
  '1.0-1': '1.0-1-cpu-py3',
  '1.2-1': '1.2-1-cpu-py3',
};
